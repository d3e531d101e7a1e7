"""The reporting and SEN2 screens in Chromium: axe finds no serious or critical problems."""

from __future__ import annotations

import pytest

from sendcase.accounts.models import Role, User
from sendcase.casework.scenarios import build_case

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
    page = signed_in_page(data_officer)
    for url in ("/sen2/", "/sen2/data-quality/"):
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page)
