"""The finance view on a 20,000-plan council (target under 1 s).

Run: scripts/with-postgres.sh .venv/bin/python bench/bench_finance.py [--plans 20000] [--requests 5]

Builds the demo council if it is missing (its money comes with it: finance/demo.py; a council
built before that gets its money here, timed). Pages are requested through Django's test
Client in this process against the real database, signed in as the demo's finance officer.
"""

from __future__ import annotations

import argparse
import sys
import time

from benchlib import ensure_council, plain_static, setup_django, signed_in, timed_get

setup_django()

from django.utils import timezone  # noqa: E402

from sendcase.accounts.models import Role, User  # noqa: E402
from sendcase.finance.demo import seed_money  # noqa: E402
from sendcase.finance.models import CostLine  # noqa: E402
from sendcase.finance.summary import committed  # noqa: E402

TARGET_MS = 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args()
    ensure_council(args.plans)
    if not CostLine.objects.exists():
        started = time.perf_counter()
        seeded = seed_money(today=timezone.localdate())
        print(f"Money seeded: {seeded.lines:,} cost lines in {time.perf_counter() - started:.0f} s")
    result = committed(timezone.localdate())
    print(
        f"Council: {len(result.plans):,} plans maintained, {CostLine.objects.count():,} cost "
        f"lines, committed £{result.total:,.0f} a year; independent share "
        f"{(result.independent_share or 0) * 100:.1f}%"
    )
    finance = User.objects.filter(role=Role.FINANCE_OFFICER).first()
    if finance is None:
        raise SystemExit("The demo council has no finance officer login")
    client = signed_in(finance)
    ok = True
    with plain_static():
        for label, url in (
            ("Finance view", "/finance/"),
            ("Drill-down: independent special schools, page 1",
             "/finance/placements/?by=setting_type&value=Independent+or+non-maintained+special+school"),
        ):  # fmt: skip
            median, p90, queries, page = timed_get(client, url, args.requests)
            met = median < TARGET_MS
            ok &= met
            print(
                f"{label}: median {median:.0f} ms, 90th percentile {p90:.0f} ms, {queries} queries"
                f" - target under {TARGET_MS} ms {'met' if met else 'MISSED'}"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
