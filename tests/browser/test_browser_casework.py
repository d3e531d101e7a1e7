"""Casework in headless Chromium: the journey an officer makes, without JavaScript too, and
an axe-core walk over every casework and accounts page type."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sendcase.casework.domain import appeals
from sendcase.casework.domain.assessment import record_decision_to_assess
from sendcase.casework.domain.tasks import add_task
from sendcase.casework.models import Case
from sendcase.casework.scenarios import build_case, phone_call, place
from sendcase.core.codes import SettingType
from sendcase.demo.plan_content import lawful_content, write_plan
from sendcase.placements.models import Setting

pytestmark = pytest.mark.browser


def _fill_date(page, name: str, d: dt.date) -> None:
    page.fill(f"#id_{name}_day", str(d.day))
    page.fill(f"#id_{name}_month", str(d.month))
    page.fill(f"#id_{name}_year", str(d.year))


def test_officer_records_the_final_plan_for_the_overdue_case(
    officer, signed_in_page, assert_accessible, screenshot
):
    build_case(stage="requested", officer=officer, weeks_ago=5)
    build_case(stage="assessing", officer=officer, weeks_ago=8)
    # Overdue: the final plan went out 10 days ago but nobody has recorded it.
    overdue = build_case(stage="draft", officer=officer, weeks_ago=21)
    # The final plan was written in the editor (section I names the type of setting).
    write_plan(overdue, officer, lawful_content(setting_type=SettingType.MAINSTREAM))
    # Placed at a mainstream academy (the type section I names): a final plan names the current
    # placement.
    academy = Setting.objects.create(
        name="Beech Academy", urn="100777", kind="academy", phase="primary"
    )
    place(overdue, officer, setting=academy)
    page = signed_in_page(officer)
    assert page.url.endswith("/cases/")
    first_row = page.locator("#queue tbody tr").first
    assert first_row.get_attribute("data-case") == overdue.reference
    assert "Overdue" in first_row.inner_text()
    screenshot(page, "queue")
    first_row.get_by_role("link").click()
    assert page.locator("tr[data-key='final_plan']").get_attribute("data-status") == "overdue"
    screenshot(page, "case-before")
    page.get_by_role("link", name="Record the final plan").click()
    _fill_date(page, "issued_on", timezone.localdate() - dt.timedelta(days=10))
    page.get_by_role("button", name="Save").click()
    assert (
        "Final plan recorded as issued" in page.locator(".govuk-notification-banner").inner_text()
    )
    assert page.locator("tr[data-key='final_plan']").get_attribute("data-status") == "met"
    assert page.locator("#case-stage").inner_text() == "Plan maintained"
    screenshot(page, "case-after")
    assert_accessible(page)
    page.get_by_role("link", name="Work queue").first.click()
    assert page.locator("#queue tbody tr").first.get_attribute("data-case") != overdue.reference


def test_errors_are_shown_in_the_summary_and_at_the_field(
    officer, signed_in_page, assert_accessible
):
    case = build_case(stage="draft", officer=officer, weeks_ago=10)  # draft window still open
    page = signed_in_page(officer)
    page.goto(f"/cases/{case.pk}/steps/final-plan/")
    _fill_date(page, "issued_on", timezone.localdate())
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    assert "The final plan cannot be issued before" in summary.inner_text()
    assert (
        "The final plan cannot be issued before"
        in page.locator(".govuk-error-message").inner_text()
    )
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_issued_on_day"


def test_recording_a_step_works_without_javascript(officer, signed_in_page):
    case = build_case(stage="requested", officer=officer, weeks_ago=3)
    page = signed_in_page(officer, javascript=False)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Record the decision whether to assess").click()
    _fill_date(page, "decided_on", timezone.localdate())
    page.get_by_label("Decided to assess").check()
    page.get_by_role("button", name="Save").click()
    assert "Decision to assess recorded" in page.content()
    assert Case.objects.get(pk=case.pk).stage == "assessing"


def _appeal_cases(officer) -> tuple[Case, Case, Case, Case]:
    """A plan issued this month (appealable); one in mediation; a refusal appealed to the tribunal;
    one with the tribunal's order to assess."""
    today = timezone.localdate()
    appealable = build_case(stage="plan", officer=officer, weeks_ago=22)
    mediating = build_case(stage="plan", officer=officer, weeks_ago=22)
    notice = mediating.events.get(type="decision_notice").date
    appeals.record_mediation_decision(
        mediating, notice_on=notice, decided_on=today, wants_mediation=True, actor=officer
    )
    refused = []
    for _ in range(2):
        case = build_case(stage="requested", officer=officer, weeks_ago=10)
        decided = today - dt.timedelta(days=30)
        record_decision_to_assess(case, decided_on=decided, outcome="not_assess", actor=officer)
        appeals.record_appeal_registered(
            case, registered_on=decided + dt.timedelta(days=10), notice_on=decided, actor=officer
        )
        refused.append(case)
    registered, ordered = refused
    appeals.record_tribunal_decision(
        ordered, decided_on=today, outcome="upheld", order_kind="assess", actor=officer
    )
    return appealable, mediating, registered, ordered


