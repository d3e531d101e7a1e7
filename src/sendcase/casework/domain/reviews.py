"""Annual reviews and amending the plan (CFA 2014 s44; SEND Regulations 2014 regs 18 to 22).

Every action here runs in one transaction through the kernel (`kernel.py`): it locks the case
and checks `expected_version` (StaleCase), refuses a step that does not fit (ActionError), moves
the case's version on, writes one audit entry and recomputes the case's deadlines once. What
else each one does:

* `record_review_invitations_sent`, `record_review_advice_circulated`: the dates of the review
  they were sent for, by date: the first recorded meeting on or after them (a meeting recorded
  before its preparation), else the next review (made, 12 months on, if none is open); events
  `review_invitations_sent` / `review_advice_circulated`. The invitations are letters to the
  family and to the setting the child attends (its people in the portal), the review's date
  from its `annual_review_meeting` row, as `notify` says (kernel.letter_delivery); no message
  when the advice is circulated.

A review step is judged on its own date: one dated while the plan was maintained is accepted
after the plan ceased (`kernel.require_stage(..., on=)`).
* `record_review_meeting`: AnnualReview.meeting_on; event `review_meeting`; no message.
* `record_review_report`: AnnualReview.report_on; event `review_report`; no message.
* `record_review_decision`: AnnualReview decision and date (a decision to amend also takes
  the dates of proposed amendments, and of the final amended plan, recorded before it); event
  `review_decision`, plus a
  `decision_notice` unless the decision is to amend (that is appealed through the amended
  plan); the next AnnualReview row (12 months from the meeting) unless the plan ceases; the
  family's letter unless `notify=False`.
* `record_amendment_notice`: a PlanVersion (kind proposed amendment), the review's notice
  date; event `amendment_notice`; the family's letter. Refused (plan.PlanNotReady) unless the
  content passes the checks a draft must pass (section I empty), except in import mode.
* `record_final_amended_plan`: a PlanVersion (kind amended), the review's final amended date;
  events `final_amended_plan` and `decision_notice`; the family's letter. Refused
  (plan.PlanNotReady) unless the content passes the checks a final plan must pass (section I
  the setting of the current placement).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from sendcase.casework.domain import buffer, kernel
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.plan import (
    discard_working_copy,
    issue_content,
    new_plan_version,
    written_content,
)
from sendcase.casework.models import (
    Case,
    Stage,
)
from sendcase.core.actors import Actor
from sendcase.core.codes import ReviewOutcome
from sendcase.documents.actions import (
    Recipients,
    family_recipients,
    issue_letter,
    setting_recipients,
)
from sendcase.plans.content import PlanContent
from sendcase.plans.models import Plan, PlanVersion
from sendcase.reviews.models import AnnualReview
from sendcase.statutory.dates import format_date
from sendcase.statutory.rules import period, period_end

# --- Annual reviews ------------------------------------------------------------------------


def _reviews(plan: Plan) -> list[AnnualReview]:
    """The plan's reviews, oldest row first (from the write buffer while the plan is in it)."""
    return buffer.related(plan, AnnualReview, "plan")


def _held_meetings(plan: Plan) -> list[AnnualReview]:
    return [r for r in _reviews(plan) if r.meeting_on is not None]


def _open_review(plan: Plan) -> AnnualReview:
    reviews = _reviews(plan)
    review = kernel.first_by([r for r in reviews if r.decision == ""], lambda r: r.due_on)
    if review is None:
        last = kernel.first_by(reviews, lambda r: r.due_on, latest=True)
        base = (
            last.meeting_on if last and last.meeting_on else plan.first_issued_on
        ) or timezone.localdate()
        review = buffer.create(
            AnnualReview, plan=plan, due_on=period_end("annual_review_meeting", base)
        )
    return review


