"""The letters the assessment, consultation, review and transfer steps send (reference/ehc-plan.md,
"Notices and letters each step needs"): the acknowledgement of a request, the request for advice,
the consultation with a setting, the review invitation and the transfer letter. Each is sent by
its step as the draft and final plans' letters are: now when the step is dated today or the
officer asks, recorded as sent earlier when the officer says so, and never by a back-dated step
by itself. Their dates come from the stored Deadline rows."""

from __future__ import annotations

import ast
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from sendcase.casework.domain.assessment import open_case_from_request, record_advice_requested
from sendcase.casework.domain.kernel import SentEarlier
from sendcase.casework.domain.reviews import record_review_invitations_sent
from sendcase.casework.domain.transfers import record_transfer_in, record_transfer_in_notice
from sendcase.casework.models import Deadline
from sendcase.casework.scenarios import build_case, make_child
from sendcase.core.codes import Phase, RequestSource, SettingType
from sendcase.core.models import NotifyMessage
from sendcase.documents.letters import LETTERS
from sendcase.documents.models import Correspondence
from sendcase.placements.models import Placement, Setting
from sendcase.portal import actions as portal_actions
from sendcase.portal import work
from sendcase.portal.models import ExternalPerson, Organisation
from sendcase.statutory.dates import format_date

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SRC = Path(__file__).resolve().parents[2] / "src" / "sendcase"


def text_of(row: Correspondence) -> str:
    row.document.open("rb")
    try:
        data = row.document.read()
    finally:
        row.document.close()
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def due(case, key: str, instance: str = "") -> str:
    rows = Deadline.objects.filter(case=case, key=key)
    if instance:
        rows = rows.filter(instance=instance)
    return format_date(rows.order_by("-trigger").first().due)


def date_data(name: str, d: dt.date) -> dict[str, str]:
    return {f"{name}_day": str(d.day), f"{name}_month": str(d.month), f"{name}_year": str(d.year)}


def recorded(on: dt.date, channel: str) -> dict[str, str]:
    """The form's answer: the letter was already sent outside SENDcase, on `on`, by `channel`."""
    return {
        "letter_choice": "recorded",
        "letter_channel": channel,
        **date_data("letter_sent_on", on),
    }


def step_version(client, url: str) -> str:
    return re.search(r'name="version" value="(\d+)"', client.get(url).content.decode())[1]


def school_in_portal(officer, name: str = "Oak Lane Primary School") -> Organisation:
    setting = Setting.objects.create(name=name, kind=Setting.Kind.ACADEMY, phase=Phase.PRIMARY)
    school = Organisation.objects.create(name=name, kind=Organisation.Kind.SETTING, setting=setting)
    senco = ExternalPerson.objects.create(
        issuer="https://one-login.test",
        subject=f"senco-{name}",
        name="Ann Senco",
        email="senco@oak.example",
    )
    portal_actions.add_member(school, senco, role="administrator", actor=officer)
    return school


# --- The table: every letter has a step that sends it ------------------------------------------

# reference/ehc-plan.md, "Notices and letters each step needs": each row's step, and its letter.
TABLE = {
    "request received": "request_received",
    "decision not to assess": "decision_not_to_assess",
    "decision to assess": "decision_to_assess",
    "request for advice (to professionals)": "advice_request",
    "decision not to issue a plan": "decision_not_to_issue",
    "draft plan": "draft_plan",
    "consultation with a setting": "setting_consultation",
    "final plan": "final_plan",
    "annual review invitation": "review_invitation",
    "review decision": "review_decision",
    "proposed amendments": "proposed_amendments",
    "final amended plan": "final_amended_plan",
    "decision to cease": "decision_to_cease",
    "transfer in or out": "transfer",
}


def letters_sent_by_steps() -> dict[str, set[str]]:
    """Each letter key given as a literal to `issue_letter` in an action, with where."""
    sent: dict[str, set[str]] = {}
    for path in [*(SRC / "casework" / "domain").glob("*.py"), SRC / "portal" / "work.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if not (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "issue_letter"
                and len(node.args) >= 2
            ):
                continue
            for const in ast.walk(node.args[1]):
                if isinstance(const, ast.Constant) and isinstance(const.value, str):
                    sent.setdefault(const.value, set()).add(path.name)
    return sent


