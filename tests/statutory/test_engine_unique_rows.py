"""Each (key, instance) appears once per case, even when two triggers share a date."""

from __future__ import annotations

from datetime import date

from sendcase.statutory import compute_deadlines, parse_events


def test_review_meeting_on_the_day_the_plan_was_issued() -> None:
    events = parse_events(
        [
            {"type": "request_received", "date": "2024-01-08"},
            {"type": "decision_to_assess", "date": "2024-02-12", "outcome": "assess"},
            {"type": "draft_issued", "date": "2024-04-01"},
            {"type": "final_issued", "date": "2024-05-20"},
            {"type": "review_meeting", "date": "2024-05-20"},
        ]
    )
    rows = compute_deadlines(events, date(2024, 6, 1))
    assert len({(d.key, d.instance) for d in rows}) == len(rows)
    annual = [d for d in rows if d.key == "annual_review_meeting"]
    assert [(d.trigger, d.due, d.status) for d in annual] == [
        (date(2024, 5, 20), date(2025, 5, 20), "open")
    ]
