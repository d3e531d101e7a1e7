"""Steps as data (issue 10, item 4): each step is offered at the stages its action declares
(`kernel.stages`, the same data the action checks when it is saved), so the two cannot drift;
one generic runner calls the action and words the message from the cleaned data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import string
from typing import Any

import pytest

from sendcase.casework.domain import kernel
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import Stage
from sendcase.casework.steps import STEPS, CaseState, Step

# The step table's actions that check no stage of their own: the step's `when` decides alone.
STAGELESS = {
    "advice-received",  # any outstanding request, whatever the stage
    "exception",  # open stages, or a live disagreement
    "phase-transfer-named",  # the transfer waiting for its setting
    "placement",  # the plan (draft or final) the placement belongs to
    "transfer-in-notice",  # the transfer waiting for its notice
    "cease-consultation",  # the open ceasing
    "cease-decision",
    "cease-approval",
    "cease-notice",
    "mediation-decision",  # the appeal steps follow the disagreement, not the case's stage
    "mediation-held",
    "mediation-certificate",
    "appeal-registered",
    "no-appeal",
    "tribunal-decision",
    "order-complied",
}


def _state(stage: str, **overrides: Any) -> CaseState:
    """A case at `stage` with nothing else going on."""
    fields = {
        f.name: 0 if f.type == "int" else False
        for f in dataclasses.fields(CaseState)
        if f.name != "stage"
    }
    return CaseState(stage=stage, **{**fields, **overrides})


@pytest.mark.parametrize("slug", sorted(STEPS))
def test_a_steps_stages_are_its_actions_declared_stages(slug: str) -> None:
    step = STEPS[slug]
    declared = kernel.stages_of(step.action)
    assert (declared is None) == (slug in STAGELESS)
    offered = {s for s in Stage.values if step.at_stage(_state(s))}
    late = {s for s in Stage.values if step.late(_state(s))}
    if declared is None:
        assert offered == set(Stage.values)
    else:
        assert offered == set(declared) | late


@pytest.mark.parametrize("slug", sorted(STEPS))
def test_a_step_is_offered_late_only_when_its_action_judges_the_stage_on_its_date(
    slug: str,
) -> None:
    step = STEPS[slug]
    offered_late = any(
        step.late(_state(s, plan_ended=ended)) for s in Stage.values for ended in (False, True)
    )
    if offered_late:
        assert kernel.judges_stage_late(step.action)


@pytest.mark.parametrize(
    "slug", sorted(s for s, step in STEPS.items() if isinstance(step.message, str))
)
def test_a_messages_fields_are_its_forms_fields(slug: str) -> None:
    step = STEPS[slug]
    assert isinstance(step.message, str)
    names = {name for _, name, _, _ in string.Formatter().parse(step.message) if name}
    assert names <= set(step.form.base_fields)


def test_the_generic_runner_calls_the_action_and_words_dates_as_the_service_does() -> None:
    calls: list[dict[str, Any]] = []

    def act(case: object, **kwargs: Any) -> None:
        calls.append(kwargs)

    step = Step(
        "x", "X", STEPS["draft-plan"].form, act, "Draft plan recorded as issued on {issued_on}"
    )
    message = step.run(None, {"issued_on": dt.date(2025, 3, 3)}, "actor", 7)  # type: ignore[arg-type]
    assert message == "Draft plan recorded as issued on 3 March 2025"
    assert calls == [{"actor": "actor", "expected_version": 7, "issued_on": dt.date(2025, 3, 3)}]


def test_the_placement_step_refuses_two_settings_before_its_action() -> None:
    with pytest.raises(ActionError, match="not both"):
        STEPS["placement"].run(None, {"sen_setting": "OTH", "setting": object()}, None, 1)  # type: ignore[arg-type]


def test_the_decision_to_assess_message_follows_the_outcome() -> None:
    message = STEPS["decision-to-assess"].message
    assert callable(message)
    assert message({"outcome": "assess"}, None) == "Decision to assess recorded"
    assert "the case is closed" in message({"outcome": "not_assess"}, None)
