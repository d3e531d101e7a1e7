"""Writing the next version of a plan: the working copy, saved as the officer goes.

* `start_working_copy`: a working copy for the case (a PlanVersion with no plan, no number and
  no date, `working_copy_of` the case), starting from the current plan's latest version when
  there is one (an amendment starts from the plan as it stands), else empty. Section K is
  filled from the advice received; section I from the current placement for a final plan or
  a final amended plan (empty in a draft and in proposed amendments). The case's version moves on; one audit entry.
* `save_working_copy`: the working copy's content replaced (its rows rewritten), and the
  section's status set to completed or in progress; the case's version checked and moved on
  (optimistic locking, like every step); one audit entry naming the section.

Nothing here issues anything: the draft and final plan actions (`plan.py`) issue the working
copy when the officer chooses, after the checks (`plans.checks`).
"""

from __future__ import annotations

from typing import Any

from sendcase.casework.domain import kernel
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.plan import (
    fill_fields,
    in_step_with_case,
    working_copy,
    write_rows,
)
from sendcase.casework.models import Case, Stage
from sendcase.core.actors import Actor
from sendcase.plans.content import SECTION_KEYS, PlanContent
from sendcase.plans.models import Need, Outcome, Plan, PlanVersion, Provision
from sendcase.plans.queries import content_of

# Stages a plan can be written in: during the assessment (the draft), after the draft (the
# final), and while the plan is maintained (amendments after a review).
WRITABLE_STAGES = (Stage.ASSESSING, Stage.DRAFT, Stage.PLAN)
COMPLETED = "completed"
IN_PROGRESS = "in_progress"


def next_kind(plan: Plan | None, latest: PlanVersion | None = None) -> str:
    """What the working copy will be issued as (`latest`: the plan's latest version): after
    proposed amendments, the final amended plan."""
    if plan is None or plan.draft_issued_on is None and plan.first_issued_on is None:
        return PlanVersion.Kind.DRAFT
    if plan.first_issued_on is None:
        return PlanVersion.Kind.FINAL
    if latest is not None and latest.kind == PlanVersion.Kind.PROPOSED_AMENDMENT:
        return PlanVersion.Kind.AMENDED
    return PlanVersion.Kind.PROPOSED_AMENDMENT


def _bump(
    case: Case, actor: Actor, obj: PlanVersion, summary: str, payload: dict[str, Any]
) -> None:
    case.version += 1
    case.save(update_fields=["version", "updated_at"])
    kernel.audit_action(actor, "update", obj, summary, case=case, payload=payload)


@kernel.action
def start_working_copy(
    case: Case, *, actor: Actor, expected_version: int | None = None
) -> PlanVersion:
    case = kernel.lock_case(case, expected_version)
    existing = working_copy(case)
    if existing is not None:
        return existing
    kernel.require_stage(case, WRITABLE_STAGES, "write the plan")
    plan = Plan.objects.filter(case=case).first()
    latest = plan.versions.order_by("-number").first() if plan is not None else None
    kind = next_kind(plan, latest)
    content = content_of(latest) if latest is not None else PlanContent()
    content = in_step_with_case(content, case, plan, kind)
    copy = PlanVersion(working_copy_of=case, kind=kind, created_by=None)
    fill_fields(copy, content)
    copy.section_status = {}
    copy.save()
    write_rows(copy, content)
    where = f"version {latest.number}" if latest is not None else "an empty plan"
    _bump(
        case, actor, copy, f"Started writing the {copy.get_kind_display().lower()} from {where}", {}
    )
    return copy


@kernel.action
def save_working_copy(
    case: Case,
    *,
    section: str,
    content: PlanContent,
    completed: bool | None,
    actor: Actor,
    expected_version: int | None = None,
) -> PlanVersion:
    """Save one section of the working copy (`content` is the whole plan, as edited)."""
    if section not in SECTION_KEYS:
        raise ActionError("Choose a section of the plan")
    case = kernel.lock_case(case, expected_version)
    copy = working_copy(case)
    if copy is None:
        raise ActionError("Start writing the plan first")
    plan = Plan.objects.filter(case=case).first()
    content = in_step_with_case(content, case, plan, copy.kind)
    Need.objects.filter(version=copy).delete()
    Outcome.objects.filter(version=copy).delete()
    Provision.objects.filter(version=copy).delete()
    fill_fields(copy, content)
    status = dict(copy.section_status or {})
    if completed is not None:
        status[section] = COMPLETED if completed else IN_PROGRESS
    elif section not in status:
        status[section] = IN_PROGRESS
    copy.section_status = status
    copy.save()
    write_rows(copy, content)
    _bump(
        case,
        actor,
        copy,
        f"Plan section {section} saved ({'completed' if status[section] == COMPLETED else 'in progress'})",
        {"section": section, "status": status[section]},
    )
    return copy
