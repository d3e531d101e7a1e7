"""Every appealable decision starts an appeal window (CFA 2014 s51(2); First-tier Tribunal rules
r20(1)): refusing to assess, not issuing a plan, the final plan, a final amended plan, and a review
decision to maintain or cease. One notice a day: decisions notified together share one window."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sendcase.casework.domain.assessment import open_case_from_request, record_decision_to_assess
from sendcase.casework.domain.plan import record_draft_plan, record_final_plan
from sendcase.casework.domain.reviews import (
    record_amendment_notice,
    record_final_amended_plan,
    record_review_decision,
    record_review_meeting,
)
from sendcase.casework.models import Case, Deadline
from sendcase.casework.scenarios import place
from sendcase.demo.plan_content import lawful_content

D = dt.date
TODAY = D(2026, 11, 25)


def _windows(case: Case) -> dict[str, tuple[dt.date | None, str, str]]:
    return {
        d.instance: (d.due, d.status, d.source)
        for d in Deadline.objects.filter(case=case, key="appeal_window")
    }


def _plan(child: Any, officer: Any, issued: dt.date) -> Case:
    kw: dict[str, Any] = {"actor": officer, "today": TODAY}
    case = open_case_from_request(child, received_on=D(2025, 9, 1), source=1, **kw)
    record_decision_to_assess(case, decided_on=D(2025, 10, 6), outcome="assess", **kw)
    record_draft_plan(
        case, issued_on=issued - dt.timedelta(days=20), **kw, content=lawful_content(("ASD",))
    )
    place(case, **kw)  # section I names its setting
    record_final_plan(case, issued_on=issued, **kw, content=lawful_content(("ASD",)))
    return case


def test_issuing_the_final_plan_opens_an_appeal_window(child, officer) -> None:
    case = _plan(child, officer, D(2026, 10, 30))  # 2 months on is 30 December 2026
    due, status, source = _windows(case)["2026-10-30"]
    assert due == D(2026, 12, 30) and status == "open" and "r20(1)" in source
    case.refresh_from_db()  # the family's window is not the council's next deadline
    assert case.next_key == "annual_review_meeting" and case.next_due == D(2027, 10, 30)


def test_month_end_windows_and_reviews_that_maintain_or_amend(child, officer) -> None:
    kw: dict[str, Any] = {"actor": officer, "today": TODAY}
    case = _plan(child, officer, D(2025, 12, 31))
    assert _windows(case)["2025-12-31"][:2] == (D(2026, 2, 28), "met")  # no 31 February
    record_review_meeting(case, meeting_on=D(2026, 3, 2), **kw)
    record_review_decision(case, decided_on=D(2026, 3, 20), outcome="amend", **kw)
    assert "2026-03-20" not in _windows(case)  # appealed through the amended plan instead
    record_amendment_notice(case, issued_on=D(2026, 3, 23), **kw)
    record_final_amended_plan(case, issued_on=D(2026, 4, 30), **kw)
    assert _windows(case)["2026-04-30"][:2] == (D(2026, 6, 30), "met")
    record_review_meeting(case, meeting_on=D(2026, 10, 1), **kw)
    record_review_decision(case, decided_on=D(2026, 10, 20), outcome="maintain", **kw)
    assert _windows(case)["2026-10-20"][:2] == (D(2026, 12, 20), "open")
    assert set(_windows(case)) == {"2025-12-31", "2026-04-30", "2026-10-20"}


def test_decisions_notified_on_one_day_share_one_window(child, officer) -> None:
    kw: dict[str, Any] = {"actor": officer, "today": TODAY}
    case = _plan(child, officer, D(2026, 6, 1))
    # a review held and decided on the day the plan was issued (possible, if unusual)
    record_review_meeting(case, meeting_on=D(2026, 6, 1), **kw)
    record_review_decision(case, decided_on=D(2026, 6, 1), outcome="maintain", **kw)
    notices = case.events.filter(type="decision_notice", date=D(2026, 6, 1))
    assert notices.count() == 1
    assert list(_windows(case)) == ["2026-06-01"]


def test_a_refusal_leaves_only_the_familys_window_and_nothing_in_the_queue(child, officer) -> None:
    kw: dict[str, Any] = {"actor": officer, "today": TODAY}
    case = open_case_from_request(child, received_on=D(2026, 10, 5), source=1, **kw)
    record_decision_to_assess(case, decided_on=D(2026, 11, 2), outcome="not_assess", **kw)
    assert _windows(case)["2026-11-02"][:2] == (D(2027, 1, 2), "open")
    case.refresh_from_db()
    assert (case.next_due, case.next_key, case.overdue_count) == (None, "", 0)
