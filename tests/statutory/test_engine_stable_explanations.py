"""A stored explanation changes only when its deadline's status does.

The daily refresh rewrites a case only when its deadlines changed; if the words counted
days from today, every open deadline of the council would be rewritten every night.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sendcase.statutory import compute_deadlines, parse_events

HISTORY = [
    {"type": "request_received", "date": "2025-01-06"},
    {"type": "decision_to_assess", "date": "2025-02-10", "outcome": "assess"},
    {
        "type": "advice_requested",
        "date": "2025-02-11",
        "advice_id": "ep",
        "kind": "educational_psychology",
    },
    {
        "type": "exception",
        "date": "2025-03-01",
        "reason": "absence_from_area",
        "start": "2025-03-01",
        "end": "2025-04-10",
    },
    {"type": "draft_issued", "date": "2025-05-01"},
    {"type": "final_issued", "date": "2025-05-20"},
    {"type": "review_meeting", "date": "2026-05-01"},
    {"type": "amendment_notice", "date": "2026-05-20"},
]


@pytest.mark.parametrize(
    "start", [date(2025, 3, 1), date(2025, 5, 10), date(2026, 5, 2), date(2026, 5, 25)]
)
def test_explanations_do_not_count_days_from_today(start: date) -> None:
    events = parse_events(HISTORY)
    for offset in range(0, 60):
        today = start + timedelta(days=offset)
        a = {(d.key, d.instance): d for d in compute_deadlines(events, today)}
        b = {(d.key, d.instance): d for d in compute_deadlines(events, today + timedelta(days=1))}
        assert a.keys() == b.keys()
        for k, d in a.items():
            if d.status == b[k].status:
                assert d.explanation == b[k].explanation, (today, k)
