"""A demo council in which someone placed a legal hold and erased a record still resets."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import Q

from sendcase.accounts.models import Role, User
from sendcase.casework.models import OPEN_STAGES, Case, Child
from sendcase.retention.erasure import erase_child, set_legal_hold
from sendcase.retention.models import Erasure, LegalHold

TODAY = "2025-11-24"


@pytest.mark.django_db
def test_demo_reset_after_holds_and_erasures(settings: pytest.FixtureRequest) -> None:
    settings.SENDCASE_DEMO = True  # type: ignore[attr-defined]
    call_command(
        "demo", plans="30", seed="3", today=TODAY, stdout=io.StringIO(), stderr=io.StringIO()
    )
    data = User.objects.filter(is_demo=True, role=Role.DATA_OFFICER).first()
    assert data is not None, "the demo has a data officer login"
    busy = Case.objects.filter(Q(stage__in=OPEN_STAGES) | Q(disputed=True)).values("child_id")
    first, second = Child.objects.exclude(pk__in=busy).order_by("pk")[:2]
    erase_child(first, actor=data, override_reason="Tried in the demo")
    set_legal_hold(second, reason="Tried in the demo", actor=data)
    call_command(
        "demo", reset=True, plans="30", today=TODAY, stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert not Erasure.objects.exists() and not LegalHold.objects.exists()
    assert Case.objects.exists()
