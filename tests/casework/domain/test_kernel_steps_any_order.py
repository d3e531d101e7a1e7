"""Steps recorded in any order (issue 12, item 1).

Officers record the real world late and out of order. For every pair of review, advice and
phase-transfer steps, the whole set is recorded once in the order the world produced it and once
with that pair swapped; both must end with the same stored deadlines, queue state and records.
A step that cannot exist without another (a decision without its meeting) may be refused while
the other is missing, in plain words, and is then accepted once it is there: nothing is stuck.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest

from sendcase.casework.domain.assessment import (
    record_advice_received,
    record_advice_requested,
)
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.phase_and_cease import (
    record_phase_transfer,
    record_phase_transfer_named,
)
from sendcase.casework.domain.plan import record_draft_plan, record_final_plan
from sendcase.casework.domain.reviews import (
    record_amendment_notice,
    record_final_amended_plan,
    record_review_advice_circulated,
    record_review_decision,
    record_review_invitations_sent,
    record_review_meeting,
    record_review_report,
)
from sendcase.casework.models import AdviceRequest, Case, Child, Deadline
from sendcase.casework.scenarios import cease_by_the_route, place
from sendcase.plans.models import PlanVersion
from sendcase.reviews.models import AnnualReview, PhaseTransfer

from .cases import assessed_case, draft, final, with_plan

D = dt.date
TODAY = D(2025, 10, 1)
_children = itertools.count(1)

Step = Callable[[Case, Any], object]


def _case(actor: Any, *, final: dt.date | None) -> Case:
    n = next(_children)
    child = Child.objects.create(forename=f"Order{n}", surname="Case", date_of_birth=D(2014, 5, 2))
    case = assessed_case(
        child, actor, received_on=D(2023, 9, 4), decided_on=D(2023, 10, 9), today=TODAY
    )
    if final is None:
        return case
    return with_plan(case, actor, draft_on=D(2024, 1, 8), final_on=final, today=TODAY)


# --- One review year and a phase transfer, in the order the world produced them ---------------

REVIEW_STEPS: dict[str, Step] = {
    "invitations sent": lambda c, a: record_review_invitations_sent(
        c, sent_on=D(2025, 1, 13), actor=a, today=TODAY
    ),
    "review advice circulated": lambda c, a: record_review_advice_circulated(
        c, sent_on=D(2025, 1, 20), actor=a, today=TODAY
    ),
    "new setting named": lambda c, a: record_phase_transfer_named(
        c, named_on=D(2025, 2, 3), actor=a, today=TODAY
    ),
    "review meeting": lambda c, a: record_review_meeting(
        c, meeting_on=D(2025, 2, 10), actor=a, today=TODAY
    ),
    "review report": lambda c, a: record_review_report(
        c, sent_on=D(2025, 2, 17), actor=a, today=TODAY
    ),
    "review decision": lambda c, a: record_review_decision(
        c, decided_on=D(2025, 2, 24), outcome="amend", actor=a, today=TODAY, notify=False
    ),
    "proposed amendments": lambda c, a: record_amendment_notice(
        c, issued_on=D(2025, 3, 3), actor=a, today=TODAY
    ),
    "final amended plan": lambda c, a: record_final_amended_plan(
        c, issued_on=D(2025, 4, 7), actor=a, today=TODAY
    ),
    # Noted when the move is known; the event is the date of the move itself.
    "phase transfer": lambda c, a: record_phase_transfer(
        c, transfer_date=D(2025, 9, 3), kind="school", actor=a, today=TODAY
    ),
}
# What cannot exist without another record (refused, in plain words, until that is there).
REVIEW_NEEDS = {
    "review report": {"review meeting"},
    "review decision": {"review meeting"},
    "final amended plan": {"proposed amendments"},
    "new setting named": {"phase transfer"},
}

# --- Advice for an assessment, the draft and the final plan -----------------------------------

ADVICE_STEPS: dict[str, Step] = {
    "EP advice requested": lambda c, a: record_advice_requested(
        c,
        kind="educational_psychology",
        provider="EP service",
        requested_on=D(2023, 10, 16),
        advice_id="ep",
        actor=a,
        today=TODAY,
    ),
    "health advice requested": lambda c, a: record_advice_requested(
        c,
        kind="health",
        provider="Community paediatrics",
        requested_on=D(2023, 10, 18),
        advice_id="health",
        actor=a,
        today=TODAY,
    ),
    "EP advice received": lambda c, a: record_advice_received(
        c, advice_id="ep", received_on=D(2023, 11, 20), actor=a, today=TODAY
    ),
    "health advice received": lambda c, a: record_advice_received(
        c, advice_id="health", received_on=D(2023, 12, 4), actor=a, today=TODAY
    ),
    "draft plan": lambda c, a: record_draft_plan(
        c, issued_on=D(2024, 1, 8), actor=a, today=TODAY, content=draft()
    ),
    "placement": lambda c, a: place(c, a, D(2023, 9, 4), today=TODAY),
    "final plan": lambda c, a: record_final_plan(
        c, issued_on=D(2024, 2, 5), actor=a, today=TODAY, content=final()
    ),
}
ADVICE_NEEDS = {
    "EP advice received": {"EP advice requested"},
    "health advice received": {"health advice requested"},
    "placement": {"draft plan"},  # a placement belongs to a plan
    "final plan": {"draft plan", "placement"},  # section I names the current placement's setting
}


def _record(case: Case, actor: Any, steps: dict[str, Step], order: list[str], needs: dict) -> None:
    """Record the steps in `order`. A refused step waits and is tried again after each later
    step; it may only be refused while something it needs is missing, and in plain words."""
    done: set[str] = set()
    waiting: list[str] = []

    def attempt(name: str) -> bool:
        try:
            steps[name](case, actor)
        except ActionError as exc:
            missing = needs.get(name, set()) - done
            assert missing, f"{name} was refused with everything it needs recorded: {exc}"
            message = str(exc)
            assert "_" not in message and "at this stage" not in message, message
            return False
        done.add(name)
        return True

    for name in order:
        if not attempt(name):
            waiting.append(name)
            continue
        progress = True
        while progress:
            progress = False
            for w in list(waiting):
                if attempt(w):
                    waiting.remove(w)
                    progress = True
    assert not waiting, f"never accepted: {waiting}"


def _state(case: Case) -> dict[str, Any]:
    case = Case.objects.get(pk=case.pk)
    plan = getattr(case, "plan", None)
    return {
        "deadlines": sorted(
            Deadline.objects.filter(case=case).values_list(
                "key", "instance", "trigger", "due", "completed_on", "status"
            )
        ),
        "queue": (case.stage, case.next_due, case.next_key, case.overdue_count),
        "reviews": sorted(
            AnnualReview.objects.filter(plan=plan).values_list(
                "due_on",
                "meeting_on",
                "invitations_sent_on",
                "report_on",
                "decision",
                "decision_on",
                "amendment_notice_on",
                "final_amended_on",
            ),
            key=repr,
        )
        if plan
        else [],
        "transfers": sorted(
            PhaseTransfer.objects.filter(plan=plan).values_list(
                "transfer_date", "due_on", "named_on"
            )
        )
        if plan
        else [],
        "versions": sorted(
            PlanVersion.objects.filter(plan__case=case).values_list("kind", "issued_on")
        ),
        "advice": sorted(
            AdviceRequest.objects.filter(case=case).values_list(
                "advice_id", "requested_on", "received_on"
            )
        ),
    }


def _swapped(names: list[str], a: str, b: str) -> list[str]:
    order = list(names)
    i, j = order.index(a), order.index(b)
    order[i], order[j] = order[j], order[i]
    return order


GROUPS = {
    "review": (REVIEW_STEPS, REVIEW_NEEDS, D(2024, 2, 5)),
    "advice": (ADVICE_STEPS, ADVICE_NEEDS, None),
}
PAIRS = [
    (group, a, b)
    for group, (steps, _, _) in GROUPS.items()
    for a, b in itertools.combinations(list(steps), 2)
]


@pytest.mark.parametrize(("group", "first", "second"), PAIRS)
def test_a_pair_recorded_in_either_order_gives_the_same_record(
    officer: Any, group: str, first: str, second: str
) -> None:
    steps, needs, final = GROUPS[group]
    world = list(steps)
    in_order = _case(officer, final=final)
    _record(in_order, officer, steps, world, needs)
    swapped = _case(officer, final=final)
    _record(swapped, officer, steps, _swapped(world, first, second), needs)
    assert _state(swapped) == _state(in_order)


def test_the_world_order_leaves_nothing_overdue(officer: Any) -> None:
    """The baseline itself is a well-kept case: every step on time, nothing overdue."""
    steps, needs, final = GROUPS["review"]
    case = _case(officer, final=final)
    _record(case, officer, steps, list(steps), needs)
    assert Case.objects.get(pk=case.pk).overdue_count == 0


def test_meeting_recorded_first_then_its_invitations_and_advice(officer: Any) -> None:
    """The defect in the issue: a review meeting recorded before its invitations and advice left
    two overdue deadlines, and both forms refused the earlier steps for good."""
    case = _case(officer, final=D(2024, 2, 5))
    REVIEW_STEPS["review meeting"](case, officer)
    before = Case.objects.get(pk=case.pk).overdue_count
    preparation = {"review_meeting_notice", "review_advice_circulated"}
    assert set(_overdue(case)) >= preparation
    REVIEW_STEPS["invitations sent"](case, officer)
    REVIEW_STEPS["review advice circulated"](case, officer)
    assert not set(_overdue(case)) & preparation
    assert Case.objects.get(pk=case.pk).overdue_count == before - 2
    review = AnnualReview.objects.get(plan__case=case, meeting_on=D(2025, 2, 10))
    assert review.invitations_sent_on == D(2025, 1, 13)


def _overdue(case: Case) -> list[str]:
    return list(Deadline.objects.filter(case=case, status="overdue").values_list("key", flat=True))


def test_a_step_before_a_recorded_one_still_keeps_the_law(officer: Any) -> None:
    """Back-dating is not a way round the law: invitations dated before the plan existed, or a
    final plan before any draft, are refused in plain words."""
    case = _case(officer, final=D(2024, 2, 5))
    REVIEW_STEPS["review meeting"](case, officer)
    with pytest.raises(ActionError, match="the plan was issued"):
        record_review_invitations_sent(case, sent_on=D(2024, 1, 30), actor=officer, today=TODAY)
    fresh = _case(officer, final=None)
    with pytest.raises(
        ActionError, match="cannot issue the final plan while the case is at ‘Assessment’"
    ):
        record_final_plan(
            fresh, issued_on=D(2024, 2, 5), actor=officer, today=TODAY, content=final()
        )


def test_a_review_step_dated_while_the_plan_was_maintained_after_it_ceased(officer: Any) -> None:
    """The stage is judged on the step's date: a review meeting held before the plan ended can
    be recorded after the ceasing was; one dated after it cannot."""
    case = _case(officer, final=D(2024, 2, 5))
    cease_by_the_route(case, cease_date=D(2025, 6, 30), reason=2, actor=officer, today=TODAY)
    REVIEW_STEPS["invitations sent"](case, officer)
    REVIEW_STEPS["review meeting"](case, officer)
    assert AnnualReview.objects.get(plan__case=case, meeting_on=D(2025, 2, 10))
    with pytest.raises(ActionError, match="plan ended on 30 June 2025"):
        record_review_report(case, sent_on=D(2025, 7, 7), actor=officer, today=TODAY)
