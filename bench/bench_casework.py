"""Work queue and case page server time on a large council (target: median under 200 ms each).

Run: DATABASE_URL=postgres://... .venv/bin/python bench/bench_casework.py [--plans 20000] [--requests 30]
(`make bench` runs it on a throwaway PostgreSQL after bench_demo.py has built the council.)

If the database holds fewer cases than --plans asks for, it builds the council first with
`sendcase demo --plans N`. Requests go through Django's test Client in this process
against the real database, signed in as demo logins (the demo's second-factor skip is
switched on for this process only), so the time is the whole server side: middleware,
access rules, queries, templates and the audit write. Prints median and 90th percentile.
"""

from __future__ import annotations

import argparse
import os
import random
import sys

from benchlib import ensure_council, plain_static, setup_django, signed_in, timed_get

setup_django()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from sendcase.accounts.models import Role, User  # noqa: E402
from sendcase.casework.domain.plan import working_copy  # noqa: E402
from sendcase.casework.domain.plan_editor import start_working_copy  # noqa: E402
from sendcase.casework.models import OPEN_STAGES, Case, Stage  # noqa: E402


def timed(client: Client, url: str, n: int) -> tuple[float, float, int]:
    median, p90, queries, _page = timed_get(client, url, n)
    return median, p90, queries


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    ensure_council(args.plans)
    active = Case.objects.filter(stage=Stage.PLAN).count()
    total = Case.objects.count()
    open_cases = Case.objects.filter(stage__in=OPEN_STAGES).count()
    print(
        f"Council: {total:,} cases, {open_cases:,} open, {active:,} plans maintained ({connection.vendor})"
    )

    busiest = (
        User.objects.filter(role=Role.CASE_OFFICER, cases__stage__in=OPEN_STAGES)
        .annotate(n=Count("cases"))
        .order_by("-n")
        .first()
    )
    if busiest is None:
        raise SystemExit("No case officer has open cases")
    manager = User.objects.filter(role=Role.TEAM_MANAGER, team=busiest.team).first()
    head = User.objects.filter(role=Role.HEAD_OF_SERVICE).first()

    rng = random.Random(1)
    case_ids = list(
        Case.objects.filter(stage=Stage.PLAN, team=busiest.team)
        .annotate(e=Count("events"))
        .order_by("-e")
        .values_list("pk", "e")[:200]
    )
    sample = rng.sample(case_ids, min(5, len(case_ids)))

    rows = []
    with plain_static():
        officer_client = signed_in(busiest)
        rows.append(
            (
                f"Queue: officer's own ({busiest.n} open cases)",
                *timed(officer_client, "/cases/", args.requests),
            )
        )
        if manager:
            mc = signed_in(manager)
            rows.append(
                ("Queue: manager, whole team", *timed(mc, "/cases/?officer=", args.requests))
            )
            rows.append(
                (
                    "Queue: manager, team, overdue key filter",
                    *timed(mc, "/cases/?officer=&key=annual_review_meeting", args.requests),
                )
            )
        if head:
            hc = signed_in(head)
            rows.append(
                (
                    f"Queue: head of service, all {open_cases:,} open",
                    *timed(hc, "/cases/", args.requests),
                )
            )
            page = hc.get("/cases/").content.decode()
            marker = "after="
            if marker in page:
                cursor = page.split(marker, 1)[1].split('"', 1)[0]
                rows.append(
                    (
                        "Queue: head of service, page 2 (keyset)",
                        *timed(hc, f"/cases/?after={cursor}", args.requests),
                    )
                )
            rows.append(
                (
                    "Queue: head of service, primary need ASD, mainstream",
                    *timed(hc, "/cases/?need=ASD&setting=mainstream", args.requests),
                )
            )
            rows.append(
                (
                    "Caseloads: head of service, every officer",
                    *timed(hc, "/cases/caseloads/", args.requests),
                )
            )
        for pk, events in sample:
            rows.append(
                (
                    f"Case page: case {pk} ({events} events)",
                    *timed(officer_client, f"/cases/{pk}/", args.requests),
                )
            )
        # The plan editor (issue 13): a working copy of a maintained plan, as an amendment starts.
        for pk, _events in sample[:2]:
            case = Case.objects.get(pk=pk)
            if working_copy(case) is None:
                start_working_copy(case, actor=busiest)
            for label, url in (
                ("Plan editor: task list", f"/cases/{pk}/plan/write/"),
                ("Plan editor: section F (provision rows)", f"/cases/{pk}/plan/write/F/"),
                ("Plan: what changed", f"/cases/{pk}/plan/compare/"),
            ):
                if label.endswith("changed") and case.plan.versions.count() < 2:
                    continue
                rows.append((f"{label}, case {pk}", *timed(officer_client, url, args.requests)))

    print(f"\n{'Page':<58} {'median':>8} {'p90':>8} {'queries':>8}")
    worst = 0.0
    for name, median, p90, queries in rows:
        worst = max(worst, median)
        print(f"{name:<58} {median:7.1f}ms {p90:7.1f}ms {queries:8d}")
    print(
        f"\nTarget: median under 200 ms for every page. Worst median: {worst:.1f} ms "
        f"({'met' if worst < 200 else 'NOT met'}). {os.cpu_count()} cores."
    )
    return 0 if worst < 200 else 1


if __name__ == "__main__":
    sys.exit(main())
