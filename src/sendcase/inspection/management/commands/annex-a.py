"""sendcase annex-a --list 1 --as-at 2026-01-15 --out annex-a.xlsx
sendcase annex-a --import-census extract.csv --census-date 2026-01-15"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from sendcase.core.actors import SystemActor
from sendcase.inspection import annex_a
from sendcase.inspection.census import CensusError, import_census


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{text!r} is not a date like 2026-01-15") from exc


class Command(BaseCommand):
    help = "Write the Annex A lists for inspectors as XLSX, or import the school census extract."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--list", action="append", choices=["1", "2"], help="Which list (repeat for both)"
        )
        parser.add_argument("--as-at", help="The date the list is made for (default today)")
        parser.add_argument("--out", help="The XLSX file to write")
        parser.add_argument("--import-census", help="A census extract CSV to import")
        parser.add_argument("--census-date", help="The census date of the extract")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = SystemActor("sendcase annex-a")
        if options["import_census"]:
            path = Path(options["import_census"])
            if not options["census_date"]:
                raise CommandError("Give --census-date with --import-census")
            try:
                done = import_census(path.read_text(encoding="utf-8"), census_date=_date(options["census_date"]), file_name=path.name, actor=actor)  # fmt: skip
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"Cannot read {path}: {exc}") from exc
            except CensusError as exc:
                raise CommandError("\n".join(exc.problems)) from exc
            self.stdout.write(f"Imported {done.rows} pupils from {path.name}")
            return
        if not options["out"]:
            raise CommandError("Give --out FILE.xlsx")
        as_at = _date(options["as_at"]) if options["as_at"] else timezone.localdate()
        lists = sorted({int(n) for n in options["list"] or ["1"]})
        if 2 in lists and annex_a.census_loaded() is None:
            raise CommandError(
                "List 2 comes from the school census extract: import one first (--import-census)"
            )
        data, rows = annex_a.workbook(as_at, lists, actor=actor)
        Path(options["out"]).write_bytes(data)
        problems = annex_a.check(rows, as_at)
        errors = sum(1 for p in problems if p.error)
        self.stdout.write(f"Wrote {options['out']}: List 1 has {len(rows)} children; checks: {errors} errors, {len(problems) - errors} queries")  # fmt: skip
        if annex_a.census_loaded() is None:
            self.stdout.write("No school census extract is loaded: suspensions, permanent exclusions, absence and Pupil Premium are empty.")  # fmt: skip
