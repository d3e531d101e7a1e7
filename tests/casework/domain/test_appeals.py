"""Mediation and tribunal appeals (CFA 2014 ss51 to 55; SEND Regulations 2014 Part 6): each action
with good and bad dates, the deadlines the clock gives them, the disputed flag that keeps a closed
case on the open queue while an appeal runs, and optimistic locking."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sendcase.casework.domain import appeals
from sendcase.casework.domain.assessment import (
    open_case_from_request,
    record_advice_requested,
    record_decision_not_to_issue,
    record_decision_to_assess,
)
from sendcase.casework.domain.errors import ActionError, StaleCase
from sendcase.casework.domain.phase_and_cease import cease_plan
from sendcase.casework.domain.plan import record_draft_plan, record_final_plan
from sendcase.casework.domain.refresh import refresh_all
from sendcase.casework.domain.reviews import (
    record_amendment_notice,
    record_final_amended_plan,
    record_review_decision,
    record_review_meeting,
)
from sendcase.casework.models import Appeal, Case, Deadline, Stage, StatutoryEvent
from sendcase.casework.queries import QueueFilters, caseloads, filtered_cases
from sendcase.casework.scenarios import place, plan_issued_on
from sendcase.core.models import AuditEntry
from sendcase.demo.plan_content import lawful_content

D = dt.date
TODAY = D(2026, 11, 25)


def _kw(officer: Any, today: dt.date = TODAY) -> dict[str, Any]:
    return {"actor": officer, "today": today}


REFUSED_ON = D(2025, 12, 8)


def _refused(child: Any, officer: Any, decided: dt.date = REFUSED_ON) -> Case:
    """A request refused (decision not to assess), which closes the case with appeal rights."""
    case = open_case_from_request(
        child,
        received_on=decided - dt.timedelta(weeks=5),
        source=1,
        officer=officer,
        **_kw(officer),
    )
    record_decision_to_assess(case, decided_on=decided, outcome="not_assess", **_kw(officer))
    case.refresh_from_db()
    return case


def _plan(child: Any, officer: Any, issued: dt.date) -> Case:
    return plan_issued_on(child, officer, issued, today=TODAY)


def _rows(case: Case, key: str) -> dict[str, tuple[dt.date | None, str]]:
    return {d.instance: (d.due, d.status) for d in Deadline.objects.filter(case=case, key=key)}


def _disputed(case: Case) -> bool:
    return Case.objects.get(pk=case.pk).disputed


# --- The whole journey ----------------------------------------------------------------------


def test_refusal_declined_mediation_certificate_appeal_order_to_assess_complied(
    child, officer
) -> None:
    case = _refused(child, officer)  # notified Monday 8 December 2025
    assert case.stage == Stage.NOT_ASSESSED and not case.disputed
    # Declined on Tuesday 23 December: 3 working days skip Christmas Day and Boxing Day.
    appeal = appeals.record_mediation_decision(
        case,
        notice_on=D(2025, 12, 8),
        decided_on=D(2025, 12, 23),
        wants_mediation=False,
        **_kw(officer),
    )
    assert appeal.decision_type == Appeal.DecisionType.NOT_ASSESS
    assert appeal.mediation_declined_on == D(2025, 12, 23) and appeal.mediation_requested_on is None
    assert _rows(case, "mediation_certificate") == {"2025-12-23": (D(2025, 12, 30), "overdue")}
    assert _disputed(case)
    assert AuditEntry.objects.filter(case=case, summary__startswith="Family declined").exists()

    appeals.record_mediation_certificate(case, issued_on=D(2025, 12, 29), **_kw(officer))
    assert _rows(case, "mediation_certificate")["2025-12-23"] == (D(2025, 12, 30), "met")

    appeals.record_appeal_registered(
        case, registered_on=D(2026, 1, 20), notice_on=D(2025, 12, 8), **_kw(officer)
    )
    # 2 months from the decision (8 February) is later than 1 month from the certificate.
    assert _rows(case, "appeal_window")["2025-12-08"] == (D(2026, 2, 8), "met")

    appeals.record_tribunal_decision(
        case, decided_on=D(2026, 5, 1), outcome="upheld", order_kind="assess", **_kw(officer)
    )
    # The order reopens the refused request for assessment; the request keeps its decision.
    case.refresh_from_db()
    assert (case.stage, case.closed_on) == (Stage.ASSESSING, None)
    assert case.request.decision == "not_assess"
    entry = AuditEntry.objects.filter(case=case).latest("pk")
    assert entry.payload["reopened"] == "assessment"
    assert "reopened for the assessment" in entry.summary
    assert _rows(case, "tribunal_order_assess") == {
        "2026-05-01/notify": (D(2026, 5, 15), "overdue"),
        "2026-05-01/decision_not_to_issue": (D(2026, 7, 10), "overdue"),
        "2026-05-01/final_plan": (D(2026, 8, 7), "overdue"),
    }
    queue = filtered_cases(officer, QueueFilters(stage="open"))
    assert case in queue and case not in filtered_cases(officer, QueueFilters(stage="closed"))
    assert Case.objects.get(pk=case.pk).next_due == D(2026, 5, 15)

    appeals.record_order_complied(case, complied_on=D(2026, 5, 12), stage="notify", **_kw(officer))
    assert _disputed(case)  # the final plan (or a decision not to issue) is still owed
    assert _rows(case, "tribunal_order_assess")["2026-05-01/notify"] == (D(2026, 5, 15), "met")
    # The normal steps of an assessment follow: advice, the draft, the final plan.
    record_advice_requested(
        case,
        kind="education",
        provider="School",
        requested_on=D(2026, 5, 13),
        advice_id="ed-1",
        **_kw(officer),
    )
    record_draft_plan(
        case, issued_on=D(2026, 7, 10), **_kw(officer), content=lawful_content(("ASD",))
    )
    place(case, **_kw(officer))  # section I names its setting
    record_final_plan(
        case,
        issued_on=D(2026, 8, 3),
        **_kw(officer),
        content=lawful_content(("ASD",)),
    )
    appeal = appeals.record_order_complied(
        case, complied_on=D(2026, 8, 3), stage="final_plan", **_kw(officer)
    )
    assert appeal.complied_on == D(2026, 8, 3)
    rows = _rows(case, "tribunal_order_assess")
    assert rows["2026-05-01/final_plan"] == (D(2026, 8, 7), "met")
    assert rows["2026-05-01/decision_not_to_issue"][1] == "not_applicable"
    assert not _disputed(case)
    case.refresh_from_db()
    assert case.stage == Stage.PLAN and case.closed_on is None
    assert (case.plan.status, case.plan.first_issued_on) == ("active", D(2026, 8, 3))
    # The plan the council issued is a live plan: on the open queue with its annual review.
    assert case in filtered_cases(officer, QueueFilters(stage="open"))
    assert "2026-08-03" in _rows(case, "annual_review_meeting")
    types = list(
        StatutoryEvent.objects.filter(case=case, date__gte=D(2025, 12, 9)).values_list(
            "type", flat=True
        )
    )
    assert types == [
        "mediation_declined",
        "mediation_certificate",
        "appeal_lodged",
        "tribunal_order",
        "tribunal_order_complied",
        "advice_requested",
        "draft_issued",
        "final_issued",
        "decision_notice",
        "tribunal_order_complied",
    ]


def test_mediation_within_30_days_then_certificate_then_order_to_amend(child, officer) -> None:
    case = _plan(child, officer, D(2026, 3, 2))
    appeal = appeals.record_mediation_decision(
        case,
        notice_on=D(2026, 3, 2),
        decided_on=D(2026, 3, 20),
        wants_mediation=True,
        **_kw(officer),
    )
    assert appeal.decision_type == Appeal.DecisionType.CONTENTS
    assert _rows(case, "mediation_arranged") == {"2026-03-20": (D(2026, 4, 19), "overdue")}
    appeals.record_mediation_held(case, held_on=D(2026, 4, 14), **_kw(officer))
    assert _rows(case, "mediation_arranged")["2026-03-20"] == (D(2026, 4, 19), "met")
    # Held Tuesday 14 April 2026: 3 working days on is Friday 17 April.
    assert _rows(case, "mediation_certificate_after") == {"2026-03-20": (D(2026, 4, 17), "overdue")}
    appeals.record_mediation_certificate(case, issued_on=D(2026, 4, 16), **_kw(officer))
    # The window is now 1 month from the certificate, later than 2 months from the plan.
    assert _rows(case, "appeal_window")["2026-03-02"][0] == D(2026, 5, 16)
    appeals.record_appeal_registered(
        case, registered_on=D(2026, 5, 11), notice_on=D(2026, 3, 2), **_kw(officer)
    )
    appeals.record_tribunal_decision(
        case, decided_on=D(2026, 10, 21), outcome="upheld", order_kind="amend", **_kw(officer)
    )
    assert _rows(case, "tribunal_order_amend") == {"2026-10-21": (D(2026, 11, 25), "due_soon")}
    appeal = appeals.record_order_complied(case, complied_on=D(2026, 11, 20), **_kw(officer))
    assert appeal.complied_on == D(2026, 11, 20) and not _disputed(case)
    assert _rows(case, "tribunal_order_amend")["2026-10-21"][1] == "met"


def test_a_conceded_assessment_appeal_runs_2_10_and_14_weeks(child, officer) -> None:
    case = _refused(child, officer, D(2026, 9, 1))
    appeals.record_appeal_registered(
        case, registered_on=D(2026, 9, 15), notice_on=D(2026, 9, 1), **_kw(officer)
    )
    appeal = appeals.record_tribunal_decision(
        case, decided_on=D(2026, 10, 1), outcome="conceded", order_kind="assess", **_kw(officer)
    )
    assert (appeal.order_kind, appeal.order_on) == ("assess", D(2026, 10, 1))
    assert {k: v[0] for k, v in _rows(case, "unopposed_appeal").items()} == {
        "2026-10-01/notify": D(2026, 10, 15),
        "2026-10-01/decision_not_to_issue": D(2026, 12, 10),
        "2026-10-01/final_plan": D(2027, 1, 7),
    }
    assert StatutoryEvent.objects.get(case=case, type="unopposed_appeal").data == {"kind": "assess"}
    appeals.record_order_complied(case, complied_on=D(2026, 10, 14), stage="notify", **_kw(officer))
    appeals.record_order_complied(
        case, complied_on=D(2026, 11, 20), stage="decision_not_to_issue", **_kw(officer)
    )
    assert not _disputed(case)  # the other outcome, not issuing a plan, ends it too
    event = StatutoryEvent.objects.filter(case=case, type="unopposed_appeal_complied").last()
    assert event.data == {"kind": "assess", "stage": "decision_not_to_issue"}


def test_appeal_about_the_school_named_needs_no_mediation_and_can_be_withdrawn(
    child, officer
) -> None:
    case = _plan(child, officer, D(2026, 10, 1))
    appeal = appeals.record_appeal_registered(
        case, registered_on=D(2026, 10, 20), notice_on=D(2026, 10, 1), **_kw(officer)
    )
    assert appeal.mediation_requested_on is None and appeal.tribunal_registered_on == D(
        2026, 10, 20
    )
    assert _disputed(case)
    appeals.record_tribunal_decision(
        case, decided_on=D(2026, 11, 2), outcome="withdrawn", order_kind="amend", **_kw(officer)
    )
    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.order_kind, appeal.order_on) == ("withdrawn", "", None)
    assert not StatutoryEvent.objects.filter(case=case, type="tribunal_order").exists()
    assert not _disputed(case)


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        ("not_issue", Appeal.DecisionType.NOT_ISSUE),
        ("maintain", Appeal.DecisionType.AMEND),
        ("cease", Appeal.DecisionType.CEASE),
        ("final_amended", Appeal.DecisionType.CONTENTS),
    ],
)
def test_the_decision_appealed_is_read_from_the_case(child, officer, decision, expected) -> None:
    kw = _kw(officer)
    if decision == "not_issue":
        case = open_case_from_request(
            child, received_on=D(2026, 5, 4), source=1, officer=officer, **kw
        )
        record_decision_to_assess(case, decided_on=D(2026, 6, 1), outcome="assess", **kw)
        record_decision_not_to_issue(case, decided_on=D(2026, 8, 17), **kw)
        notice = D(2026, 8, 17)
    else:
        case = _plan(child, officer, D(2025, 6, 2))
        record_review_meeting(case, meeting_on=D(2026, 5, 20), **kw)
        outcome = "amend" if decision == "final_amended" else decision
        record_review_decision(case, decided_on=D(2026, 6, 1), outcome=outcome, **kw)
        notice = D(2026, 6, 1)
        if decision == "final_amended":
            record_amendment_notice(case, issued_on=D(2026, 6, 3), **kw)
            record_final_amended_plan(case, issued_on=D(2026, 7, 1), **kw)
            notice = D(2026, 7, 1)
    appeal = appeals.record_mediation_decision(
        case,
        notice_on=notice,
        decided_on=notice + dt.timedelta(days=7),
        wants_mediation=False,
        **kw,
    )
    assert appeal.decision_type == expected


# --- Refusals -----------------------------------------------------------------------------------


def _started(child: Any, officer: Any, wants: bool = True) -> Case:
    case = _refused(child, officer, D(2026, 9, 1))
    appeals.record_mediation_decision(
        case,
        notice_on=D(2026, 9, 1),
        decided_on=D(2026, 9, 10),
        wants_mediation=wants,
        **_kw(officer),
    )
    return case


def _error(call: Any) -> ActionError:
    with pytest.raises(ActionError) as info:
        call()
    return info.value


def test_bad_dates_and_steps_out_of_order_are_refused(child, officer) -> None:
    kw = _kw(officer)
    case = _refused(child, officer, D(2026, 9, 1))
    e = _error(
        lambda: appeals.record_mediation_decision(
            case, notice_on=D(2026, 9, 2), decided_on=D(2026, 9, 10), wants_mediation=True, **kw
        )
    )
    assert (
        e.field == "notice_on"
        and "no decision letter with appeal rights dated 2 September" in e.message
    )
    e = _error(
        lambda: appeals.record_mediation_decision(
            case, notice_on=D(2026, 9, 1), decided_on=D(2026, 8, 31), wants_mediation=True, **kw
        )
    )
    assert e.field == "decided_on"
    assert e.message == (
        "The date the family told the council must be the same as or after the decision letter "
        "(1 September 2026)"
    )
    e = _error(
        lambda: appeals.record_mediation_decision(
            case,
            notice_on=D(2026, 9, 1),
            decided_on=TODAY + dt.timedelta(days=1),
            wants_mediation=True,
            **kw,
        )
    )
    assert (e.field, e.message) == (
        "decided_on",
        "The date the family told the council must be today or in the past",
    )
    e = _error(lambda: appeals.record_mediation_held(case, held_on=D(2026, 9, 20), **kw))
    assert e.message == "There is no request for mediation waiting to be held"
    e = _error(
        lambda: appeals.record_tribunal_decision(
            case, decided_on=D(2026, 9, 20), outcome="upheld", order_kind="assess", **kw
        )
    )
    assert "Record the appeal registered with the tribunal before its decision" == e.message
    e = _error(lambda: appeals.record_order_complied(case, complied_on=D(2026, 9, 20), **kw))
    assert e.message == "There is no order waiting for the council to comply with it"
    assert not StatutoryEvent.objects.filter(case=case, type__startswith="mediation").exists()
    assert not Appeal.objects.filter(case=case).exists() and not _disputed(case)


def test_mediation_dates_are_checked(child, officer) -> None:
    kw = _kw(officer)
    case = _started(child, officer)
    e = _error(lambda: appeals.record_mediation_held(case, held_on=D(2026, 9, 9), **kw))
    assert (e.field, e.message) == (
        "held_on",
        "The date mediation was held must be the same as or after the request for mediation "
        "(10 September 2026)",
    )
    e = _error(
        lambda: appeals.record_mediation_decision(
            case, notice_on=D(2026, 9, 1), decided_on=D(2026, 9, 12), wants_mediation=False, **kw
        )
    )
    assert "already recorded" in e.message
    appeals.record_mediation_held(case, held_on=D(2026, 10, 5), **kw)
    e = _error(lambda: appeals.record_mediation_certificate(case, issued_on=D(2026, 10, 2), **kw))
    assert e.field == "issued_on" and "after the mediation (5 October 2026)" in e.message
    e = _error(
        lambda: appeals.record_appeal_registered(
            case, registered_on=D(2026, 10, 20), notice_on=D(2026, 9, 1), **kw
        )
    )
    assert e.message.startswith("Record the mediation certificate first")
    appeals.record_mediation_certificate(case, issued_on=D(2026, 10, 6), **kw)
    e = _error(
        lambda: appeals.record_appeal_registered(
            case, registered_on=D(2026, 10, 5), notice_on=D(2026, 9, 1), **kw
        )
    )
    assert e.field == "registered_on" and "the mediation certificate (6 October 2026)" in e.message


def test_tribunal_decisions_and_compliance_are_checked(child, officer) -> None:
    kw = _kw(officer)
    case = _refused(child, officer, D(2026, 9, 1))
    appeals.record_appeal_registered(
        case, registered_on=D(2026, 9, 15), notice_on=D(2026, 9, 1), **kw
    )
    e = _error(
        lambda: appeals.record_tribunal_decision(
            case, decided_on=D(2026, 9, 14), outcome="dismissed", **kw
        )
    )
    assert e.field == "decided_on" and "the date the appeal was registered" in e.message
    e = _error(
        lambda: appeals.record_tribunal_decision(
            case, decided_on=D(2026, 10, 1), outcome="upheld", **kw
        )
    )
    assert (e.field, e.message) == (
        "order_kind",
        "Select what the tribunal ordered the council to do",
    )
    e = _error(
        lambda: appeals.record_tribunal_decision(
            case, decided_on=D(2026, 10, 1), outcome="conceded", order_kind="setting", **kw
        )
    )
    assert e.field == "order_kind" and "reg 45" in e.message
    e = _error(
        lambda: appeals.record_tribunal_decision(
            case, decided_on=D(2026, 10, 1), outcome="won", **kw
        )
    )
    assert e.field == "outcome"
    # The tribunal can only order what the appeal was about: here, an assessment.
    e = _error(
        lambda: appeals.record_tribunal_decision(
            case, decided_on=D(2026, 10, 1), outcome="upheld", order_kind="make_plan", **kw
        )
    )
    assert e.field == "order_kind" and "can only be to carry out an assessment" in e.message
    appeals.record_tribunal_decision(
        case, decided_on=D(2026, 10, 1), outcome="upheld", order_kind="assess", **kw
    )
    e = _error(
        lambda: appeals.record_order_complied(
            case, complied_on=D(2026, 9, 30), stage="notify", **kw
        )
    )
    assert e.field == "complied_on" and "the order (1 October 2026)" in e.message
    # The stages in order: the assessment is notified before its outcome.
    e = _error(
        lambda: appeals.record_order_complied(
            case, complied_on=D(2026, 10, 30), stage="final_plan", **kw
        )
    )
    assert (e.field, e.message) == (
        "stage",
        "Record first that the council notified the decision to assess",
    )
    appeals.record_order_complied(case, complied_on=D(2026, 10, 14), **kw)  # the only stage ready
    e = _error(
        lambda: appeals.record_order_complied(
            case, complied_on=D(2026, 11, 2), stage="notify", **kw
        )
    )
    assert e.field == "stage"
    rows = _rows(case, "tribunal_order_assess")
    assert rows["2026-10-01/notify"] == (D(2026, 10, 15), "met")
    assert rows["2026-10-01/final_plan"] == (D(2027, 1, 7), "open")
    assert _disputed(case)


def test_a_stale_version_is_refused(child, officer) -> None:
    case = _refused(child, officer, D(2026, 9, 1))
    seen = case.version
    appeals.record_mediation_decision(
        case,
        notice_on=D(2026, 9, 1),
        decided_on=D(2026, 9, 10),
        wants_mediation=True,
        expected_version=seen,
        **_kw(officer),
    )
    with pytest.raises(StaleCase) as info:
        appeals.record_mediation_held(
            case, held_on=D(2026, 9, 20), expected_version=seen, **_kw(officer)
        )
    assert any("mediation requested on 10 September 2026" in c for c in info.value.changes)
    assert Appeal.objects.get(case=case).mediation_held_on is None
    appeals.record_mediation_held(
        case, held_on=D(2026, 9, 20), expected_version=seen + 1, **_kw(officer)
    )
    assert Case.objects.get(pk=case.pk).version == seen + 2


# --- The open queue and the daily refresh ---------------------------------------------------------


def test_disputed_cases_stay_open_for_the_queue_caseloads_and_the_refresh(child, officer) -> None:
    case = _refused(child, officer, D(2026, 9, 1))
    assert refresh_all(today=TODAY) == 0
    assert case not in filtered_cases(officer, QueueFilters(stage="open"))
    appeals.record_mediation_decision(
        case,
        notice_on=D(2026, 9, 1),
        decided_on=D(2026, 9, 10),
        wants_mediation=True,
        **_kw(officer, D(2026, 9, 10)),
    )
    # Recorded on the day, so mediation was open; the daily refresh moves it on to overdue.
    assert _rows(case, "mediation_arranged") == {"2026-09-10": (D(2026, 10, 10), "open")}
    assert refresh_all(today=TODAY) == 1
    assert _rows(case, "mediation_arranged") == {"2026-09-10": (D(2026, 10, 10), "overdue")}
    assert case in filtered_cases(officer, QueueFilters(stage="open"))
    assert case in filtered_cases(officer, QueueFilters(stage=Stage.NOT_ASSESSED))
    assert [c.open_cases for c in caseloads(officer, today=TODAY) if c.officer == officer] == [1]


def test_buffered_import_mode_writes_the_same_rows(child, officer, in_buffered_mode) -> None:
    case = _refused(child, officer, D(2026, 9, 1))
    with in_buffered_mode(TODAY):
        appeals.record_mediation_decision(
            case,
            notice_on=D(2026, 9, 1),
            decided_on=D(2026, 9, 10),
            wants_mediation=True,
            **_kw(officer),
        )
        appeals.record_mediation_held(case, held_on=D(2026, 9, 20), **_kw(officer))
    appeal = Appeal.objects.get(case=case)
    assert (appeal.mediation_requested_on, appeal.mediation_held_on) == (
        D(2026, 9, 10),
        D(2026, 9, 20),
    )
    assert _rows(case, "mediation_arranged") == {"2026-09-10": (D(2026, 10, 10), "met")}
    assert _disputed(case)


@pytest.mark.parametrize(
    ("notice", "today", "open_"),
    [
        (D(2026, 9, 25), D(2026, 11, 25), True),  # exactly 2 months: the window's last day
        (D(2026, 9, 24), D(2026, 11, 25), False),
        (D(2025, 12, 31), D(2026, 2, 28), True),  # no 31 February: the month end
        (D(2025, 12, 27), D(2026, 2, 28), False),
        (D(2026, 11, 26), D(2026, 11, 25), False),  # not yet sent
    ],
)
def test_decisions_open_to_dispute_are_those_of_the_last_2_months(notice, today, open_) -> None:
    events = [
        StatutoryEvent(type="final_issued", date=notice, data={}),
        StatutoryEvent(type="decision_notice", date=notice, data={}),
    ]
    expected = [(notice, Appeal.DecisionType.CONTENTS)] if open_ else []
    assert appeals.open_notices(events, [], today) == expected
    taken = Appeal(decision_notice_on=notice, decision_type=Appeal.DecisionType.CONTENTS)
    assert appeals.open_notices(events, [taken], today) == []


def test_a_family_that_does_not_appeal_ends_the_disagreement(child, officer) -> None:
    case = _started(child, officer, wants=False)  # mediation declined on 10 September 2026
    assert _disputed(case)
    too_early = _error(
        lambda: appeals.record_no_appeal(case, decided_on=D(2026, 9, 9), **_kw(officer))
    )
    assert too_early.field == "decided_on"
    appeal = appeals.record_no_appeal(case, decided_on=D(2026, 11, 2), **_kw(officer))
    assert appeal.outcome == "withdrawn" and not appeals.is_live(appeal)
    assert not _disputed(case)
    # nothing left to end, and a registered appeal is ended by the tribunal's decision instead
    again = _error(
        lambda: appeals.record_no_appeal(case, decided_on=D(2026, 11, 3), **_kw(officer))
    )
    assert "no disagreement waiting" in again.message


def test_a_registered_appeal_is_not_ended_as_no_appeal(child, officer) -> None:
    case = _refused(child, officer, D(2026, 9, 1))
    appeals.record_appeal_registered(
        case, registered_on=D(2026, 10, 1), notice_on=D(2026, 9, 1), **_kw(officer)
    )
    refused = _error(
        lambda: appeals.record_no_appeal(case, decided_on=D(2026, 10, 2), **_kw(officer))
    )
    assert "record the tribunal's decision" in refused.message


# --- The case goes on after the order -------------------------------------------------------


def _registered(case: Case, officer: Any, notice_on: dt.date, on: dt.date) -> None:
    appeals.record_appeal_registered(case, registered_on=on, notice_on=notice_on, **_kw(officer))


def test_an_order_to_make_a_plan_reopens_the_case_for_the_draft_and_final_plan(
    child, officer
) -> None:
    kw = _kw(officer)
    case = open_case_from_request(child, received_on=D(2025, 9, 1), source=1, officer=officer, **kw)
    record_decision_to_assess(case, decided_on=D(2025, 10, 6), outcome="assess", **kw)
    record_decision_not_to_issue(case, decided_on=D(2026, 1, 12), **kw)
    case.refresh_from_db()
    assert case.stage == Stage.NOT_ISSUED
    _registered(case, officer, D(2026, 1, 12), D(2026, 2, 10))
    appeals.record_tribunal_decision(
        case, decided_on=D(2026, 6, 1), outcome="upheld", order_kind="make_plan", **kw
    )
    case.refresh_from_db()
    assert (case.stage, case.closed_on) == (Stage.ASSESSING, None)
    assert case.request.not_to_issue_on == D(2026, 1, 12)  # the history is kept
    entry = AuditEntry.objects.filter(case=case).latest("pk")
    assert entry.payload == {
        "outcome": "upheld",
        "order_kind": "make_plan",
        "reopened": "assessment",
        "from_stage": "not_issued",
    }

    record_draft_plan(case, issued_on=D(2026, 6, 29), **kw, content=lawful_content(("ASD",)))
    appeals.record_order_complied(case, complied_on=D(2026, 6, 29), stage="draft", **kw)
    place(case, **kw)  # section I names its setting
    record_final_plan(
        case,
        issued_on=D(2026, 8, 10),
        **kw,
        content=lawful_content(("ASD",)),
    )
    appeal = appeals.record_order_complied(case, complied_on=D(2026, 8, 10), stage="final", **kw)
    assert appeal.complied_on == D(2026, 8, 10)
    assert _rows(case, "tribunal_order_make_plan") == {
        "2026-06-01/draft": (D(2026, 7, 6), "met"),
        "2026-06-01/final": (D(2026, 8, 17), "met"),
    }
    case.refresh_from_db()
    assert case.stage == Stage.PLAN and not case.disputed
    assert case.plan.status == "active" and case.plan.first_issued_on == D(2026, 8, 10)
    assert _rows(case, "annual_review_meeting") == {"2026-08-10": (D(2027, 8, 10), "open")}


def test_a_conceded_assessment_appeal_reopens_the_refused_request(child, officer) -> None:
    case = _refused(child, officer, D(2026, 9, 1))
    _registered(case, officer, D(2026, 9, 1), D(2026, 9, 20))
    appeals.record_tribunal_decision(
        case, decided_on=D(2026, 10, 1), outcome="conceded", order_kind="assess", **_kw(officer)
    )
    case.refresh_from_db()
    assert (case.stage, case.closed_on) == (Stage.ASSESSING, None)
    record_draft_plan(
        case, issued_on=D(2026, 11, 2), **_kw(officer), content=lawful_content(("ASD",))
    )
    assert Case.objects.get(pk=case.pk).stage == Stage.DRAFT


def _ceased(child: Any, officer: Any) -> tuple[Case, Any, Any]:
    """A plan ceased after a review decided to cease it (the notice of 2 June 2025), with one
    placement the ceasing closed and one that had ended before."""
    from sendcase.placements.models import Placement

    kw = _kw(officer)
    case = _plan(child, officer, D(2024, 6, 3))
    # the placement the final plan named becomes the one that ended before
    earlier = Placement.objects.get(plan=case.plan)
    earlier.leaving_date = D(2024, 12, 20)
    earlier.save(update_fields=["leaving_date"])
    current = Placement.objects.create(
        plan=case.plan, sen_setting="OTH", entry_date=D(2025, 1, 6), setting_type="other"
    )
    record_review_meeting(case, meeting_on=D(2025, 5, 20), **kw)
    record_review_decision(case, decided_on=D(2025, 6, 2), outcome="cease", **kw)
    cease_plan(case, cease_date=D(2025, 8, 31), reason=2, **kw)
    case.refresh_from_db()
    current.refresh_from_db()
    assert case.stage == Stage.CEASED and current.leaving_date == D(2025, 8, 31)
    return case, earlier, current


def test_registering_an_appeal_against_the_cease_puts_the_plan_back(child, officer) -> None:
    """The defect in issue 12: an appeal against a decision to cease, registered (or recorded)
    after the plan was recorded as ended, left the plan ceased. The appeal keeps the plan in force
    until it is decided (CFA 2014 s45(4)): registering it reinstates the plan and its placements;
    the order to continue then changes no stage."""
    kw = _kw(officer)
    case, earlier, current = _ceased(child, officer)
    _registered(case, officer, D(2025, 6, 2), D(2025, 7, 15))
    case.refresh_from_db()
    assert (case.stage, case.closed_on, case.plan.status) == (Stage.PLAN, None, "active")
    entry = AuditEntry.objects.filter(case=case).latest("pk")
    assert entry.payload["reopened"] == "plan" and "plan reinstated" in entry.summary
    current.refresh_from_db()
    assert current.leaving_date is None
    appeals.record_tribunal_decision(
        case, decided_on=D(2026, 1, 15), outcome="upheld", order_kind="continue", **kw
    )
    case.refresh_from_db()
    assert (case.stage, case.closed_on) == (Stage.PLAN, None)
    plan = case.plan
    assert (plan.status, plan.cease_date, plan.cease_reason) == ("active", None, None)
    current.refresh_from_db()
    earlier.refresh_from_db()
    assert current.leaving_date is None
    assert earlier.leaving_date == D(2024, 12, 20)
    entry = AuditEntry.objects.filter(case=case, summary__startswith="Appeal registered").get()
    assert entry.payload["reopened"] == "plan"
    assert entry.payload["cease_date"] == "2025-08-31" and entry.payload["cease_reason"] == 2
    assert entry.payload["placements_reopened"] == 1
    assert case.disputed  # until the council records that it continued the plan

    appeal = appeals.record_order_complied(case, complied_on=D(2026, 1, 15), **kw)
    assert appeal.complied_on == D(2026, 1, 15) and not _disputed(case)
    assert _rows(case, "tribunal_order_continue") == {"2026-01-15": (D(2026, 1, 15), "met")}
    # The annual reviews resume: the next meeting is owed 12 months after the last one.
    assert _rows(case, "annual_review_meeting")["2025-05-20"] == (D(2026, 5, 20), "overdue")
    record_review_meeting(case, meeting_on=D(2026, 5, 11), **kw)
    rows = _rows(case, "annual_review_meeting")
    assert rows["2025-05-20"] == (D(2026, 5, 20), "met")
    assert rows["2026-05-11"] == (D(2027, 5, 11), "open")
    assert Case.objects.get(pk=case.pk).stage == Stage.PLAN


@pytest.mark.parametrize("order_kind", ["amend", "setting"])
def test_orders_to_amend_or_change_the_setting_change_no_stage(child, officer, order_kind) -> None:
    kw = _kw(officer)
    case = _plan(child, officer, D(2026, 3, 2))
    _registered(case, officer, D(2026, 3, 2), D(2026, 4, 1))
    appeals.record_tribunal_decision(
        case, decided_on=D(2026, 9, 1), outcome="upheld", order_kind=order_kind, **kw
    )
    case.refresh_from_db()
    assert (case.stage, case.closed_on, case.plan.status) == (Stage.PLAN, None, "active")
    entry = AuditEntry.objects.filter(case=case).latest("pk")
    assert "reopened" not in entry.payload


def test_an_order_to_assess_a_case_not_refused_changes_no_stage(child, officer) -> None:
    """The continue order on a plan not yet ceased (the cease decision is still to take effect)
    leaves the plan as it is."""
    kw = _kw(officer)
    case = _plan(child, officer, D(2024, 6, 3))
    record_review_meeting(case, meeting_on=D(2025, 5, 20), **kw)
    record_review_decision(case, decided_on=D(2025, 6, 2), outcome="cease", **kw)
    _registered(case, officer, D(2025, 6, 2), D(2025, 7, 15))
    appeals.record_tribunal_decision(
        case, decided_on=D(2026, 1, 15), outcome="upheld", order_kind="continue", **kw
    )
    case.refresh_from_db()
    assert (case.stage, case.plan.status, case.plan.cease_date) == (Stage.PLAN, "active", None)


def test_orders_and_concessions_fit_the_decision_appealed(child, officer) -> None:
    kw = _kw(officer)
    case = _plan(child, officer, D(2026, 6, 1))  # the final plan's contents
    appeals.record_appeal_registered(
        case, registered_on=D(2026, 7, 1), notice_on=D(2026, 6, 1), **kw
    )
    for outcome, kind, words in (
        ("upheld", "continue", "can only be to amend the plan (its contents) or change the school"),
        ("conceded", "assess", "can only be to amend the plan (its contents)"),
    ):
        e = _error(
            lambda outcome=outcome, kind=kind: appeals.record_tribunal_decision(
                case, decided_on=D(2026, 10, 1), outcome=outcome, order_kind=kind, **kw
            )
        )
        assert e.field == "order_kind" and words in e.message, e.message
    appeal = appeals.record_tribunal_decision(
        case, decided_on=D(2026, 10, 1), outcome="upheld", order_kind="setting", **kw
    )
    assert appeal.order_kind == "setting"
