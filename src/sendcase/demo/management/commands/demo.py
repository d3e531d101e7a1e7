"""`sendcase demo`: fill the database with a realistic synthetic council (docs/demo.md)."""

from __future__ import annotations

import datetime as dt
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from tqdm import tqdm

from sendcase.casework.models import Case
from sendcase.core import ees
from sendcase.core.actors import SystemActor
from sendcase.demo import calibration
from sendcase.demo.generator import Council
from sendcase.demo.load import (
    DEMO_PASSWORD,
    NOT_DEMO_MODE,
    Login,
    NotADemoDatabase,
    ResetRefused,
    demo_logins,
    load_council,
    refuse_unless_demo,
    reset,
)
from sendcase.demo.plan_content import write_drafts_in_progress
from sendcase.finance.demo import seed_money
from sendcase.inspection.demo import seed_strategy
from sendcase.reporting.domain.ees_import import ReleaseError, import_release
from sendcase.statutory.dates import format_date

DEFAULT_PLANS = 1300  # about Herefordshire's caseload


def _positive(value: str, what: str, *, low: int = 1, high: int = 200_000) -> int:
    try:
        n = int(value)
    except ValueError:
        raise CommandError(f"{what} must be a whole number, not {value!r}") from None
    if not low <= n <= high:
        raise CommandError(f"{what} must be between {low:,} and {high:,}, not {n:,}")
    return n


class Command(BaseCommand):
    help = "Fill the database with a synthetic council calibrated to DfE's published figures."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--plans",
            help=f"About how many active plans today (default {DEFAULT_PLANS:,}, or the council's "
            "own caseload with --like)",
        )
        parser.add_argument(
            "--seed", default="1", help="Random seed: the same seed gives the same council"
        )
        parser.add_argument(
            "--like", help='Calibrate to one council\'s figures, e.g. "Herefordshire"'
        )
        parser.add_argument("--years", default="8", help="Years of history (default 8)")
        parser.add_argument("--today", help="Build the council as on this date (YYYY-MM-DD)")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and print the logins) if the database already has cases",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo council first, then build a new one",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seed = _positive(options["seed"], "--seed", low=0, high=2**31)
        years = _positive(options["years"], "--years", high=11)
        today = timezone.localdate()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(
                    f"--today must be a date written YYYY-MM-DD, not {options['today']!r}"
                ) from None
            if not dt.date(2016, 1, 1) <= today <= dt.date(2100, 1, 1):
                raise CommandError("--today must be between 2016 and 2100")
        plans = _positive(options["plans"], "--plans") if options["plans"] else None
        if options["if_empty"] and options["reset"]:
            raise CommandError("Use --if-empty or --reset, not both")

        try:
            cal = calibration.load(options["like"])
        except calibration.UnknownCouncil as exc:
            raise CommandError(str(exc)) from None
        except (OSError, ees.EESFormatError) as exc:
            raise CommandError(f"Cannot read DfE's published figures: {exc}") from None
        if not settings.SENDCASE_DEMO:
            raise CommandError(NOT_DEMO_MODE)
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database is not up to date: run `sendcase migrate` first.")
        try:
            refuse_unless_demo()
        except NotADemoDatabase as exc:
            raise CommandError(str(exc)) from None
        existing = Case.objects.count()
        if existing and options["if_empty"]:
            self.stdout.write(
                f"The database already has {existing:,} cases: the demo council was not loaded again."
            )
            self._comparators()
            self._logins(demo_logins())
            return
        if plans is None:
            plans = (
                DEFAULT_PLANS if options["like"] is None else round(cal.at("caseload", today.year))
            )
        if existing and not options["reset"]:
            raise CommandError(
                f"The database already has {existing:,} cases. Use --reset to replace the demo council "
                "or --if-empty to keep it."
            )
        if options["reset"]:
            try:
                reset()
            except ResetRefused as exc:
                raise CommandError(str(exc)) from None

        started = time.perf_counter()
        err = sys.stderr
        err.write(
            f"Simulating {years} years of a council like {cal.area} with about {plans:,} plans...\n"
        )
        council = Council(cal, plans=plans, seed=seed, today=today, years=years)
        with tqdm(total=len(council.skeletons), unit=" cases", file=err, desc="Writing") as bar:

            def advance(n: int) -> None:
                bar.update(n)

            result = load_council(council, on_chunk=advance)
        money = seed_money(today=today, seed=seed)  # the matrix, fees and budgets (finance/demo.py)
        drafting = write_drafts_in_progress(SystemActor("the demo council"))
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Demo council calibrated to {cal.area} as on {format_date(today)}: {result.active_plans:,} "
            f"active plans, {result.cases:,} cases, {result.children:,} children, "
            f"{result.events:,} statutory events, {money.lines:,} cost lines, "
            f"{len(drafting)} plans being written "
            f"({elapsed:.0f} s, seed {seed})."
        )
        self._comparators()
        seed_strategy(today=today, seed=seed)  # after the comparators: it names neighbours
        self._logins(result.logins)

    def _comparators(self) -> None:
        """Load DfE's published release that ships with the project, so the comparators are there
        from the start (importing it again changes nothing)."""
        path = calibration.EES_DIR / calibration.RELEASE_2025
        try:
            outcome = import_release(path)
        except ReleaseError as exc:
            self.stderr.write(f"England and comparator figures were not loaded: {exc}")
            return
        self.stdout.write(outcome.message())

    def _logins(self, logins: list[Login]) -> None:
        if not logins:
            self.stdout.write("There are no demo logins in this database.")
            return
        width = max(len(x.username) for x in logins)
        role_width = max(len(x.role) for x in logins)
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        self.stdout.write(f"  {'username'.ljust(width)}  {'role'.ljust(role_width)}  team")
        for x in logins:
            self.stdout.write(f"  {x.username.ljust(width)}  {x.role.ljust(role_width)}  {x.team}")
