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
from dataclasses import replace

from django.db.models import Model

from sendcase.casework.domain import buffer, kernel
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import AdviceRequest, Case, Stage
from sendcase.core.actors import Actor, user_of
from sendcase.documents.actions import issue_letter
from sendcase.placements.models import Placement
from sendcase.plans import checks
from sendcase.plans.content import (
    OUTCOME_FIELDS,
    PROVISION_FIELDS,
    AdviceRow,
    NeedRow,
    PlanContent,
    own_fields,
)
from sendcase.plans.models import Need, Outcome, Plan, PlanVersion, Provision
from sendcase.plans.queries import assemble, content_of
from sendcase.reviews.models import AnnualReview
from sendcase.statutory.dates import format_date
from sendcase.statutory.rules import period, period_end


class PlanNotReady(ActionError):
    """The plan's content breaks the law or the checks (`plans.checks`): every problem, each with
    the section and the place in the editor it is about."""

    def __init__(self, found: list[checks.Problem]) -> None:
        super().__init__(
            f"The plan cannot be issued: {len(found)} thing{'s' if len(found) != 1 else ''} "
            "to put right first"
        )
        self.problems = found


def _buffered_content(version: PlanVersion) -> PlanContent:
    """A version made in this buffered block (an import): all of sections A to K, from the
    version's fields and its needs, outcomes, provision and links, which wait in the buffer too."""

    def linked(row: Model, through: type[Model], owner: str, target: str) -> list[int]:
        return [getattr(r, f"{target}_id") for r in buffer.related(row, through, owner)]

    needs = sorted(buffer.related(version, Need, "version"), key=lambda n: n.rank)
    outcomes = buffer.related(version, Outcome, "version")
    provision = buffer.related(version, Provision, "version")
    return assemble(
        version,
        needs,
        [(o, linked(o, Outcome.needs.through, "outcome", "need")) for o in outcomes],
        [
            (
                p,
                linked(p, Provision.needs.through, "provision", "need"),
                linked(p, Provision.outcomes.through, "provision", "outcome"),
            )
            for p in provision
        ],
    )


def current_content(version: PlanVersion) -> PlanContent:
    """The content of an issued version or a working copy, whether buffered or stored."""
    if buffer.is_buffered(version):
        return _buffered_content(version)
    return content_of(version)


def fill_fields(version: PlanVersion, content: PlanContent) -> None:
    """The version's own fields from the content (save it after)."""
    version.sections = {
        **content.other_sections,
        **{
            k: v
            for k, v in (
                ("C", content.health_needs),
                ("D", content.social_care_needs),
                ("J", content.personal_budget),
            )
            if v.strip()
        },
    }
    version.child_views = content.child_views
    version.parent_views = content.parent_views
    version.no_health_needs = content.no_health_needs
    version.no_social_care_needs = content.no_social_care_needs
    version.setting_id = content.setting_id
    version.setting_type = content.setting_type
    version.personal_budget_amount = content.personal_budget_amount
    version.advice = [a.as_json() for a in content.advice]


def write_rows(version: PlanVersion, content: PlanContent) -> None:
    """The needs, outcomes and provision rows of a saved version with none yet, and their links."""
    needs = [
        buffer.create(Need, version=version, rank=rank, code=n.code, description=n.description)
        for rank, n in enumerate(content.needs, start=1)
    ]
    outcomes = []
    for o in content.outcomes:
        row = buffer.create(Outcome, version=version, **own_fields(o, OUTCOME_FIELDS))
        for i in sorted(set(o.needs)):
            if 0 <= i < len(needs):
                buffer.create(Outcome.needs.through, outcome=row, need=needs[i])
        outcomes.append(row)
    for p in content.provision:
        item = buffer.create(Provision, version=version, **own_fields(p, PROVISION_FIELDS))
        for i in sorted(set(p.needs)):
            if 0 <= i < len(needs):
                buffer.create(Provision.needs.through, provision=item, need=needs[i])
        for i in sorted(set(p.outcomes)):
            if 0 <= i < len(outcomes):
                buffer.create(Provision.outcomes.through, provision=item, outcome=outcomes[i])


def advice_received(case: Case) -> list[AdviceRow]:
    """Section K: the advice received on the case, oldest first (who, what, when)."""
    return [
        AdviceRow(a.kind, a.provider, a.requested_on, a.received_on)
        for a in buffer.related(case, AdviceRequest, "case")
        if a.received_on is not None
    ]


