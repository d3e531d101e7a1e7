"""The clock's output over a large corpus of histories, to prove a change keeps behaviour.

Three steps, so the corpus is built once and two versions of the clock read the same input:

    .venv/bin/python bench/clock_corpus.py write corpus.jsonl          # the inputs
    PYTHONPATH=OLD/src .venv/bin/python bench/clock_corpus.py run corpus.jsonl before.jsonl
    .venv/bin/python bench/clock_corpus.py run corpus.jsonl after.jsonl
    .venv/bin/python bench/clock_corpus.py compare before.jsonl after.jsonl

`fingerprint` prints the digest of the clock's output on a fixed 5,000 histories, which
tests/statutory/test_clock_corpus.py pins (no database or demo needed).

Each corpus line is one `sendcase clock` input document ({"today", "events", "config"?});
each output line is what `sendcase clock` prints for it (its deadlines), or the message of
the refusal. The corpus mixes:
  * every case of a generated demo council (the demo generator's events), on several days;
  * the benchmark's typical histories;
  * random histories over every event type (including contradictions, which the clock
    refuses), with random local-target settings, warning windows and closure days.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

Doc = dict[str, Any]

KINDS = ("educational_psychology", "health", "social_care", "education", "other")
REASONS = (
    "institution_closure",
    "exceptional_personal_circumstances",
    "absence_from_area",
    "missed_appointment",
)
ORDER_KINDS = ("assess", "make_plan", "amend", "setting", "continue")
ORDER_STAGES = {
    "assess": ("notify", "decision_not_to_issue", "final_plan"),
    "make_plan": ("draft", "final"),
}
APPLIES_TO = ("final_plan", "decision_to_assess", "advice_due", "review_decision", "a0")
LOCAL = ("setting_consultation", "early_years_review", "complaint_stage_1", "complaint_stage_2")


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def demo_docs(plans: int, seed: int) -> Iterator[Doc]:
    """Every case of a demo council, as the demo writes its events, on three days."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sendcase.settings_test")
    django.setup()  # the generator reads the settings register's model choices
    from sendcase.demo import calibration
    from sendcase.demo.generator import Council, clock_events

    today = dt.date(2026, 3, 2)
    council = Council(calibration.load(), plans=plans, seed=seed, today=today)
    days = (today, dt.date(2024, 9, 30), dt.date(2030, 1, 15))
    for n, history in enumerate(council.histories()):
        events: list[Doc] = [
            {"type": e["type"], "date": _iso(e["date"]), **e["data"]}
            for e in clock_events(history.steps)
        ]
        dob = council.children[history.skeleton.child].dob
        yield {"today": _iso(days[n % 3]), "birth_date": _iso(dob), "events": events}


def bench_docs(n: int, seed: int) -> Iterator[Doc]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_clock import history

    rng = random.Random(seed)  # noqa: S311 - test data
    for _ in range(n):
        yield {
            "today": "2026-06-01",
            "events": [{"type": e.type, "date": _iso(e.date), **e.data} for e in history(rng)],
        }


