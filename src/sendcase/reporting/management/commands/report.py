"""sendcase report: every performance figure for a span of dates, as JSON, CSV, Excel, HTML or PDF."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.loader import render_to_string
from django.utils import timezone

from sendcase.reporting import exports
from sendcase.reporting.domain import report as rpt
from sendcase.reporting.domain.periods import (
    Period,
    PeriodError,
    YearKind,
    parse_date,
    years_between,
)
from sendcase.reporting.presenters import committee_context

FORMATS = ("json", "csv", "xlsx", "html", "pdf")


class Command(BaseCommand):
    help = (
        "Print the performance figures for a span of dates. json, csv and xlsx give every measure "
        "(keys in docs/reporting.md); html and pdf give the committee report, one row per year of "
        "--years overlapping the span. Figures are as known on --as-at (default: the SEN2 census "
        "date for a calendar year, as DfE counts it; else --to)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument(
            "--as-at",
            dest="as_at",
            help="figures as known on this day (default: the census date for a calendar year, else --to)",
        )
        parser.add_argument("--format", dest="fmt", choices=FORMATS, default="json")
        parser.add_argument(
            "--years",
            choices=[k.value for k in YearKind],
            default="academic",
            help="years for the committee report's rows (html, pdf)",
        )
        parser.add_argument("-o", "--output", help="write to this file instead of the screen")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            start = parse_date(options["start"], "--from")
            end = parse_date(options["end"], "--to")
            as_at = parse_date(options["as_at"], "--as-at") if options["as_at"] else None
            if start > end:
                raise PeriodError(f"--from ({start}) must be on or before --to ({end})")
            period = Period(start, end)
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        fmt, output = options["fmt"], options["output"]
        if fmt in ("xlsx", "pdf") and not output:
            raise CommandError(f"{fmt} is a binary file: give -o FILE to write it")
        content: str | bytes
        if fmt in ("json", "csv", "xlsx"):
            data = rpt.summary(period, as_at)
            if fmt == "json":
                content = json.dumps(data, indent=2) + "\n"
            else:
                rows = [["key", "measure", "value"], *rpt.flat_rows(data)]
                content = (
                    exports.csv_text(rows)
                    if fmt == "csv"
                    else exports.xlsx_bytes({"Figures": rows})
                )
        else:
            kind = YearKind(options["years"])
            context = committee_context(
                None, kind, years_between(kind, start, end), timezone.localdate(), as_at
            )
            if fmt == "html":
                content = render_to_string(
                    "reporting/committee_document.html", {**context, "council_name": _council()}
                )
            else:
                from sendcase.reporting.pdf import (
                    committee_pdf,  # slow import (WeasyPrint): only for a PDF
                )

                content = committee_pdf(context)
        if output:
            path = Path(output)
            try:
                if isinstance(content, bytes):
                    path.write_bytes(content)
                else:
                    path.write_text(content, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"Cannot write {output}: {exc.strerror}") from exc
            self.stderr.write(f"Wrote {fmt} report to {output}")
        else:
            self.stdout.write(content if isinstance(content, str) else "", ending="")


def _council() -> str:
    return settings.SENDCASE_COUNCIL_NAME
