"""parse_events refuses bad and contradictory input, naming the event."""

from __future__ import annotations

from typing import Any

import pytest

from sendcase.statutory import ClockInputError, Event, parse_events
from sendcase.statutory.events import EventFieldError

from .helpers import D

REQ = {"type": "request_received", "date": "2025-01-06"}


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([REQ, {"type": "lunch", "date": "2025-01-07"}], "Event 2 (lunch): unknown event type"),
        ([REQ, {"type": "draft_issued"}], "Event 2 (draft_issued): has no date"),
        ([REQ, {"date": "2025-01-07"}], "Event 2: has no type"),
        ([REQ, "final_issued"], "Event 2: is not an object"),
        (
            [
                REQ,
                {"type": "draft_issued", "date": "2025-03-01"},
                {"type": "final_issued", "date": "2025-02-30"},
            ],
            "Event 3 (final_issued): date 2025-02-30 is not a real date. Use YYYY-MM-DD.",
        ),
        (
            [REQ, {"type": "final_issued", "date": "30/05/2025"}],
            "Event 2 (final_issued): date '30/05/2025' is not a date",
        ),
        (
            [REQ, {"type": "decision_to_assess", "date": "2025-02-01", "outcome": "maybe"}],
            "Event 2 (decision_to_assess): outcome 'maybe' is not allowed",
        ),
        ([REQ, {"type": "decision_to_assess", "date": "2025-02-01"}], "needs a outcome"),
        (
            [
                REQ,
                {
                    "type": "advice_requested",
                    "date": "2025-02-01",
                    "advice_id": "a",
                    "kind": "astrology",
                },
            ],
            "kind 'astrology' is not allowed",
        ),
        (
            [REQ, {"type": "review_decision", "date": "2025-02-01", "outcome": "shred"}],
            "outcome 'shred' is not allowed",
        ),
        (
            [REQ, {"type": "tribunal_order_complied", "date": "2025-02-01", "kind": "assess"}],
            "needs a stage",
        ),
        (
            [REQ, {"type": "phase_transfer", "date": "2026-09-01", "kind": "university"}],
            "kind 'university'",
        ),
        ([REQ, {"type": "transfer_out_learned", "date": "2025-02-01"}], "needs a move_date"),
        # contradictions
        (
            [{"type": "final_issued", "date": "2025-01-01"}, REQ],
            "Event 1 (final_issued): 2025-01-01 is before the request received on 2025-01-06.",
        ),
        (
            [REQ, {"type": "request_received", "date": "2025-03-01"}],
            "Event 2 (request_received): a case has one request",
        ),
        (
            [REQ, {"type": "transfer_in", "date": "2025-03-01", "last_review": "2024-05-01"}],
            "Event 2 (transfer_in): a case has one request or one transfer in",
        ),
        (
            [
                REQ,
                {"type": "decision_to_assess", "date": "2025-02-01", "outcome": "assess"},
                {"type": "decision_to_assess", "date": "2025-02-03", "outcome": "not_assess"},
            ],
            "Event 3 (decision_to_assess): a decision to assess with outcome assess is already recorded",
        ),
        (
            [{"type": "decision_to_assess", "date": "2025-02-01", "outcome": "assess"}],
            "there is no request_received before it",
        ),
        (
            [REQ, {"type": "advice_received", "date": "2025-02-01", "advice_id": "ep9"}],
            "Event 2 (advice_received): advice_id 'ep9' was not requested",
        ),
        (
            [
                REQ,
                {
                    "type": "advice_requested",
                    "date": "2025-02-01",
                    "advice_id": "a",
                    "kind": "health",
                },
                {
                    "type": "advice_requested",
                    "date": "2025-02-02",
                    "advice_id": "a",
                    "kind": "health",
                },
            ],
            "Event 3 (advice_requested): advice_id 'a' is already requested",
        ),
        (
            [
                REQ,
                {"type": "draft_issued", "date": "2025-05-01"},
                {"type": "final_issued", "date": "2025-04-01"},
            ],
            "Event 3 (final_issued): the final plan (2025-04-01) is before the first draft",
        ),
        (
            [{"type": "review_decision", "date": "2025-02-01", "outcome": "maintain"}],
            "Event 1 (review_decision): there is no review_meeting before it",
        ),
        (
            [
                {"type": "final_issued", "date": "2025-02-01"},
                {"type": "review_meeting", "date": "2025-01-01"},
            ],
            "Event 2 (review_meeting): it is before the plan was first issued",
        ),
        (
            [{"type": "sar_responded", "date": "2025-02-01"}],
            "Event 1 (sar_responded): there is no open sar_received",
        ),
        (
            [{"type": "tribunal_order_complied", "date": "2025-02-01", "kind": "amend"}],
            "there is no open tribunal_order of kind amend",
        ),
        ([{"type": "phase_transfer_named", "date": "2025-02-01"}], "there is no phase_transfer"),
        (
            [
                {"type": "child_born", "date": "2015-02-01"},
                {"type": "child_born", "date": "2015-02-02"},
            ],
            "a different date of birth",
        ),
        (
            [
                {"type": "review_meeting", "date": "2025-02-01"},
                {"type": "review_meeting", "date": "2025-02-01"},
            ],
            "the same event is already recorded on 2025-02-01",
        ),
        ("not a list", "events must be a list"),
    ],
)
def test_refused(events: Any, message: str) -> None:
    with pytest.raises(ClockInputError) as info:
        parse_events(events)
    assert message in str(info.value)


