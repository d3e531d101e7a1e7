"""The council's letter wording: a safe template language, names it must keep, a preview on a
real case, versions, and who changed what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sendcase.casework.domain.errors import ActionError
from sendcase.casework.scenarios import build_case
from sendcase.core.models import AuditEntry
from sendcase.documents.actions import current_wording, save_letter_wording
from sendcase.documents.letters import LETTERS, LetterError, check_wording
from sendcase.documents.models import LetterTemplate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("spec", LETTERS.values(), ids=list(LETTERS))
def test_every_default_wording_is_valid(spec):
    check_wording(spec, spec.subject, spec.body)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param("{{ ''.__class__.__mro__ }}", "not valid", id="no reaching into Python"),
        pytest.param("{{ cycler.__init__.__globals__ }}", "not valid", id="no globals"),
        pytest.param("{{ secret_key }}", "not valid", id="an unknown name"),
        pytest.param("{% if %}", "not valid", id="a broken template"),
        pytest.param(
            "Dear {{ recipient_name }}", "must include {{ comments_by }}", id="drops the date"
        ),
    ],
)
def test_unsafe_or_unlawful_wording_is_refused(body, message):
    with pytest.raises(LetterError, match=message.replace("{", r"\{").replace("}", r"\}")):
        check_wording(LETTERS["draft_plan"], "Subject", body)


def test_versions_and_audit(head):
    spec = LETTERS["draft_plan"]
    assert current_wording("draft_plan")[2] == 0
    save_letter_wording("draft_plan", subject="S1", body=spec.body + "\n\nMore.", actor=head)
    save_letter_wording("draft_plan", subject="S2", body=spec.body, actor=head)
    assert current_wording("draft_plan")[:1] == ("S2",) and current_wording("draft_plan")[2] == 2
    assert list(
        LetterTemplate.objects.filter(key="draft_plan").values_list("version", flat=True)
    ) == [2, 1]
    entries = AuditEntry.objects.filter(object_type="documents.lettertemplate", actor=head)
    assert entries.count() == 2 and "Draft plan" in entries.first().summary
    with pytest.raises(ActionError):
        save_letter_wording("draft_plan", subject="S3", body="{{ nope }}", actor=head)
    assert LetterTemplate.objects.count() == 2


def test_preview_on_a_real_case_and_save(head, officer, signed_in):
    case = build_case(stage="draft", officer=officer, weeks_ago=30)
    client = signed_in(head)
    url = reverse("casework:letter_wording", args=["draft_plan"])
    body = "Dear {{ recipient_name }}\n\nComment by {{ comments_by }} please."
    response = client.post(
        url, {"subject": "Draft", "body": body, "preview_case": case.reference, "preview": "1"}
    )
    page = response.content.decode()
    due = case.deadlines.get(key="draft_comments_window").due
    assert f"Comment by {due.day} {due:%B %Y} please." in page
    assert not LetterTemplate.objects.exists()  # a preview saves nothing
    response = client.post(url, {"subject": "Draft", "body": body, "save": "1"})
    assert response.status_code == 302
    assert LetterTemplate.objects.get().changed_by == head


def test_case_officers_cannot_change_wording(officer, signed_in):
    response = signed_in(officer).post(
        reverse("casework:letter_wording", args=["draft_plan"]),
        {"subject": "x", "body": "{{ comments_by }}", "save": "1"},
    )
    assert response.status_code == 404
    assert not LetterTemplate.objects.exists()