def current_placement(plan: Plan | None) -> checks.Placement | None:
    """The child's primary placement now (or starting next), the setting section I must name
    (from the write buffer too, while the plan is in it)."""
    if plan is None:
        return None
    if buffer.current() is None:
        row = (
            plan.placements.filter(rank=1, leaving_date=None)
            .select_related("setting")
            .order_by("-entry_date", "-pk")
            .first()
        )
    else:
        rows = [
            p
            for p in buffer.related(plan, Placement, "plan")
            if p.rank == 1 and p.leaving_date is None
        ]
        row = max(rows, key=lambda p: p.entry_date) if rows else None
    if row is None:
        return None
    name = str(row.setting) if row.setting_id else row.get_sen_setting_display()
    return checks.Placement(row.setting_id, name, row.setting_type)


def facts_for(case: Case, plan: Plan | None, kind: str, on: dt.date) -> checks.Facts:
    return checks.Facts(
        kind=kind,
        from_year_9=checks.in_year_9_or_above(case.child.date_of_birth, on),
        personal_budget=bool(plan and (plan.personal_budget or plan.direct_payments)),
        advice_received=advice_received(case),
        placement=current_placement(plan),
    )


# Versions whose section I is empty: a draft (CFA s38(5)), and proposed amendments, judged as a
# draft (`plans.checks`); the final amended plan names the setting of the current placement.
NO_SETTING_KINDS = (PlanVersion.Kind.DRAFT, PlanVersion.Kind.PROPOSED_AMENDMENT)


def in_step_with_case(
    content: PlanContent, case: Case, plan: Plan | None, kind: str
) -> PlanContent:
    """What is never typed: section K from the advice received, and section I from the current
    placement when it is empty (a final plan or final amended plan; empty in a draft, CFA
    s38(5), and in proposed amendments). A setting the officer named is kept, and the checks
    refuse it unless it is the current placement's."""
    content = replace(content, advice=advice_received(case))
    if kind in NO_SETTING_KINDS:
        return content.without_setting()
    return naming_the_placement(content, current_placement(plan))


def naming_the_placement(content: PlanContent, placement: checks.Placement | None) -> PlanContent:
    """Section I from the placement when it is empty (a setting the officer named is kept)."""
    if placement is None or content.setting_id is not None or content.setting_type:
        return content
    return replace(
        content,
        setting_id=placement.setting_id,
        setting_name=placement.name,
        setting_type=placement.setting_type,
    )


def legacy_content(
    previous: PlanContent | None,
    sections: dict[str, str] | None,
    needs: list[tuple[str, str]] | None,
) -> PlanContent:
    """Content given the old way (narrative sections and (code, description) needs) over the
    previous version's: an import, a transfer in, a proposed amendment without an editor."""
    content = replace(previous) if previous is not None else PlanContent()
    if sections is not None:
        content = replace(
            content,
            health_needs=sections.get("C", ""),
            social_care_needs=sections.get("D", ""),
            personal_budget=sections.get("J", ""),
            other_sections={k: v for k, v in sections.items() if k not in ("C", "D", "J")},
        )
    if needs is not None:
        content = replace(content, needs=[NeedRow(code, d) for code, d in needs])
    return content


def new_plan_version(
    plan: Plan,
    kind: str,
    issued_on: dt.date,
    actor: Actor,
    sections: dict[str, str] | None,
    needs: list[tuple[str, str]] | None,
    content: PlanContent | None = None,
    quality: checks.Facts | None = None,
) -> PlanVersion:
    """The plan's next version. Its content is `content`, else the previous version's with
    `sections` and `needs` put over it. With `quality` (the facts it is judged against), the
    quality criteria it fails are stored on it (`plans.checks.quality`)."""
    versions = buffer.related(plan, PlanVersion, "plan")
    previous = max(versions, key=lambda v: v.position) if versions else None
    if content is None:
        content = legacy_content(
            current_content(previous) if previous is not None else None, sections, needs
        )
    version = PlanVersion(
        plan=plan,
        number=previous.position + 1 if previous else 1,
        kind=kind,
        issued_on=issued_on,
        created_by=user_of(actor),
    )
    fill_fields(version, content)
    if quality is not None:
        version.quality_failures = checks.quality(content, quality)
    buffer.add(version)
    write_rows(version, content)
    if content.needs:
        plan.primary_need = content.needs[0].code
    return version