def test_every_letter_in_the_table_is_a_letter():
    assert sorted(TABLE.values()) == sorted(LETTERS)


@pytest.mark.parametrize("step", list(TABLE), ids=list(TABLE.values()))
def test_every_letter_in_the_table_has_a_step_that_sends_it(step):
    assert TABLE[step] in letters_sent_by_steps(), f"no step sends the ‘{step}’ letter"


# --- Request received -------------------------------------------------------------------------


def open_request(officer, received_on, **kw):
    return open_case_from_request(
        make_child(),
        received_on=received_on,
        source=RequestSource.PARENT_OR_YOUNG_PERSON,
        actor=officer,
        today=TODAY,
        **kw,
    )


def test_request_dated_today_is_acknowledged_with_the_decision_date(
    officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = open_request(officer, TODAY)
    row = Correspondence.objects.get(case=case)
    assert (row.letter, row.recipient, row.channel, row.how) == (
        "request_received",
        "Jo Example",
        "email",
        "sent",
    )
    assert f"by {due(case, 'decision_to_assess')}" in text_of(row)
    message = NotifyMessage.objects.get(case=case)
    assert row.notify_id == message.notify_id and message.recipient == "jo.example@example.org"


def test_back_dated_request_sends_nothing(officer):
    open_request(officer, TODAY - dt.timedelta(days=3))
    assert not Correspondence.objects.exists()
    assert not NotifyMessage.objects.exists()


def test_back_dated_request_recorded_as_acknowledged_earlier(officer):
    on = TODAY - dt.timedelta(days=3)
    case = open_request(officer, on, notify=SentEarlier(on, "letter"))
    row = Correspondence.objects.get(case=case)
    assert (row.how, row.sent_on, row.channel) == ("recorded", on, "letter")
    assert not NotifyMessage.objects.exists()


def test_historical_and_no_notify_requests_send_nothing(officer):
    open_request(officer, TODAY, notify=False)
    open_request(officer, TODAY, historical=True)
    assert not Correspondence.objects.exists()


def test_new_request_page_asks_about_the_acknowledgement(officer, signed_in):
    client = signed_in(officer)
    url = reverse("casework:new_request")
    assert "The acknowledgement to the family" in client.get(url).content.decode()
    on = TODAY - dt.timedelta(days=2)
    response = client.post(
        url,
        {
            "forename": "Ada",
            "surname": "Letters",
            **date_data("date_of_birth", dt.date(2016, 5, 4)),
            "postcode": "HR1 1AA",
            "sex": "F",
            "contact_name": "Bea Letters",
            "contact_relationship": "Mother",
            "contact_email": "bea@example.org",
            "contact_parental_responsibility": "yes",
            **date_data("received_on", on),
            "source": str(RequestSource.PARENT_OR_YOUNG_PERSON),
            "officer": str(officer.pk),
            **recorded(on, "email"),
        },
    )
    assert response.status_code == 302, response.content.decode()
    row = Correspondence.objects.get()
    assert (row.letter, row.how, row.sent_on, row.recipient) == (
        "request_received",
        "recorded",
        on,
        "Bea Letters",
    )


# --- Request for advice ------------------------------------------------------------------------


@pytest.fixture
def assessing(officer):
    return build_case(stage="assessing", officer=officer, weeks_ago=8)


def test_advice_request_today_goes_to_the_adviser_with_the_advice_deadline(
    assessing, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        advice = record_advice_requested(
            assessing,
            kind="educational_psychology",
            provider="EP service",
            provider_email="ep@council.example",
            requested_on=TODAY,
            actor=officer,
        )
    row = Correspondence.objects.get(case=assessing)
    assert (row.letter, row.recipient, row.channel, row.address) == (
        "advice_request",
        "EP service",
        "email",
        "ep@council.example",
    )
    assert f"by {due(assessing, 'advice_due', advice.advice_id)}" in text_of(row)
    assert NotifyMessage.objects.get(case=assessing).recipient == "ep@council.example"


def test_advice_request_with_no_address_says_so(assessing, officer):
    record_advice_requested(
        assessing,
        kind="health",
        provider="Community paediatrics",
        requested_on=TODAY,
        actor=officer,
    )
    row = Correspondence.objects.get(case=assessing)
    assert (row.recipient, row.status) == ("Community paediatrics", "Not sent: no address")
    assert not NotifyMessage.objects.exists()


def test_back_dated_advice_request_sends_nothing_and_can_be_recorded(assessing, officer):
    on = TODAY - dt.timedelta(days=5)
    kw = {"kind": "health", "provider": "Paediatrics", "provider_email": "p@nhs.example"}
    record_advice_requested(assessing, requested_on=on, actor=officer, **kw)
    assert not Correspondence.objects.exists()
    record_advice_requested(
        assessing,
        requested_on=on,
        actor=officer,
        advice_id="health-2",
        notify=SentEarlier(on, "email"),
        **kw,
    )
    row = Correspondence.objects.get()
    assert (row.how, row.sent_on, row.letter) == ("recorded", on, "advice_request")
    assert not NotifyMessage.objects.exists()


def test_advice_step_form_sends_the_letter_to_the_adviser(
    assessing, officer, signed_in, django_capture_on_commit_callbacks
):
    client = signed_in(officer)
    url = reverse("casework:step", args=[assessing.pk, "advice-requested"])
    assert "The letter to the adviser" in client.get(url).content.decode()
    on = TODAY - dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "version": step_version(client, url),
                "kind": "educational_psychology",
                "provider": "EP service",
                "provider_email": "ep@council.example",
                **date_data("requested_on", on),
                "letter_choice": "send",
            },
        )
    assert response.status_code == 302
    row = Correspondence.objects.get()
    assert (row.how, row.sent_on, row.address) == ("sent", TODAY, "ep@council.example")
    assert NotifyMessage.objects.get().recipient == "ep@council.example"


