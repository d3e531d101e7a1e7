"""Schools and professional services in the portal: every step goes through the casework action
(so the clock's stored rows move), files through the documents app's checks, each step audited
with who took it, uploads rate-limited, and messages that say what happened, what to do, by when
and where."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from sendcase.casework.models import Deadline, StatutoryEvent, TimeLimitException
from sendcase.core.models import AuditEntry, NotifyMessage
from sendcase.documents.models import CaseDocument
from sendcase.portal import work
from sendcase.portal.models import Membership
from sendcase.portal.testing import portal_login
from sendcase.portal.work_testing import PDF, build_work


@pytest.fixture
def world(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build_work(officer)


def _pdf(name: str = "advice.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_the_psychologist_uploads_advice_and_it_is_received_that_day(world):
    today = timezone.localdate()
    client = portal_login(Client(), world.people["psychologist"])
    listing = client.get("/portal/advice/").content.decode()
    assert world.assessing.child.full_name in listing
    due = Deadline.objects.get(
        case=world.assessing, key="advice_due", instance="educational_psychology-1"
    )
    assert due.due.strftime("%-d %B %Y") in listing
    page = f"/portal/advice/{world.assignment.pk}/"
    sent = client.post(page, {"file": _pdf("../../etc/My advice!.pdf"), "title": ""})
    assert sent.status_code == 302 and sent["Location"] == page
    world.advice.refresh_from_db()
    assert world.advice.received_on == today
    due = Deadline.objects.get(case=world.assessing, key="advice_due")  # the row is replaced
    assert due.completed_on == today and due.status == "met"
    doc = CaseDocument.objects.get(advice_request=world.advice)
    assert doc.filename == "My advice.pdf" and doc.kind == "advice"
    event = StatutoryEvent.objects.get(case=world.assessing, type="advice_received")
    assert event.date == today
    entry = AuditEntry.objects.get(
        object_type="documents.casedocument",
        payload__external_person=world.people["psychologist"].pk,
    )
    assert entry.case_id == world.assessing.pk
    # Once received, nothing more can be uploaded to it.
    assert client.post(page, {"file": _pdf()}).status_code == 404


def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_written(world):
    client = portal_login(Client(), world.people["psychologist"])
    page = f"/portal/advice/{world.assignment.pk}/"
    fake = SimpleUploadedFile("advice.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(page, {"file": fake})
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and "The selected file must be" in body
    world.advice.refresh_from_db()
    assert world.advice.received_on is None
    assert not CaseDocument.objects.exists()
    assert client.post(page, {}).content.decode().count("Select a file") >= 1


def test_uploads_are_rate_limited(world, monkeypatch):
    monkeypatch.setattr(work, "UPLOADS_PER_HOUR", 0)
    client = portal_login(Client(), world.people["psychologist"])
    body = client.post(f"/portal/advice/{world.assignment.pk}/", {"file": _pdf()}).content.decode()
    assert "too many files" in body
    world.advice.refresh_from_db()
    assert world.advice.received_on is None


def test_a_missed_appointment_is_the_clocks_exception_for_that_advice(world):
    today = timezone.localdate()
    missed = today - dt.timedelta(days=3)
    client = portal_login(Client(), world.people["psychologist"])
    url = f"/portal/advice/{world.assignment.pk}/missed-appointment/"
    empty = client.post(url, {}).content.decode()
    assert "Enter what happened" in empty and not TimeLimitException.objects.exists()
    client.post(
        url,
        {
            "missed_on_day": missed.day,
            "missed_on_month": missed.month,
            "missed_on_year": missed.year,
            "why": "The family did not come",
        },
    )
    exc = TimeLimitException.objects.get()
    assert exc.reason == "missed_appointment" and exc.applies_to == world.advice.advice_id
    assert exc.start == missed and "Psychologist" in exc.why


def test_the_manager_assigns_and_sees_what_is_overdue(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        w = build_work(officer, assign=False)
    manager = portal_login(Client(), w.people["manager"])
    page = manager.get(f"/portal/services/{w.service.pk}/advice/").content.decode()
    assert w.assessing.child.full_name in page and "Not given to anyone" in page
    # The service's manager was told, with what to do and by when.
    told = NotifyMessage.objects.get(recipient="manager@example.org")
    assert {"what_happened", "what_to_do", "by_when", "portal_link"} <= set(told.personalisation)
    assert told.personalisation["by_when"].startswith("The advice is due by ")
    # The psychologist sees nothing until it is given to them.
    psychologist = portal_login(Client(), w.people["psychologist"])
    assert psychologist.get(f"/portal/advice/{w.assignment.pk}/").status_code == 404
    url = f"/portal/services/{w.service.pk}/advice/{w.assignment.pk}/assign/"
    assert "Select someone in your service" in manager.post(url, {}).content.decode()
    member = Membership.objects.get(person=w.people["psychologist"])
    with django_capture_on_commit_callbacks(execute=True):
        assert manager.post(url, {"member": member.pk}).status_code == 302
    assert psychologist.get(f"/portal/advice/{w.assignment.pk}/").status_code == 200
    message = NotifyMessage.objects.get(recipient="psychologist@example.org")
    assert message.personalisation["portal_link"].endswith(f"/advice/{w.assignment.pk}/")
    # A member of the service is not its manager.
    assert psychologist.get(f"/portal/services/{w.service.pk}/advice/").status_code == 404
    # Overdue across the service: move the due date into the past.
    Deadline.objects.filter(case=w.assessing, key="advice_due").update(
        due=timezone.localdate() - dt.timedelta(days=1)
    )
    page = manager.get(f"/portal/services/{w.service.pk}/advice/").content.decode()
    assert 'id="overdue-count">1<' in page


def test_the_senco_answers_the_consultation_through_the_casework_step(world):
    today = timezone.localdate()
    client = portal_login(Client(), world.people["senco"])
    tray = client.get("/portal/school/").content.decode()
    assert world.draft.child.full_name in tray and world.pupil.child.full_name in tray
    due = Deadline.objects.get(case=world.draft, key="setting_consultation")
    assert due.due.strftime("%-d %B %Y") in tray
    url = f"/portal/school/consultations/{world.consultation.pk}/"
    refused = client.post(url, {"can_meet_needs": "no"}).content.decode()
    assert "Enter your reasons" in refused
    client.post(
        url, {"can_meet_needs": "no", "reasons": "We have no place for a pupil with a hoist"}
    )
    world.consultation.refresh_from_db()
    assert world.consultation.can_meet_needs is False and world.consultation.answered_on == today
    due = Deadline.objects.get(case=world.draft, key="setting_consultation")
    assert due.completed_on == today and due.status == "met"
    assert (
        StatutoryEvent.objects.get(case=world.draft, type="setting_responded").data[
            "can_meet_needs"
        ]
        is False
    )
    # The school's people were told of the consultation, with the date to answer by.
    told = NotifyMessage.objects.get(recipient="senco@example.org")
    assert told.personalisation["by_when"] == f"Answer by {due.due.strftime('%-d %B %Y')}."


def test_the_senco_uploads_the_review_report_and_its_row_is_met(world):
    today = timezone.localdate()
    client = portal_login(Client(), world.people["senco"])
    url = f"/portal/school/reviews/{world.pupil.pk}/"
    row = Deadline.objects.get(case=world.pupil, key="review_report")
    assert row.completed_on is None
    page = client.get(url).content.decode()
    assert row.due.strftime("%-d %B %Y") in page
    assert client.post(url, {"file": _pdf("report.pdf")}).status_code == 302
    row = Deadline.objects.get(case=world.pupil, key="review_report")
    assert row.completed_on == today and row.status == "met"
    assert CaseDocument.objects.get(case=world.pupil).kind == "report"
    assert client.post(url, {"file": _pdf("report.pdf")}).status_code == 404


def test_every_portal_message_says_what_happened_what_to_do_by_when_and_where():
    with pytest.raises(ValueError, match="lacks"):
        work._email("a@example.org", "portal_work", {"what_happened": "x"}, "ref")


def test_an_officer_sends_advice_to_a_service_and_consults_a_setting(officer, head):
    from sendcase.accounts.testing import verified_login
    from sendcase.casework.domain.assessment import record_advice_requested
    from sendcase.casework.scenarios import build_case
    from sendcase.portal.models import AdviceAssignment, Consultation

    w = build_work(officer)
    advice = record_advice_requested(
        w.assessing,
        kind="health",
        provider="Health",
        requested_on=timezone.localdate(),
        actor=officer,
    )
    send = f"/online-access/cases/{w.assessing.pk}/advice/{advice.pk}/send/"
    staff = verified_login(Client(), officer)
    assert "Select a service" in staff.post(send, {}).content.decode()
    assert staff.post(send, {"service": w.school.pk}).status_code == 200  # not a service
    assert not AdviceAssignment.objects.filter(advice_request=advice).exists()
    assert staff.post(send, {"service": w.service.pk}).status_code == 302
    assert AdviceAssignment.objects.get(advice_request=advice).service == w.service
    assert verified_login(Client(), head).get(send).status_code == 404

    draft = build_case(stage="draft", officer=officer, weeks_ago=18)
    consult = f"/online-access/cases/{draft.pk}/consult/"
    today = timezone.localdate()
    date = {
        "consulted_on_day": today.day,
        "consulted_on_month": today.month,
        "consulted_on_year": today.year,
    }
    assert "Select a school or college" in staff.post(consult, date).content.decode()
    assert staff.post(consult, {**date, "organisation": w.school.pk}).status_code == 302
    assert Consultation.objects.filter(case=draft, organisation=w.school).exists()
    assert Deadline.objects.filter(case=draft, key="setting_consultation").exists()
    # A date in the future is refused by the casework step, in words; nothing is written.
    later = today + dt.timedelta(days=3)
    refused = staff.post(
        consult,
        {
            "consulted_on_day": later.day,
            "consulted_on_month": later.month,
            "consulted_on_year": later.year,
            "organisation": w.school.pk,
        },
    ).content.decode()
    assert "govuk-error-summary" in refused and "must be today or in the past" in refused
    assert Consultation.objects.filter(case=draft).count() == 1
    assert verified_login(Client(), head).get(consult).status_code == 404


@pytest.mark.parametrize("page", ["advice", "service", "school"])
def test_the_lists_cost_the_same_queries_for_one_row_or_three(officer, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sendcase.casework.domain.assessment import record_advice_requested
    from sendcase.casework.domain.reviews import record_review_meeting
    from sendcase.casework.scenarios import build_case
    from sendcase.portal import actions

    w = build_work(officer)
    psychologist = Membership.objects.get(person=w.people["psychologist"])
    manager = Membership.objects.get(person=w.people["manager"])
    senco = Membership.objects.get(person=w.people["senco"])

    def more() -> None:
        case = build_case(stage="assessing", officer=officer, weeks_ago=6)
        advice = record_advice_requested(
            case,
            kind="educational_psychology",
            provider="EP",
            requested_on=timezone.localdate(),
            actor=officer,
        )
        work.assign_advice(
            work.send_advice_to_service(advice, w.service, actor=officer), psychologist, by=manager
        )
        drafted = build_case(stage="draft", officer=officer, weeks_ago=18)
        work.consult_setting(drafted, w.school, consulted_on=timezone.localdate(), actor=officer)
        pupil = build_case(stage="plan", officer=officer, weeks_ago=40)
        record_review_meeting(pupil, meeting_on=timezone.localdate(), actor=officer)
        actions.link_member_to_case(senco, pupil, relationship="setting", actor=officer)

    who, url = {
        "advice": ("psychologist", "/portal/advice/"),
        "service": ("manager", f"/portal/services/{w.service.pk}/advice/"),
        "school": ("senco", "/portal/school/"),
    }[page]
    client = portal_login(Client(), w.people[who])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = count()
    more()
    more()
    assert count() == one


def test_the_case_page_offers_the_portal_work_to_those_who_may_change_it(officer, head):
    from sendcase.accounts.testing import verified_login

    w = build_work(officer)
    send = f"/online-access/cases/{w.assessing.pk}/advice/{w.advice.pk}/send/"
    consult = f"/online-access/cases/{w.assessing.pk}/consult/"
    mine = verified_login(Client(), officer).get(f"/cases/{w.assessing.pk}/").content.decode()
    assert send in mine and consult in mine
    theirs = verified_login(Client(), head).get(f"/cases/{w.assessing.pk}/").content.decode()
    assert send not in theirs and consult not in theirs


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def test_the_senco_records_the_review_meeting_then_the_report_is_due_and_met(world, officer):
    from sendcase.portal.work_testing import another_pupil
    from sendcase.statutory.rules import period_end

    pupil = another_pupil(world, officer)
    today = timezone.localdate()
    held = today - dt.timedelta(days=3)
    senco = world.people["senco"]
    client = portal_login(Client(), senco)
    assert not Deadline.objects.filter(case=pupil, key="review_report").exists()
    assert "Record the meeting" in client.get(f"/portal/school/reviews/{pupil.pk}/").text
    url = f"/portal/school/reviews/{pupil.pk}/meeting/"
    assert client.post(url, _date("meeting_on", held)).status_code == 302
    # Casework's own step, with the SENCO as the actor: the event, and the report's deadline.
    event = StatutoryEvent.objects.get(case=pupil, type="review_meeting")
    assert event.date == held
    row = Deadline.objects.get(case=pupil, key="review_report")
    assert row.due == period_end("review_report", held) and row.completed_on is None
    assert AuditEntry.objects.filter(
        payload__external_person=senco.pk, summary__contains="annual review meeting held"
    ).exists()
    page = client.get(f"/portal/school/reviews/{pupil.pk}/").text
    assert row.due.strftime("%-d %B %Y") in page and "Record the meeting" not in page
    # A second meeting waits for the council's decision on this one.
    assert client.post(url, _date("meeting_on", today)).status_code == 404
    assert (
        client.post(f"/portal/school/reviews/{pupil.pk}/", {"file": _pdf("r.pdf")}).status_code
        == 302
    )
    row = Deadline.objects.get(case=pupil, key="review_report")
    assert row.completed_on == today and row.status == "met"


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (dt.timedelta(days=1), "must be today or in the past"),
        (dt.timedelta(weeks=-60), "the date the plan was issued"),
    ],
    ids=["future", "before-the-plan"],
)
def test_a_meeting_date_the_staff_step_refuses_is_refused_with_nothing_written(
    world, officer, when, message
):
    from sendcase.portal.work_testing import another_pupil

    pupil = another_pupil(world, officer)
    client = portal_login(Client(), world.people["senco"])
    day = timezone.localdate() + when
    response = client.post(f"/portal/school/reviews/{pupil.pk}/meeting/", _date("meeting_on", day))
    assert response.status_code == 400
    assert message in response.text and "govuk-error-summary" in response.text
    assert not StatutoryEvent.objects.filter(case=pupil, type="review_meeting").exists()
    assert not Deadline.objects.filter(case=pupil, key="review_report").exists()
    senco = world.people["senco"].pk
    assert not AuditEntry.objects.filter(
        payload__external_person=senco, summary__contains="meeting held"
    ).exists()


def test_an_empty_meeting_date_gets_the_govuk_error(world, officer):
    from sendcase.portal.work_testing import another_pupil

    pupil = another_pupil(world, officer)
    client = portal_login(Client(), world.people["senco"])
    response = client.post(f"/portal/school/reviews/{pupil.pk}/meeting/", {})
    assert response.status_code == 400
    assert "Enter the date of the review meeting" in response.text


def test_a_senco_of_another_school_cannot_record_the_meeting(world, officer):
    from sendcase.placements.models import Setting
    from sendcase.portal import actions
    from sendcase.portal.models import ExternalPerson, Organisation
    from sendcase.portal.work_testing import another_pupil

    pupil = another_pupil(world, officer)
    other = Organisation.objects.create(
        name="Dale School",
        kind=Organisation.Kind.SETTING,
        setting=Setting.objects.create(name="Dale School", kind="academy", phase="primary"),
    )
    stranger = ExternalPerson.objects.create(issuer="https://one-login.test", subject="dale")
    actions.add_member(other, stranger, role="administrator", actor=officer)
    client = portal_login(Client(), stranger)
    url = f"/portal/school/reviews/{pupil.pk}/meeting/"
    assert client.get(url).status_code == 404
    assert client.post(url, _date("meeting_on", timezone.localdate())).status_code == 404
    assert not StatutoryEvent.objects.filter(case=pupil, type="review_meeting").exists()
