"""Schools and professional services in Chromium, signed in through the loopback OpenID Connect
provider (GOV.UK One Login's protocol): an educational psychologist uploads advice and the case's
advice deadline is met that day; their manager sees the service's requests and gives one out; a
SENCO answers a consultation and uploads a review report, and the `review_report` row is met;
a SENCO records a review meeting, then uploads its report.
axe on every page at desktop width and at 375 px (assert_accessible)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sendcase.casework.models import Deadline
from sendcase.portal.work_testing import PDF, another_pupil, build_work

pytestmark = pytest.mark.browser


@pytest.fixture
def one_login(settings, oidc_provider):
    settings.SENDCASE_ONE_LOGIN_DISCOVERY_URL = oidc_provider["discovery"]
    settings.SENDCASE_ONE_LOGIN_CLIENT_ID = oidc_provider["portal_client_id"]
    settings.SENDCASE_ONE_LOGIN_PRIVATE_KEY_FILE = oidc_provider["portal_key_file"]
    return oidc_provider


def _as_provider_person(person, provider, username):
    """The test provider knows this person as `sub-USERNAME`: the same One Login account."""
    person.issuer = provider["issuer"]
    person.subject = f"sub-{username}"
    person.save()


def _sign_in(page, provider, username):
    page.goto("/portal/")
    page.get_by_role("button", name="Sign in with GOV.UK One Login").click()
    page.wait_for_url(f"{provider['issuer']}/authorize**")
    page.fill("#username", username)
    page.fill("#password", provider["password"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/portal/" in url and "/authorize" not in url)


def _upload(page, name):
    page.set_input_files(
        "#id_file", files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF}]
    )


def test_a_psychologist_uploads_advice_and_the_advice_deadline_is_met(
    one_login, anonymous_page, assert_accessible, live_server, officer
):
    world = build_work(officer)
    _as_provider_person(world.people["psychologist"], one_login, "psychologist")
    today = timezone.localdate()
    page = anonymous_page()
    _sign_in(page, one_login, "psychologist")
    page.goto("/portal/advice/")
    assert page.get_by_role("heading", name="Advice requests").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name=world.assessing.child.full_name).click()
    page.wait_for_url(f"**/portal/advice/{world.assignment.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Tell the council about a missed appointment").click()
    page.get_by_role("button", name="Tell the council").click()  # empty: the GOV.UK errors
    assert page.locator(".govuk-error-summary").get_by_text("Enter what happened").is_visible()
    assert_accessible(page)
    page.goto(f"/portal/advice/{world.assignment.pk}/")
    page.get_by_role("button", name="Send the advice").click()  # no file: the GOV.UK error
    assert page.locator(".govuk-error-summary").get_by_text("Select a file").is_visible()
    assert_accessible(page)
    _upload(page, "EP advice.pdf")
    page.get_by_role("button", name="Send the advice").click()
    page.wait_for_url(f"**/portal/advice/{world.assignment.pk}/")
    assert today.strftime("%-d %B %Y") in page.locator("#received").inner_text()
    row = Deadline.objects.get(case=world.assessing, key="advice_due")
    assert row.completed_on == today and row.status == "met"
    assert_accessible(page)
    page.goto(f"/portal/advice/{world.assignment.pk}/missed-appointment/")
    assert page.locator("h1").inner_text() == "Page not found"  # nothing waiting now
    # Nothing they were not asked for: another case, a school's page, a staff page.
    assert page.goto(f"/portal/school/reviews/{world.pupil.pk}/").status == 404
    assert page.goto(f"/portal/services/{world.service.pk}/advice/").status == 404
    assert page.goto(f"/portal/cases/{world.assessing.pk}/").status == 404


def test_a_service_manager_sees_the_requests_and_gives_one_out(
    one_login, anonymous_page, assert_accessible, live_server, officer
):
    world = build_work(officer, assign=False)
    manager = world.people["manager"]
    _as_provider_person(manager, one_login, "psychologist")  # the provider's second professional
    page = anonymous_page()
    _sign_in(page, one_login, "psychologist")
    page.goto(f"/portal/services/{world.service.pk}/advice/")
    assert "Not given to anyone" in page.content()
    assert_accessible(page)
    page.locator(
        f"a[href='/portal/services/{world.service.pk}/advice/{world.assignment.pk}/assign/']"
    ).click()
    page.get_by_role("button", name="Give them the request").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.select_option("#id_member", label="Psychologist")
    page.get_by_role("button", name="Give them the request").click()
    page.wait_for_url(f"**/portal/services/{world.service.pk}/advice/")
    assert "Psychologist" in page.locator("#waiting").inner_text()
    assert_accessible(page)
    # The advice list of a manager with nothing given to them.
    page.goto("/portal/advice/")
    assert_accessible(page)


def test_a_senco_answers_a_consultation_and_uploads_a_review_report(
    one_login, anonymous_page, assert_accessible, live_server, officer
):
    world = build_work(officer)
    _as_provider_person(world.people["senco"], one_login, "senco")
    today = timezone.localdate()
    page = anonymous_page()
    _sign_in(page, one_login, "senco")
    page.goto("/portal/school/")
    assert page.get_by_role("heading", name="Consultations and annual reviews").is_visible()
    assert_accessible(page)
    # The consultation on being named: answered within its 15 days.
    page.get_by_role("link", name=world.draft.child.full_name).click()
    assert_accessible(page)
    page.get_by_role("button", name="Send your answer").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("Yes, we can meet the needs").check()
    page.fill("#id_reasons", "We already support two pupils with similar needs.")
    page.get_by_role("button", name="Send your answer").click()
    assert page.locator("#answer").get_by_text("You can meet the needs").is_visible()
    assert Deadline.objects.get(case=world.draft, key="setting_consultation").status == "met"
    assert_accessible(page)
    # The review report, whose 2-week deadline is shown.
    page.goto("/portal/school/")
    page.get_by_role("link", name=world.pupil.child.full_name).click()
    page.wait_for_url(f"**/portal/school/reviews/{world.pupil.pk}/")
    row = Deadline.objects.get(case=world.pupil, key="review_report")
    assert row.due.strftime("%-d %B %Y") in page.locator("#report").inner_text()
    assert_accessible(page)
    _upload(page, "Annual review report.pdf")
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_url(f"**/portal/school/reviews/{world.pupil.pk}/")
    row = Deadline.objects.get(case=world.pupil, key="review_report")
    assert row.completed_on == today and row.status == "met"
    assert "Sent" in page.locator("#report").inner_text()
    assert_accessible(page)
    # Not the psychologist's work, nor a case the school was not linked to.
    assert page.goto(f"/portal/advice/{world.assignment.pk}/").status == 404
    assert page.goto(f"/portal/school/reviews/{world.assessing.pk}/").status == 404


def test_a_senco_records_the_review_meeting_then_uploads_the_report(
    one_login, anonymous_page, assert_accessible, live_server, officer
):
    import datetime as dt

    world = build_work(officer)
    pupil = another_pupil(world, officer)
    _as_provider_person(world.people["senco"], one_login, "senco")
    today = timezone.localdate()
    held = today - dt.timedelta(days=2)
    page = anonymous_page()
    _sign_in(page, one_login, "senco")
    page.goto(f"/portal/school/reviews/{pupil.pk}/")
    assert page.get_by_role("heading", name="Record the review meeting").is_visible()
    assert_accessible(page)
    # A date in the future: the GOV.UK error, on the meeting's own page.
    tomorrow = today + dt.timedelta(days=1)
    page.fill("#id_meeting_on_day", str(tomorrow.day))
    page.fill("#id_meeting_on_month", str(tomorrow.month))
    page.fill("#id_meeting_on_year", str(tomorrow.year))
    page.get_by_role("button", name="Record the meeting").click()
    page.wait_for_url(f"**/portal/school/reviews/{pupil.pk}/meeting/")
    assert page.locator(".govuk-error-summary").get_by_text("today or in the past").is_visible()
    assert_accessible(page)
    page.fill("#id_meeting_on_day", str(held.day))
    page.fill("#id_meeting_on_month", str(held.month))
    page.fill("#id_meeting_on_year", str(held.year))
    page.get_by_role("button", name="Record the meeting").click()
    page.wait_for_url(f"**/portal/school/reviews/{pupil.pk}/")
    row = Deadline.objects.get(case=pupil, key="review_report")
    assert row.completed_on is None
    assert row.due.strftime("%-d %B %Y") in page.locator("#report").inner_text()
    assert held.strftime("%-d %B %Y") in page.locator("#review").inner_text()
    assert_accessible(page)
    _upload(page, "Annual review report.pdf")
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_url(f"**/portal/school/reviews/{pupil.pk}/")
    row = Deadline.objects.get(case=pupil, key="review_report")
    assert row.completed_on == today and row.status == "met"
    # The next meeting waits for the council's decision on this one.
    page.goto(f"/portal/school/reviews/{pupil.pk}/meeting/")
    assert "council records its decision next" in page.locator("#meeting").inner_text()
    assert_accessible(page)


def test_the_officers_pages_for_sending_work(signed_in_page, assert_accessible, officer):
    world = build_work(officer)
    page = signed_in_page(officer)
    page.goto(f"/online-access/cases/{world.assessing.pk}/consult/")
    page.get_by_role("button", name="Consult them").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.goto(f"/online-access/cases/{world.assessing.pk}/advice/{world.advice.pk}/send/")
    assert_accessible(page)
