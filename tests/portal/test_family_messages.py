"""Messages with context (issue 14, item 5): no message to someone outside the council lacks
what they can do, and a date where one applies; the date is the clock's (a stored Deadline row),
and the message links to the page."""

from __future__ import annotations

import re

import pytest

from sendcase.casework.scenarios import build_case
from sendcase.core import notify
from sendcase.core.models import NotifyMessage
from sendcase.documents.letters import LETTERS
from sendcase.portal.family_messages import MESSAGES, personalisation, send_to_person
from sendcase.portal.models import ExternalPerson
from sendcase.statutory.dates import format_date
from sendcase.statutory.rules import DEADLINE_RULES

# Every Notify template, by who gets it and where its action and date come from. A new template
# fails here until someone says.
TEMPLATE_KINDS = {
    "password_reset": "staff",
    "letter_email": "letter",  # the letter's own wording (LETTERS), checked below
    "letter_post": "letter",
    "portal_link_code": "code",  # enter the code by ((valid_until))
    "portal_colleague_code": "code",
    "portal_family_message": "portal",  # MESSAGES, checked below
    # To a school's or service's people (portal/work.py): sending refuses a message without
    # what happened, what to do, by when and a link (tests/portal/test_work.py).
    "portal_work": "portal",
    # Older per-decision templates: the letters (LETTERS) now carry these decisions.
    "decision_to_assess": "letter",
    "decision_not_to_assess": "letter",
    "draft_plan_issued": "letter",
    "final_plan_issued": "letter",
    "decision_not_to_issue": "letter",
    "review_decision": "letter",
    "cease_decision": "letter",
}


def test_every_notify_template_is_accounted_for():
    assert set(notify.TEMPLATES) <= set(TEMPLATE_KINDS), set(notify.TEMPLATES) - set(TEMPLATE_KINDS)


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_no_portal_message_lacks_an_action_or_a_date_where_one_applies(key):
    spec = MESSAGES[key]
    assert spec.happened.strip() and spec.action.strip(), key
    assert spec.deadline or spec.no_date_because.strip(), f"{key}: no date and no reason"
    if spec.deadline:
        assert spec.deadline in DEADLINE_RULES, key


@pytest.mark.parametrize("key", sorted(k for k, s in LETTERS.items() if s.dates), ids=lambda k: k)
def test_every_dated_letter_states_its_dates(key):
    spec = LETTERS[key]
    used = set(re.findall(r"{{\s*(\w+)\s*}}", spec.body))
    for name, deadline in spec.dates.items():
        assert deadline in DEADLINE_RULES, (key, deadline)
        # The date is in the wording itself, or in the appeal rights it must keep.
        assert name in used or "appeal_rights" in used, (key, name)


def test_the_by_when_is_the_stored_deadline_and_the_link_is_the_page(
    officer, django_capture_on_commit_callbacks
):
    case = build_case(stage="draft", officer=officer, weeks_ago=4)
    due = case.deadlines.get(key="draft_comments_window").due
    data = personalisation("draft_comments_received", case, "Pat")
    assert data["by_when"] == f"By {format_date(due)}."
    assert data["link"].endswith(f"/portal/cases/{case.pk}/draft/")
    assert data["what_to_do"] and case.child.full_name in data["what_happened"]
    # By the person's preferred channel: a text message when they chose one.
    person = ExternalPerson.objects.create(
        issuer="i",
        subject="s",
        name="Pat",
        email="pat@example.org",
        phone="07700900123",
        preferred_channel="sms",
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_to_person(person, "reply", case)
    sent = NotifyMessage.objects.get()
    assert sent.channel == "sms" and sent.recipient == "07700900123" and sent.case_id == case.pk


def test_a_letter_by_email_links_to_the_family_page(
    requested_case, officer, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from sendcase.casework.domain.assessment import record_decision_to_assess

    with django_capture_on_commit_callbacks(execute=True):
        record_decision_to_assess(
            requested_case, decided_on=timezone.localdate(), outcome="assess", actor=officer
        )
    sent = NotifyMessage.objects.get(recipient="pat@example.org")
    assert sent.personalisation["link"].endswith(f"/portal/cases/{requested_case.pk}/documents/")
