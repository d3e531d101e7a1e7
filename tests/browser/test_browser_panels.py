"""The decision panel screens in Chromium: axe finds no serious or critical problems while a team
manager sets up a panel, builds its agenda, records attendance and a decision, and reads the
consistency figures."""

from __future__ import annotations

import datetime as dt

import pytest

from sendcase.casework.models import Case, Stage
from sendcase.casework.scenarios import build_case
from sendcase.panels.models import PanelMeeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_panel_pages_pass_axe_and_a_decision_feeds_the_case(
    manager, officer, signed_in_page, assert_accessible
):
    case = build_case(stage="requested", officer=officer, weeks_ago=3)
    held = dt.date.today() - dt.timedelta(days=1)
    page = signed_in_page(manager)
    assert page.goto("/panels/").status == 200
    assert_accessible(page)
    page.get_by_role("link", name="Set up a panel meeting").click()
    page.get_by_role("button", name="Set up the meeting").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("Name of the panel").fill("SEND decision-making panel")
    page.get_by_label("Day").fill(str(held.day))
    page.get_by_label("Month").fill(str(held.month))
    page.get_by_label("Year").fill(str(held.year))
    page.get_by_label("Whether to assess").check()
    page.get_by_role("button", name="Set up the meeting").click()
    meeting = PanelMeeting.objects.get()
    page.get_by_role("button", name="Add the cases awaiting a decision").click()
    assert page.get_by_role("link", name=case.reference, exact=True).is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Record attendance").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("Dr Rhys Evans")
    page.get_by_label("Health").check()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name=f"Record the decision on {case.reference}").click()
    assert_accessible(page)
    page.get_by_role("group", name="The case officer's recommendation").get_by_label(
        "Assess", exact=True
    ).check()
    page.get_by_role("group", name="The panel's decision").get_by_label(
        "Assess", exact=True
    ).check()
    page.get_by_label("Reasons for the panel's decision").fill("The school cannot meet the needs")
    page.get_by_role("button", name="Save the decision").click()
    assert page.get_by_text("Panel decision recorded").is_visible()
    assert Case.objects.get(pk=case.pk).stage == Stage.ASSESSING
    page.get_by_role("link", name=f"Correct the decision on {case.reference}").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save the correction").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("Reasons for the panel's decision").fill("The school cannot meet them")
    page.get_by_label("Why are you correcting the decision?").fill("Fuller minutes")
    page.get_by_role("button", name="Save the correction").click()
    assert page.get_by_text("Panel decision corrected").is_visible()
    page.goto(f"/panels/{meeting.pk}/")
    page.get_by_role("link", name="Add a case by hand").click()
    page.get_by_role("button", name="Add to the agenda").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    other = build_case(stage="requested", officer=officer, weeks_ago=2)
    page.get_by_label("Case reference").fill(other.reference)
    page.get_by_label("Whether to assess").check()
    page.get_by_role("button", name="Add to the agenda").click()
    page.get_by_role("link", name=f"Take off the agenda the case {other.reference}").click()
    page.get_by_role("button", name="Take it off the agenda").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("Why are you taking the case off the agenda?").fill("Put on by mistake")
    page.get_by_role("button", name="Take it off the agenda").click()
    assert page.get_by_text(f"{other.reference} taken off the agenda").is_visible()
    assert page.goto("/panels/consistency/").status == 200
    assert_accessible(page)
    assert meeting.items.get().agreed is True
