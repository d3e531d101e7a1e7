"""Shared by the retention tests: the day they run on, and a refused request that closes a case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sendcase.casework.domain import assessment
from sendcase.casework.models import Case, Child
from sendcase.core.codes import RequestSource

D = dt.date
TODAY = D(2026, 1, 31)


def refused_case(child: Child, actor: Any, received: dt.date, decided: dt.date) -> Case:
    """A request refused (decided not to assess): the case closes on the decision."""
    case = assessment.open_case_from_request(
        child,
        received_on=received,
        source=RequestSource.PARENT_OR_YOUNG_PERSON,
        actor=actor,
        officer=actor,
        requester_name=f"Jo {child.surname}",
        today=TODAY,
    )
    assessment.record_decision_to_assess(
        case, decided_on=decided, outcome="not_assess", actor=actor, today=TODAY
    )
    case.refresh_from_db()
    return case
