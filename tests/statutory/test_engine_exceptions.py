"""Recorded exceptions (Regs 5(4), 8(2), 10(4), 13(3), 44): which count, and for what."""

from __future__ import annotations

import pytest

from sendcase.statutory import ClockInputError, Event, parse_events

from .helpers import ev, one, run

REQ = ev("request_received", "2025-01-06")
ASSESS = ev("decision_to_assess", "2025-02-10", outcome="assess")
LATE_FINAL = [REQ, ASSESS, ev("draft_issued", "2025-05-10"), ev("final_issued", "2025-06-10")]
ADVICE = [
    REQ,
    ASSESS,
    ev("advice_requested", "2025-02-12", advice_id="ep1", kind="educational_psychology"),
]


def exc(reason: str, start: str, end: str | None = "2025-05-30", **extra: str) -> Event:
    data = {"reason": reason, "start": start, **extra}
    if end:
        data["end"] = end
    return ev("exception", start, **data)


@pytest.mark.parametrize(
    ("events", "key", "instance", "status"),
    [
        # every reason that excuses the final plan
        pytest.param(
            [*LATE_FINAL, exc("absence_from_area", "2025-03-01", "2025-04-15")],
            "final_plan",
            None,
            "exception",
            id="absence 6 weeks",
        ),
        pytest.param(
            [*LATE_FINAL, exc("exceptional_personal_circumstances", "2025-05-01", "2025-05-10")],
            "final_plan",
            None,
            "exception",
            id="personal circumstances",
        ),
        pytest.param(
            [*LATE_FINAL, exc("institution_closure", "2025-04-10", "2025-05-20")],
            "final_plan",
            None,
            "exception",
            id="closure",
        ),
        pytest.param(
            [*LATE_FINAL, exc("absence_from_area", "2025-03-01", "2025-03-14")],
            "final_plan",
            None,
            "missed",
            id="absence under 4 weeks",
        ),
        pytest.param(
            [*LATE_FINAL, exc("institution_closure", "2025-04-10", "2025-04-25")],
            "final_plan",
            None,
            "missed",
            id="closure under 4 weeks",
        ),
        pytest.param(
            [*LATE_FINAL, exc("absence_from_area", "2025-07-01", "2025-08-15")],
            "final_plan",
            None,
            "missed",
            id="no overlap",
        ),
        pytest.param(
            [*LATE_FINAL, exc("missed_appointment", "2025-03-01", applies_to="final_plan")],
            "final_plan",
            None,
            "missed",
            id="missed appointment refused for the final plan",
        ),
        pytest.param(
            [*LATE_FINAL, exc("missed_appointment", "2025-03-01")],
            "final_plan",
            None,
            "missed",
            id="missed appointment ignored for the final plan",
        ),
        pytest.param(
            [
                *LATE_FINAL,
                exc(
                    "absence_from_area", "2025-03-01", "2025-04-15", applies_to="decision_to_assess"
                ),
            ],
            "final_plan",
            None,
            "missed",
            id="applies to another deadline",
        ),
        # an exception never turns a met deadline into anything else
        pytest.param(
            [REQ, ASSESS, exc("absence_from_area", "2025-01-10", "2025-03-01")],
            "decision_to_assess",
            None,
            "met",
            id="met stays met",
        ),
        # decision to assess and decision not to issue
        pytest.param(
            [
                REQ,
                ev("decision_to_assess", "2025-03-01", outcome="assess"),
                exc("institution_closure", "2025-01-20", "2025-03-01"),
            ],
            "decision_to_assess",
            None,
            "exception",
            id="closure: decision to assess",
        ),
        pytest.param(
            [REQ, ASSESS, exc("exceptional_personal_circumstances", "2025-04-01", "2025-04-10")],
            "decision_not_to_issue",
            None,
            "exception",
            id="personal: not yet decided",
        ),
        # advice: the fourth reason
        pytest.param(
            [*ADVICE, exc("missed_appointment", "2025-03-01", "2025-03-01", applies_to="ep1")],
            "advice_due",
            "ep1",
            "exception",
            id="missed appointment: advice",
        ),
        pytest.param(
            [
                *ADVICE,
                exc("missed_appointment", "2025-03-01", "2025-03-01", applies_to="advice_due"),
            ],
            "advice_due",
            "ep1",
            "exception",
            id="missed appointment: all advice",
        ),
        pytest.param(
            [*ADVICE, exc("absence_from_area", "2025-02-20", "2025-04-01")],
            "advice_due",
            "ep1",
            "exception",
            id="absence: advice",
        ),
        # Reg 44: personal circumstances, or absence of at least 2 weeks
        pytest.param(
            [
                ev("final_issued", "2025-01-15"),
                ev("tribunal_order", "2025-03-03", kind="amend"),
                exc("absence_from_area", "2025-03-10", "2025-03-23"),
            ],
            "tribunal_order_amend",
            None,
            "exception",
            id="tribunal: absence 2 weeks",
        ),
        pytest.param(
            [
                ev("final_issued", "2025-01-15"),
                ev("tribunal_order", "2025-03-03", kind="amend"),
                exc("absence_from_area", "2025-03-10", "2025-03-20"),
            ],
            "tribunal_order_amend",
            None,
            "overdue",
            id="tribunal: absence under 2 weeks",
        ),
        pytest.param(
            [
                ev("final_issued", "2025-01-15"),
                ev("tribunal_order", "2025-03-03", kind="amend"),
                exc(
                    "institution_closure",
                    "2025-03-01",
                    "2025-05-01",
                    applies_to="tribunal_order_amend",
                ),
            ],
            "tribunal_order_amend",
            None,
            "overdue",
            id="tribunal: closure refused",
        ),
        pytest.param(
            [
                ev("final_issued", "2025-01-15"),
                ev("tribunal_order", "2025-03-03", kind="setting"),
                exc("exceptional_personal_circumstances", "2025-03-05", None),
            ],
            "tribunal_order_setting",
            None,
            "exception",
            id="tribunal: ongoing circumstances",
        ),
        # exceptions do not excuse other deadlines
        pytest.param(
            [
                ev("final_issued", "2025-01-15"),
                ev("review_meeting", "2025-05-20"),
                exc("exceptional_personal_circumstances", "2025-05-01", "2025-08-01"),
            ],
            "review_decision",
            None,
            "overdue",
            id="not for review decisions",
        ),
    ],
)
def test_exception_status(events: list[Event], key: str, instance: str | None, status: str) -> None:
    row = one(run(events, "2025-07-01"), key, instance)
    assert row.status == status, row.explanation


