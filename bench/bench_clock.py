"""Histories per second for the statutory clock, on one core.

Run: .venv/bin/python bench/bench_clock.py [--histories N]

Builds typical case histories (request -> decision -> 4 advice -> draft -> final ->
three annual reviews with decisions) with varied dates, then times compute_deadlines
over them (every explanation included). Target: at least 20,000 histories per second.

"On one core" is the CPU time this process spends (time.process_time), the best of three
passes: on a machine shared with other work, the wall clock also counts the time other
processes held the core. The wall-clock rate is printed beside it, and which engine ran
("compiled", the mypyc build `make setup` makes, or "python"; SENDCASE_PURE_CLOCK=1 forces
engine.py: see docs/clock.md).
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta

from sendcase.statutory import ENGINE_BUILD, Event, compute_deadlines, default_calendar

KINDS = ("educational_psychology", "health", "social_care", "education")


def history(rng: random.Random) -> list[Event]:
    start = date(2018, 1, 1) + timedelta(days=rng.randrange(0, 365 * 6))

    def later(d: date, lo: int, hi: int) -> date:
        return d + timedelta(days=rng.randint(lo, hi))

    ev = [Event("request_received", start)]
    dta = later(start, 20, 50)
    ev.append(Event("decision_to_assess", dta, {"outcome": "assess"}))
    last = dta
    for n, kind in enumerate(KINDS):
        asked = later(dta, 0, 5)
        got = later(asked, 20, 55)
        last = max(last, got)
        ev.append(Event("advice_requested", asked, {"advice_id": f"a{n}", "kind": kind}))
        ev.append(Event("advice_received", got, {"advice_id": f"a{n}"}))
    draft = later(last, 3, 20)
    final = later(draft, 15, 30)
    ev += [Event("draft_issued", draft), Event("final_issued", final)]
    meeting = final
    for _ in range(3):
        meeting = later(meeting, 330, 380)
        ev.append(Event("review_meeting", meeting))
        outcome = rng.choice(("maintain", "maintain", "amend"))
        ev.append(Event("review_decision", later(meeting, 10, 35), {"outcome": outcome}))
    rng.shuffle(ev)
    return ev


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--histories", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    rng = random.Random(args.seed)  # noqa: S311 - test data, not security
    histories = [history(rng) for _ in range(args.histories)]
    today = date(2026, 6, 1)
    calendar = default_calendar()
    compute_deadlines(histories[0], today, calendar)  # load the bank holidays once
    rows = 0
    best = wall = float("inf")
    for _ in range(3):
        w0, t0 = time.perf_counter(), time.process_time()
        for h in histories:
            rows += len(compute_deadlines(h, today, calendar))
        best = min(best, time.process_time() - t0)
        wall = min(wall, time.perf_counter() - w0)
    rate = args.histories / best
    print(
        f"{args.histories} histories, {rows // 3 / args.histories:.1f} deadlines each: "
        f"{rate:,.0f} histories/s on one core ({best * 1e6 / args.histories:.1f} us each; "
        f"wall clock {args.histories / wall:,.0f}/s); "
        f"target >= 20,000/s: {'OK' if rate >= 20_000 else 'BELOW TARGET'}; "
        f"engine: {ENGINE_BUILD}"
    )


if __name__ == "__main__":
    main()