def random_doc(rng: random.Random) -> Doc:  # noqa: C901, PLR0912, PLR0915 - one long recipe
    """A random history over every event type, roughly in the order of the process."""
    start = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 14))
    ev: list[Doc] = []

    def add(type_: str, when: dt.date, **data: Any) -> None:
        ev.append({"type": type_, "date": _iso(when), **{k: _jsonable(v) for k, v in data.items()}})

    def at(lo: int, hi: int, base: dt.date | None = None) -> dt.date:
        return (base or start) + dt.timedelta(days=rng.randint(lo, hi))

    p = rng.random
    if p() < 0.6:
        add("child_born", start - dt.timedelta(days=rng.randint(200, 9000)))
    if p() < 0.85:
        add("request_received", start)
        t = start
        if p() < 0.8:
            t = at(0, 90)
            outcome = "assess" if p() < 0.8 else "not_assess"
            add("decision_to_assess", t, outcome=outcome)
            for n in range(rng.randint(0, 5)):
                asked = at(0, 3, t)  # often the same day as another request
                add("advice_requested", asked, advice_id=f"a{n}", kind=rng.choice(KINDS))
                if p() < 0.03:  # the same id asked twice that day (refused)
                    add("advice_requested", asked, advice_id=f"a{n}", kind=rng.choice(KINDS))
                if p() < 0.8:
                    got = at(0, 80, asked)
                    add("advice_received", got, advice_id=f"a{n}")
                    if p() < 0.03:  # received twice that day (refused)
                        add("advice_received", got, advice_id=f"a{n}", note="again")
            if p() < 0.2:
                add("decision_not_to_issue", at(20, 120, t))
            elif p() < 0.85:
                draft = at(10, 120, t)
                add("draft_issued", draft)
                if p() < 0.4:
                    consulted = at(0, 10, draft)
                    add("setting_consulted", consulted, consultation_id="c1")
                    if p() < 0.7:
                        add("setting_responded", at(0, 30, consulted), consultation_id="c1")
                final = at(0, 60, draft)
                add("final_issued", final)
                meeting = final
                for _ in range(rng.randint(0, 5)):
                    meeting = at(200, 420, meeting)
                    if p() < 0.7:
                        add("review_invitations_sent", at(-40, 0, meeting))
                    if p() < 0.5:
                        add("review_advice_circulated", at(-30, 0, meeting))
                    add("review_meeting", meeting, preparing_for_adulthood=p() < 0.5)
                    if p() < 0.7:
                        add("review_report", at(0, 30, meeting))
                    if p() < 0.8:
                        outcome = rng.choice(("maintain", "maintain", "amend", "cease"))
                        decided = at(0, 45, meeting)
                        add("review_decision", decided, outcome=outcome)
                        if outcome == "amend":
                            add("amendment_notice", decided)
                            if p() < 0.8:
                                add("final_amended_plan", at(0, 100, decided))
                        if outcome == "cease":
                            break
                if p() < 0.2:
                    add("reassessment_notice", at(0, 200, meeting))
                if p() < 0.3:
                    move = dt.date(meeting.year + 1, 9, 1)
                    add(
                        "phase_transfer", move, kind=rng.choice(("school", "post16", "post16_move"))
                    )
                    if p() < 0.7:
                        add("phase_transfer_named", move - dt.timedelta(days=rng.randint(30, 300)))
                if p() < 0.15:
                    considered = at(0, 200, meeting)
                    add("cease_considered", considered)
                    if p() < 0.7:
                        add("cease_decision", at(0, 60, considered))
    else:
        last = start - dt.timedelta(days=rng.randint(0, 500))
        add("transfer_in", start, last_review=last)
        if p() < 0.8:
            add("transfer_in_notice", at(0, 70))
        if p() < 0.7:
            add("review_meeting", at(30, 400))
    if p() < 0.15:
        learned = at(0, 400)
        add("transfer_out_learned", learned, move_date=at(-5, 60, learned))
        if p() < 0.6:
            add("plan_transferred_out", at(0, 40, learned))
    for _ in range(rng.randint(0, 3)):
        begin = at(-20, 200)
        data: dict[str, Any] = {"reason": rng.choice(REASONS), "start": begin}
        if p() < 0.6:
            data["end"] = at(0, 70, begin)
        if p() < 0.5:
            data["applies_to"] = rng.choice(APPLIES_TO)
        add("exception", at(-5, 5, begin), **data)
    if p() < 0.4:
        notice = at(0, 300)
        add("decision_notice", notice)
        choice = rng.random()
        if choice < 0.3:
            add("mediation_declined", at(0, 10, notice))
            if p() < 0.7:
                add("mediation_certificate", at(0, 15, notice))
        elif choice < 0.6:
            asked = at(0, 20, notice)
            add("mediation_requested", asked)
            if p() < 0.7:
                held = at(0, 50, asked)
                add("mediation_held", held)
                if p() < 0.7:
                    add("mediation_certificate", at(0, 10, held))
        if p() < 0.5:
            add("appeal_lodged", at(0, 100, notice))
    if p() < 0.25:
        kind = rng.choice(ORDER_KINDS)
        conceded = kind in ("assess", "amend") and p() < 0.3
        order = at(0, 400)
        add("unopposed_appeal" if conceded else "tribunal_order", order, kind=kind)
        stages = ORDER_STAGES.get(kind, ())
        for stage in stages or (None,):
            if p() < 0.6:
                extra = {"stage": stage} if stage else {}
                add(
                    "unopposed_appeal_complied" if conceded else "tribunal_order_complied",
                    at(0, 120, order),
                    kind=kind,
                    **extra,
                )
    if p() < 0.2:
        got = at(0, 400)
        add("sar_received", got, request_id="s1")
        if p() < 0.4:
            add("sar_extended", at(0, 45, got), request_id="s1")
        if p() < 0.7:
            add("sar_responded", at(0, 100, got), request_id="s1")
    if p() < 0.2:
        got = at(0, 400)
        add("foi_received", got)
        if p() < 0.7:
            add("foi_responded", at(0, 40, got))
    if p() < 0.2:
        got = at(0, 400)
        add("complaint_received", got, complaint_id="k1")
        if p() < 0.5:
            add("complaint_responded", at(0, 30, got), complaint_id="k1", stage=1)
            if p() < 0.5:
                up = at(0, 30, got)
                add("complaint_escalated", up, complaint_id="k1")
                if p() < 0.6:
                    add("complaint_responded", at(0, 40, up), complaint_id="k1", stage=2)
    rng.shuffle(ev)
    doc: Doc = {"today": _iso(at(-100, 2500)), "events": ev}
    if p() < 0.3:
        targets: dict[str, Any] = {}
        for key in LOCAL:
            if p() < 0.4:
                targets[key] = (
                    {"enabled": False} if p() < 0.3 else {"length_days": rng.randint(1, 200)}
                )
        config: dict[str, Any] = {"warning_days": rng.randint(0, 40), "local_targets": targets}
        if p() < 0.3:
            config["extra_holidays"] = [_iso(at(0, 400)) for _ in range(rng.randint(1, 6))]
        doc["config"] = config
    return doc


