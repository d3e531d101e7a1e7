"""sendcase ees-import FILE.zip: load DfE's published EHC plans release for comparisons."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sendcase.reporting.domain.ees_import import ReleaseError, import_release


class Command(BaseCommand):
    help = (
        "Import DfE's 'Education, health and care plans' release (the zip from Explore Education "
        "Statistics) so reports show England, the region and comparator councils alongside. "
        "Importing the same file twice changes nothing; a bad file writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", help="the release zip, e.g. education-health-and-care-plans_2025.zip"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = import_release(options["file"])
        except ReleaseError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(outcome.message())
