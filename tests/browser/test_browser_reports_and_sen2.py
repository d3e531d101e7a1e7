"""The reporting and SEN2 screens in Chromium: axe finds no serious or critical problems."""

from __future__ import annotations

import pytest

from sendcase.accounts.models import Role, User
from sendcase.casework.scenarios import build_case
from sendcase.placements.models import Setting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reporting_and_sen2_pages_pass_axe(officer, head, signed_in_page, assert_accessible):
    for stage, weeks in (("requested", 3), ("assessing", 8), ("draft", 21), ("reviewed", 90)):
        build_case(stage=stage, officer=officer, weeks_ago=weeks)
    page = signed_in_page(head)
    for url in (
        "/reports/",
        "/reports/committee/",
        "/reports/questions/",
        "/reports/comparators/",
    ):
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page)
    # Follow a figure to the cases behind it.
    page.goto("/reports/")
    drill = page.locator("main a[href^='/reports/cases/']").first
    href = drill.get_attribute("href")
    assert href, "the dashboard links no figure to its cases"
    response = page.goto(href)
    assert response.status == 200
    assert_accessible(page)

    data_officer = User.objects.create_user(
        username="data", password="correct horse battery", role=Role.DATA_OFFICER
    )
    placeholder = Setting.objects.create(
        name="Setting with URN 123456 (not in the register)",
        urn="123456",
        kind=Setting.Kind.MAINTAINED_MAINSTREAM,
        phase="all_through",
        placeholder=True,
    )
    page = signed_in_page(data_officer)
    edit = f"/settings-register/{placeholder.pk}/"
    for url in ("/sen2/", "/sen2/data-quality/", "/settings-register/", edit):
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page)
    # The settings form with its errors shown.
    page.goto(edit)
    page.get_by_role("button", name="Save the setting").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
