"""A child has one EHC plan at a time: the actions refuse a second plan maintained beside the first."""

from __future__ import annotations

import datetime as dt

import pytest

from sendcase.casework.domain.assessment import open_case_from_request, record_decision_to_assess
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.plan import record_draft_plan, record_final_plan
from sendcase.casework.domain.transfers import record_transfer_in
from sendcase.casework.scenarios import cease_by_the_route, place
from sendcase.demo.plan_content import lawful_content
from sendcase.plans.models import Plan

D = dt.date
TODAY = D(2026, 11, 30)


def _transfer_in(child, officer, on: dt.date):
    return record_transfer_in(
        child,
        transferred_on=on,
        last_review=on,
        from_la_code="201",
        from_la_name="City of London",
        actor=officer,
        officer=officer,
        today=TODAY,
    )


def _plan_by_request(child, officer, received: dt.date):
    case = open_case_from_request(
        child, received_on=received, source=1, actor=officer, officer=officer, today=TODAY
    )
    record_decision_to_assess(
        case,
        decided_on=received + dt.timedelta(days=30),
        outcome="assess",
        actor=officer,
        today=TODAY,
    )
    record_draft_plan(
        case,
        issued_on=received + dt.timedelta(days=90),
        actor=officer,
        content=lawful_content(("ASD",)),
        today=TODAY,
    )
    return case


@pytest.mark.django_db
def test_a_second_final_plan_is_refused_while_the_first_is_maintained(child, officer) -> None:
    first = _transfer_in(child, officer, D(2024, 3, 1))
    # the family asks again while the plan is maintained (a reassessment request is recorded
    # on a case of its own once the transferred case is closed for a new request)
    first.stage = "ceased"  # the old case no longer open, but its plan was never ceased
    first.save(update_fields=["stage"])
    second = _plan_by_request(child, officer, D(2025, 1, 6))
    with pytest.raises(ActionError) as refused:
        place(second, actor=officer, today=TODAY)  # section I names its setting
        record_final_plan(
            second,
            issued_on=D(2025, 5, 1),
            actor=officer,
            today=TODAY,
            content=lawful_content(("ASD",)),
        )
    assert "already has an EHC plan, maintained since 1 March 2024" in refused.value.message
    assert first.reference in refused.value.message
    assert Plan.objects.filter(case=second, first_issued_on__isnull=False).count() == 0


@pytest.mark.django_db
def test_a_plan_after_the_first_ceased_is_issued(child, officer) -> None:
    first = _transfer_in(child, officer, D(2024, 3, 1))
    cease_by_the_route(first, cease_date=D(2025, 4, 30), reason=2, actor=officer, today=TODAY)
    second = _plan_by_request(child, officer, D(2025, 1, 6))
    place(second, actor=officer, today=TODAY)  # section I names its setting
    plan = record_final_plan(
        second,
        issued_on=D(2025, 5, 1),
        actor=officer,
        today=TODAY,
        content=lawful_content(("ASD",)),
    )
    assert plan.first_issued_on == D(2025, 5, 1)


@pytest.mark.django_db
def test_a_transfer_in_is_refused_for_a_child_with_a_plan(child, officer) -> None:
    first = _transfer_in(child, officer, D(2024, 3, 1))
    first.stage = "ceased"
    first.save(update_fields=["stage"])
    with pytest.raises(ActionError, match="already has an EHC plan"):
        _transfer_in(child, officer, D(2025, 3, 1))