@kernel.action
@kernel.stages(Stage.PLAN, late=True)
def record_review_meeting(
    case: Case,
    *,
    meeting_on: dt.date,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> AnnualReview:
    """Hold the annual review meeting (CFA s44; Reg 20)."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.require_stage(case, record_review_meeting, "record a review meeting", on=meeting_on)
    plan = case.plan
    kernel.not_future(meeting_on, "The date of the review meeting", today, "meeting_on")
    kernel.not_before(
        meeting_on,
        plan.first_issued_on,
        "The date of the review meeting",
        "the date the plan was issued",
        "meeting_on",
    )
    review = _open_review(plan)
    if review.meeting_on is not None:
        raise ActionError(
            f"The review meeting on {format_date(review.meeting_on)} has no decision yet. Record the decision first."
        )
    last = kernel.first_by(_held_meetings(plan), lambda r: r.meeting_on, latest=True)
    if last is not None:
        kernel.not_before(
            meeting_on,
            last.meeting_on,
            "The date of the review meeting",
            "the previous review meeting",
            "meeting_on",
        )
    review.meeting_on = meeting_on
    buffer.save(review, ["meeting_on"])
    kernel.write_event(case, "review_meeting", meeting_on, actor)
    kernel.finish(
        case, actor, f"Annual review meeting held {format_date(meeting_on)}", review, today, {}
    )
    return review


@kernel.action
@kernel.stages(Stage.PLAN, late=True)
def record_review_decision(
    case: Case,
    *,
    decided_on: dt.date,
    outcome: str,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
    notify: kernel.Notify = None,
    import_mode: bool = False,
) -> AnnualReview:
    """Notify the decision to maintain, amend or cease after a review (Reg 20(10)).

    `notify=False`: no letter to the family (an import records a past decision).
    `import_mode=True`: nothing is relaxed; the audit entry says it was imported."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.require_stage(case, record_review_decision, "record a review decision", on=decided_on)
    if outcome not in ReviewOutcome.values:
        raise ActionError("Select the decision: maintain, amend or cease the plan", field="outcome")
    review = kernel.first_by(
        [r for r in _held_meetings(case.plan) if r.decision == ""], lambda r: r.meeting_on
    )
    if review is None:
        raise ActionError("Record the review meeting before the decision")
    kernel.not_future(decided_on, "The date the decision was sent", today, "decided_on")
    kernel.not_before(
        decided_on,
        review.meeting_on,
        "The date the decision was sent",
        "the review meeting",
        "decided_on",
    )
    review.decision, review.decision_on = outcome, decided_on
    fields = ["decision", "decision_on"]
    if outcome == ReviewOutcome.AMEND:
        fields += _link_amendments(case.plan, review)
    buffer.save(review, fields)
    kernel.write_event(case, "review_decision", decided_on, actor, outcome=outcome)
    if outcome != ReviewOutcome.AMEND:
        # Maintaining the plan unchanged (CFA s51(2)(e)) or ceasing it (s51(2)(f)) can be
        # appealed; a decision to amend is appealed through the amended plan when it is issued.
        kernel.decision_notice(case, decided_on, actor)
    if outcome != ReviewOutcome.CEASE and review.meeting_on is not None:
        buffer.create(
            AnnualReview,
            plan=case.plan,
            due_on=period_end("annual_review_meeting", review.meeting_on),
        )
    kernel.finish(
        case,
        actor,
        f"Review decision: {review.get_decision_display()}",
        review,
        today,
        {"outcome": outcome, **({"imported": True} if import_mode else {})},
    )
    issue_letter(
        case,
        "review_decision",
        on=decided_on,
        actor=actor,
        notify=kernel.letter_delivery(notify, decided_on, today),
        today=today,
        extra={"decision": outcome},
    )
    return review


def _link_amendments(plan: Plan, review: AnnualReview) -> list[str]:
    """Proposed amendments (and the final amended plan) recorded before the decision to amend
    that they follow: the review keeps their dates, as if they had been recorded in order."""
    linked = {r.amendment_notice_on for r in _reviews(plan) if r.amendment_notice_on}
    # Issued versions only (a working copy has no number or date).
    versions = sorted(
        (
            v
            for v in buffer.related(plan, PlanVersion, "plan")
            if v.number is not None and v.issued_on is not None
        ),
        key=lambda v: v.number or 0,
    )
    notice = next(
        (
            v
            for v in versions
            if v.kind == PlanVersion.Kind.PROPOSED_AMENDMENT
            and review.meeting_on is not None
            and v.issued_on is not None
            and v.issued_on >= review.meeting_on
            and v.issued_on not in linked
        ),
        None,
    )
    if notice is None:
        return []
    review.amendment_notice_on = notice.issued_on
    amended = next(
        (
            v
            for v in versions
            if v.kind == PlanVersion.Kind.AMENDED and (v.number or 0) > (notice.number or 0)
        ),
        None,
    )
    if amended is None:
        return ["amendment_notice_on"]
    review.final_amended_on = amended.issued_on
    return ["amendment_notice_on", "final_amended_on"]


@kernel.action
@kernel.stages(Stage.PLAN, late=True)
def record_amendment_notice(
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
) -> PlanVersion:
    """Send the proposed amendments (Reg 22): at least 15 days for comments; final within 8 weeks.
    The family's letter (with the amendments and the date to comment by) as `notify` says.

    Their content is `content`, else the case's working copy (then discarded), else the plan as
    it stands with `sections` and `needs` over it, with section I empty; refused (PlanNotReady)
    unless it passes every check in `plans.checks` a draft must pass. `import_mode=True` (SEN2
    imports: a return holds only the plan's needs): not checked."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.require_stage(case, record_amendment_notice, "send proposed amendments", on=issued_on)
    review = kernel.first_by(
        [
            r
            for r in _held_meetings(case.plan)
            if r.decision == ReviewOutcome.AMEND and r.amendment_notice_on is None
        ],
        lambda r: r.meeting_on,
        latest=True,
    )
    kernel.not_future(issued_on, "The date the proposed amendments were sent", today, "issued_on")
    if review is not None:
        kernel.not_before(
            issued_on,
            review.meeting_on,
            "The date the proposed amendments were sent",
            "the review meeting",
            "issued_on",
        )
    kind = PlanVersion.Kind.PROPOSED_AMENDMENT
    if import_mode:
        checked = written_content(case, sections, needs)
    else:
        checked, _facts = issue_content(case, case.plan, kind, issued_on, content, sections, needs)
    if review is not None:
        review.amendment_notice_on = issued_on
        buffer.save(review, ["amendment_notice_on"])
    version = new_plan_version(case.plan, kind, issued_on, actor, sections, needs, checked)
    discard_working_copy(case)
    buffer.save(case.plan)
    kernel.write_event(case, "amendment_notice", issued_on, actor)
    kernel.finish(
        case, actor, f"Proposed amendments sent {format_date(issued_on)}", version, today, {}
    )
    issue_letter(
        case,
        "proposed_amendments",
        on=issued_on,
        actor=actor,
        notify=kernel.letter_delivery(notify, issued_on, today),
        today=today,
        plan_version=version,
    )
    return version


@kernel.action
@kernel.stages(Stage.PLAN, late=True)
def record_final_amended_plan(
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
) -> PlanVersion:
    """Issue the final amended plan (Reg 22(3)); the family's letter with the plan and the
    appeal rights as `notify` says.

    Its content is `content`, else the case's working copy (then discarded), else the plan as
    it stands (the proposed amendments) with `sections` and `needs` over it; section I names
    the setting of the child's current placement. Refused (PlanNotReady) unless it passes
    every check in `plans.checks` a final plan must pass."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.require_stage(
        case, record_final_amended_plan, "issue a final amended plan", on=issued_on
    )
    notice = kernel.first_by(
        [
            v
            for v in buffer.related(case.plan, PlanVersion, "plan")
            if v.kind == PlanVersion.Kind.PROPOSED_AMENDMENT
        ],
        lambda v: v.number,
        latest=True,
    )
    if notice is None:
        raise ActionError("Send the proposed amendments before the final amended plan")
    kernel.not_future(issued_on, "The date the final amended plan was issued", today, "issued_on")
    earliest = period_end("amendment_comments_window", notice.issued) + dt.timedelta(days=1)
    if issued_on < earliest:
        raise ActionError(
            f"The final amended plan cannot be issued before {format_date(earliest)}: the family has {period('amendment_comments_window').words} from the "
            f"proposed amendments ({format_date(notice.issued)}) to comment (SEND Regulations 2014, reg 22(2)(c))",
            field="issued_on",
        )
    kind = PlanVersion.Kind.AMENDED
    checked, facts = issue_content(case, case.plan, kind, issued_on, content, sections, needs)
    version = new_plan_version(
        case.plan, kind, issued_on, actor, None, None, checked, quality=facts
    )
    discard_working_copy(case)
    buffer.save(case.plan)
    for review in _reviews(case.plan):
        if review.amendment_notice_on == notice.issued_on and review.final_amended_on is None:
            review.final_amended_on = issued_on
            buffer.save(review, ["final_amended_on"])
    kernel.write_event(case, "final_amended_plan", issued_on, actor)
    kernel.decision_notice(
        case, issued_on, actor
    )  # the amended plan can be appealed (CFA s51(2)(c))
    kernel.finish(
        case, actor, f"Final amended plan issued {format_date(issued_on)}", version, today, {}
    )
    issue_letter(
        case,
        "final_amended_plan",
        on=issued_on,
        actor=actor,
        notify=kernel.letter_delivery(notify, issued_on, today),
        today=today,
        plan_version=version,
    )
    return version


