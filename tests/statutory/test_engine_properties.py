"""Property-based tests of the clock (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sendcase.statutory import (
    STATUSES,
    ClockConfig,
    ClockInputError,
    Deadline,
    Event,
    compute_deadlines,
)
from sendcase.statutory.engine import REASON_APPLIES
from sendcase.statutory.events import TYPE_ORDER

# Rows whose due date is *before* their trigger: the trigger is the meeting or the move.
BEFORE_TRIGGER = {
    "review_meeting_notice",
    "review_advice_circulated",
    "phase_transfer",
    "post16_transfer",
    "post16_institution_move",
}
# Periods that must be allowed to run: completed_on is the end of the window, and
# `missed` means a step was taken inside it.
WINDOWS = {
    "draft_comments_window",
    "amendment_comments_window",
    "appeal_window",
    "plan_maintained_pending_appeal",
}

days = st.integers(min_value=0, max_value=120)


@st.composite
def histories(draw: st.DrawFn) -> list[Event]:
    start = draw(st.dates(min_value=date(2019, 1, 1), max_value=date(2027, 12, 31)))
    out: list[Event] = []

    def at(offset: int) -> date:
        return start + timedelta(days=offset)

    if draw(st.booleans()):
        out.append(Event("child_born", start - timedelta(days=draw(st.integers(300, 7000)))))
    out.append(Event("request_received", start))
    t = 0
    advice_ids: list[str] = []
    if draw(st.booleans()):
        t += draw(days)
        outcome = draw(st.sampled_from(["assess", "assess", "not_assess"]))
        out.append(Event("decision_to_assess", at(t), {"outcome": outcome}))
        if outcome == "assess":
            for n in range(draw(st.integers(0, 3))):
                asked = t + draw(st.integers(0, 10))
                out.append(
                    Event("advice_requested", at(asked), {"advice_id": f"a{n}", "kind": "health"})
                )
                advice_ids.append(f"a{n}")
                if draw(st.booleans()):
                    out.append(
                        Event("advice_received", at(asked + draw(days)), {"advice_id": f"a{n}"})
                    )
            end = draw(st.sampled_from(["none", "dnti", "plan"]))
            t += draw(days)
            if end == "dnti":
                out.append(Event("decision_not_to_issue", at(t)))
            elif end == "plan":
                out.append(Event("draft_issued", at(t)))
                t += draw(st.integers(0, 40))
                out.append(Event("final_issued", at(t)))
                for _ in range(draw(st.integers(0, 3))):
                    if draw(st.booleans()):
                        out.append(
                            Event("review_invitations_sent", at(t + draw(st.integers(200, 360))))
                        )
                    t += draw(st.integers(250, 420))
                    out.append(
                        Event(
                            "review_meeting",
                            at(t),
                            {"preparing_for_adulthood": draw(st.booleans())},
                        )
                    )
                    if draw(st.booleans()):
                        out.append(Event("review_report", at(t + draw(st.integers(0, 30)))))
                    if draw(st.booleans()):
                        outcome = draw(st.sampled_from(["maintain", "amend", "cease"]))
                        decided = t + draw(st.integers(0, 40))
                        out.append(Event("review_decision", at(decided), {"outcome": outcome}))
                        if outcome == "amend":
                            out.append(Event("amendment_notice", at(decided)))
                            if draw(st.booleans()):
                                out.append(Event("final_amended_plan", at(decided + draw(days))))
                if draw(st.booleans()):
                    move = date(at(t).year + 1, 9, 1)
                    out.append(
                        Event(
                            "phase_transfer",
                            move,
                            {"kind": draw(st.sampled_from(["school", "post16", "post16_move"]))},
                        )
                    )
                    if draw(st.booleans()):
                        out.append(
                            Event(
                                "phase_transfer_named",
                                move - timedelta(days=draw(st.integers(60, 300))),
                            )
                        )
    for _ in range(draw(st.integers(0, 2))):
        reason = draw(st.sampled_from(sorted(REASON_APPLIES)))
        begin = at(draw(st.integers(0, 200)))
        data: dict[str, object] = {"reason": reason, "start": begin}
        if draw(st.booleans()):
            data["end"] = begin + timedelta(days=draw(st.integers(0, 60)))
        if len(advice_ids) > 0 and draw(st.booleans()):
            data["applies_to"] = draw(st.sampled_from(advice_ids))
        elif draw(st.booleans()):
            data["applies_to"] = draw(
                st.sampled_from(
                    ["final_plan", "decision_to_assess", "advice_due", "review_decision"]
                )
            )
        out.append(Event("exception", begin, data))
    if draw(st.booleans()):
        d = at(draw(days))
        out.append(Event("decision_notice", d))
        choice = draw(st.sampled_from(["declined", "mediation", "none"]))
        if choice == "declined":
            out.append(Event("mediation_declined", d + timedelta(days=3)))
            if draw(st.booleans()):
                out.append(
                    Event("mediation_certificate", d + timedelta(days=draw(st.integers(3, 12))))
                )
        elif choice == "mediation":
            out.append(Event("mediation_requested", d + timedelta(days=5)))
            if draw(st.booleans()):
                held = d + timedelta(days=5 + draw(st.integers(0, 45)))
                out.append(Event("mediation_held", held))
                if draw(st.booleans()):
                    out.append(
                        Event(
                            "mediation_certificate", held + timedelta(days=draw(st.integers(0, 10)))
                        )
                    )
        if draw(st.booleans()):
            out.append(Event("appeal_lodged", d + timedelta(days=draw(st.integers(0, 90)))))
    if draw(st.booleans()):
        kind = draw(st.sampled_from(["assess", "make_plan", "amend", "setting", "continue"]))
        d = at(draw(days))
        out.append(Event("tribunal_order", d, {"kind": kind}))
        if draw(st.booleans()):
            stage = {"assess": "final_plan", "make_plan": "final"}.get(kind)
            data = {"kind": kind, **({"stage": stage} if stage else {})}
            out.append(Event("tribunal_order_complied", d + timedelta(days=draw(days)), data))
    for received, answered in (
        ("sar_received", "sar_responded"),
        ("foi_received", "foi_responded"),
        ("complaint_received", "complaint_responded"),
    ):
        if draw(st.booleans()):
            d = at(draw(days))
            out.append(Event(received, d))
            if received == "sar_received" and draw(st.booleans()):
                d = d + timedelta(days=draw(st.integers(0, 40)))
                out.append(Event("sar_extended", d))
            if draw(st.booleans()):
                out.append(Event(answered, d + timedelta(days=draw(st.integers(0, 60)))))
    return out


todays = st.dates(min_value=date(2019, 1, 1), max_value=date(2033, 12, 31))
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def status_agrees(d: Deadline, today: date, warn: int) -> bool:
    due, done, s = d.due, d.completed_on, d.status
    if s == "not_applicable":
        return True
    if s == "met":
        return done is not None and (due is None or done <= due)
    if s == "missed":
        return done is not None and due is not None and (done > due or d.key in WINDOWS)
    if s == "exception":
        return due is not None and (
            (done is None and today > due) or (done is not None and done > due)
        )
    if done is not None:
        return False
    if s == "overdue":
        return due is not None and today > due
    if s == "due_soon":
        return due is not None and 0 <= (due - today).days <= warn
    if s == "open":
        return due is None or (due - today).days > warn
    return False


@SETTINGS
@given(histories(), todays, st.integers(0, 30))
def test_dates_and_statuses_agree(events: list[Event], today: date, warn: int) -> None:
    rows = compute_deadlines(events, today, config=ClockConfig(warning_days=warn))
    assert len({(d.key, d.instance) for d in rows}) == len(rows)
    for d in rows:
        assert d.status in STATUSES
        assert status_agrees(d, today, warn), d
        if d.due is not None:
            if d.key in BEFORE_TRIGGER:
                assert d.due <= d.trigger, d
            else:
                assert d.due >= d.trigger, d
        assert d.source and d.explanation
        assert set(d.to_json()) >= {
            "key",
            "trigger",
            "due",
            "completed_on",
            "status",
            "source",
            "explanation",
        }


@SETTINGS
@given(histories(), todays, st.randoms(use_true_random=False))
def test_input_order_does_not_matter(events: list[Event], today: date, rnd) -> None:  # type: ignore[no-untyped-def]
    shuffled = list(events)
    rnd.shuffle(shuffled)
    assert compute_deadlines(shuffled, today) == compute_deadlines(events, today)


@SETTINGS
@given(histories(), todays, st.data())
def test_appending_an_event_equals_computing_from_scratch(
    events: list[Event], today: date, data: st.DataObject
) -> None:
    # the case so far (the history up to some point), computed, caches warmed ...
    ordered = sorted(events, key=lambda e: (e.date, TYPE_ORDER[e.type]))
    cut = data.draw(st.integers(1, len(ordered) - 1)) if len(ordered) > 1 else 0
    so_far, new = ordered[:cut], ordered[cut]
    try:
        before = compute_deadlines(so_far, today)
    except ClockInputError:  # e.g. an exception naming advice requested later
        assume(False)
    # ... then the new event arrives: recomputing equals a fresh computation over the whole
    # list, given in its original input order
    whole = {id(e) for e in ordered[: cut + 1]}
    scratch = [e for e in events if id(e) in whole]
    try:
        incremental = compute_deadlines([*so_far, new], today)
    except ClockInputError:  # refused either way, e.g. an exception naming later advice
        with pytest.raises(ClockInputError):
            compute_deadlines(scratch, today)
    else:
        assert incremental == compute_deadlines(scratch, today)
    # and computing did not change anything for the earlier history
    assert compute_deadlines(so_far, today) == before
