"""`sendcase gias-import` on a 50,000-row Get Information about Schools file (target under 30 s).

Run: scripts/with-postgres.sh .venv/bin/python bench/bench_gias.py [--plans 20000] [--rows 50000]

The file has DfE's columns and cp1252 encoding (sendcase.finance.testing). It lists every
setting in the demo council's register under a new name (so each is updated through the
register's action, placements retyped and audited), and fills the rest with establishments
across England, about 4% of them special settings that the import adds. Timed: the dry run,
the import, and a second import of the same file (which changes nothing). Everything the
bench writes is rolled back at the end, so the benches after it see the council as built.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchlib import ensure_council, setup_django

setup_django()

from django.db import transaction  # noqa: E402

from sendcase.core.actors import SystemActor  # noqa: E402
from sendcase.finance.gias import import_gias  # noqa: E402
from sendcase.finance.testing import Row, write_gias_file  # noqa: E402
from sendcase.placements.models import Setting  # noqa: E402

TYPES = [
    ("Community school", 40),
    ("Academy converter", 35),
    ("Other independent school", 6),
    ("Voluntary aided school", 10),
    ("Community special school", 2),
    ("Other independent special school", 2),
    ("Further education", 1),
    ("Pupil referral unit", 1),
    ("Higher education institutions", 1),
    ("Special post 16 institution", 1),
    ("Non-maintained special school", 1),
]


class Rollback(Exception):
    pass


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ensure_council(args.plans)
    rng = random.Random(16)
    register = list(Setting.objects.exclude(urn="").values_list("urn", "kind"))
    rows = [
        Row(urn, f"Renamed {urn} – St Mary’s", "Community special school", phase="Not applicable")
        for urn, _kind in register
    ]
    names, weights = zip(*TYPES, strict=True)
    urn = 500000
    while len(rows) < args.rows:
        urn += 1
        status = "Closed" if rng.random() < 0.25 else "Open"
        rows.append(
            Row(
                str(urn),
                f"Establishment {urn} C of E School",
                rng.choices(names, weights)[0],
                la_code=str(rng.randint(201, 938)),
                status=status,
                closed="31-08-2019" if status == "Closed" else "",
                opened="01-09-1990",
            )
        )
    path = write_gias_file(Path(tempfile.mkdtemp()) / "edubasealldata.csv", rows)
    print(f"Register: {len(register):,} settings; file: {len(rows):,} rows")
    actor = SystemActor("bench")

    def timed(dry_run: bool) -> tuple[float, str]:
        started = time.perf_counter()
        outcome = import_gias(path, actor=actor, dry_run=dry_run)
        elapsed = time.perf_counter() - started
        return elapsed, (
            f"{len(outcome.completed) + len(outcome.updated):,} updated, "
            f"{len(outcome.added):,} added"
        )

    dry = [timed(True) for _ in range(args.runs)]
    print(f"Dry run: median {statistics.median(t for t, _ in dry):.1f} s ({dry[0][1]})")
    try:
        with transaction.atomic():
            first, what = timed(False)
            print(f"Import: {first:.1f} s ({what})")
            again = [timed(False) for _ in range(args.runs)]
            print(
                f"Second import of the same file: median "
                f"{statistics.median(t for t, _ in again):.1f} s ({again[0][1]})"
            )
            raise Rollback
    except Rollback:
        pass
    ok = first < 30
    print(f"Target: import under 30 s: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
