"""The finance screens in Chromium: axe finds no serious or critical problems on each, with
and without an error, and a finance officer records a fee and sets a band's rate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sendcase.accounts.models import Role, User
from sendcase.casework.scenarios import build_case
from sendcase.core.actors import SystemActor
from sendcase.core.codes import SettingType
from sendcase.finance import actions
from sendcase.finance.costing import financial_year
from sendcase.finance.models import CostLine
from sendcase.placements.models import Placement, Setting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ACTOR = SystemActor("test")


def test_finance_pages_pass_axe_and_forms_work(officer, signed_in_page, assert_accessible):
    year = financial_year(dt.date.today())  # noqa: DTZ011 - the pages' own day
    band = actions.add_band(setting_type=SettingType.MAINTAINED_SPECIAL, code="C", actor=ACTOR)
    actions.set_band_rate(band, financial_year=year, place_funding=Decimal(10000),
                          top_up=Decimal(15000), actor=ACTOR)  # fmt: skip
    setting = Setting.objects.create(
        name="Cedar House School", urn="200001", kind=Setting.Kind.INDEPENDENT_SPECIAL,
        phase="all_through", la_code="855",
    )  # fmt: skip
    case = build_case(stage="plan", officer=officer, weeks_ago=60)
    placement = Placement.objects.create(
        plan=case.plan, setting=setting, entry_date=dt.date(2024, 9, 1),
        setting_type=SettingType.INDEPENDENT_SPECIAL,
    )  # fmt: skip
    finance = User.objects.create_user(
        username="finance", password="correct horse battery", role=Role.FINANCE_OFFICER
    )
    page = signed_in_page(finance)
    for url in (
        "/finance/",
        "/finance/bands/",
        "/finance/history/",
        f"/finance/plans/{case.plan.pk}/costs/",
        "/finance/budget/",
        "/finance/demand/",
        "/finance/workforce/",
        "/finance/placements/?by=area&value=In+the+council%27s+area",
        "/finance/placements/without-a-cost/",  # the fee at Cedar House waits for finance
    ):
        assert page.goto(url).status == 200, url
        assert_accessible(page)
    # Record a weekly residential fee: first with the weeks missing, then complete.
    page.goto(f"/finance/plans/{case.plan.pk}/costs/")
    page.get_by_label("Independent, non-maintained or specialist post-16 fee").check()
    page.get_by_label("Placement (for a band, a top-up or a fee)").select_option(str(placement.pk))
    page.get_by_label("Amount (£)").fill("2500")
    page.get_by_label("per week").check()
    page.locator("#id_starts_on_day").fill("1")
    page.locator("#id_starts_on_month").fill("9")
    page.locator("#id_starts_on_year").fill("2024")
    page.get_by_role("button", name="Record the cost").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("Weeks a year (for a weekly fee)").fill("38")
    page.get_by_role("button", name="Record the cost").click()
    assert page.get_by_text("Cost recorded").is_visible()
    assert CostLine.objects.get(plan=case.plan).weeks == 38
    assert_accessible(page)
    # Set next year's rate for the band.
    page.goto(f"/finance/bands/{band.pk}/{year + 1}/")
    page.get_by_role("button", name="Save the rate").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("Element 2 place funding, per year (£)").fill("10000")
    page.get_by_label("Element 3 top-up, per year (£)").fill("15500")
    page.get_by_role("button", name="Save the rate").click()
    assert "saved" in page.locator(".govuk-notification-banner").inner_text()
