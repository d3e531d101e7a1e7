"""Reading DfE's published "Education, health and care plans" release (Explore Education Statistics).

The release is a zip of CSV files (data/*.csv, with data-guidance/data-guidance.txt
defining every column). This module only opens the zip and yields rows as dicts;
the demo's calibration and the reporting app's import pick the columns they need.
DfE marks suppressed or missing figures with codes such as "c", "x", "z", "low";
`number()` turns those into None.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

SUPPRESSED = {"c", "x", "z", "low", "u", "..", ":", "", "n/a", "NA"}


class EESFormatError(Exception):
    """The file is not a DfE EHC plans release we can read."""


def tables(path: str | Path) -> list[str]:
    """The names of the data tables in a release, e.g. ["annual_reviews", "caseload", ...]."""
    try:
        with zipfile.ZipFile(path) as zf:
            return sorted(
                Path(name).stem
                for name in zf.namelist()
                if name.startswith("data/") and name.endswith(".csv")
            )
    except (zipfile.BadZipFile, OSError) as exc:
        raise EESFormatError(f"{path} is not a readable zip file: {exc}") from exc


def rows(path: str | Path, table: str) -> Iterator[dict[str, str]]:
    """Yield each row of data/<table>.csv (or <table>.csv anywhere in the zip) as a dict of strings."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise EESFormatError(f"{path} is not a readable zip file: {exc}") from exc
    with zf:
        names = [n for n in zf.namelist() if Path(n).name == f"{table}.csv"]
        if not names:
            raise EESFormatError(f"{path} has no table called {table}")
        with zf.open(sorted(names, key=len)[0]) as raw:
            reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))
            yield from reader


def number(value: str | None) -> float | None:
    """A published figure as a number, or None where DfE suppressed or did not publish it."""
    if value is None:
        return None
    value = value.strip().replace(",", "")
    if value in SUPPRESSED:
        return None
    try:
        return float(value)
    except ValueError:
        return None
