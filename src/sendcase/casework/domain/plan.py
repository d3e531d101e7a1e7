"""The EHC plan itself: the draft, and the final plan after the family's 15 days to comment
(SEND Regulations 2014 regs 12 and 13; CFA 2014 s39).

Every action here runs in one transaction through the kernel (`kernel.py`): it locks the case
and checks `expected_version` (StaleCase), refuses a step that does not fit (ActionError), moves
the case's version on, writes one audit entry and recomputes the case's deadlines once. What
else each one does:

* `record_draft_plan`: the Plan (made if the case has none), its draft date and a new
  PlanVersion (kind draft) with its ranked needs; event `draft_issued`; stage DRAFT; the
  family's letter with the draft enclosed and the date comments are due by (the
  `draft_comments_window` Deadline row), as `notify` says (kernel.letter_delivery).
* `record_final_plan`: a new PlanVersion (kind final), the plan active and its first issue
  date; events `final_issued` and `decision_notice` (the contents can be appealed); stage PLAN;
  the first AnnualReview row, due 12 months on; the family's letter with the plan enclosed, its
  appeal rights and the appeal-window date, as `notify` says (kernel.letter_delivery).

`new_plan_version` is the one way a plan gets a new version (also used by reviews and by a plan
transferred in).
"""

from __future__ import annotations

import datetime as dt

from sendcase.casework.domain import buffer, kernel
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import (
    Case,
    Stage,
)
from sendcase.core.actors import Actor, user_of
from sendcase.documents.actions import issue_letter
from sendcase.plans.models import Need, Plan, PlanVersion
from sendcase.reviews.models import AnnualReview
from sendcase.statutory.dates import format_date
from sendcase.statutory.rules import period, period_end


def new_plan_version(
    plan: Plan,
    kind: str,
    issued_on: dt.date,
    actor: Actor,
    sections: dict[str, str] | None,
    needs: list[tuple[str, str]] | None,
) -> PlanVersion:
    versions = buffer.related(plan, PlanVersion, "plan")
    previous = max(versions, key=lambda v: v.number) if versions else None
    version = buffer.create(
        PlanVersion,
        plan=plan,
        number=(previous.number + 1) if previous else 1,
        kind=kind,
        issued_on=issued_on,
        sections=sections if sections is not None else (previous.sections if previous else {}),
        created_by=user_of(actor),
    )
    if needs is None and previous is not None:
        needs = [
            (n.code, n.description)
            for n in sorted(buffer.related(previous, Need, "version"), key=lambda n: n.rank)
        ]
    for rank, (code, description) in enumerate(needs or [], start=1):
        buffer.create(Need, version=version, rank=rank, code=code, description=description)
    if needs:
        plan.primary_need = needs[0][0]
    return version


@kernel.action
def record_draft_plan(
    case: Case,
    *,
    issued_on: dt.date,
    actor: Actor,
    sections: dict[str, str] | None = None,
    needs: list[tuple[str, str]] | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
    notify: kernel.Notify = None,
) -> Plan:
    """Serve the draft plan: the family then has at least 15 days to comment (Reg 13(1))."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.require_stage(case, (Stage.ASSESSING,), "issue a draft plan")
    kernel.not_future(issued_on, "The date the draft plan was issued", today, "issued_on")
    kernel.not_before(
        issued_on,
        case.request.decision_on,
        "The date the draft plan was issued",
        "the decision to assess",
        "issued_on",
    )
    plan = kernel.plan_for(case)
    plan.draft_issued_on = issued_on
    version = new_plan_version(plan, PlanVersion.Kind.DRAFT, issued_on, actor, sections, needs)
    buffer.save(plan)
    kernel.write_event(case, "draft_issued", issued_on, actor)
    case.stage = Stage.DRAFT
    kernel.finish(case, actor, f"Draft plan issued {format_date(issued_on)}", plan, today, {})
    issue_letter(
        case,
        "draft_plan",
        on=issued_on,
        actor=actor,
        notify=kernel.letter_delivery(notify, issued_on, today),
        today=today,
        plan_version=version,
    )
    return plan


@kernel.action
def record_final_plan(
    case: Case,
    *,
    issued_on: dt.date,
    actor: Actor,
    sections: dict[str, str] | None = None,
    needs: list[tuple[str, str]] | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
    notify: kernel.Notify = None,
    import_mode: bool = False,
) -> Plan:
    """Issue the final EHC plan (Reg 13(2)); not inside the draft's 15-day comments window.

    `notify=False`: no letter to the family (an import records a past plan); see
    kernel.letter_delivery for the others.
    `import_mode=True` (SEN2 imports): the return holds no draft date, so a plan may be recorded
    without a draft (no draft_issued event is invented), from the request or assessment stage;
    the audit entry says it was imported and whether there was a draft."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    if import_mode:
        kernel.require_stage(
            case, (Stage.REQUESTED, Stage.ASSESSING, Stage.DRAFT), "issue the final plan"
        )
        plan = kernel.plan_for(case)
    else:
        kernel.require_stage(case, (Stage.DRAFT,), "issue the final plan")
        plan = case.plan
        if plan.draft_issued_on is None:
            raise ActionError("Issue the draft plan before the final plan")
    kernel.not_future(issued_on, "The date the final plan was issued", today, "issued_on")
    if plan.first_issued_on is None:
        kernel.one_plan_at_a_time(case.child, case, issued_on)
    draft_on = plan.draft_issued_on
    earliest = (
        period_end("draft_comments_window", draft_on) + dt.timedelta(days=1)
        if draft_on
        else issued_on
    )
    if draft_on is not None and issued_on < earliest:
        raise ActionError(
            f"The final plan cannot be issued before {format_date(earliest)}: the family has {period('draft_comments_window').words} from the draft "
            f"({format_date(draft_on)}) to comment (SEND Regulations 2014, reg 13(1))",
            field="issued_on",
        )
    version = new_plan_version(plan, PlanVersion.Kind.FINAL, issued_on, actor, sections, needs)
    plan.first_issued_on = issued_on
    plan.status = Plan.Status.ACTIVE
    buffer.save(plan)
    kernel.write_event(case, "final_issued", issued_on, actor)
    kernel.decision_notice(
        case, issued_on, actor
    )  # the plan's contents can be appealed (CFA s51(2)(c))
    case.stage = Stage.PLAN
    kernel.finish(
        case,
        actor,
        f"Final plan issued {format_date(issued_on)}",
        plan,
        today,
        {"imported": True, "without_draft": plan.draft_issued_on is None} if import_mode else {},
    )
    buffer.create(AnnualReview, plan=plan, due_on=period_end("annual_review_meeting", issued_on))
    if not import_mode:
        issue_letter(
            case,
            "final_plan",
            on=issued_on,
            actor=actor,
            notify=kernel.letter_delivery(notify, issued_on, today),
            today=today,
            plan_version=version,
        )
    return plan
