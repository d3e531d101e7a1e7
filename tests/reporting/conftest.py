"""Building cases with known answers through the real action functions."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from sendcase.casework.domain.assessment import (
    open_case_from_request,
    record_decision_to_assess,
    record_exception,
)
from sendcase.casework.domain.plan import record_draft_plan, record_final_plan
from sendcase.casework.models import Case, Child
from sendcase.casework.scenarios import place
from sendcase.core.codes import RequestSource
from sendcase.demo.plan_content import lawful_content

D = dt.date
TODAY = D(2026, 1, 31)
BORN = D(2015, 3, 14)
_names = itertools.count(1)


def new_child(born: dt.date = BORN) -> Child:
    n = next(_names)
    return Child.objects.create(forename=f"Child{n}", surname=f"Test{n:04d}", date_of_birth=born)


def request(actor: Any, received: dt.date, *, officer: Any = None, born: dt.date = BORN) -> Case:
    return open_case_from_request(
        new_child(born),
        received_on=received,
        source=RequestSource.PARENT_OR_YOUNG_PERSON,
        actor=actor,
        officer=officer or actor,
        today=TODAY,
    )


def plan_case(
    actor: Any,
    received: dt.date,
    final: dt.date,
    *,
    decided: dt.date | None = None,
    need: str = "ASD",
    officer: Any = None,
    born: dt.date = BORN,
    exception: bool = False,
    final_content: Any = None,
) -> Case:
    """A request decided to assess, a draft 15+ days before the final plan, the final plan."""
    case = request(actor, received, officer=officer, born=born)
    decided = decided or received + dt.timedelta(days=30)
    record_decision_to_assess(case, decided_on=decided, outcome="assess", actor=actor, today=TODAY)
    if exception:
        record_exception(
            case,
            reason="exceptional_personal_circumstances",
            start=decided + dt.timedelta(days=5),
            end=decided + dt.timedelta(days=40),
            why="Family bereavement",
            actor=actor,
            today=TODAY,
        )
    draft = min(final - dt.timedelta(days=20), max(decided, final - dt.timedelta(days=20)))
    record_draft_plan(
        case, issued_on=draft, actor=actor, content=lawful_content((need,)), today=TODAY
    )
    place(case, actor, received, today=TODAY)  # the final plan names the placement's setting
    record_final_plan(
        case,
        issued_on=final,
        actor=actor,
        today=TODAY,
        content=final_content or lawful_content((need,)),
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def build() -> Any:
    """The helpers, as one fixture object: build.request(...), build.plan_case(...)."""

    class Build:
        pass

    b = Build()
    b.request = request  # type: ignore[attr-defined]
    b.plan_case = plan_case  # type: ignore[attr-defined]
    b.child = new_child  # type: ignore[attr-defined]
    return b


@pytest.fixture
def client_for(db: None) -> Any:
    """A test client signed in (with a second factor) as the given person."""
    from django.test import Client

    from sendcase.accounts.testing import verified_login

    def make(user: Any) -> Client:
        return verified_login(Client(), user)

    return make