# --- Review preparation and the report ------------------------------------------------------


def _review_prepared_for(plan: Plan, sent_on: dt.date, what: str) -> AnnualReview:
    """The review a step sent before its meeting (invitations, advice) belongs to, by its date:
    the first recorded meeting on or after it, or else the next review, whose meeting is still to
    come. A meeting recorded before its preparation keeps no deadline overdue for ever."""
    kernel.not_before(
        sent_on, plan.first_issued_on, what, "the date the plan was issued", "sent_on"
    )
    for review in sorted(_held_meetings(plan), key=lambda r: r.meeting_on or sent_on):
        if review.meeting_on is not None and sent_on <= review.meeting_on:
            return review
    review = _open_review(plan)
    if review.meeting_on is not None:
        raise ActionError(
            f"{what} ({format_date(sent_on)}) is after the review meeting on "
            f"{format_date(review.meeting_on)}, which has no decision yet. Record that decision "
            "before preparing the next review.",
            field="sent_on",
        )
    return review


@kernel.action
@kernel.stages(Stage.PLAN, late=True)
def record_review_invitations_sent(
    case: Case,
    *,
    sent_on: dt.date,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
    notify: kernel.Notify = None,
) -> AnnualReview:
    """Invitations to the review meeting sent: at least 2 weeks before it (Reg 20(3)), to the
    family and to the setting the child attends. `notify`: kernel.letter_delivery."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.require_stage(
        case, record_review_invitations_sent, "record review invitations", on=sent_on
    )
    kernel.not_future(sent_on, "The date the invitations were sent", today, "sent_on")
    review = _review_prepared_for(case.plan, sent_on, "The date the invitations were sent")
    if review.invitations_sent_on is not None and review.meeting_on is not None:
        raise ActionError(
            f"The invitations to the review meeting on {format_date(review.meeting_on)} are already "
            f"recorded as sent on {format_date(review.invitations_sent_on)}. Correct that step "
            "from the case history if its date is wrong.",
            field="sent_on",
        )
    review.invitations_sent_on = sent_on
    buffer.save(review, ["invitations_sent_on"])
    kernel.write_event(case, "review_invitations_sent", sent_on, actor)
    kernel.finish(
        case, actor, f"Review meeting invitations sent {format_date(sent_on)}", review, today, {}
    )
    issue_letter(
        case,
        "review_invitation",
        on=sent_on,
        actor=actor,
        notify=kernel.letter_delivery(notify, sent_on, today),
        today=today,
        recipients=lambda: _invited(case, sent_on),
    )
    return review


def _invited(case: Case, on: dt.date) -> Recipients:
    """Who is invited to the review: the family, and the setting the child attends on that day
    (the first-ranked placement with a setting from the register), where there is one."""
    placement = (
        case.plan.placements.filter(entry_date__lte=on, setting__isnull=False)
        .filter(Q(leaving_date__isnull=True) | Q(leaving_date__gt=on))
        .select_related("setting")
        .order_by("rank", "-entry_date", "pk")
        .first()
    )
    setting = [] if placement is None else setting_recipients(placement.setting)
    return family_recipients(case) + setting


@kernel.action
@kernel.stages(Stage.PLAN, late=True)
def record_review_advice_circulated(
    case: Case,
    *,
    sent_on: dt.date,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> AnnualReview:
    """Advice for the review circulated: at least 2 weeks before the meeting (Reg 20(4))."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.require_stage(
        case, record_review_advice_circulated, "record review advice circulated", on=sent_on
    )
    kernel.not_future(sent_on, "The date the advice was circulated", today, "sent_on")
    review = _review_prepared_for(case.plan, sent_on, "The date the advice was circulated")
    kernel.write_event(case, "review_advice_circulated", sent_on, actor)
    kernel.finish(
        case, actor, f"Advice for the review circulated {format_date(sent_on)}", review, today, {}
    )
    return review


@kernel.action
@kernel.stages(Stage.PLAN, late=True)
def record_review_report(
    case: Case,
    *,
    sent_on: dt.date,
    actor: Actor,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> AnnualReview:
    """The report of the review meeting sent to the council and everyone invited: 2 weeks (Reg 20(7))."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.require_stage(case, record_review_report, "record the review report", on=sent_on)
    review = kernel.first_by(
        [r for r in _held_meetings(case.plan) if r.report_on is None],
        lambda r: r.meeting_on,
        latest=True,
    )
    if review is None or review.meeting_on is None:
        raise ActionError("Record the review meeting before its report")
    kernel.not_future(sent_on, "The date the report was sent", today, "sent_on")
    kernel.not_before(
        sent_on, review.meeting_on, "The date the report was sent", "the review meeting", "sent_on"
    )
    review.report_on = sent_on
    buffer.save(review, ["report_on"])
    kernel.write_event(case, "review_report", sent_on, actor)
    kernel.finish(case, actor, f"Review report sent {format_date(sent_on)}", review, today, {})
    return review
