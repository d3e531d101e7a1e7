"""Erasing children does not change the published figures: every report measure, every breakdown
and the SEN2 return's counts and records (less the identity that erasure removes) are the same
before and after erasing children of the demo council, with plans and without."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import call_command, get_commands
from django.db.models import Q
from django.test import override_settings

from sendcase.casework.models import OPEN_STAGES, Case, Child
from sendcase.core.models import AuditEntry
from sendcase.plans.models import Plan
from sendcase.reporting.domain import measures as m
from sendcase.reporting.domain.periods import YearKind, year
from sendcase.reporting.domain.report import summary
from sendcase.retention.erasure import erase_child
from sendcase.returns.exporter import people, write_return
from sendcase.returns.periods import Collection

TODAY = dt.date(2026, 1, 31)
FIRST_YEAR = 2020
ERASE_WITH_PLANS = 8
ERASE_WITHOUT = 8
IDENTITY = ("surname", "forename", "postcode", "upn", "uln", "upn_unknown", "index", "child_id")

pytestmark = pytest.mark.skipif("demo" not in get_commands(), reason="needs sendcase demo")


@pytest.fixture(scope="module")
def demo_council(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), override_settings(SENDCASE_DEMO=True):
        call_command(
            "demo",
            plans="150",
            seed="3",
            today=TODAY.isoformat(),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        yield
        call_command("flush", interactive=False, verbosity=0)


def _report_figures() -> dict[str, Any]:
    """Every report figure: the summary and every measure by every dimension, for each year of
    each kind (every period ends on a month end, as the reports' periods do)."""
    out: dict[str, Any] = {}
    for kind in YearKind:
        for first in range(FIRST_YEAR, TODAY.year):
            period = year(kind, first).clip(TODAY)
            out[f"{kind} {first}"] = summary(period)
            for defn in m.DEFINITIONS:
                for by in m.DIMENSIONS:
                    try:
                        rows = m.breakdown(defn, period, by)
                    except KeyError:  # a dimension this measure has not (cease reason)
                        continue
                    out[f"{kind} {first} {defn.key} by {by}"] = rows
    return out


def _sen2_figures() -> dict[str, Any]:
    """Each return's counts, and its records without the identity erasure removes (the date of
    birth as month and year, which is what DfE's age at any month end needs)."""
    out: dict[str, Any] = {}
    for collection_year in range(FIRST_YEAR + 1, TODAY.year + 1):
        c = Collection(collection_year)
        counts = write_return(c, io.BytesIO())
        records = []
        for person in people(c):
            rec = dataclasses.asdict(person)
            for key in IDENTITY:
                rec.pop(key)
            rec["birth_date"] = (person.birth_date.year, person.birth_date.month)  # type: ignore[union-attr]
            records.append(json.dumps(rec, default=str, sort_keys=True))
        out[str(collection_year)] = (dataclasses.asdict(counts), sorted(records))
    return out


def _children_to_erase() -> list[Child]:
    """Children with every case closed and no appeal running: some whose plans ceased, some
    who never had a plan."""
    open_children = Case.objects.filter(Q(stage__in=OPEN_STAGES) | Q(disputed=True)).values(
        "child_id"
    )
    closed = Child.objects.exclude(pk__in=open_children).order_by("pk")
    with_plans = list(
        closed.filter(pk__in=Plan.objects.exclude(first_issued_on=None).values("case__child_id"))
    )[:ERASE_WITH_PLANS]
    without = list(closed.exclude(cases__plan__isnull=False))[:ERASE_WITHOUT]
    return with_plans + without


@pytest.mark.django_db
def test_published_figures_do_not_change_when_children_are_erased(
    demo_council: None, data_officer: Any
) -> None:
    chosen = _children_to_erase()
    assert len(chosen) == ERASE_WITH_PLANS + ERASE_WITHOUT, "the demo should have such children"
    names = {c.pk: c.full_name for c in chosen}
    reports, returns = _report_figures(), _sen2_figures()
    assert reports["calendar 2024"]["active_plans"] > 0

    for child in chosen:
        erase_child(
            child,
            actor=data_officer,
            override_reason="Erased early for the figures test",
            today=TODAY,
        )

    assert _report_figures() == reports
    assert _sen2_figures() == returns
    # And the children really are anonymous now, in their records and in the audit log.
    assert set(Child.objects.filter(pk__in=names).values_list("forename", flat=True)) == {"Erased"}
    log = "\n".join(
        f"{e.summary} {json.dumps(e.payload, ensure_ascii=False)}" for e in AuditEntry.objects.all()
    )
    assert [n for n in names.values() if n in log] == []
