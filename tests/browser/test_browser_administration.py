"""The administration screens in Chromium: axe finds no serious or critical problems (desktop
and 375 px), and an administrator adds a member of staff through the form, errors first."""

from __future__ import annotations

import pytest

from sendcase.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administration_pages_pass_axe_and_staff_can_be_added(
    admin_user, officer, team, signed_in_page, assert_accessible
):
    page = signed_in_page(admin_user)
    for url in (
        "/administration/",
        "/administration/staff/",
        f"/administration/staff/{officer.pk}/",
        "/administration/teams/",
        f"/administration/teams/{team.pk}/",
        "/administration/holidays/",
        "/administration/local-targets/",
        "/administration/local-targets/setting_consultation/",
    ):
        page.goto(url)
        assert_accessible(page)
    page.goto("/administration/staff/add/")
    page.fill("#id_username", "new.officer")
    page.get_by_role("button", name="Add the member of staff").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.fill("#id_first_name", "Nia")
    page.fill("#id_last_name", "Evans")
    page.fill("#id_email", "nia.evans@example.gov.uk")
    page.get_by_label("Case officer").check()
    page.select_option("#id_team", str(team.pk))
    page.get_by_role("button", name="Add the member of staff").click()
    page.wait_for_url("**/administration/staff/*/")
    assert User.objects.get(username="new.officer").team == team
    assert "Nia Evans added" in page.content()
    assert_accessible(page)