def test_advice_sent_to_a_portal_service_goes_to_its_managers(
    assessing, officer, django_capture_on_commit_callbacks
):
    service = Organisation.objects.create(name="EP service", kind=Organisation.Kind.EP_SERVICE)
    lead = ExternalPerson.objects.create(
        issuer="https://one-login.test", subject="m", name="Max Lead", email="lead@ep.example"
    )
    portal_actions.add_member(service, lead, role="manager", actor=officer)
    advice = record_advice_requested(
        assessing,
        kind="educational_psychology",
        provider="EP service",
        requested_on=TODAY,
        actor=officer,
        notify=False,
    )
    with django_capture_on_commit_callbacks(execute=True):
        work.send_advice_to_service(advice, service, actor=officer, notify=None)
    row = Correspondence.objects.get()
    assert (row.letter, row.address, row.recipient) == (
        "advice_request",
        "lead@ep.example",
        "Max Lead, EP service",
    )
    assert f"by {due(assessing, 'advice_due', advice.advice_id)}" in text_of(row)


# --- Consultation with a setting ---------------------------------------------------------------


@pytest.fixture
def draft(officer):
    return build_case(stage="draft", officer=officer, weeks_ago=18)


def test_consultation_today_goes_to_the_setting_with_its_15_day_reply_date(
    draft, officer, django_capture_on_commit_callbacks
):
    school = school_in_portal(officer)
    with django_capture_on_commit_callbacks(execute=True):
        consultation = work.consult_setting(draft, school, consulted_on=TODAY, actor=officer)
    row = Correspondence.objects.get(case=draft)
    assert (row.letter, row.recipient, row.channel, row.address) == (
        "setting_consultation",
        "Ann Senco, Oak Lane Primary School",
        "email",
        "senco@oak.example",
    )
    reply_by = due(draft, "setting_consultation", consultation.consultation_id)
    assert f"reply by {reply_by}" in text_of(row)
    assert row.enclosure and row.plan_version is not None
    assert NotifyMessage.objects.filter(case=draft, recipient="senco@oak.example").exists()


