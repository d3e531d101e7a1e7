"""Building the demo council: `sendcase demo --plans 20000` (a large county), timed.

Run: .venv/bin/python bench/bench_demo.py [--plans N] [--seed S]
(on whatever DATABASE_URL says; `make bench` runs it on a throwaway PostgreSQL).

Prints the wall-clock time, the CPU time of this process, and its peak memory
(ru_maxrss), with the numbers of rows written. The council is left in the database for
the benches that follow (bench_casework.py, bench_reporting.py). Target: under 3 minutes
on a 2-core machine.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import time

import django


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sendcase.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ["SENDCASE_DEMO"] = "true"  # it builds the demo council
    django.setup()
    from django.core.management import call_command

    from sendcase.casework.models import Case, Deadline, StatutoryEvent
    from sendcase.plans.models import Plan

    call_command("migrate", "--noinput", verbosity=0)
    reset = Case.objects.exists()
    out = io.StringIO()
    started = time.perf_counter()
    cpu = time.process_time()
    call_command(
        "demo",
        plans=str(args.plans),
        seed=str(args.seed),
        reset=reset,
        stdout=out,
        stderr=sys.stderr,
    )
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(out.getvalue().splitlines()[0])
    print(
        f"sendcase demo --plans {args.plans}: {elapsed:.1f} s wall, {cpu:.1f} s CPU in this process, "
        f"peak memory {peak_mb:.0f} MB (target: under 180 s on 2 cores)"
    )
    print(
        f"rows: {Case.objects.count():,} cases, {Plan.objects.filter(status='active').count():,} active plans, "
        f"{StatutoryEvent.objects.count():,} statutory events, {Deadline.objects.count():,} deadlines"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
