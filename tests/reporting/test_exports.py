"""CSV and Excel exports cannot carry a formula, whatever text the casework holds."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendcase.reporting.exports import csv_text, safe, xlsx_bytes

NASTY = ["=1+1", "+44 1234", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("text", NASTY)
def test_text_that_starts_like_a_formula_is_neutralised(text: str) -> None:
    assert safe(text) == "'" + text
    (row,) = list(csv.reader(io.StringIO(csv_text([[text]]))))
    assert row == ["'" + text]


@pytest.mark.parametrize("value", ["Alex Example", "North team", "", "a=b", 0, 12, -3, 4.5])
def test_ordinary_values_are_unchanged(value: object) -> None:
    assert safe(value) == value


def test_numbers_stay_numbers_even_when_negative() -> None:
    assert safe(-5) == -5


def test_excel_cells_are_text_not_formulas() -> None:
    book = openpyxl.load_workbook(
        io.BytesIO(xlsx_bytes({"Figures": [["name", "n"], *[[t, 1] for t in NASTY]]}))
    )
    sheet = book["Figures"]
    for row, text in zip(sheet.iter_rows(min_row=2), NASTY, strict=True):
        assert row[0].data_type == "s"
        assert row[0].value == "'" + text
        assert row[1].value == 1


@given(st.text())
def test_no_exported_cell_can_start_a_formula(text: str) -> None:
    out = safe(text)
    assert not str(out).startswith(("=", "+", "-", "@", "\t", "\r"))
    assert str(out).removeprefix("'") == text or out == text
