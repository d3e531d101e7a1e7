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
    officer_page = signed_in_page(officer)  # the complaint's deadline on the case page
    assert officer_page.goto(f"/cases/{case.pk}/").status == 200
    assert officer_page.locator("#complaint-deadline-table").is_visible()
    assert_accessible(officer_page)


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


def test_strategy_and_bulletin_pages_pass_axe(officer, head, signed_in_page, assert_accessible):
    from sendcase.inspection import bulletin
    from sendcase.inspection.demo import seed_strategy
    from sendcase.inspection.models import StrategyAction, StrategyOutcome, Workstream

    today = dt.date.today()
    build_case(stage="plan", officer=officer, weeks_ago=40, today=today)
    seed_strategy(today=today)
    outcome, stream = StrategyOutcome.objects.first(), Workstream.objects.first()
    action = StrategyAction.objects.first()
    term = bulletin.recent_terms(today)[1].start.isoformat()
    page = signed_in_page(head)
    _check(
        page,
        assert_accessible,
        [
            "/inspection/strategy/",
            "/inspection/strategy/change/",
            "/inspection/strategy/outcomes/new/",
            f"/inspection/strategy/outcomes/{outcome.pk}/",
            f"/inspection/strategy/workstreams/{stream.pk}/",
            f"/inspection/strategy/actions/{action.pk}/",
            "/inspection/bulletin/",
            f"/inspection/bulletin/?term={term}",
            f"/inspection/bulletin/commentary/?term={term}",
        ],
    )
    page.goto(f"/inspection/strategy/actions/new/?workstream={stream.pk}")
    page.get_by_role("button", name="Save").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.get_by_text("Enter the action").first.is_visible()
    assert_accessible(page)
