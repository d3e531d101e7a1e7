"""The whole-council refresh: parallel processes on PostgreSQL give the same rows as one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from sendcase.casework.domain.assessment import open_case_from_request, record_decision_to_assess
from sendcase.casework.domain.refresh import refresh_all
from sendcase.casework.models import Case, Child, Deadline

D = dt.date


def rows() -> set[tuple]:
    return set(
        Deadline.objects.values_list(
            "case_id", "key", "instance", "due", "completed_on", "status", "explanation"
        )
    )


@pytest.mark.django_db(transaction=True)
def test_parallel_refresh_equals_serial(officer) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("parallel refresh runs on PostgreSQL only (SQLite serialises writers)")
    for n in range(6):
        child = Child.objects.create(
            forename=f"Child{n}", surname="Parallel", date_of_birth=D(2014, 1, 1 + n)
        )
        case = open_case_from_request(
            child, received_on=D(2025, 1, 6 + n), source=1, actor=officer, today=D(2025, 1, 20)
        )
        record_decision_to_assess(
            case, decided_on=D(2025, 2, 10), outcome="assess", actor=officer, today=D(2025, 2, 10)
        )
    later = D(2025, 4, 1)
    assert refresh_all(today=later, batch=2, workers=2) == 6
    parallel = rows()
    Deadline.objects.all().delete()
    Case.objects.update(deadlines_digest="")
    refresh_all(today=later, batch=2, workers=1)
    assert rows() == parallel
    assert Deadline.objects.filter(key="decision_to_assess", status="met").count() == 6