def _oakfield() -> Setting:
    return Setting.objects.create(
        name="Oakfield Special School",
        urn="100001",
        postcode="HR1 2AB",
        kind=Setting.Kind.MAINTAINED_SPECIAL,
        phase="all_through",
    )


def test_choosing_a_setting_by_name_works_without_javascript(officer, signed_in_page):
    oakfield = _oakfield()
    case = build_case(stage="plan", officer=officer, weeks_ago=40)
    page = signed_in_page(officer, javascript=False)
    page.goto(f"/cases/{case.pk}/steps/placement/")
    page.get_by_label("Find the setting in the register").fill("oakfield")
    page.get_by_role("button", name="Search the register").click()
    page.get_by_role("link", name="Choose Oakfield Special School").click()
    assert "Chosen: Oakfield Special School" in page.locator("#setting-chosen").inner_text()
    _fill_date(page, "entry_date", timezone.localdate())
    page.get_by_role("button", name="Save").click()
    current = Case.objects.get(pk=case.pk).plan.placements.get(leaving_date=None)
    assert current.setting == oakfield


def test_every_page_type_passes_axe(
    officer, manager, signed_in_page, anonymous_page, assert_accessible, screenshot
):
    requested = build_case(stage="requested", officer=officer, weeks_ago=3)
    assessing = build_case(stage="assessing", officer=officer, weeks_ago=8)
    draft = build_case(stage="draft", officer=officer, weeks_ago=21)
    plan = build_case(stage="reviewed", officer=officer, weeks_ago=90)
    appealable, mediating, registered, ordered = _appeal_cases(officer)
    entry = phone_call(plan, officer, summary="Asked about transport")
    _oakfield()
    add_task(plan, title="Call the parent", due_on=timezone.localdate(), actor=officer)
    page = anonymous_page()
    page.goto("/accounts/sign-in/")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()  # empty: errors
    assert_accessible(page)

    page = signed_in_page(manager)
    urls = [
        "/cases/",
        "/cases/?stage=draft&officer=",
        "/cases/caseloads/",
        "/cases/search/",
        f"/cases/search/?q={plan.child.surname}",
        "/cases/search/?q=Nobody",
        "/cases/new/",
        "/cases/transfer-in/",
        f"/cases/{plan.pk}/",
        f"/cases/{plan.pk}/audit/",
        f"/cases/{plan.pk}/reassign/",
        f"/cases/{plan.pk}/contacts/new/",
        f"/cases/{plan.pk}/tasks/new/",
        f"/cases/{plan.pk}/child/",
        f"/cases/{plan.pk}/contacts/{entry.pk}/response/",
        f"/cases/{plan.pk}/plan/1/",
        f"/cases/{plan.pk}/plan/compare/",
        f"/cases/{requested.pk}/",
        f"/cases/{requested.pk}/steps/decision-to-assess/",
        f"/cases/{assessing.pk}/steps/advice-requested/",
        f"/cases/{assessing.pk}/steps/exception/",
        f"/cases/{assessing.pk}/steps/draft-plan/",
        f"/cases/{assessing.pk}/steps/decision-not-to-issue/",
        f"/cases/{draft.pk}/steps/final-plan/",
        f"/cases/{plan.pk}/steps/review-meeting/",
        f"/cases/{plan.pk}/steps/review-invitations/",
        f"/cases/{plan.pk}/steps/amendment-notice/",
        f"/cases/{plan.pk}/steps/phase-transfer/",
        f"/cases/{plan.pk}/steps/placement/",
        f"/cases/{plan.pk}/steps/placement/?q=oak&setting=100001",
        f"/cases/{plan.pk}/steps/placement/?q=willow",
        f"/cases/{plan.pk}/steps/transfer-out/",
        f"/cases/{plan.pk}/steps/cease/",
        f"/cases/{appealable.pk}/steps/mediation-decision/",
        f"/cases/{appealable.pk}/steps/appeal-registered/",
        f"/cases/{mediating.pk}/",
        f"/cases/{mediating.pk}/steps/mediation-held/",
        f"/cases/{mediating.pk}/steps/mediation-certificate/",
        f"/cases/{mediating.pk}/steps/no-appeal/",
        f"/cases/{registered.pk}/steps/tribunal-decision/",
        f"/cases/{ordered.pk}/",
        f"/cases/{ordered.pk}/steps/order-complied/",
    ]
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page)
    # Forms with errors.
    for url in (
        f"/cases/{requested.pk}/steps/decision-to-assess/",
        f"/cases/{appealable.pk}/steps/mediation-decision/",
        f"/cases/{registered.pk}/steps/tribunal-decision/",
        "/cases/new/",
        f"/cases/{plan.pk}/contacts/new/",
        f"/cases/{plan.pk}/tasks/new/",
    ):
        page.goto(url)
        page.locator("main form[method='post'] button[type='submit']").last.click()
        assert page.locator(".govuk-error-summary").count() == 1, url
        assert_accessible(page)
    page.goto("/cases/search/?q=31/02/2014")  # a search with an error (answered 400)
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)
    screenshot(page, "form-errors")


