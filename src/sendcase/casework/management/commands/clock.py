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
        # OutputWrapper ends every write() with a newline; the clock writes JSON in chunks,
        # so it gets the underlying streams.
        out = cast(IO[str], getattr(self.stdout, "_out", self.stdout))
        err = cast(IO[str], getattr(self.stderr, "_out", self.stderr))
        code = clock_main([], stdin=sys.stdin, stdout=out, stderr=err)
        if code:
            sys.exit(code)
