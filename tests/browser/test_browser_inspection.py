"""The FOI, subject access, complaint, chronology and Annex A screens in Chromium: axe finds no
serious or critical problems, with and without errors on the forms."""

from __future__ import annotations

import datetime as dt

import pytest

from sendcase.accounts.models import Role, User
from sendcase.casework.scenarios import build_case
from sendcase.information import actions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, assert_accessible, urls) -> None:
    for url in urls:
        assert page.goto(url).status == 200, url
        assert_accessible(page)


def test_information_pages_pass_axe(officer, head, signed_in_page, assert_accessible):
    today = dt.date.today()
    case = build_case(stage="plan", officer=officer, weeks_ago=40, today=today)
    ig = User.objects.create_user(username="ig", password="correct horse battery", role=Role.INFORMATION_GOVERNANCE)  # fmt: skip
    foi = actions.log_foi(requester="A journalist", received_on=today, question="How many plans?", actor=ig)  # fmt: skip
    complaint = actions.log_complaint(case, complainant="Jo", summary="Slow", received_on=today, actor=officer)  # fmt: skip
    sar = actions.log_sar(case.child, requester="Jo", relationship="Mother", received_on=today, actor=ig)  # fmt: skip
    actions.verify_sar_identity(sar, verified_on=today, evidence="Passport", actor=ig)
    page = signed_in_page(ig)
    query = f"count=requests_received&by=&kind=calendar&first={today.year - 1}&last={today.year}"
    _check(
        page,
        assert_accessible,
        [
            "/information/foi/",
            "/information/foi/new/",
            f"/information/foi/{foi.pk}/",
            f"/information/foi/{foi.pk}/answer/?{query}",
            f"/information/foi-assign/{foi.pk}/",
            "/information/complaints/",
            f"/information/complaints/{complaint.pk}/",
            f"/information/complaint-respond/{complaint.pk}/",
            "/information/sar/",
            "/information/sar/new/?surname=Example",
            f"/information/sar/{sar.pk}/",
            f"/information/sar-extend/{sar.pk}/",
        ],
    )
    assert page.get_by_text("fewer than 5").count() == 0  # the SAR page: no table
    page.goto("/information/foi/new/")
    page.get_by_role("button", name="Log request").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.goto(f"/information/complaint-respond/{complaint.pk}/")
    page.get_by_role("button", name="Record response").click()
    assert page.get_by_text("Select the outcome").first.is_visible()
    assert_accessible(page)


def test_inspection_pages_pass_axe(officer, signed_in_page, assert_accessible):
    today = dt.date.today()
    case = build_case(stage="reviewed", officer=officer, weeks_ago=80, today=today)
    data = User.objects.create_user(username="data", password="correct horse battery", role=Role.DATA_OFFICER)  # fmt: skip
    page = signed_in_page(data)
    params = f"as_at_day={today.day}&as_at_month={today.month}&as_at_year={today.year}"
    _check(
        page,
        assert_accessible,
        [
            f"/inspection/children/{case.child_id}/chronology/",
            "/inspection/annex-a/",
            f"/inspection/annex-a/?{params}",
            f"/inspection/annex-a/check/?{params}",
            "/inspection/annex-a/census/",
        ],
    )
    page.get_by_role("button", name="Import").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
