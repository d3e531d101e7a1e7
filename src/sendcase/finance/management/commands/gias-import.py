"""sendcase gias-import FILE.csv: the settings register from Get Information about Schools."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sendcase.accounts.models import User
from sendcase.core.actors import Actor, SystemActor
from sendcase.finance.gias import GiasError, import_gias


class Command(BaseCommand):
    help = (
        "Bring the settings register into line with DfE's Get Information about Schools "
        "establishment download (the CSV, as downloaded): names, types, phase, status and "
        "council; placeholders completed; open special schools and this council's own settings "
        "added; placements at closed settings listed. Run with --dry-run first. Importing the "
        "same file twice changes nothing; a bad file writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the establishment download, e.g. edubasealldata.csv")
        parser.add_argument("--dry-run", action="store_true", help="Check and count; write nothing")
        parser.add_argument(
            "--no-add", action="store_true", help="Only update settings already in the register"
        )
        parser.add_argument("--user", help="Username the import is recorded against")

    def handle(self, *args: Any, **options: Any) -> None:
        actor: Actor = SystemActor("gias-import")
        if options["user"]:
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"There is no active user called {options['user']}.")
            actor = user
        try:
            outcome = import_gias(
                options["file"],
                actor=actor,
                dry_run=options["dry_run"],
                add_new=not options["no_add"],
            )
        except GiasError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(outcome.message())
