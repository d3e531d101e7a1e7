"""The draft and final plans' letters: made by the actions from the clock's stored dates, with
the plan enclosed as a tagged PDF; sent now only when asked, or when the step is dated today."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from sendcase.casework.domain.kernel import SentEarlier
from sendcase.casework.domain.plan import record_draft_plan, record_final_plan
from sendcase.casework.scenarios import build_case, place
from sendcase.core.codes import Phase
from sendcase.core.models import AuditEntry, NotifyMessage
from sendcase.demo.plan_content import lawful_content
from sendcase.documents.models import Correspondence
from sendcase.placements.models import Setting
from sendcase.statutory.dates import format_date

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def read(field) -> bytes:
    field.open("rb")
    try:
        return field.read()
    finally:
        field.close()


def oak_lane() -> Setting:
    return Setting.objects.create(
        name="Oak Lane Primary School", kind=Setting.Kind.ACADEMY, phase=Phase.PRIMARY
    )


@pytest.fixture
def assessing(officer):
    return build_case(stage="advice", officer=officer, weeks_ago=14)


def issue_draft(case, officer, on, **kw):
    return record_draft_plan(case, issued_on=on, actor=officer, today=on, **kw)


def test_draft_letter_gives_the_comments_date_from_the_stored_deadline(
    assessing, officer, django_capture_on_commit_callbacks
):
    on = dt.date.today()
    with django_capture_on_commit_callbacks(execute=True):
        issue_draft(assessing, officer, on, content=lawful_content(("ASD",)))
    row = assessing.deadlines.get(key="draft_comments_window")
    letter = Correspondence.objects.get(case=assessing)
    assert (letter.letter, letter.how, letter.sent_on) == ("draft_plan", "sent", on)
    body = text_of(read(letter.document))
    assert f"by {format_date(row.due)}" in body
    # Sent through Notify after the commit, with Notify's id and status kept on the row.
    letter.refresh_from_db()
    message = NotifyMessage.objects.get(notify_id=letter.notify_id)
    assert message.case_id == assessing.pk and letter.status == message.status
    assert format_date(row.due) in message.personalisation["body"]
    # The draft enclosed names no setting in section I, whatever the plan's text said.
    plan = text_of(read(letter.enclosure))
    assert "Oak Lane" not in plan
    assert "No school or other institution is named in a draft plan" in plan


def test_a_back_dated_draft_sends_nothing_by_itself(
    assessing, officer, django_capture_on_commit_callbacks
):
    today = dt.date.today()
    with django_capture_on_commit_callbacks(execute=True):
        record_draft_plan(
            assessing,
            issued_on=today - dt.timedelta(days=3),
            actor=officer,
            today=today,
            content=lawful_content(("ASD",)),
        )
    assert not Correspondence.objects.exists()
    assert not NotifyMessage.objects.exists()


def test_a_back_dated_draft_recorded_as_sent_keeps_a_copy_and_sends_nothing(
    assessing, officer, django_capture_on_commit_callbacks
):
    today = dt.date.today()
    sent = today - dt.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        record_draft_plan(
            assessing,
            issued_on=sent,
            actor=officer,
            today=today,
            content=lawful_content(("ASD",)),
            notify=SentEarlier(sent, Correspondence.Channel.LETTER),
        )
    letter = Correspondence.objects.get()
    assert (letter.how, letter.sent_on, letter.channel) == ("recorded", sent, "letter")
    assert letter.document and not letter.notify_id
    assert not NotifyMessage.objects.exists()
    assert AuditEntry.objects.filter(object_type="documents.correspondence").count() == 1


def test_final_letter_gives_appeal_rights_and_the_appeal_window(
    assessing, officer, django_capture_on_commit_callbacks
):
    draft_on = dt.date.today() - dt.timedelta(days=20)
    record_draft_plan(
        assessing,
        issued_on=draft_on,
        actor=officer,
        today=draft_on,
        content=lawful_content(("ASD",)),
    )
    on = dt.date.today()
    school = oak_lane()
    place(assessing, officer, draft_on, setting=school, today=on)  # the setting section I names
    with django_capture_on_commit_callbacks(execute=True):
        record_final_plan(
            assessing,
            issued_on=on,
            actor=officer,
            today=on,
            notify=True,
            content=lawful_content(("ASD",), setting_id=school.pk),
        )
    window = assessing.deadlines.get(key="appeal_window", trigger=on)
    letter = Correspondence.objects.get(letter="final_plan")
    body = text_of(read(letter.document))
    assert f"You must appeal by {format_date(window.due)}" in body
    assert "mediation" in body and "Your right to appeal" in body
    assert "Oak Lane Primary School" in text_of(read(letter.enclosure))


def test_proposed_and_final_amended_plans_have_their_letters(
    officer, django_capture_on_commit_callbacks
):
    from sendcase.casework.domain.reviews import (
        record_amendment_notice,
        record_final_amended_plan,
        record_review_decision,
        record_review_meeting,
    )

    case = build_case(stage="plan", officer=officer, weeks_ago=60)
    today = dt.date.today()
    record_review_meeting(case, meeting_on=today - dt.timedelta(days=40), actor=officer)
    record_review_decision(
        case, outcome="amend", decided_on=today - dt.timedelta(days=35), actor=officer
    )
    notice_on = today - dt.timedelta(days=30)
    record_amendment_notice(case, issued_on=notice_on, actor=officer, notify=True)
    window = case.deadlines.get(key="amendment_comments_window").due
    proposed = Correspondence.objects.get(letter="proposed_amendments")
    assert f"by {format_date(window)}" in text_of(read(proposed.document))
    assert "Proposed amendments" in text_of(read(proposed.enclosure))
    record_final_amended_plan(case, issued_on=today, actor=officer)  # today: sent by default
    amended = Correspondence.objects.get(letter="final_amended_plan")
    appeal_by = case.deadlines.get(key="appeal_window", trigger=today).due
    assert f"You must appeal by {format_date(appeal_by)}" in text_of(read(amended.document))
    assert "Final amended plan" in text_of(read(amended.enclosure))
