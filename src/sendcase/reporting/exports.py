"""CSV and Excel files that are safe to open: no cell can run as a formula.

A spreadsheet treats a cell starting with = + - @ (or a tab or carriage return
that hides one) as a formula. Text from the casework (a child's name, a team's
name) could start that way, so every text cell that does is prefixed with an
apostrophe, which spreadsheets show as plain text. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Any) -> Any:
    """A cell value that cannot be read as a formula (text only; numbers pass through)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(DANGEROUS_STARTS):
        return "'" + text
    return text


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe(v) for v in row])
    return out.getvalue()


def xlsx_bytes(sheets: dict[str, Iterable[Sequence[Any]]]) -> bytes:
    """An Excel workbook, one sheet per entry; the first row of each is bold headings."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = book.create_sheet(title=title[:31])
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                cleaned = safe(value)
                cell = sheet.cell(row=r, column=c)
                cell.value = cleaned
                if isinstance(cleaned, str):
                    cell.data_type = TYPE_STRING  # never a formula, whatever it says
                if r == 1:
                    cell.font = Font(bold=True)
        for column in sheet.columns:
            width = max((len(str(c.value or "")) for c in column), default=8)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
