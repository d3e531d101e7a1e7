"""Find a child: the search page's server time on a large council (target: median under 200 ms).

Run: scripts/with-postgres.sh .venv/bin/python bench/bench_search.py [--plans 20000] [--requests 20]
(`make bench` runs it on a throwaway PostgreSQL after bench_demo.py has built the council.)

If the database holds fewer plans than --plans asks for, it builds the council first with
`sendcase demo --plans N`. Searches go through Django's test Client in this process against the
real database, so the time is the whole server side: access rules, the trigram match on
PostgreSQL, the template and the audit writes (one per search, one per child shown). Each kind of
query is timed for a case officer (their team's cases, and "known to the council" for the rest)
and for the head of service (every case). Prints median and 90th percentile per query.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from urllib.parse import urlencode

from benchlib import ensure_council, plain_static, setup_django, signed_in, timed_get

setup_django()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from sendcase.accounts.models import Role, User  # noqa: E402
from sendcase.casework.models import OPEN_STAGES, Case, Child, Stage  # noqa: E402

TARGET_MS = 200


def _typo(name: str) -> str:
    """The name with two letters in the middle swapped ("Featherstone": "Feahterstone")."""
    if len(name) < 5:
        return name
    i = len(name) // 2
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def timed(client: Client, params: dict[str, str], n: int) -> tuple[float, float, int, int]:
    median, p90, queries, page = timed_get(client, f"/cases/search/?{urlencode(params)}", n)
    return median, p90, queries, page.count("data-child=")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()

    ensure_council(args.plans)
    print(
        f"Council: {Child.objects.count():,} children, {Case.objects.count():,} cases, "
        f"{Case.objects.filter(stage=Stage.PLAN).count():,} plans maintained ({connection.vendor})"
    )
    officer = (
        User.objects.filter(role=Role.CASE_OFFICER, cases__stage__in=OPEN_STAGES)
        .annotate(n=Count("cases"))
        .order_by("-n")
        .first()
    )
    head = User.objects.filter(role=Role.HEAD_OF_SERVICE).first()
    if officer is None or head is None:
        raise SystemExit("The council has no case officer with cases, or no head of service")
    rng = random.Random(1)
    ours = list(Case.objects.filter(team=officer.team).select_related("child")[:500])
    theirs = list(Case.objects.exclude(team=officer.team).select_related("child")[:500])
    mine, other = rng.choice(ours), rng.choice(theirs)
    with_upn = Child.objects.exclude(upn="").filter(cases__team=officer.team).first()
    queries = [
        ("surname", {"q": mine.child.surname}),
        ("forename and surname", {"q": mine.child.full_name}),
        ("part of a surname", {"q": mine.child.surname[:4]}),
        ("misspelt surname", {"q": _typo(mine.child.surname)}),
        ("date of birth, typed", {"q": f"{mine.child.date_of_birth:%d/%m/%Y}"}),
        ("case reference", {"q": mine.reference}),
        ("another team's child by name", {"q": other.child.full_name}),
    ]
    if with_upn is not None:
        queries.append(("UPN", {"q": with_upn.upn}))
    if mine.child.nhs_number:
        queries.append(("NHS number", {"q": mine.child.nhs_number}))
    if other.child.nhs_number:
        queries.append(("another team's child by NHS number", {"q": other.child.nhs_number}))

    rows = []
    with plain_static():
        for who, user in (("officer", officer), ("head", head)):
            client = signed_in(user)
            for name, params in queries:
                rows.append((f"{who}: {name}", *timed(client, params, args.requests)))

    print(f"\n{'Search':<44} {'median':>8} {'p90':>8} {'queries':>8} {'children':>9}")
    worst = 0.0
    for name, median, p90, n_queries, shown in rows:
        worst = max(worst, median)
        print(f"{name:<44} {median:7.1f}ms {p90:7.1f}ms {n_queries:8d} {shown:9d}")
    print(
        f"\nTarget: median under {TARGET_MS} ms for every search. Worst median: {worst:.1f} ms "
        f"({'met' if worst < TARGET_MS else 'NOT met'}). {os.cpu_count()} cores."
    )
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
