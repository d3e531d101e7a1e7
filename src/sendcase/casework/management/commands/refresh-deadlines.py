"""`sendcase refresh-deadlines`: the daily job that moves every case's deadlines on for the passage of time."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sendcase.casework.domain.refresh import default_workers, refresh_all


class Command(BaseCommand):
    help = "Recompute the statutory deadlines of every open case (run daily, after midnight)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--today", help="Compute as on this date (YYYY-MM-DD); defaults to today"
        )
        parser.add_argument("--all", action="store_true", help="Include closed cases too")
        parser.add_argument(
            "--workers",
            type=int,
            help="Parallel processes (default: the cores on PostgreSQL, 1 on SQLite)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(
                    f"--today must be a date written YYYY-MM-DD, not {options['today']!r}"
                ) from None
        started = time.perf_counter()
        workers = options["workers"] if options["workers"] is not None else default_workers()
        if workers < 1:
            raise CommandError("--workers must be 1 or more")
        count = refresh_all(today=today, include_closed=options["all"], workers=workers)
        self.stdout.write(
            f"Recomputed deadlines for {count} cases in {time.perf_counter() - started:.1f} s"
        )
