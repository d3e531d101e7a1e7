"""Measuring a generated council's yearly figures the way DfE's release defines them.

Used by the tests (generated figures against the published ones) and by `sendcase demo`
to print a short summary. Works on the generator's in-memory histories, so a large
council can be measured without a database.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sendcase.demo.generator import CaseHistory


def census_date(year: int) -> dt.date:
    """SEN2's reference date: the third Thursday of January."""
    first = dt.date(year, 1, 1)
    return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 14)


def _share(counter: Counter[str] | Counter[int]) -> dict:  # type: ignore[type-arg]
    total = sum(counter.values())
    return {k: v / total for k, v in counter.items()} if total else {}


@dataclass
class Figures:
    """Yearly figures of a generated council, with the number of cases behind each."""

    within_20_weeks: dict[int, float] = field(default_factory=dict)
    within_20_weeks_ex: dict[int, float] = field(default_factory=dict)
    plans_issued: dict[int, int] = field(default_factory=dict)
    not_assess_share: dict[int, float] = field(default_factory=dict)
    requests: dict[int, int] = field(default_factory=dict)
    decisions_6_weeks: dict[int, float] = field(default_factory=dict)
    need_mix_new: dict[int, dict[str, float]] = field(default_factory=dict)
    need_mix_all: dict[int, dict[str, float]] = field(default_factory=dict)
    setting_mix: dict[int, dict[str, float]] = field(default_factory=dict)
    caseload: dict[int, int] = field(default_factory=dict)
    review_4_weeks: dict[int, float] = field(default_factory=dict)
    reviews: dict[int, int] = field(default_factory=dict)
    cease_mix: dict[int, dict[int, float]] = field(default_factory=dict)
    ceased: dict[int, int] = field(default_factory=dict)


def measure(histories: Iterable[CaseHistory], census_years: Iterable[int]) -> Figures:
    censuses = {y: census_date(y) for y in census_years}
    issued: dict[int, list[tuple[bool, bool]]] = defaultdict(list)  # (in 20 weeks, exception)
    received: Counter[int] = Counter()
    refused: Counter[int] = Counter()
    in_6: Counter[int] = Counter()
    need_new: dict[int, Counter[str]] = defaultdict(Counter)
    need_all: dict[int, Counter[str]] = defaultdict(Counter)
    settings: dict[int, Counter[str]] = defaultdict(Counter)
    reviews: dict[int, list[bool]] = defaultdict(list)
    ceased: dict[int, Counter[int]] = defaultdict(Counter)
    for h in histories:
        s = h.skeleton
        request_on: dt.date | None = None
        exception = False
        final_on: dt.date | None = None
        meeting: dt.date | None = None
        start: dt.date | None = None
        cease: dt.date | None = None
        for name, _when, kw in h.steps:
            if name == "open_case_from_request":
                request_on = kw["received_on"]
                received[request_on.year] += 1
            elif name == "record_decision_to_assess" and request_on is not None:
                if kw["outcome"] == "not_assess":
                    refused[request_on.year] += 1
                if (kw["decided_on"] - request_on).days <= 42:
                    in_6[request_on.year] += 1
            elif name == "record_exception":
                exception = True
            elif name == "record_final_plan" and request_on is not None:
                final_on = kw["issued_on"]
                issued[final_on.year].append(((final_on - request_on).days <= 140, exception))
                need_new[final_on.year][s.needs[0]] += 1
                start = final_on
            elif name == "record_transfer_in":
                start = kw["transferred_on"]
            elif name == "record_review_meeting":
                meeting = kw["meeting_on"]
            elif name == "record_review_decision" and meeting is not None:
                reviews[meeting.year].append((kw["decided_on"] - meeting).days <= 28)
            elif name == "cease_plan":
                cease = kw["cease_date"]
                ceased[cease.year][kw["reason"]] += 1
        if start is None and s.origin == "legacy" and s.final is not None:
            start = s.final
        if start is None:
            continue
        for year, day in censuses.items():
            if start <= day and (cease is None or cease > day):
                need_all[year][s.needs[0]] += 1
                current = [
                    p
                    for p in h.placements
                    if p.entry <= day and (p.leaving is None or p.leaving >= day)
                ]
                if current:
                    settings[year][current[-1].setting_type] += 1
    f = Figures()
    for year, rows in issued.items():
        f.plans_issued[year] = len(rows)
        f.within_20_weeks[year] = sum(1 for ok, _ in rows if ok) / len(rows)
        no_exc = [ok for ok, exc in rows if not exc]
        if no_exc:
            f.within_20_weeks_ex[year] = sum(no_exc) / len(no_exc)
    for year, n in received.items():
        f.requests[year] = n
        f.not_assess_share[year] = refused[year] / n
        f.decisions_6_weeks[year] = in_6[year] / n
    f.need_mix_new = {y: _share(c) for y, c in need_new.items()}
    f.need_mix_all = {y: _share(c) for y, c in need_all.items()}
    f.caseload = {y: sum(c.values()) for y, c in need_all.items()}
    f.setting_mix = {y: _share(c) for y, c in settings.items()}
    for year, decided in reviews.items():
        f.reviews[year] = len(decided)
        f.review_4_weeks[year] = sum(decided) / len(decided)
    f.cease_mix = {y: _share(c) for y, c in ceased.items()}
    f.ceased = {y: sum(c.values()) for y, c in ceased.items()}
    return f
