"""A correction recomputes the case: correcting a recorded step on a large council (target:
median under 100 ms).

Run: scripts/with-postgres.sh .venv/bin/python bench/bench_corrections.py [--plans 20000] [--corrections 40]
(`make bench` runs it on a throwaway PostgreSQL after bench_demo.py has built the council.)

If the database holds fewer plans than --plans asks for, it builds the council first with
`sendcase demo --plans N`. Each correction is the whole action, as the "Correct" page calls it,
committed: lock the case, check the step and who may correct it, append the correction row,
move the records that mirror it, the audit entry, and the case's deadlines recomputed from the
corrected history and stored (with the queue's next deadline). The steps corrected are the latest
annual review meetings of the plans with the longest histories, moved a day earlier and then
corrected back. Prints median and 90th percentile, and the queries one correction makes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time

from benchlib import ensure_council, setup_django

setup_django()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from sendcase.accounts.models import Role, User  # noqa: E402
from sendcase.casework.domain.corrections import correct_step  # noqa: E402
from sendcase.casework.domain.errors import ActionError  # noqa: E402
from sendcase.casework.models import Case, Stage  # noqa: E402

TARGET_MS = 100


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=20_000)
    parser.add_argument("--corrections", type=int, default=40)
    args = parser.parse_args()

    ensure_council(args.plans)
    plans = Case.objects.filter(stage=Stage.PLAN).count()
    print(
        f"Council: {Case.objects.count():,} cases, {plans:,} plans maintained ({connection.vendor})"
    )
    manager = User.objects.filter(role=Role.TEAM_MANAGER).first()
    if manager is None:
        raise SystemExit("The council has no team manager")
    cases = list(
        Case.objects.filter(stage=Stage.PLAN)
        .annotate(n=Count("events"))
        .order_by("-n", "pk")[: max(args.corrections // 2, 1)]
    )
    times: list[float] = []
    cpu_times: list[float] = []  # this process's CPU: the share not spent waiting on the database
    refused = 0
    queries = 0
    for case in cases:
        meeting = case.events.filter(type="review_meeting").order_by("-date").first()
        if meeting is None:
            continue
        event_id, original = meeting.pk, meeting.date
        for new in (original - dt.timedelta(days=1), original):
            started, cpu = time.perf_counter(), time.process_time()
            try:
                with CaptureQueriesContext(connection) as ctx:
                    fixed = correct_step(
                        Case.objects.get(pk=case.pk),
                        event_id=event_id,
                        date=new,
                        reason="Benchmark: the minutes give another day",
                        actor=manager,
                    )
            except ActionError as exc:
                refused += 1
                print(f"  refused on case {case.pk}: {exc}")
                break
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu) * 1000)
            queries = len(ctx.captured_queries)
            event_id = fixed.pk
    if not times:
        raise SystemExit("No correction could be made")
    times.sort()
    median = statistics.median(times)
    p90 = times[max(int(len(times) * 0.9) - 1, 0)]
    events = statistics.median(c.n for c in cases)
    print(
        f"\nCorrections: {len(times)} on {len(cases)} plans (median {events:.0f} events each), "
        f"{refused} refused"
    )
    print(
        f"Correct a review meeting's date: median {median:.1f} ms, p90 {p90:.1f} ms, {queries} queries"
    )
    print(f"  of which this process's CPU: median {statistics.median(cpu_times):.1f} ms")
    print(f"  load average while measuring: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(
        f"Target: median under {TARGET_MS} ms ({'met' if median < TARGET_MS else 'NOT met'}). "
        f"{os.cpu_count()} cores."
    )
    return 0 if median < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
