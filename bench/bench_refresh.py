"""Recomputing every case's deadlines: `sendcase refresh-deadlines --all`, timed.

Run after bench_demo.py has built the council (make bench does). Times the daily
refresh of every case (open and closed) twice: as the daily job finds it (a day later,
so statuses move), and again with nothing to change (the idempotent path).
Target: under 10 seconds for a 20,000-plan council on 2 cores.
"""

from __future__ import annotations

import datetime as dt
import os
import time

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sendcase.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    django.setup()
    from django.utils import timezone

    from sendcase.casework.domain.refresh import default_workers, refresh_all
    from sendcase.casework.models import Case, Deadline
    from sendcase.plans.models import Plan

    cases = Case.objects.count()
    if not cases:
        print("No council in the database: run bench_demo.py first.")
        return
    plans = Plan.objects.filter(status="active").count()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    for label, day in (
        ("next day (statuses move)", tomorrow),
        ("same day again (nothing to change)", tomorrow),
    ):
        started = time.perf_counter()
        count = refresh_all(today=day, include_closed=True, workers=default_workers())
        elapsed = time.perf_counter() - started
        print(
            f"refresh-deadlines --all, {label}: {count:,} cases ({plans:,} active plans, "
            f"{Deadline.objects.count():,} deadlines) in {elapsed:.1f} s with {default_workers()} "
            "processes (target: under 10 s)"
        )
    refresh_all(today=timezone.localdate(), include_closed=True, workers=default_workers())


if __name__ == "__main__":
    main()
