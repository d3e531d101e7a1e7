"""The family's part of the portal in Chromium, signed in through the loopback OpenID Connect
provider (never around it): a parent asks for an assessment, the officer finds it in the queue
and records the decision, the parent sees the decision and its letter; a parent comments on the
draft plan within its window and the officer sees the comment beside the section; messages.
axe at desktop width and at 375 px on every new page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sendcase.casework.models import Case
from sendcase.casework.scenarios import build_case
from sendcase.portal.models import CaseLink, ExternalPerson, Relationship

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 812}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def one_login(settings, oidc_provider, team):
    settings.SENDCASE_ONE_LOGIN_DISCOVERY_URL = oidc_provider["discovery"]
    settings.SENDCASE_ONE_LOGIN_CLIENT_ID = oidc_provider["portal_client_id"]
    settings.SENDCASE_ONE_LOGIN_PRIVATE_KEY_FILE = oidc_provider["portal_key_file"]
    settings.SENDCASE_PORTAL_REQUEST_TEAM = team.name
    return oidc_provider


def _accessible(page, assert_accessible):
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size({"width": 1280, "height": 800})


def _sign_in(page, provider, live_server, username="parent"):
    page.goto("/portal/")
    page.get_by_role("button", name="Sign in with GOV.UK One Login").click()
    page.wait_for_url(f"{provider['issuer']}/authorize**")
    page.fill("#username", username)
    page.fill("#password", provider["password"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/portal/**")


def _fill_date(page, name: str, d: dt.date) -> None:
    page.fill(f"#id_{name}_day", str(d.day))
    page.fill(f"#id_{name}_month", str(d.month))
    page.fill(f"#id_{name}_year", str(d.year))


def test_a_parent_asks_and_sees_the_officers_decision_and_its_letter(
    one_login, anonymous_page, signed_in_page, assert_accessible, live_server, officer, tmp_path
):
    page = anonymous_page()
    _sign_in(page, one_login, live_server)
    page.goto("/portal/ask/")
    _accessible(page, assert_accessible)
    page.get_by_role("button", name="Send the request").click()  # empty: GOV.UK errors
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.get_by_text("Enter why you are asking for an assessment").first.is_visible()
    _accessible(page, assert_accessible)
    page.get_by_label("Parent or carer").check()
    page.fill("#id_forename", "Robin")
    page.fill("#id_surname", "Onlineask")
    _fill_date(page, "date_of_birth", dt.date(2016, 4, 3))
    page.fill("#id_why", "Robin cannot yet read and is very anxious at school.")
    page.get_by_label("Yes").check()
    report = tmp_path / "school-report.pdf"
    report.write_bytes(PDF)
    page.set_input_files("#id_evidence", str(report))
    page.get_by_label("I agree that the council may share").check()
    page.get_by_role("button", name="Send the request").click()
    page.get_by_role("heading", name="Request sent").wait_for()
    _accessible(page, assert_accessible)
    case = Case.objects.get(child__surname="Onlineask")
    assert case.request.received_on == timezone.localdate()

    # The officer finds it in the team's queue and records the decision on the staff screen.
    staff = signed_in_page(officer)
    staff.goto("/cases/?officer=none")
    staff.get_by_role("link", name="Robin Onlineask").click()
    staff.get_by_role("link", name="Record the decision whether to assess").click()
    _fill_date(staff, "decided_on", timezone.localdate())
    staff.get_by_label("Decided to assess").check()
    staff.get_by_role("button", name="Save").click()
    assert "Decision to assess recorded" in staff.content()

    # The parent sees the decision and its letter.
    page.goto(f"/portal/cases/{case.pk}/")
    assert "carrying out an EHC needs assessment" in page.locator("#stage").inner_text()
    _accessible(page, assert_accessible)
    page.get_by_role("link", name="Your letters, the plan and documents").click()
    letter = page.locator("#letters a", has_text="Decision to assess")
    assert letter.count() == 1
    assert page.locator("#documents", has_text="school-report.pdf").count() == 1
    _accessible(page, assert_accessible)
    with page.expect_download() as got:
        letter.click()
    assert got.value.suggested_filename.endswith(".pdf")
    for path in ("views/", "rights/", "messages/"):
        page.goto(f"/portal/cases/{case.pk}/{path}")
        _accessible(page, assert_accessible)


def test_a_parent_comments_on_the_draft_and_the_officer_sees_it(
    one_login, anonymous_page, signed_in_page, assert_accessible, live_server, officer
):
    case = build_case(stage="draft", officer=officer, weeks_ago=4)
    person = ExternalPerson.objects.create(
        issuer=one_login["issuer"], subject="sub-parent", name="Parent"
    )
    CaseLink.objects.create(
        case=case, person=person, relationship=Relationship.PARENT_CARER, via=CaseLink.Via.COUNCIL
    )
    page = anonymous_page()
    _sign_in(page, one_login, live_server)
    page.goto(f"/portal/cases/{case.pk}/")
    page.get_by_role("link", name="Comment on the draft plan").click()
    closes = case.deadlines.get(key="draft_comments_window").due
    assert str(closes.year) in page.locator("#window").inner_text()
    _accessible(page, assert_accessible)
    page.get_by_role("button", name="Send your comments").click()  # nothing entered
    assert page.locator(".govuk-error-summary").is_visible()
    _accessible(page, assert_accessible)
    page.get_by_label("Your comments on section F").fill("Speech and language therapy weekly.")
    page.get_by_label("The school, college or other setting").fill("Hill School, near home")
    page.get_by_label("Would you like a meeting").fill("Yes, after 3pm.")
    page.get_by_role("button", name="Send your comments").click()
    page.get_by_text("Your comments were sent").wait_for()
    assert "Speech and language therapy weekly." in page.locator("#sent").inner_text()

    # And a message to the case officer, which waits in the queue.
    page.goto(f"/portal/cases/{case.pk}/messages/")
    page.fill("#id_body", "Can we meet next week?")
    page.get_by_role("button", name="Send message").click()
    page.get_by_text("Your message was sent").wait_for()
    _accessible(page, assert_accessible)

    staff = signed_in_page(officer)
    staff.goto("/cases/")
    waiting = staff.locator("#family-waiting")
    assert case.reference in waiting.inner_text() and "under an hour" in waiting.inner_text()
    _accessible(staff, assert_accessible)
    staff.goto(f"/cases/{case.pk}/plan/1/")
    row = staff.locator(".govuk-summary-list__row", has_text="F: Special educational provision")
    assert "Speech and language therapy weekly." in row.inner_text()
    assert "Hill School, near home" in staff.locator("main").inner_text()
    _accessible(staff, assert_accessible)
    waiting = staff.goto(f"/online-access/cases/{case.pk}/messages/")
    staff.fill("#id_body", "Yes: Tuesday at 4pm.")
    staff.get_by_role("button", name="Send reply").click()
    staff.get_by_text("Your reply was sent").wait_for()
    _accessible(staff, assert_accessible)
    page.reload()
    assert "Yes: Tuesday at 4pm." in page.locator("#thread").inner_text()


def test_a_request_for_a_child_who_may_be_known_is_checked_by_an_officer(
    one_login, anonymous_page, signed_in_page, assert_accessible, live_server, officer
):
    from sendcase.portal import family_actions

    known = build_case(stage="requested", officer=officer, weeks_ago=2)
    page = anonymous_page()
    _sign_in(page, one_login, live_server)
    person = ExternalPerson.objects.get(subject="sub-parent")
    ask = family_actions.ask_for_assessment(
        person,
        relationship=Relationship.PARENT_CARER,
        forename=known.child.forename,
        surname=known.child.surname,
        date_of_birth=known.child.date_of_birth,
        why="Needs",
        consent=True,
    )
    page.goto("/portal/contact/")
    _accessible(page, assert_accessible)
    page.get_by_role("radio", name="Text message").check()
    page.get_by_role("button", name="Save").click()  # no number: the GOV.UK error
    assert page.get_by_text("Enter a mobile phone number").first.is_visible()
    _accessible(page, assert_accessible)

    staff = signed_in_page(officer)
    staff.goto("/cases/")
    staff.get_by_role("link", name="1 online request for assessment").click()
    _accessible(staff, assert_accessible)
    staff.get_by_role("link", name=f"{known.child.forename} {known.child.surname}").click()
    _accessible(staff, assert_accessible)
    # The child has an open case: the officer is told, in plain words, and nothing opens.
    staff.get_by_label(known.child.full_name, exact=False).check()
    staff.get_by_role("button", name="Open the case").click()
    assert staff.locator(".govuk-error-summary").is_visible()
    _accessible(staff, assert_accessible)
    ask.refresh_from_db()
    assert ask.case is None
    # So the officer adds it to the child's existing case, having checked who asked.
    staff.get_by_role("link", name="Add it to the child's existing case instead").click()
    staff.wait_for_url(f"**/online-access/assessment-requests/{ask.pk}/attach/")
    _accessible(staff, assert_accessible)
    staff.get_by_role("button", name="Add the request").click()  # nothing chosen: GOV.UK errors
    assert staff.locator(".govuk-error-summary").get_by_text("Select the case").is_visible()
    _accessible(staff, assert_accessible)
    staff.get_by_label(known.reference, exact=False).check()
    staff.get_by_label("I have checked who made this request").check()
    staff.get_by_role("button", name="Add the request").click()
    staff.wait_for_url(f"**/cases/{known.pk}/")
    ask.refresh_from_db()
    assert ask.case == known and ask.status == "attached"
    assert known.contact_log.get().channel == "portal"
    page.goto(f"/portal/cases/{known.pk}/")
    assert known.reference in page.content()