def test_same_outcome_twice_is_not_a_contradiction() -> None:
    events = parse_events(
        [
            REQ,
            {"type": "decision_to_assess", "date": "2025-02-01", "outcome": "assess"},
            {"type": "decision_to_assess", "date": "2025-02-03", "outcome": "assess"},
        ]
    )
    assert len(events) == 3


def test_parse_keeps_fields_and_order() -> None:
    events = parse_events(
        [
            REQ,
            {
                "type": "exception",
                "date": "2025-02-01",
                "reason": "absence_from_area",
                "start": "2025-02-01",
                "end": "2025-03-15",
                "recorded_by": "AB",
            },
        ]
    )
    assert events[0] == Event("request_received", D("2025-01-06"))
    assert events[1].data["end"] == D("2025-03-15")
    assert events[1].data["recorded_by"] == "AB"


@pytest.mark.parametrize(
    "exception",
    [
        {
            "type": "exception",
            "reason": "absence_from_area",
            "start": "2025-02-01",
            "end": "2025-03-15",
        },
        {
            "type": "exception",
            "data": {"reason": "absence_from_area", "start": "2025-02-01", "end": "2025-03-15"},
        },
        {"type": "exception", "date": "", "reason": "absence_from_area", "start": "2025-02-01"},
    ],
    ids=["flat", "data", "empty-date"],
)
def test_an_exception_without_a_date_is_dated_by_its_start(exception: dict[str, Any]) -> None:
    events = parse_events([REQ, exception])
    assert events[1].date == D("2025-02-01")
    assert events[1].data["start"] == D("2025-02-01")


def test_an_exception_with_neither_date_nor_start_is_refused() -> None:
    with pytest.raises(ClockInputError, match=r"Event 2 \(exception\): has no date"):
        parse_events([REQ, {"type": "exception", "reason": "absence_from_area"}])


def test_events_are_valid_by_construction() -> None:
    with pytest.raises(EventFieldError, match="outcome"):
        Event("review_decision", D("2025-01-01"), {"outcome": "burn"})
    with pytest.raises(ClockInputError, match="unknown event type"):
        Event("nope", D("2025-01-01"))
    e = Event("final_issued", D("2025-01-01"), {"note": "x"})
    with pytest.raises(TypeError):
        e.data["note"] = "changed"  # type: ignore[index]


@pytest.mark.parametrize("flip", [False, True], ids=["given-order", "reversed"])
def test_same_day_advice_with_one_id_is_refused_naming_the_same_event(flip: bool) -> None:
    """Same-day advice is counted without ordering it by its data; a refusal still names the
    event the canonical order names, whatever the input order."""
    asked = [
        {"type": "advice_requested", "date": "2025-02-03", "advice_id": "a1", "kind": "health"},
        {"type": "advice_requested", "date": "2025-02-03", "advice_id": "a2", "kind": "other"},
        {"type": "advice_requested", "date": "2025-02-03", "advice_id": "a1", "kind": "education"},
    ]
    raw = [REQ, *(asked[::-1] if flip else asked)]
    with pytest.raises(ClockInputError) as refused:
        parse_events(raw)
    # ordered by data, ('advice_id', 'a1'), ('kind', 'education') comes first: the health
    # request is the one already made
    health = 2 + [e["kind"] for e in raw[1:]].index("health")
    assert str(refused.value) == (
        f"Event {health} (advice_requested): advice_id 'a1' is already requested."
    )
