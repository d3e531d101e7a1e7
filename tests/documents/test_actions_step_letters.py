"""The step forms ask what happens to the letter; the case's correspondence shows which."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sendcase.casework.scenarios import build_case
from sendcase.core.models import NotifyMessage
from sendcase.demo.plan_content import lawful_content, write_plan
from sendcase.documents.models import Correspondence

pytestmark = pytest.mark.django_db


def date_data(name: str, d: dt.date) -> dict[str, str]:
    return {f"{name}_day": str(d.day), f"{name}_month": str(d.month), f"{name}_year": str(d.year)}


def post_draft(client, case, issued_on, **extra):
    url = reverse("casework:step", args=[case.pk, "draft-plan"])
    version = re.search(r'name="version" value="(\d+)"', client.get(url).content.decode())[1]
    return client.post(url, {"version": version, **date_data("issued_on", issued_on), **extra})


@pytest.fixture
def case(officer):
    """A case whose draft plan has been written in the editor, ready to issue."""
    case = build_case(stage="advice", officer=officer, weeks_ago=14)
    write_plan(case, officer, lawful_content(("ASD",)))
    return case


def test_back_dated_and_sent_now_on_request(
    case, officer, signed_in, django_capture_on_commit_callbacks
):
    on = timezone.localdate() - dt.timedelta(days=4)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_draft(signed_in(officer), case, on, letter_choice="send")
    assert response.status_code == 302
    row = Correspondence.objects.get()
    assert (row.how, row.sent_on) == ("sent", timezone.localdate())
    assert NotifyMessage.objects.filter(case=case).count() == 1


def test_back_dated_and_recorded_as_sent(case, officer, signed_in):
    on = timezone.localdate() - dt.timedelta(days=4)
    response = post_draft(
        signed_in(officer),
        case,
        on,
        letter_choice="recorded",
        letter_channel="letter",
        **date_data("letter_sent_on", on),
    )
    assert response.status_code == 302
    row = Correspondence.objects.get()
    assert (row.how, row.sent_on, row.channel) == ("recorded", on, "letter")
    page = signed_in(officer).get(reverse("casework:correspondence", args=[case.pk]))
    assert "Recorded as sent outside SENDcase" in page.content.decode()


def test_recorded_needs_its_date_and_how(case, officer, signed_in):
    response = post_draft(signed_in(officer), case, timezone.localdate(), letter_choice="recorded")
    page = response.content.decode()
    assert "Enter the date the letter was sent" in page
    assert "Select how the letter was sent" in page
    assert not Correspondence.objects.exists()


def test_back_dated_with_no_choice_sends_nothing(case, officer, signed_in):
    on = timezone.localdate() - dt.timedelta(days=4)
    assert post_draft(signed_in(officer), case, on).status_code == 302
    assert not Correspondence.objects.exists()
    assert not NotifyMessage.objects.exists()


def test_send_a_letter_from_the_correspondence_page_to_a_setting(
    officer, signed_in, django_capture_on_commit_callbacks
):
    case = build_case(stage="draft", officer=officer, weeks_ago=30)
    draft_on = case.plan.draft_issued_on
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(officer).post(
            reverse("casework:letter_new", args=[case.pk]),
            {
                "letter": "draft_plan",
                **date_data("on", draft_on),
                "recipient_name": "Head teacher, Oak Lane Primary",
                "recipient_email": "head@oaklane.example",
                "letter_choice": "send",
            },
        )
    assert response.status_code == 302
    row = Correspondence.objects.get()
    assert (row.recipient, row.channel, row.address) == (
        "Head teacher, Oak Lane Primary",
        "email",
        "head@oaklane.example",
    )
    assert NotifyMessage.objects.get().recipient == "head@oaklane.example"