def test_back_dated_consultation_sends_nothing_unless_recorded(draft, officer, signed_in):
    school = school_in_portal(officer)
    on = TODAY - dt.timedelta(days=2)
    work.consult_setting(draft, school, consulted_on=on, actor=officer)
    assert not Correspondence.objects.exists()
    other = school_in_portal(officer, "Elm Road Academy")
    on = on - dt.timedelta(days=1)
    response = signed_in(officer).post(
        reverse("portal_staff:consult", args=[draft.pk]),
        {
            "organisation": str(other.pk),
            **date_data("consulted_on", on),
            **recorded(on, "hand"),
        },
    )
    assert response.status_code == 302, response.content.decode()
    row = Correspondence.objects.get()
    assert (row.letter, row.how, row.channel, row.sent_on) == (
        "setting_consultation",
        "recorded",
        "hand",
        on,
    )


# --- Annual review invitation ------------------------------------------------------------------


@pytest.fixture
def pupil(officer):
    case = build_case(stage="plan", officer=officer, weeks_ago=40)
    school = school_in_portal(officer)
    Placement.objects.create(
        plan=case.plan,
        setting=school.setting,
        entry_date=case.plan.first_issued_on,
        setting_type=SettingType.MAINSTREAM,
    )
    return case


def test_review_invitations_today_go_to_the_family_and_the_setting(
    pupil, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record_review_invitations_sent(pupil, sent_on=TODAY, actor=officer)
    rows = Correspondence.objects.filter(case=pupil).order_by("pk")
    family = pupil.child.contacts.get()
    assert [(r.letter, r.recipient, r.address) for r in rows] == [
        ("review_invitation", family.name, family.email),
        ("review_invitation", "Ann Senco, Oak Lane Primary School", "senco@oak.example"),
    ]
    assert f"held by {due(pupil, 'annual_review_meeting')}" in text_of(rows[0])
    assert NotifyMessage.objects.filter(case=pupil).count() == 2


def test_back_dated_review_invitations_send_nothing_unless_asked(
    pupil, officer, signed_in, django_capture_on_commit_callbacks
):
    client = signed_in(officer)
    url = reverse("casework:step", args=[pupil.pk, "review-invitations"])
    assert "The letter to the family and the setting" in client.get(url).content.decode()
    on = TODAY - dt.timedelta(days=3)
    record_review_invitations_sent(pupil, sent_on=on, actor=officer)
    assert not Correspondence.objects.exists()


def test_review_invitations_recorded_as_sent_earlier(pupil, officer, signed_in):
    client = signed_in(officer)
    url = reverse("casework:step", args=[pupil.pk, "review-invitations"])
    on = TODAY - dt.timedelta(days=3)
    response = client.post(
        url,
        {
            "version": step_version(client, url),
            **date_data("sent_on", on),
            **recorded(on, "letter"),
        },
    )
    assert response.status_code == 302
    assert {(r.how, r.sent_on, r.channel) for r in Correspondence.objects.all()} == {
        ("recorded", on, "letter")
    }
    assert Correspondence.objects.count() == 2
    assert not NotifyMessage.objects.exists()


# --- Transfer -----------------------------------------------------------------------------------


@pytest.fixture
def transferred(officer):
    return record_transfer_in(
        make_child(),
        transferred_on=TODAY - dt.timedelta(days=10),
        last_review=TODAY - dt.timedelta(days=200),
        from_la_code="999",
        from_la_name="Elsewhere Council",
        actor=officer,
        officer=officer,
    )


def test_transfer_in_notice_today_tells_the_family_when_the_plan_is_reviewed(
    transferred, officer, django_capture_on_commit_callbacks
):
    assert not Correspondence.objects.exists()  # the transfer itself sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        record_transfer_in_notice(transferred, notice_on=TODAY, actor=officer)
    row = Correspondence.objects.get(case=transferred)
    assert (row.letter, row.recipient, row.how) == ("transfer", "Jo Example", "sent")
    assert f"review the plan by {due(transferred, 'transfer_in_review')}" in text_of(row)
    assert NotifyMessage.objects.get(case=transferred).recipient == "jo.example@example.org"


def test_back_dated_transfer_notice_sends_nothing_unless_recorded(transferred, officer, signed_in):
    on = TODAY - dt.timedelta(days=2)
    client = signed_in(officer)
    url = reverse("casework:step", args=[transferred.pk, "transfer-in-notice"])
    assert client.post(url, {"version": step_version(client, url), **date_data("notice_on", on)})
    assert not Correspondence.objects.exists()
    transferred.refresh_from_db()
    assert transferred.transfers.get().notice_on == on


def test_transfer_notice_recorded_as_sent_earlier(transferred, officer):
    on = TODAY - dt.timedelta(days=2)
    record_transfer_in_notice(
        transferred, notice_on=on, actor=officer, notify=SentEarlier(on, "letter")
    )
    row = Correspondence.objects.get()
    assert (row.letter, row.how, row.sent_on) == ("transfer", "recorded", on)
    assert not NotifyMessage.objects.exists()


# --- The letter's PDF goes with an email as a file ----------------------------------------------


def test_an_emailed_letter_carries_its_pdf_as_a_file(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = open_request(officer, TODAY)
    row = Correspondence.objects.get(case=case)
    sent = NotifyMessage.objects.get(case=case).personalisation["letter_file"]
    assert sent == {
        "file_attached": True,
        "filename": f"{case.reference}-request-received.pdf",
        "size": row.document.size,
        "confirm_email_before_download": True,
        "retention_period": None,
    }
    assert sent["size"] > 1000


def test_a_posted_letter_has_no_file(officer, django_capture_on_commit_callbacks):
    child = make_child()
    child.contacts.update(email="", address="1 High Street\nHereford", preferred_contact="post")
    with django_capture_on_commit_callbacks(execute=True):
        case = open_case_from_request(
            child,
            received_on=TODAY,
            source=RequestSource.PARENT_OR_YOUNG_PERSON,
            actor=officer,
        )
    assert Correspondence.objects.get(case=case).channel == "letter"
    message = NotifyMessage.objects.get(case=case)
    assert message.channel == "letter" and "letter_file" not in message.personalisation


def test_a_file_too_big_for_notify_is_left_out():
    from sendcase.core import notify

    notify_id, _ = notify.send_written(
        "email",
        "jo@example.org",
        {"subject": "S", "body": "B", "name": "Jo", "case_reference": "R", "link": "L"},
        "R-big",
        attachment=("big.pdf", b"%PDF" + b"0" * (2 * 1024 * 1024 + 1)),
    )
    assert NotifyMessage.objects.get(notify_id=notify_id).personalisation["letter_file"] == ""


def test_consultation_with_the_local_target_off_is_recorded_without_a_letter(draft, officer):
    from sendcase.core.models import LocalTargetSetting

    LocalTargetSetting.objects.create(key="setting_consultation", enabled=False)
    work.consult_setting(draft, school_in_portal(officer), consulted_on=TODAY, actor=officer)
    assert draft.events.filter(type="setting_consulted").exists()
    assert not Correspondence.objects.exists()


def test_the_plan_sent_with_the_draft_is_the_one_enclosed_for_the_setting(
    officer, django_capture_on_commit_callbacks
):
    from sendcase.casework.domain.plan import record_draft_plan
    from sendcase.demo.plan_content import lawful_content

    case = build_case(stage="advice", officer=officer, weeks_ago=14)
    record_draft_plan(case, issued_on=TODAY, actor=officer, content=lawful_content(("ASD",)))
    sent = Correspondence.objects.get(case=case, letter="draft_plan")
    work.consult_setting(case, school_in_portal(officer), consulted_on=TODAY, actor=officer)
    consulted = Correspondence.objects.get(case=case, letter="setting_consultation")
    assert consulted.plan_version == sent.plan_version
    assert consulted.enclosure.name == sent.enclosure.name
    assert consulted.enclosure.size == sent.enclosure.size > 0
