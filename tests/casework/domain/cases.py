"""Shared by the domain tests: lawful plan content, a case built through the real actions, the
import's deferred and buffered modes, and a count of the rows an undone block must not keep."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction

from sendcase.casework.domain.assessment import open_case_from_request, record_decision_to_assess
from sendcase.casework.domain.deferred import deferred_deadlines
from sendcase.casework.domain.plan import record_draft_plan, record_final_plan
from sendcase.casework.models import Case, Child, StatutoryEvent
from sendcase.casework.scenarios import place
from sendcase.core.models import AuditEntry
from sendcase.demo.plan_content import lawful_content


def draft() -> Any:
    """Lawful content for a draft plan (plans.checks refuses an empty one)."""
    return lawful_content(("ASD",))


def final() -> Any:
    """Lawful content for a final plan (section I: the current placement's setting)."""
    return lawful_content(("ASD",))


def assessed_case(
    child: Child, actor: Any, *, received_on: dt.date, decided_on: dt.date, today: dt.date
) -> Case:
    """A request received, and the decision to assess, recorded by `actor` as its officer."""
    case = open_case_from_request(
        child, received_on=received_on, source=1, actor=actor, officer=actor, today=today
    )
    record_decision_to_assess(
        case, decided_on=decided_on, outcome="assess", actor=actor, today=today
    )
    return Case.objects.get(pk=case.pk)


def with_plan(
    case: Case, actor: Any, *, draft_on: dt.date, final_on: dt.date, today: dt.date
) -> Case:
    """The case's draft and final plan issued, with lawful content, and the child placed from
    the day the case opened (a final plan names the current placement)."""
    record_draft_plan(case, issued_on=draft_on, actor=actor, today=today, content=draft())
    place(case, actor, today=today)
    record_final_plan(case, issued_on=final_on, actor=actor, today=today, content=final())
    return Case.objects.get(pk=case.pk)


@contextmanager
def import_mode(today: dt.date | None = None, *, buffered: bool) -> Iterator[None]:
    """The actions as the SEN2 import runs them: inside one transaction, deadlines computed once
    when the block ends (casework/domain/deferred.py); `buffered`, the rows held in the write
    buffer until then too (casework/domain/buffer.py)."""
    with transaction.atomic(), deferred_deadlines(today=today, buffered=buffered):
        yield


def row_counts() -> tuple[int, int, int]:
    """Cases, statutory events and audit entries: the same before and after a block undone."""
    return Case.objects.count(), StatutoryEvent.objects.count(), AuditEntry.objects.count()
