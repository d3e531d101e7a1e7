"""Writing a plan section by section in headless Chromium, with axe on every new page: the
checks refuse the draft while it is incomplete (each problem linked to its section), then the
draft and the final plan are issued from the editor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sendcase.casework.scenarios import build_case
from sendcase.placements.models import Setting

pytestmark = pytest.mark.browser


def _fill_date(page, name: str, d: dt.date) -> None:
    page.fill(f"#id_{name}_day", str(d.day))
    page.fill(f"#id_{name}_month", str(d.month))
    page.fill(f"#id_{name}_year", str(d.year))


def _section(page, key: str) -> None:
    page.locator(f"#tasks a[aria-describedby='task-{key}-status']").click()


def _complete(page) -> None:
    page.get_by_label("Yes, I've completed this section").check()
    page.get_by_role("button", name="Save and continue").click()


def test_write_a_plan_section_by_section_and_issue_it(
    officer, signed_in_page, assert_accessible, screenshot
):
    case = build_case(stage="advice", officer=officer, weeks_ago=20)
    Setting.objects.create(name="Hill Primary", urn="100001", kind="academy", phase="primary")
    page = signed_in_page(officer)
    page.goto(f"/cases/{case.pk}/")
    page.locator("#write-plan").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start writing the plan").click()
    assert page.locator("#task-A-status").inner_text() == "Not started"
    assert_accessible(page)

    _section(page, "A")
    page.fill("#id_child_views", "I like trains and I want to read on my own.")
    page.fill("#id_parent_views", "We want Sam to be happy and make friends.")
    _complete(page)
    assert page.locator("#task-A-status").inner_text() == "Completed"

    # Issuing now is refused, naming each missing thing with a link to its section
    page.goto(f"/cases/{case.pk}/steps/draft-plan/")
    _fill_date(page, "issued_on", timezone.localdate() - dt.timedelta(days=20))
    page.get_by_role("button", name="Save").click()
    summary = page.locator("#plan-problems")
    assert "Add the child's special educational needs in section B" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    summary.get_by_role(
        "link", name="Add the child's special educational needs in section B"
    ).click()
    assert "/plan/write/B/" in page.url

    page.get_by_role("link", name="Add a need").click()
    assert_accessible(page)
    page.select_option("#id_code", "ASD")
    page.fill("#id_description", "Finds changes of routine very hard.")
    page.get_by_label("This is the primary need").check()
    page.get_by_role("button", name="Save").click()
    assert "Primary need: ASD" in page.locator("#needs").inner_text()
    assert_accessible(page)
    _complete(page)

    for key, label in (
        ("C", "No health needs identified"),
        ("D", "No social care needs identified"),
    ):
        _section(page, key)
        page.get_by_label(label).check()
        _complete(page)

    _section(page, "E")
    page.get_by_role("link", name="Add an outcome").click()
    page.fill("#id_text", "Ask an adult for help when upset")
    page.get_by_label("Autistic spectrum disorder").check()
    page.fill("#id_by_when", "July 2028")
    page.fill("#id_steps", "Use a help card by Christmas")
    page.get_by_role("button", name="Save").click()
    _complete(page)

    _section(page, "F")
    page.get_by_role("link", name="Add provision").click()
    assert_accessible(page)
    page.fill("#id_description", "Social communication group")
    page.fill("#id_staff_role", "Teaching assistant trained in autism")
    page.fill("#id_frequency", "3 times a week")
    page.fill("#id_duration", "30 minutes")
    page.fill("#id_group_size", "Group of 4")
    page.get_by_label("Autistic spectrum disorder").check()
    page.get_by_label("Ask an adult for help when upset").check()
    page.get_by_role("button", name="Save").click()
    _complete(page)

    _section(page, "I")
    assert "section 38(5)" in page.locator("#setting").inner_text()
    assert_accessible(page)
    _complete(page)
    _section(page, "K")
    assert "Educational psychology" in page.locator("#advice").inner_text()
    _complete(page)
    assert "passes every check" in page.locator("#problems").inner_text()
    screenshot(page, "plan-editor-task-list")

    page.goto(f"/cases/{case.pk}/steps/draft-plan/")
    _fill_date(page, "issued_on", timezone.localdate() - dt.timedelta(days=20))
    page.get_by_role("button", name="Save").click()
    assert "Draft plan recorded" in page.locator(".govuk-notification-banner").inner_text()

    # The child's placement at Hill Primary, recorded on its step: the final plan's section I
    # must name the current placement's setting (the plan is refused without one).
    page.goto(f"/cases/{case.pk}/steps/placement/")
    page.fill("#id_setting", "100001")
    _fill_date(page, "entry_date", timezone.localdate() - dt.timedelta(days=10))
    page.get_by_role("button", name="Save").click()
    assert "Placement recorded" in page.locator(".govuk-notification-banner").inner_text()

    # The final plan starts from the draft; section I names the setting from the register
    page.locator("#write-plan").click()
    page.get_by_role("button", name="Start writing the plan").click()
    _section(page, "I")
    page.fill("#id_setting", "100001")
    _complete(page)
    page.goto(f"/cases/{case.pk}/steps/final-plan/")
    _fill_date(page, "issued_on", timezone.localdate())
    page.get_by_role("button", name="Save").click()
    assert "Final plan recorded" in page.locator(".govuk-notification-banner").inner_text()
    page.goto(f"/cases/{case.pk}/plan/compare/")
    assert page.locator("[data-section='I']").get_attribute("data-status") == "added"
    assert "Hill Primary" in page.locator("[data-section='I']").inner_text()
    assert_accessible(page)
