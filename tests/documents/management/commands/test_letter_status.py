"""`sendcase letter-status` keeps Notify's delivery status on the case's correspondence."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from sendcase.casework.scenarios import build_case
from sendcase.core.models import NotifyMessage
from sendcase.documents.actions import send_letter
from sendcase.documents.models import Correspondence

pytestmark = pytest.mark.django_db


def test_status_follows_notify(officer, django_capture_on_commit_callbacks):
    case = build_case(stage="plan", officer=officer, weeks_ago=40)
    with django_capture_on_commit_callbacks(execute=True):
        send_letter(case, "final_plan", on=case.plan.first_issued_on, actor=officer, notify=True)
    row = Correspondence.objects.get()
    Correspondence.objects.filter(pk=row.pk).update(status="sending")
    NotifyMessage.objects.filter(notify_id=row.notify_id).update(status="permanent-failure")
    out = io.StringIO()
    call_command("letter-status", stdout=out)
    row.refresh_from_db()
    assert row.status == "permanent-failure"
    assert "Asked Notify about 1 messages; 1 changed status." in out.getvalue()
    call_command("letter-status", stdout=out)  # final: not asked again
    assert "Asked Notify about 0 messages" in out.getvalue()
