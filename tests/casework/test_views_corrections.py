"""The pages for correcting the record (issue 12, items 1 and 2): "Correct" and "Strike out" from
the case history, "Withdraw the request" and "Close the case", with their error summaries and
optimistic locking; and the review steps offered after a meeting recorded first."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.casework.conftest import date_data

from sendcase.casework.domain.errors import STALE_MESSAGE
from sendcase.casework.domain.reviews import record_review_meeting
from sendcase.casework.models import Case, Stage, StatutoryEvent
from sendcase.casework.scenarios import build_case
from sendcase.core.models import AuditEntry
from sendcase.reviews.models import AnnualReview


@pytest.fixture
def with_meeting(officer: Any) -> Case:
    """A plan whose review meeting was recorded (by the officer) before its invitations."""
    case = build_case(stage="plan", officer=officer, weeks_ago=60)
    meeting = case.plan.first_issued_on + dt.timedelta(days=200)
    record_review_meeting(case, meeting_on=meeting, actor=officer)
    return Case.objects.get(pk=case.pk)


def _meeting(case: Case) -> StatutoryEvent:
    return case.events.get(type="review_meeting")


def _url(name: str, case: Case, event: StatutoryEvent | None = None) -> str:
    kwargs = {"pk": case.pk} | ({"event_id": event.pk} if event else {})
    return reverse(f"casework:{name}", kwargs=kwargs)


def test_the_invitations_step_is_offered_after_the_meeting(client_for, officer, with_meeting):
    """The defect: the form refused the invitations 'at this stage' once the meeting was in."""
    client = client_for(officer)
    url = reverse("casework:step", kwargs={"pk": with_meeting.pk, "slug": "review-invitations"})
    page = client.get(url)
    assert page.status_code == 200
    sent = _meeting(with_meeting).date - dt.timedelta(days=21)
    response = client.post(url, {"version": with_meeting.version, **date_data("sent_on", sent)})
    assert response.status_code == 302
    assert AnnualReview.objects.get(plan__case=with_meeting).invitations_sent_on == sent


def test_the_case_history_offers_correct_and_strike_out_to_the_recorder_only(
    client_for, officer, teammate, manager, with_meeting
):
    link = _url("correct_step", with_meeting, _meeting(with_meeting))
    assert link in client_for(officer).get(_url("case", with_meeting)).content.decode()
    assert link in client_for(manager).get(_url("case", with_meeting)).content.decode()
    assert link not in client_for(teammate).get(_url("case", with_meeting)).content.decode()


def test_correcting_a_step_from_its_page(client_for, officer, with_meeting):
    client = client_for(officer)
    event = _meeting(with_meeting)
    url = _url("correct_step", with_meeting, event)
    assert client.get(url).status_code == 200
    fixed = event.date + dt.timedelta(days=2)
    response = client.post(
        url,
        {
            "version": with_meeting.version,
            "reason": "Minutes say Thursday",
            **date_data("date", fixed),
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Corrected: Annual review meeting" in html
    assert "Minutes say Thursday" in html and "Replaced" in html  # the history keeps both
    assert _meeting(with_meeting).date == fixed
    assert StatutoryEvent.log.filter(case=with_meeting, type="review_meeting").count() == 2
    entry = AuditEntry.objects.filter(case=with_meeting, payload__reason="Minutes say Thursday")
    assert entry.get().actor == officer


def test_a_correction_without_a_reason_gets_an_error_summary(client_for, officer, with_meeting):
    event = _meeting(with_meeting)
    response = client_for(officer).post(
        _url("correct_step", with_meeting, event),
        {"version": with_meeting.version, "reason": "", **date_data("date", event.date)},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html and "Enter why the step is being corrected" in html
    assert _meeting(with_meeting).pk == event.pk


def test_a_step_corrected_since_the_page_opened_is_not_changed_again(
    client_for, officer, manager, with_meeting
):
    event = _meeting(with_meeting)
    opened = with_meeting.version
    later = event.date + dt.timedelta(days=1)
    client_for(manager).post(
        _url("correct_step", with_meeting, event),
        {"version": opened, "reason": "Manager's fix", **date_data("date", later)},
    )
    response = client_for(officer).post(
        _url("strike_out_step", with_meeting, event),
        {"version": opened, "reason": "Never held"},
        follow=True,
    )
    assert "already been corrected or struck out" in response.content.decode()
    assert _meeting(with_meeting).date == later


def test_a_stale_form_is_refused_with_the_other_change(client_for, officer, manager):
    case = build_case(stage="assessing", officer=officer, weeks_ago=10)
    opened = case.version
    request = case.events.get(type="request_received")
    client_for(manager).post(
        _url("correct_step", case, request),
        {
            "version": opened,
            "reason": "Date stamp",
            **date_data("date", request.date - dt.timedelta(days=1)),
        },
    )
    response = client_for(officer).post(
        _url("withdraw_request", case),
        {
            "version": opened,
            "reason": "Family withdrew",
            **date_data("withdrawn_on", timezone.localdate()),
        },
    )
    html = response.content.decode()
    assert STALE_MESSAGE in html and "Date stamp" in html
    assert Case.objects.get(pk=case.pk).stage == Stage.ASSESSING


def case_events(case: Case, type_: str) -> int:
    return case.events.filter(type=type_).count()


def test_striking_out_a_step_from_its_page(client_for, officer, with_meeting):
    client = client_for(officer)
    event = _meeting(with_meeting)
    url = _url("strike_out_step", with_meeting, event)
    assert "Are you sure you want to strike out this step?" in client.get(url).content.decode()
    response = client.post(
        url, {"version": with_meeting.version, "reason": "Meeting was cancelled"}, follow=True
    )
    assert "Struck out: Annual review meeting" in response.content.decode()
    assert case_events(with_meeting, "review_meeting") == 0
    assert AnnualReview.objects.get(plan__case=with_meeting).meeting_on is None


def test_a_teammate_is_refused_the_correction_of_someone_elses_step(
    client_for, teammate, with_meeting
):
    """They may see and change the case, so they are told they cannot (403), not 'not found'."""
    event = _meeting(with_meeting)
    page = client_for(teammate).get(_url("correct_step", with_meeting, event))
    assert (
        page.status_code == 403 and "Only the person who recorded a step" in page.content.decode()
    )
    response = client_for(teammate).post(
        _url("strike_out_step", with_meeting, event),
        {"version": with_meeting.version, "reason": "x"},
    )
    assert response.status_code == 403
    assert case_events(with_meeting, "review_meeting") == 1


def test_withdrawing_a_request(client_for, officer):
    case = build_case(stage="assessing", officer=officer, weeks_ago=10)
    client = client_for(officer)
    url = _url("withdraw_request", case)
    assert f'href="{url}"' in client.get(_url("case", case)).content.decode()
    missing = client.post(
        url, {"version": case.version, **date_data("withdrawn_on", timezone.localdate())}
    )
    assert (
        missing.status_code == 400
        and "Enter why the request was withdrawn" in missing.content.decode()
    )
    response = client.post(
        url,
        {
            "version": case.version,
            "reason": "The family chose a private placement",
            **date_data("withdrawn_on", timezone.localdate()),
        },
        follow=True,
    )
    assert "Request withdrawn and the case closed" in response.content.decode()
    case.refresh_from_db()
    assert (
        case.stage == Stage.WITHDRAWN
        and case.closed_reason == "The family chose a private placement"
    )


def test_closing_a_case(client_for, officer):
    case = build_case(stage="requested", officer=officer, weeks_ago=2)
    client = client_for(officer)
    url = _url("close_case", case)
    other = client.post(
        url,
        {"version": case.version, "why": "other", **date_data("closed_on", timezone.localdate())},
    )
    assert (
        other.status_code == 400 and "Enter why the case is being closed" in other.content.decode()
    )
    client.post(
        url,
        {
            "version": case.version,
            "why": "moved_away",
            "details": "Now in Cardiff",
            **date_data("closed_on", timezone.localdate()),
        },
    )
    case.refresh_from_db()
    assert case.closed_reason == "The child moved out of the council's area: Now in Cardiff"


def test_a_plan_case_cannot_be_withdrawn_or_closed(client_for, officer, with_meeting):
    response = client_for(officer).get(_url("close_case", with_meeting), follow=True)
    assert (
        "A maintained plan ends only when the council decides to cease it"
        in response.content.decode()
    )


def test_correcting_a_steps_details_from_its_page(client_for, officer):
    """The defect: the correct page changed dates only, never a step's details."""
    from sendcase.casework.domain.phase_and_cease import record_phase_transfer

    case = build_case(stage="plan", officer=officer, weeks_ago=60)
    on = timezone.localdate().replace(day=1, month=9) + dt.timedelta(days=366)
    record_phase_transfer(case, transfer_date=on, kind="school", actor=officer)
    case = Case.objects.get(pk=case.pk)
    event = case.events.get(type="phase_transfer")
    client = client_for(officer)
    url = _url("correct_step", case, event)
    page = client.get(url).content.decode()
    assert "Kind of transfer" in page
    response = client.post(
        url,
        {
            "version": case.version,
            "reason": "Leaving school after year 11",
            "kind": "post16",
            **date_data("date", event.date),
        },
    )
    assert response.status_code == 302
    fixed = case.events.get(type="phase_transfer")
    assert fixed.data["kind"] == "post16" and fixed.corrects_id == event.pk
    response = client.post(
        _url("correct_step", case, fixed),
        {
            "version": Case.objects.get(pk=case.pk).version,
            "reason": "r",
            "kind": "nonsense",
            **date_data("date", fixed.date),
        },
    )
    html = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in html
    assert "Select the kind of transfer" in html