def write(path: Path, plans: int, typical: int, randoms: int, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - test data
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for doc in demo_docs(plans, seed):
            out.write(json.dumps(doc) + "\n")
            n += 1
        for doc in bench_docs(typical, seed):
            out.write(json.dumps(doc) + "\n")
            n += 1
        for _ in range(randoms):
            out.write(json.dumps(random_doc(rng)) + "\n")
            n += 1
    print(f"{n} histories written to {path}")


def run(corpus: Path, path: Path) -> None:
    from sendcase.statutory import ENGINE_BUILD
    from sendcase.statutory.cli import run as clock
    from sendcase.statutory.events import ClockInputError

    n = refused = 0
    with corpus.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as out:
        for line in src:
            try:
                result: Any = clock(json.loads(line))
            except ClockInputError as exc:
                result = {"refused": str(exc)}
                refused += 1
            out.write(json.dumps(result, sort_keys=True) + "\n")
            n += 1
    print(f"{n} histories ({refused} refused) computed into {path} ({ENGINE_BUILD} engine)")


def compare(before: Path, after: Path) -> int:
    histories = deadlines = refused = differences = 0
    with before.open(encoding="utf-8") as a, after.open(encoding="utf-8") as b:
        for n, (x, y) in enumerate(zip(a, b, strict=True), 1):
            histories += 1
            old, new = json.loads(x), json.loads(y)
            deadlines += len(old.get("deadlines", ()))
            refused += "refused" in old
            if old != new:
                differences += 1
                if differences <= 5:
                    print(
                        f"line {n} differs:\n  before {x.strip()[:600]}\n  after  {y.strip()[:600]}"
                    )
    print(
        f"{histories} histories ({refused} refused by both), {deadlines} deadlines compared: "
        f"{differences} differences"
    )
    return 1 if differences else 0


def digest(docs: Iterator[Doc]) -> tuple[int, str]:
    """The number of documents and a SHA-256 of the clock's whole output for them (each
    document's line as `run` writes it): a fingerprint of the clock's behaviour."""
    import hashlib

    from sendcase.statutory.cli import run as clock
    from sendcase.statutory.events import ClockInputError

    sha = hashlib.sha256()
    n = 0
    for doc in docs:
        try:
            result: Any = clock(doc)
        except ClockInputError as exc:
            result = {"refused": str(exc)}
        sha.update((json.dumps(result, sort_keys=True) + "\n").encode())
        n += 1
    return n, sha.hexdigest()


def fingerprint_docs(typical: int = 1000, randoms: int = 4000, seed: int = 2026) -> Iterator[Doc]:
    """The fixed documents tests/statutory/test_clock_corpus.py pins (no Django needed)."""
    yield from bench_docs(typical, seed)
    rng = random.Random(seed)  # noqa: S311 - test data
    for _ in range(randoms):
        yield random_doc(rng)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write", help="build the corpus of clock inputs")
    w.add_argument("corpus", type=Path)
    w.add_argument("--plans", type=int, default=6000, help="plans in the demo council")
    w.add_argument("--typical", type=int, default=10000, help="benchmark histories")
    w.add_argument("--random", type=int, default=30000, help="random histories")
    w.add_argument("--seed", type=int, default=2026)
    r = sub.add_parser("run", help="compute the clock over a corpus")
    r.add_argument("corpus", type=Path)
    r.add_argument("out", type=Path)
    sub.add_parser("fingerprint", help="the digest tests/statutory/test_clock_corpus.py pins")
    c = sub.add_parser("compare", help="compare two outputs line by line")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "write":
        write(args.corpus, args.plans, args.typical, args.random, args.seed)
        return 0
    if args.command == "run":
        run(args.corpus, args.out)
        return 0
    if args.command == "fingerprint":
        from sendcase.statutory import ENGINE_BUILD

        n, sha = digest(fingerprint_docs())
        print(f"{n} histories: {sha} ({ENGINE_BUILD} engine)")
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    raise SystemExit(main())
