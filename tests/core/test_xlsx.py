"""The plain XLSX writer: openpyxl reads back the sheet names, text (escaped, control characters
dropped, never a formula), numbers, and dates as dates."""

from __future__ import annotations

import datetime as dt
import io
import warnings

import pytest
from openpyxl import load_workbook

from sendcase.core import xlsx


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])  # fmt: skip
def test_column_letters(index: int, letters: str) -> None:
    assert xlsx.column_letter(index) == letters


def test_round_trip() -> None:
    rows = [
        ["O'Brien & <Sons>", dt.date(2016, 2, 29), 3, 12.5, None],
        ["=1+1", dt.date(1999, 12, 31), 0, None, "a\x01b"],
    ]
    data = xlsx.workbook([("List_1", ["Name", "Born", "N", "Absence", "Note"], rows), ("List_2", ["X"], [])])  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["List_1", "List_2"]
    got = [list(r) for r in wb["List_1"].iter_rows(values_only=True)]
    assert got[0] == ["Name", "Born", "N", "Absence", "Note"]
    assert got[1] == ["O'Brien & <Sons>", dt.datetime(2016, 2, 29), 3, 12.5, None]
    assert got[2] == ["=1+1", dt.datetime(1999, 12, 31), 0, None, "ab"]
    assert wb["List_1"]["B2"].is_date and wb["List_1"]["B2"].number_format == "DD/MM/YYYY"
    assert wb["List_1"]["A3"].data_type == "s"  # text, not a formula