def issue_content(
    case: Case,
    plan: Plan | None,
    kind: str,
    on: dt.date,
    content: PlanContent | None,
    sections: dict[str, str] | None,
    needs: list[tuple[str, str]] | None,
) -> tuple[PlanContent, checks.Facts]:
    """What a plan version issues: `content` if given, else the case's working copy, else the
    previous version's with `sections` and `needs` over it (its section I left behind: the new
    version takes the current placement's); kept in step with the case (sections I and K).
    Refused (PlanNotReady) if it fails any check in `plans.checks`."""
    if content is None:
        copy = working_copy(case)
        if copy is not None:
            content = content_of(copy)
        else:
            versions = buffer.related(plan, PlanVersion, "plan") if plan is not None else []
            previous = max(versions, key=lambda v: v.position) if versions else None
            content = legacy_content(
                current_content(previous) if previous is not None else None, sections, needs
            ).without_setting()
    content = in_step_with_case(content, case, plan, kind)
    facts = facts_for(case, plan, kind, on)
    found = checks.problems(content, facts)
    if found:
        raise PlanNotReady(found)
    return content, facts


def working_copy(case: Case) -> PlanVersion | None:
    """The plan being written for this case, not yet issued."""
    if buffer.is_buffered(case):
        return None
    return PlanVersion.objects.filter(working_copy_of=case).first()


def written_content(
    case: Case, sections: dict[str, str] | None, needs: list[tuple[str, str]] | None
) -> PlanContent | None:
    """The working copy's content, if the plan was written in the editor (else None: the
    content is the previous version's with `sections` and `needs` over it)."""
    copy = working_copy(case)
    return content_of(copy) if copy is not None else None


def discard_working_copy(case: Case) -> None:
    """The working copy has been issued (its content is now a version of the plan)."""
    if buffer.is_buffered(case):
        return
    PlanVersion.objects.filter(working_copy_of=case).delete()


@kernel.action
@kernel.stages(Stage.ASSESSING)
def record_draft_plan(
    case: Case,
    *,
    issued_on: dt.date,
    actor: Actor,
    content: PlanContent | None = None,
    sections: dict[str, str] | None = None,
    needs: list[tuple[str, str]] | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
    notify: kernel.Notify = None,
) -> Plan:
    """Serve the draft plan: the family then has at least 15 days to comment (Reg 13(1)).

    Its content is `content`, else the case's working copy (then discarded), else `sections`
    and `needs`; refused (PlanNotReady) unless it passes every check in `plans.checks`."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.require_stage(case, record_draft_plan, "issue a draft plan")
    kernel.not_future(issued_on, "The date the draft plan was issued", today, "issued_on")
    kernel.not_before(
        issued_on,
        case.request.decision_on,
        "The date the draft plan was issued",
        "the decision to assess",
        "issued_on",
    )
    existing = Plan.objects.filter(case=case).first() if not buffer.is_buffered(case) else None
    content, facts = issue_content(
        case, existing, PlanVersion.Kind.DRAFT, issued_on, content, sections, needs
    )
    plan = kernel.plan_for(case)
    plan.draft_issued_on = issued_on
    version = new_plan_version(
        plan, PlanVersion.Kind.DRAFT, issued_on, actor, None, None, content, quality=facts
    )
    discard_working_copy(case)
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
@kernel.stages(Stage.DRAFT)
def record_final_plan(
    case: Case,
    *,
    issued_on: dt.date,
    actor: Actor,
    content: PlanContent | None = None,
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
    the audit entry says it was imported and whether there was a draft. A return holds only a
    plan's needs and placement, none of its content, so an imported plan is not checked
    (`plans.checks`) and gets no quality result: the quality measure leaves it out.

    Otherwise its content is `content`, else the case's working copy (then discarded), else the
    draft's with `sections` and `needs` over it, with section I from the current placement;
    refused (PlanNotReady) unless it passes every check in `plans.checks`."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    if import_mode:
        kernel.require_stage(
            case, (Stage.REQUESTED, Stage.ASSESSING, Stage.DRAFT), "issue the final plan"
        )
        plan = kernel.plan_for(case)
    else:
        kernel.require_stage(case, record_final_plan, "issue the final plan")
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
    if import_mode:
        version = new_plan_version(
            plan, PlanVersion.Kind.FINAL, issued_on, actor, sections, needs, content
        )
    else:
        checked, facts = issue_content(
            case, plan, PlanVersion.Kind.FINAL, issued_on, content, sections, needs
        )
        version = new_plan_version(
            plan, PlanVersion.Kind.FINAL, issued_on, actor, None, None, checked, quality=facts
        )
        discard_working_copy(case)
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
