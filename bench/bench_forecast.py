"""The full High Needs forecast with its scenarios on a 20,000-plan council (target under 5 s).

Run: scripts/with-postgres.sh .venv/bin/python bench/bench_forecast.py [--plans 20000] [--runs 3]

Times `forecast(today)` (commitments, pipeline, phase transfers, ceasing and five years, under
every scenario in finance/forecast.py: four, the baseline and three others), the budget page
that shows it, and the DSG management plan XLSX, signed in as the demo's finance officer.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from benchlib import ensure_council, plain_static, setup_django, signed_in, timed_get

setup_django()

from django.utils import timezone  # noqa: E402

from sendcase.accounts.models import Role, User  # noqa: E402
from sendcase.finance.demo import seed_money  # noqa: E402
from sendcase.finance.forecast import PARTS, SCENARIOS, forecast  # noqa: E402

TARGET_S = 5.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ensure_council(args.plans)
    today = timezone.localdate()
    seed_money(today=today)  # a council built before its money gets it (no-op otherwise)
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        result = forecast(today)
        times.append(time.perf_counter() - started)
    base = result[0]
    print(
        f"Forecast {base.year}: outturn £{base.outturn:,.0f} "
        f"({', '.join(f'{k} £{base.part(k):,.0f}' for k in PARTS)}), "
        f"{len(SCENARIOS)} scenarios"
    )
    median = statistics.median(times)
    ok = median < TARGET_S
    print(
        f"Full forecast, {len(SCENARIOS)} scenarios: median {median:.2f} s over {args.runs} runs"
        f" - target under {TARGET_S:.0f} s {'met' if ok else 'MISSED'}"
    )
    finance = User.objects.filter(role=Role.FINANCE_OFFICER).first()
    if finance is None:
        raise SystemExit("The demo council has no finance officer login")
    client = signed_in(finance)
    with plain_static():
        med, p90, queries, _ = timed_get(client, "/finance/budget/", args.runs)
        ok &= med < TARGET_S * 1000
        print(f"Budget page: median {med:.0f} ms, 90th percentile {p90:.0f} ms, {queries} queries")
        xlsx = []
        for _ in range(args.runs):
            started = time.perf_counter()
            if client.get("/finance/budget/dsg-management-plan.xlsx").status_code != 200:
                raise SystemExit("The XLSX export failed")
            xlsx.append(time.perf_counter() - started)
        print(f"DSG management plan XLSX: median {statistics.median(xlsx) * 1000:.0f} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
