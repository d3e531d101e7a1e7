"""Erasing a child removes their uploaded files and the copies and recipients of their letters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sendcase.casework.domain.assessment import open_case_from_request, record_decision_to_assess
from sendcase.casework.scenarios import make_child
from sendcase.documents.actions import upload_document
from sendcase.documents.models import CaseDocument, Correspondence
from sendcase.retention.erasure import erase_child

pytestmark = pytest.mark.django_db


def test_erasure_removes_files_and_letter_copies(
    officer, data_officer, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    child = make_child()
    received = today - dt.timedelta(days=400)
    case = open_case_from_request(child, received_on=received, source=1, actor=officer)
    record_decision_to_assess(
        case,
        decided_on=received + dt.timedelta(days=30),
        outcome="not_assess",
        actor=officer,
        notify=True,
    )
    doc = upload_document(
        case,
        upload=SimpleUploadedFile("v.pdf", b"%PDF-1.4 views"),
        kind="views",
        title="Views",
        actor=officer,
    )
    letter = Correspondence.objects.get()
    assert letter.recipient
    names = [doc.file.name, letter.document.name]
    storage = storages["documents"]
    assert all(storage.exists(n) for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        erase_child(child, actor=data_officer, override_reason="The family asked (Art 17)")
    assert not CaseDocument.objects.exists()
    letter.refresh_from_db()
    assert (letter.recipient, letter.address, letter.document.name) == ("", "", "")
    assert letter.letter == "decision_not_to_assess"  # which letter went, and when, stays
    assert not any(storage.exists(n) for n in names)
