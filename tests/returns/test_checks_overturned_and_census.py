"""Decisions overturned after mediation or an appeal, and the census date, in the SEN2 check,
the import and the export (issue: the return and the report tell the same truth)."""

from __future__ import annotations

import copy
import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from sen2_helpers import REF, build_return, canonical  # type: ignore[import-not-found]

from sendcase.casework.models import Case, Stage
from sendcase.returns.importer import import_return
from sendcase.returns.reader import validate

D = dt.date


def _problems(persons: Any, write_file: Any) -> list[str]:
    return [p.as_text() for p in validate(write_file(build_return(persons))).problems]


def _refused_then_assessed(persons: Any, *, flagged: bool) -> Any:
    """Alex's request refused (N), then assessed and a plan issued after an appeal."""
    req = persons[0].requests[0]
    req.request_outcome = "N"
    req.request_outcome_date = D(2025, 2, 10)
    req.request_tribunal = flagged
    a = req.assessment
    a.assessment_outcome_date = a.plan.start_date = D(2025, 9, 1)
    return persons


def _not_issued_then_plan(persons: Any, *, flagged: bool) -> Any:
    """Alex's assessment ends with a decision not to issue (N), then a plan after an appeal."""
    req = persons[0].requests[0]
    a = req.assessment
    a.assessment_outcome, a.assessment_outcome_date = "N", D(2025, 5, 20)
    a.assessment_tribunal = flagged
    a.plan.start_date = D(2025, 11, 3)
    return persons


@pytest.mark.django_db
def test_an_assessment_after_a_refusal_needs_the_challenge_flagged(
    sample_persons: Any, write_file: Any
) -> None:
    unflagged = _problems(_refused_then_assessed(sample_persons(), flagged=False), write_file)
    assert any("An assessment or plan is given for RequestOutcome N" in t for t in unflagged)
    assert any("RequestTribunal" in t for t in unflagged)
    assert _problems(_refused_then_assessed(sample_persons(), flagged=True), write_file) == []


@pytest.mark.django_db
def test_a_plan_after_a_decision_not_to_issue_needs_the_challenge_flagged(
    sample_persons: Any, write_file: Any
) -> None:
    unflagged = _problems(_not_issued_then_plan(sample_persons(), flagged=False), write_file)
    assert any("NamedPlan is given for AssessmentOutcome N" in t for t in unflagged)
    assert _problems(_not_issued_then_plan(sample_persons(), flagged=True), write_file) == []


@pytest.mark.django_db
@pytest.mark.parametrize("make", [_refused_then_assessed, _not_issued_then_plan])
def test_an_overturned_decision_imports_and_exports_the_same(
    sample_persons: Any, write_file: Any, tmp_path: Any, make: Any
) -> None:
    xml = build_return(make(sample_persons(), flagged=True))
    result = import_return(write_file(xml))
    assert result.ok, [p.as_text() for p in result.problems]
    case = Case.objects.get(child__forename="Alex")
    assert case.stage == Stage.PLAN and case.plan.first_issued_on is not None
    out = tmp_path / "again.xml"
    call_command("sen2", "export", "--year", "2026", "-o", str(out), stdout=io.StringIO())
    assert canonical(out.read_bytes()) == canonical(xml)


@pytest.mark.django_db
def test_dates_after_the_census_are_flagged(sample_persons: Any, write_file: Any) -> None:
    persons = sample_persons()
    active = persons[0].requests[0].active
    active.placements[0].leaving_date = REF + dt.timedelta(days=30)
    active.phase_transfer_due = D(2026, 2, 15)
    texts = _problems(persons, write_file)
    assert any("LeavingDate" in t and "after the reference date" in t for t in texts), texts
    assert any("PhaseTransferDueDate" in t and "after the reference date" in t for t in texts)


@pytest.mark.django_db
def test_two_active_plans_for_one_child_are_flagged(sample_persons: Any, write_file: Any) -> None:
    persons = sample_persons()
    second = copy.deepcopy(persons[0].requests[0])
    second.received_date = D(2025, 3, 3)
    second.request_outcome_date = D(2025, 4, 1)
    second.assessment.assessment_outcome_date = second.assessment.plan.start_date = D(2025, 7, 1)
    persons[0].requests.append(second)
    texts = _problems(persons, write_file)
    assert any("more than one active plan" in t for t in texts), texts
