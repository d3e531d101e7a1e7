"""Inspection and information rights on a large council: Annex A List 1, a chronology PDF and a
subject access bundle (targets: List 1 under 10 s, the PDF under 2 s, the bundle under 10 s).

Run: scripts/with-postgres.sh .venv/bin/python bench/bench_inspection.py [--plans 20000]
(`make bench` runs it on a throwaway PostgreSQL after bench_demo.py has built the council.)

List 1 is the whole workbook as the data officer downloads it: every child with a plan on the
date, the census columns, the XLSX, and the audit entry for each child. The chronology and the
bundle are for the child with the most recorded events, through the real views (test Client).
Each is timed several times; the median is reported.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

from benchlib import ensure_council, plain_static, setup_django, signed_in

setup_django()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from sendcase.accounts.models import Role, User  # noqa: E402
from sendcase.casework.models import Case, Child, Stage  # noqa: E402
from sendcase.information import actions  # noqa: E402
from sendcase.inspection import annex_a  # noqa: E402

TARGETS = {"List 1": 10.0, "Chronology PDF": 2.0, "SAR bundle": 10.0}


CPU: dict[str, float] = {}  # the median CPU time in this process, beside the wall-clock median


def _median(fn, n: int, name: str = "") -> float:  # type: ignore[no-untyped-def]
    times, cpu = [], []
    for _ in range(n):
        started, used = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    if name:
        CPU[name] = statistics.median(cpu)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ensure_council(args.plans)
    print(
        f"Council: {Child.objects.count():,} children, "
        f"{Case.objects.filter(stage=Stage.PLAN).count():,} plans maintained ({connection.vendor})"
    )
    today = timezone.localdate()
    data = User.objects.filter(role=Role.DATA_OFFICER, is_active=True).first()
    data = data or User.objects.create_user(username="bench-data", role=Role.DATA_OFFICER)
    ig = User.objects.filter(username="demo.ig").first() or User.objects.create_user(
        username="demo.ig", role=Role.INFORMATION_GOVERNANCE, is_demo=True
    )
    rows: list[annex_a.Row] = []

    def list_1() -> None:
        nonlocal rows
        _data, rows = annex_a.workbook(today, (1,), actor=data)

    results = {"List 1": _median(list_1, max(3, args.runs // 2), "List 1")}
    print(f"  List 1: {len(rows):,} children, median {results['List 1']:.2f} s", flush=True)
    child_id = (
        Case.objects.values("child_id")
        .annotate(n=Count("events"))
        .order_by("-n")
        .values_list("child_id", flat=True)
        .first()
    )
    child = Child.objects.get(pk=child_id)
    with plain_static():
        client = signed_in(data)

        def pdf() -> None:
            r = client.get(f"/inspection/children/{child.pk}/chronology.pdf")
            if r.status_code != 200:
                raise SystemExit(f"chronology answered {r.status_code}")

        results["Chronology PDF"] = _median(pdf, args.runs, "Chronology PDF")
        print(f"  Chronology PDF: median {results['Chronology PDF']:.2f} s", flush=True)
        sar = actions.log_sar(child, requester="Bench", relationship="Parent", received_on=today, actor=ig)  # fmt: skip
        actions.verify_sar_identity(sar, verified_on=today, evidence="Bench", actor=ig)
        ig_client = signed_in(ig)

        def bundle() -> None:
            r = ig_client.get(f"/information/sar/{sar.pk}/bundle.zip")
            if r.status_code != 200:
                raise SystemExit(f"bundle answered {r.status_code}")

        results["SAR bundle"] = _median(bundle, args.runs, "SAR bundle")
    print("  load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    failed = False
    for name, seconds in results.items():
        ok = seconds < TARGETS[name]
        failed |= not ok
        cpu = f", {CPU[name]:.2f} s CPU in this process" if name in CPU else ""
        print(f"  {name}: median {seconds:.2f} s{cpu} (target under {TARGETS[name]:.0f} s) {'ok' if ok else 'TOO SLOW'}")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
