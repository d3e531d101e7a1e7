"""Correcting the record in headless Chromium: "Correct" and "Strike out" from the case history,
"Withdraw the request" and "Close the case", each page and its error summary checked by axe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sendcase.casework.domain.reviews import record_review_meeting
from sendcase.casework.models import Case
from sendcase.casework.scenarios import build_case

pytestmark = pytest.mark.browser


def _fill_date(page, name: str, d: dt.date) -> None:
    page.fill(f"#id_{name}_day", str(d.day))
    page.fill(f"#id_{name}_month", str(d.month))
    page.fill(f"#id_{name}_year", str(d.year))


def test_correct_and_strike_out_from_the_case_history(officer, signed_in_page, assert_accessible):
    case = build_case(stage="plan", officer=officer, weeks_ago=60)
    meeting = case.plan.first_issued_on + dt.timedelta(days=200)
    record_review_meeting(case, meeting_on=meeting, actor=officer)
    page = signed_in_page(officer)
    page.goto(f"/cases/{case.pk}/#timeline")
    page.locator("#timeline ~ ol").get_by_role("link", name="Correct annual review meeting").click()
    assert page.locator("h1").inner_text() == "Correct a step"
    assert_accessible(page)
    page.get_by_role("button", name="Correct the step").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter why the step is being corrected" in summary.inner_text()
    assert_accessible(page)
    _fill_date(page, "date", meeting + dt.timedelta(days=1))
    page.fill("#id_reason", "The minutes give the Thursday")
    page.get_by_role("button", name="Correct the step").click()
    assert "Corrected: Annual review meeting" in page.inner_text("body")
    assert "The minutes give the Thursday" in page.inner_text("#timeline ~ ol")
    assert_accessible(page)
    page.locator("#timeline ~ ol").get_by_role(
        "link", name="Strike out annual review meeting"
    ).click()
    assert "Are you sure" in page.locator("h1").inner_text()
    assert_accessible(page)
    page.fill("#id_reason", "The meeting was cancelled")
    page.get_by_role("button", name="Strike out the step").click()
    assert "Struck out: Annual review meeting" in page.inner_text("body")
    assert not Case.objects.get(pk=case.pk).events.filter(type="review_meeting").exists()


def test_withdraw_and_close_pages(officer, signed_in_page, assert_accessible):
    withdrawn = build_case(stage="assessing", officer=officer, weeks_ago=8)
    closed = build_case(stage="requested", officer=officer, weeks_ago=2)
    page = signed_in_page(officer)
    page.goto(f"/cases/{withdrawn.pk}/")
    page.get_by_role("link", name="Withdraw the request").click()
    assert_accessible(page)
    page.get_by_role("button", name="Withdraw the request").click()
    assert "Enter why the request was withdrawn" in page.inner_text(".govuk-error-summary")
    assert_accessible(page)
    assert "Enter the date the request was withdrawn" in page.inner_text(".govuk-error-summary")
    _fill_date(page, "withdrawn_on", timezone.localdate())
    page.fill("#id_reason", "The family chose a private school")
    page.get_by_role("button", name="Withdraw the request").click()
    assert "Request withdrawn and the case closed" in page.inner_text("body")
    page.goto(f"/cases/{closed.pk}/close/")
    assert_accessible(page)
    _fill_date(page, "closed_on", timezone.localdate())
    page.get_by_label("Opened in error or a duplicate").check()
    page.get_by_role("button", name="Close the case").click()
    assert "Case closed" in page.inner_text("body")


def test_a_ceasing_step_and_an_appeal_order_are_corrected(
    officer, signed_in_page, assert_accessible
):
    """The ceasing route's steps (no event of their own) from the case's ceasing section; an
    order's kind from the history."""
    from sendcase.casework.domain import appeals
    from sendcase.casework.domain.assessment import record_decision_to_assess
    from sendcase.casework.domain.phase_and_cease import consider_ceasing, record_cease_consultation

    today = timezone.localdate()
    case = build_case(stage="plan", officer=officer, weeks_ago=60)
    considered = today - dt.timedelta(days=20)
    consider_ceasing(case, considered_on=considered, reason=2, grounds="Needs met", actor=officer)
    record_cease_consultation(
        case, party="family", consulted_on=considered, views="Agrees", actor=officer
    )
    page = signed_in_page(officer)
    page.goto(f"/cases/{case.pk}/#ceasing")
    page.get_by_text("Correct or strike out a step of this ceasing").click()
    page.get_by_role("link", name="Correct family consulted about ceasing the plan").click()
    assert page.locator("h1").inner_text() == "Correct a step"
    assert_accessible(page)
    page.get_by_role("button", name="Correct the step").click()
    assert "Enter why the step is being corrected" in page.inner_text(".govuk-error-summary")
    assert_accessible(page)
    _fill_date(page, "date", considered + dt.timedelta(days=2))
    page.fill("#id_reason", "The call was on the Wednesday")
    page.get_by_role("button", name="Correct the step").click()
    assert "Corrected: Family consulted about ceasing the plan" in page.inner_text("body")
    page.get_by_text("Correct or strike out a step of this ceasing").click()
    page.get_by_role("link", name="Strike out family consulted about ceasing the plan").click()
    assert "Are you sure" in page.locator("h1").inner_text()
    assert_accessible(page)
    page.fill("#id_reason", "Recorded on the wrong case")
    page.get_by_role("button", name="Strike out the step").click()
    assert "Struck out: Family consulted" in page.inner_text("body")
    assert case.ceasings.get().family_consulted_on is None

    refused = build_case(stage="requested", officer=officer, weeks_ago=20)
    decided = today - dt.timedelta(days=100)
    record_decision_to_assess(refused, decided_on=decided, outcome="not_assess", actor=officer)
    for step, on in (("decision", 7), ("held", 14), ("certificate", 15), ("registered", 30)):
        when = decided + dt.timedelta(days=on)
        if step == "decision":
            appeals.record_mediation_decision(
                refused, notice_on=decided, decided_on=when, wants_mediation=True, actor=officer
            )
        elif step == "held":
            appeals.record_mediation_held(refused, held_on=when, actor=officer)
        elif step == "certificate":
            appeals.record_mediation_certificate(refused, issued_on=when, actor=officer)
        else:
            appeals.record_appeal_registered(
                refused, registered_on=when, notice_on=decided, actor=officer
            )
    appeals.record_tribunal_decision(
        refused,
        decided_on=today - dt.timedelta(days=10),
        outcome="upheld",
        order_kind="assess",
        actor=officer,
    )
    page.goto(f"/cases/{refused.pk}/#timeline")
    page.locator("#timeline ~ ol").get_by_role("link", name="Correct tribunal order").click()
    assert_accessible(page)
    page.get_by_label("What the council must do").select_option("make_plan")
    page.fill("#id_reason", "Misread the order")
    page.get_by_role("button", name="Correct the step").click()
    assert "Select an order the tribunal can make" in page.inner_text(".govuk-error-summary")
    assert_accessible(page)