def test_exception_does_not_move_the_due_date_and_is_explained() -> None:
    row = one(
        run([*LATE_FINAL, exc("absence_from_area", "2025-03-01", "2025-04-15")], "2025-07-01"),
        "final_plan",
    )
    assert str(row.due) == "2025-05-26"
    assert (
        "Exception recorded: absence from the area, 1 March 2025 to 15 April 2025."
        in row.explanation
    )


def test_refused_exception_is_explained() -> None:
    row = one(
        run(
            [*LATE_FINAL, exc("missed_appointment", "2025-03-01", applies_to="final_plan")],
            "2025-07-01",
        ),
        "final_plan",
    )
    assert "does not apply to this deadline" in row.explanation
    row = one(
        run([*LATE_FINAL, exc("absence_from_area", "2025-03-01", "2025-03-14")], "2025-07-01"),
        "final_plan",
    )
    assert "must last at least 4 weeks" in row.explanation


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"type": "exception", "date": "2025-03-01", "reason": "staff_shortage"},
            "is not a statutory exception",
        ),
        ({"type": "exception", "date": "2025-03-01"}, "needs a reason"),
        (
            {
                "type": "exception",
                "date": "2025-03-01",
                "reason": "absence_from_area",
                "start": "2025-03-10",
                "end": "2025-03-01",
            },
            "is before start",
        ),
        (
            {
                "type": "exception",
                "date": "2025-03-01",
                "reason": "absence_from_area",
                "applies_to": "nothing",
            },
            "neither a deadline key",
        ),
        (
            {
                "type": "exception",
                "date": "2025-03-01",
                "reason": "absence_from_area",
                "end": "2025-02-30",
            },
            "not a real date",
        ),
    ],
)
def test_invalid_exceptions_are_refused(raw: dict[str, str], message: str) -> None:
    with pytest.raises(ClockInputError, match=message) as info:
        parse_events([{"type": "request_received", "date": "2025-01-06"}, raw])
    assert str(info.value).startswith("Event 2 (exception): ")