def test_managers_pages_work_without_javascript_and_pass_axe(
    officer, teammate, head, admin_user, other_team, signed_in_page, assert_accessible
):
    """The head of service ticks cases in the queue and gives them to one officer, and moves a
    case to another team, with no JavaScript; the queue with a refusal, and the page that moves
    a case, pass axe."""
    cases = [build_case(stage="requested", officer=officer, weeks_ago=1 + i) for i in range(2)]
    page = signed_in_page(head, javascript=False)
    page.goto("/cases/")
    page.get_by_role("button", name="Reassign the selected cases").click()  # nothing ticked
    assert page.locator(".govuk-error-summary").count() == 1
    assert "Select the cases to reassign" in page.content()
    for c in cases:
        page.get_by_label(f"Select {c.child.full_name}, {c.reference}").check()
    page.get_by_label("Give the selected cases to").select_option(label=str(teammate))
    page.get_by_role("button", name="Reassign the selected cases").click()
    assert "2 cases given to Teammate Tester" in page.content()
    assert {c.officer_id for c in Case.objects.filter(pk__in=[c.pk for c in cases])} == {
        teammate.pk
    }
    page.goto(f"/cases/{cases[0].pk}/team/")
    page.get_by_label("Move this case to").select_option(label=str(other_team))
    page.get_by_role("button", name="Move the case").click()
    assert "Case moved to South team" in page.content()

    page = signed_in_page(admin_user)  # a second person: a code is not accepted twice
    for url, button in (
        ("/cases/", "Reassign the selected cases"),
        (f"/cases/{cases[1].pk}/team/", "Move the case"),
    ):
        page.goto(url)
        assert_accessible(page)
        page.get_by_role("button", name=button).click()  # nothing chosen: errors
        assert page.locator(".govuk-error-summary").count() == 1, url
        assert_accessible(page)
