"""`sendcase retention --due | --erase CHILD_ID ...`: the retention policy from the command line."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sendcase.accounts.models import User
from sendcase.accounts.roles import may_erase
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import Child
from sendcase.core.actors import Actor, SystemActor
from sendcase.core.audit import audit
from sendcase.core.models import AuditEntry
from sendcase.retention.erasure import erase_child
from sendcase.retention.policy import due_for_deletion


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: write it as YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "List the records due for deletion under the retention policy (--due), or erase "
        "children's records by anonymising them (--erase CHILD_ID ...)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--due", action="store_true", help="List the records due for deletion")
        what.add_argument(
            "--erase", nargs="+", type=int, metavar="CHILD_ID", help="Erase these records"
        )
        parser.add_argument("--as-at", help="The date to judge by (YYYY-MM-DD; default today)")
        parser.add_argument(
            "--user", help="Username the listing or erasure is recorded against (required to erase)"
        )
        parser.add_argument(
            "--override-reason",
            default="",
            help="Why records not yet due must be erased now (the right to erasure)",
        )

    def _user(self, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user called {username}")
        return user

    def handle(self, *args: Any, **options: Any) -> None:
        today = _date(options["as_at"]) if options["as_at"] else timezone.localdate()
        user = self._user(options["user"])
        if options["due"]:
            self.due(today, user if user is not None else SystemActor("sendcase retention"))
        else:
            self.erase(options["erase"], today, user, options["override_reason"])

    def due(self, today: dt.date, actor: Actor) -> None:
        report = due_for_deletion(today)
        audit(
            actor,
            AuditEntry.Action.EXPORT,
            None,
            f"Records due for deletion listed at the command line ({len(report.due)})",
            payload={"as_at": today.isoformat(), "children": [r.child.pk for r in report.due]},
        )
        self.stdout.write("child_id\tname\tborn\tdue_on\twhy")
        for r in report.due:
            self.stdout.write(
                f"{r.child.pk}\t{r.child.full_name}\t{r.child.date_of_birth:%Y-%m}\t"
                f"{r.due_on}\t{r.why}"
            )
        held = f"; {report.held} more under a legal hold" if report.held else ""
        self.stderr.write(
            f"{len(report.due)} record{'s' if len(report.due) != 1 else ''} due for deletion on "
            f"{today.isoformat()} ({report.policy.describe()}){held}."
        )

    def erase(
        self, ids: list[int], today: dt.date, actor: User | None, override_reason: str
    ) -> None:
        if actor is None or not may_erase(actor):
            raise CommandError(
                "Give --user: a data officer or the head of service, whom the erasure is "
                "recorded against"
            )
        children = {c.pk: c for c in Child.objects.filter(pk__in=ids)}
        missing = [str(i) for i in ids if i not in children]
        if missing:
            raise CommandError(f"There is no child with id {', '.join(missing)}: nothing erased")
        failed = 0
        for child_id in ids:
            try:
                erasure = erase_child(
                    children[child_id], actor=actor, override_reason=override_reason, today=today
                )
            except ActionError as exc:
                failed += 1
                self.stderr.write(f"Child {child_id}: not erased. {exc.message}")
            else:
                self.stdout.write(f"Child {child_id}: erased, now {erasure.pseudonym}")
        if failed:
            raise CommandError(f"{failed} of {len(ids)} records not erased")
