"""The plan's documents and letters in headless Chromium, end to end, with axe on every new page:
issue the draft (its PDF names no setting; its letter gives the "comments by" date from the
clock), record the family's comments, issue the final plan (its PDF names the setting; its letter
gives the appeal rights and the appeal-window date), and see both letters in the correspondence."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
import weasyprint  # noqa: F401 - loaded before the live server's first PDF (4 s on a busy machine)
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from sendcase.casework.models import Case
from sendcase.casework.scenarios import build_case, place
from sendcase.core.codes import Phase
from sendcase.demo.plan_content import lawful_content, write_plan
from sendcase.placements.models import Setting
from sendcase.statutory.dates import format_date

pytestmark = pytest.mark.browser


def _fill_date(page, name: str, d: dt.date) -> None:
    page.fill(f"#id_{name}_day", str(d.day))
    page.fill(f"#id_{name}_month", str(d.month))
    page.fill(f"#id_{name}_year", str(d.year))


def _download_text(page, link) -> str:
    with page.expect_download() as info:
        link.click()
    data = Path(info.value.path()).read_bytes()
    reader = PdfReader(io.BytesIO(data))
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def test_draft_then_final_with_their_letters(officer, head, signed_in_page, assert_accessible):
    case = build_case(stage="advice", officer=officer, weeks_ago=16)
    today = timezone.localdate()
    draft_on = today - dt.timedelta(days=20)
    page = signed_in_page(officer)
    page.set_default_timeout(30_000)  # a step that makes PDFs, on 2 shared cores

    # The draft, written in the editor (tests/browser/test_browser_plan_editor.py drives its
    # pages), then issued back-dated: the officer chooses to send its letter now.
    write_plan(case, officer, lawful_content(("ASD",)))
    page.goto(f"/cases/{case.pk}/steps/draft-plan/")
    _fill_date(page, "issued_on", draft_on)
    page.get_by_label("Send the letter now through GOV.UK Notify").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    assert "Draft plan recorded" in page.locator(".govuk-notification-banner").inner_text()
    comments_by = Case.objects.get(pk=case.pk).deadlines.get(key="draft_comments_window").due

    page.get_by_role("link", name="Correspondence").first.click()
    assert_accessible(page)
    row = page.locator("tbody tr", has_text="Draft plan")
    letter = _download_text(page, row.get_by_role("link", name="Letter (PDF)"))
    assert f"by {format_date(comments_by)}" in letter
    plan = _download_text(page, row.get_by_role("link", name="Plan sent (PDF)"))
    assert "Oak Lane" not in plan and "Section I:" in plan

    # The family's comments, in the contact log.
    page.goto(f"/cases/{case.pk}/contacts/new/")
    page.get_by_label("Email").first.check()
    page.get_by_label("Received").first.check()
    page.fill("#id_party", "Jo Example")
    page.fill("#id_summary", "Comments on the draft: asks for Oak Lane Primary School")
    _fill_date(page, "contact_on", draft_on + dt.timedelta(days=7))
    page.get_by_role("button", name="Add to the log").click()
    assert page.locator(".govuk-notification-banner").count() == 1

    # The final plan naming Oak Lane in section I, issued today: its letter is sent (the
    # default for a step dated today).
    oak_lane = Setting.objects.create(
        name="Oak Lane Primary School", kind=Setting.Kind.ACADEMY, phase=Phase.PRIMARY
    )
    place(case, officer, today - dt.timedelta(days=7), setting=oak_lane)  # the current placement
    write_plan(case, officer, lawful_content(("ASD",), setting_id=oak_lane.pk))
    page.goto(f"/cases/{case.pk}/steps/final-plan/")
    _fill_date(page, "issued_on", today)
    page.get_by_role("button", name="Save").click()
    assert "Final plan recorded" in page.locator(".govuk-notification-banner").inner_text()
    window = Case.objects.get(pk=case.pk).deadlines.get(key="appeal_window", trigger=today).due

    page.get_by_role("link", name="Correspondence").first.click()
    rows = page.locator("tbody tr")
    assert rows.count() == 2
    assert "Final plan" in rows.nth(0).inner_text() and "Draft plan" in rows.nth(1).inner_text()
    final_row = page.locator("tbody tr", has_text="Final plan")
    letter = _download_text(page, final_row.get_by_role("link", name="Letter (PDF)"))
    assert "Your right to appeal" in letter and "mediation" in letter
    assert f"You must appeal by {format_date(window)}" in letter
    plan = _download_text(page, final_row.get_by_role("link", name="Plan sent (PDF)"))
    assert "Oak Lane Primary School" in plan

    # The other new pages pass axe.
    for url in (
        f"/cases/{case.pk}/correspondence/new/",
        f"/cases/{case.pk}/documents/",
        f"/cases/{case.pk}/plan/2/",
    ):
        page.goto(url)
        assert_accessible(page)
    page.goto(f"/cases/{case.pk}/documents/")
    page.get_by_role("button", name="Upload", exact=True).click()  # nothing chosen: errors
    # The title waits for the answer: read at once, it can be the blank of the page being loaded.
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)

    admin = signed_in_page(head)
    admin.goto("/cases/letters/")
    assert_accessible(admin)
    admin.get_by_role("link", name="Draft plan").click()
    admin.fill("#id_preview_case", case.reference)
    admin.get_by_role("button", name="Preview").click()
    assert format_date(comments_by) in admin.locator(".govuk-inset-text").inner_text()
    assert_accessible(admin)
