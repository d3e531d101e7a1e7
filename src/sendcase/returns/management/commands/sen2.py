"""`sendcase sen2 export|validate|import`: the DfE SEN2 return from the command line."""

from __future__ import annotations

import getpass
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sendcase.core.actors import Actor, SystemActor
from sendcase.returns.exporter import write_return
from sendcase.returns.importer import import_return
from sendcase.returns.periods import Collection, latest_complete_collection
from sendcase.returns.reader import validate
from sendcase.statutory.dates import format_date

COMMAND = SystemActor("the sen2 command")  # the actor when no --user is given


class Command(BaseCommand):
    help = "Export, validate or import DfE's SEN2 return (person-level XML)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Write the return for a collection year.")
        export.add_argument(
            "--year", type=int, help="Collection year, e.g. 2026 (census January 2026)"
        )
        export.add_argument("-o", "--output", required=True, help="File to write ('-' for stdout)")
        export.add_argument("--serial", type=int, default=1, help="SerialNo in the header")
        export.add_argument("--user", help="Username the export is recorded against")
        check = sub.add_parser("validate", help="Check a SEN2 file before submitting it.")
        check.add_argument("file")
        load = sub.add_parser("import", help="Bring a council's SEN2 return into SENDcase.")
        load.add_argument("file")
        load.add_argument("--dry-run", action="store_true", help="Check and count; write nothing")
        load.add_argument("--user", help="Username the import is recorded against")
        load.add_argument(
            "--list-placeholders",
            action="store_true",
            help="List each setting added as a placeholder (by default, one line with the count)",
        )

    def _user(self, username: str | None) -> Actor:
        if not username:
            return COMMAND
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user called {username}")
        return user

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "export":
            self.export(options)
        elif action == "validate":
            self.check_file(options["file"])
        else:
            self.load(options)

    def export(self, options: dict[str, Any]) -> None:
        year = options["year"] or latest_complete_collection(timezone.localdate()).year
        last = timezone.localdate().year + 1
        if year < 2015 or year > last:
            raise CommandError(
                f"{year} is not a SEN2 collection year SENDcase can export: choose a year from "
                f"2015 to {last}"
            )
        collection = Collection(year)
        actor = self._user(options["user"])
        target = options["output"]
        if target == "-":
            summary = write_return(
                collection,
                sys.stdout.buffer,
                actor=actor,
                serial=options["serial"],
                destination="stdout",
                via=_via(),
            )
        else:
            try:
                with open(target, "wb") as out:
                    summary = write_return(
                        collection,
                        out,
                        actor=actor,
                        serial=options["serial"],
                        destination=target,
                        via=_via(),
                    )
            except OSError as exc:
                raise CommandError(f"Cannot write {target}: {exc.strerror}") from None
        self.stderr.write(
            f"SEN2 {year} (census {format_date(collection.reference_date)}): {summary.persons} children, "
            f"{summary.requests} requests, {summary.plans} plans, {summary.active_plans} active plans."
        )

    def _problems(self, problems: list[Any]) -> None:
        for p in problems:
            self.stderr.write(p.as_text())

    def check_file(self, path: str) -> None:
        try:
            result = validate(path, la_code=settings.SENDCASE_LA_CODE)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        if result.problems:
            self._problems(result.problems)
            if not result.complete:
                raise CommandError(
                    f"{path} could not be read to the end ({_problems(len(result.problems))}; "
                    f"{result.persons} children before the problem): fix it before submitting"
                )
            raise CommandError(
                f"{_problems(len(result.problems))} in {path}: fix them before submitting"
            )
        self.stdout.write(f"{path}: no problems found ({result.persons} children).")

    def load(self, options: dict[str, Any]) -> None:
        path = options["file"]
        try:
            open(path, "rb").close()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        result = import_return(
            path, actor=self._user(options["user"]), dry_run=options["dry_run"], via=_via()
        )
        if not result.ok:
            self._problems(result.problems)
            raise CommandError(f"{_problems(len(result.problems))} in {path}: nothing was imported")
        self.stdout.write(result.summary())
        if result.placeholders:
            if options.get("list_placeholders"):
                for ident in result.placeholders:
                    self.stdout.write(
                        f"Placeholder setting for the data officer to complete: {ident}"
                    )
            else:
                self.stdout.write(
                    f"{len(result.placeholders):,} placeholder settings for a data officer to "
                    "complete on the Settings register screen (/settings-register/); "
                    "--list-placeholders lists them here."
                )
        if result.dry_run:
            self.stdout.write("Dry run: nothing was written.")


def _via() -> str:
    """Who ran the command, for the audit log (the --user is who it is recorded against)."""
    try:
        who = getpass.getuser()
    except (OSError, KeyError):
        who = "unknown"
    return f"command line (system user {who})"


def _problems(n: int) -> str:
    return "1 problem" if n == 1 else f"{n:,} problems"
