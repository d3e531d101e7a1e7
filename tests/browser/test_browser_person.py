"""The whole person in headless Chromium: the child's details and a family contact added,
changed and ended, each page checked with axe-core (with its errors showing too)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sendcase.casework.models import Child, FamilyContact
from sendcase.casework.scenarios import build_case

pytestmark = pytest.mark.browser


def test_officer_records_the_child_and_the_family(officer, signed_in_page, assert_accessible):
    case = build_case(stage="plan", officer=officer, weeks_ago=30)
    page = signed_in_page(officer)
    page.goto(f"/cases/{case.pk}/")
    assert_accessible(page)

    page.goto(f"/cases/{case.pk}/child/")
    assert_accessible(page)
    page.fill("#id_nhs_number", "943 476 5918")
    page.fill("#id_postcode", "not a postcode")
    page.get_by_role("button", name="Save the details").click()
    assert "Enter a real NHS number" in page.locator(".govuk-error-summary").inner_text()
    assert page.input_value("#id_postcode") == "not a postcode"  # never cut short
    assert_accessible(page)
    page.fill("#id_nhs_number", "943 476 5919")
    page.fill("#id_postcode", "hr1 1aa")
    page.select_option("#id_ethnicity", "BAFR")
    page.select_option("#id_first_language", "SOM")
    page.check("#id_interpreter_needed")
    page.check("#id_disability_0")
    page.get_by_role("button", name="Save the details").click()
    assert "Child's details saved" in page.locator(".govuk-notification-banner").inner_text()
    child = Child.objects.get(pk=case.child_id)
    assert (child.nhs_number, child.first_language, child.disability) == ("9434765919", "SOM", "Y")

    page.get_by_role("link", name="Add a family contact").click()
    assert_accessible(page)
    page.fill("#id_name", "Pat Other")
    page.fill("#id_relationship", "Father")
    page.check("#id_preferred_contact_0")  # email, with no address given
    page.get_by_role("button", name="Add the contact").click()
    assert "Enter an email address" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.fill("#id_email", "pat@example.org")
    page.fill("#id_address", "1 Far Street\nLudlow")
    page.fill("#id_postcode", "SY8 1AA")
    page.check("#id_withhold_address")
    page.get_by_role("button", name="Add the contact").click()
    assert "Pat Other added" in page.locator(".govuk-notification-banner").inner_text()
    assert "Do not share address" in page.locator("#family ~ .govuk-summary-card").last.inner_text()
    pat = FamilyContact.objects.get(name="Pat Other")

    page.goto(f"/cases/{case.pk}/family/{pat.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Pat Other is no longer a contact for the child").click()
    assert_accessible(page)
    today = timezone.localdate()
    page.fill("#id_ended_on_day", str(today.day))
    page.fill("#id_ended_on_month", str(today.month))
    page.fill("#id_ended_on_year", str(today.year))
    page.fill("#id_reason", "Moved away")
    page.get_by_role("button", name="End the contact").click()
    assert "no longer a current contact" in page.locator(".govuk-notification-banner").inner_text()
    pat.refresh_from_db()
    assert pat.ended_on == today
    assert_accessible(page)
