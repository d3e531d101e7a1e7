"""A correction's queries do not grow with the case's history (the bench's target is a correction
recomputing the case in under 100 ms at 20,000 plans: bench/bench_corrections.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sendcase.casework.domain.assessment import (
    open_case_from_request,
    record_advice_received,
    record_advice_requested,
    record_decision_to_assess,
)
from sendcase.casework.domain.corrections import correct_step, strike_out_step
from sendcase.casework.models import Case, StatutoryEvent

D = dt.date
TODAY = D(2025, 10, 1)


def _case_with_advice(child: Any, officer: Any, n: int) -> Case:
    kw: dict[str, Any] = {"actor": officer, "today": TODAY}
    case = open_case_from_request(child, received_on=D(2024, 9, 2), source=1, officer=officer, **kw)
    record_decision_to_assess(case, decided_on=D(2024, 10, 7), outcome="assess", **kw)
    for i in range(n):
        aid = f"a{i}"
        record_advice_requested(
            case, kind="health", provider="NHS", requested_on=D(2024, 10, 8), advice_id=aid, **kw
        )
        record_advice_received(case, advice_id=aid, received_on=D(2024, 11, 1 + i), **kw)
    return Case.objects.get(pk=case.pk)


def _queries(case: Case, officer: Any) -> tuple[int, int]:
    event = StatutoryEvent.objects.filter(case=case, type="advice_received").latest("date")
    with CaptureQueriesContext(connection) as corrected:
        fixed = correct_step(
            case,
            event_id=event.pk,
            date=event.date - dt.timedelta(days=1),
            reason="Date stamp",
            actor=officer,
            today=TODAY,
        )
    with CaptureQueriesContext(connection) as struck:
        strike_out_step(case, event_id=fixed.pk, reason="Not received", actor=officer, today=TODAY)
    return len(corrected), len(struck)


def test_a_correction_makes_the_same_queries_for_a_short_and_a_long_history(
    child: Any, twin: Any, officer: Any
) -> None:
    short = _queries(_case_with_advice(child, officer, 1), officer)
    long = _queries(_case_with_advice(twin, officer, 5), officer)
    assert short == long, (short, long)
    print(f"a correction: {short[0]} queries; a strike-out: {short[1]}")
