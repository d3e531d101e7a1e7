"""Committee report (target under 5 s) and dashboard (target under 1 s) on a 20,000-plan council.

Run: scripts/with-postgres.sh .venv/bin/python bench/bench_reporting.py [--plans 20000] [--requests 5]
(`make bench` runs it on a throwaway PostgreSQL after bench_demo.py has built the council.)

If the database holds fewer plans than --plans asks for, it builds the council first
with `sendcase demo --plans N`. It imports DfE's 2025 release if it is on this machine
(so the comparison with England is part of what is timed). Pages are requested through
Django's test Client in this process against the real database, signed in as the demo's
head of service, so the time is the whole server side. The committee report is timed as
the `report` command produces it (figures + HTML, figures + PDF) and as the screen.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchlib import setup_django

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from sendcase.accounts.models import Role, User  # noqa: E402
from sendcase.casework.models import Case, StatutoryEvent  # noqa: E402
from sendcase.plans.models import Plan  # noqa: E402
from sendcase.reporting.domain import measures as m  # noqa: E402
from sendcase.reporting.domain.periods import Period  # noqa: E402
from sendcase.reporting.models import EESFigure  # noqa: E402

EES = (
    Path(__file__).resolve().parents[1]
    / "src/sendcase/demo/data/education-health-and-care-plans_2025.zip"
)


def timed(fn: Callable[[], object], n: int) -> tuple[float, float, int]:
    fn()  # warm
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return statistics.median(times), max(times), len(ctx.captured_queries)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args()

    today = timezone.localdate()
    active = Plan.objects.filter(status=Plan.Status.ACTIVE).count()
    if active < args.plans * 0.9:
        print(f"Building the demo council with about {args.plans:,} plans ...", flush=True)
        started = time.perf_counter()
        call_command(
            "demo", "--plans", str(args.plans), "--reset" if Case.objects.exists() else "--if-empty"
        )
        print(f"  built in {time.perf_counter() - started:.0f} s")
        active = Plan.objects.filter(status=Plan.Status.ACTIVE).count()
    if EES.exists() and not EESFigure.objects.exists():
        call_command("ees-import", str(EES), stdout=io.StringIO())
    print(
        f"Council: {Case.objects.count():,} cases, {active:,} plans maintained, "
        f"{StatutoryEvent.objects.count():,} statutory events, "
        f"{EESFigure.objects.count():,} DfE figures ({connection.vendor})"
    )
    head = User.objects.filter(role=Role.HEAD_OF_SERVICE).first()
    if head is None:
        raise SystemExit("The demo council has no head of service login")

    rows: list[tuple[str, float, float, int]] = []
    last = today.year if today.month >= 9 else today.year - 1
    span = ["--from", f"{last - 4}-09-01", "--to", today.isoformat()]

    out_dir = Path(tempfile.mkdtemp(prefix="bench-reporting-"))

    def command(fmt: str) -> None:
        call_command(
            "report",
            *span,
            "--format",
            fmt,
            "-o",
            str(out_dir / f"report.{fmt}"),
            stderr=io.StringIO(),
        )

    # Plan quality (issue 13): every plan the council has issued, judged against the criteria.
    every_plan = Period(dt.date(2014, 9, 1), today)
    judged = m.measure("plans_meeting_quality_criteria", every_plan).denominator or 0

    def quality() -> None:
        m.measure("plans_meeting_quality_criteria", every_plan)
        m.failing_criteria(every_plan)

    rows.append(
        (
            f"Plan quality: all {judged:,} plans issued, and which criteria fail most",
            *timed(quality, args.requests),
        )
    )

    for fmt, label in (
        ("html", "Committee report, 5 academic years: HTML (command)"),
        ("pdf", "Committee report, 5 academic years: PDF (command)"),
        ("json", "Every figure for the span: JSON (command)"),
    ):
        rows.append((label, *timed(lambda fmt=fmt: command(fmt), args.requests)))

    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        client = Client()
        client.force_login(head)

        def get(url: str) -> Callable[[], object]:
            def fetch() -> object:
                response = client.get(url)
                if response.status_code != 200:
                    raise SystemExit(f"{url} answered {response.status_code}")
                return response

            return fetch

        year = Period(today.replace(year=today.year - 1), today)
        pages = [
            ("Dashboard: 5 academic years, with England", "/reports/"),
            ("Dashboard: 10 calendar years", "/reports/?kind=calendar&years=10"),
            (
                "Dashboard: one team, 5 financial years",
                "/reports/?kind=financial&team="
                + str(
                    User.objects.filter(role=Role.CASE_OFFICER)
                    .values_list("team_id", flat=True)
                    .first()
                    or ""
                ),
            ),
            ("Committee report screen, 5 academic years", "/reports/committee/"),
            ("Committee report PDF download", "/reports/committee/report.pdf"),
            (
                "Drill-down: plans maintained (first 100 of all)",
                f"/reports/cases/?measure=active_plans&part=all&from={year.start}&to={year.end}",
            ),
            (
                "Questions: plans by need over 10 years",
                f"/reports/questions/?count=active_plans&by=primary_need&kind=calendar&first={today.year - 9}&last={today.year}",
            ),
        ]
        for label, url in pages:
            rows.append((label, *timed(get(url), args.requests)))

    width = max(len(r[0]) for r in rows)
    print(f"{'':{width}}  median    worst  queries")
    for label, median, worst, queries in rows:
        print(f"{label:{width}}  {median * 1000:6.0f} ms {worst * 1000:6.0f} ms  {queries:5d}")
    committee = max(r[1] for r in rows if r[0].startswith("Committee"))
    dashboard = max(r[1] for r in rows if r[0].startswith("Dashboard"))
    plan_quality = max(r[1] for r in rows if r[0].startswith("Plan quality"))
    ok = committee < 5 and dashboard < 1 and plan_quality < 2
    print(
        f"Targets: committee report under 5 s (slowest median {committee:.2f} s), "
        f"dashboard under 1 s (slowest median {dashboard:.2f} s), "
        f"plan quality under 2 s ({plan_quality:.2f} s): {'met' if ok else 'NOT MET'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
