"""`sendcase clock`: one case history as JSON on standard input, its deadlines as JSON out."""

from __future__ import annotations

import sys
from typing import IO, Any, cast

from django.core.management.base import BaseCommand

from sendcase.statutory.cli import main as clock_main


class Command(BaseCommand):
    help = "Read a case history (JSON) on standard input and write its statutory deadlines (JSON)."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        code = clock_main([], stdin=sys.stdin, stdout=cast(IO[str], self.stdout), stderr=cast(IO[str], self.stderr))
        if code:
            sys.exit(code)
