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
