"""The statutory steps an officer can record on a case, and when each one makes sense.

Each step names its form, the action function that records it, and a test of whether it
is offered at the case's current state. The case page offers only the available steps;
the action functions check the same things again (and more) when the step is saved.
A step that sends a letter (to the family, an adviser, the setting) asks what to do with it
(`with_letter_choice`): send it now, record that it was sent earlier and how, or not now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from sendcase.casework import forms as f
from sendcase.casework.domain import appeals as appeals_domain
from sendcase.casework.domain import transfers
from sendcase.casework.domain.assessment import (
    record_advice_received,
    record_advice_requested,
    record_decision_not_to_issue,
    record_decision_to_assess,
    record_exception,
)
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.phase_and_cease import (
    approval_required,
    approve_cease_decision,
    cease_plan,
    consider_ceasing,
    decide_ceasing,
    notify_cease_decision,
    record_cease_consultation,
    record_phase_transfer,
    record_phase_transfer_named,
)
from sendcase.casework.domain.placements import record_placement
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
from sendcase.casework.domain.transfers import record_transfer_in_notice
from sendcase.casework.models import OPEN_STAGES, Appeal, Case, Ceasing, Stage, Transfer
from sendcase.core.actors import Actor
from sendcase.documents.forms import with_letter_choice
from sendcase.plans.models import Plan, PlanVersion
from sendcase.statutory.dates import format_date
from sendcase.statutory.rules import period


def _w(key: str, stage: str | None = None) -> str:
    """A period in words from the rules table ('6 weeks'), for the step hints."""
    return period(key, stage).words


@dataclass
class CaseState:
    """What the availability tests need to know, read once per page."""

    stage: str
    outstanding_advice: int
    review_awaiting_decision: bool
    amend_decided_without_notice: bool
    proposed_amendment_open: bool
    phase_transfer_unnamed: bool
    transfer_out_pending: bool
    has_plan: bool
    review_report_missing: bool = False
    # The plan was maintained and has ended: steps dated while it was maintained can still be
    # recorded (the actions judge the stage on the step's date).
    plan_ended: bool = False
    transfer_in_notice_missing: bool = False
    # Mediation and appeals
    disputed: bool = False
    open_notices: int = 0  # decisions notified in the last 2 months with no appeal yet
    mediation_to_hold: bool = False
    certificate_awaited: bool = False
    appeal_unregistered: bool = False
    appeal_awaiting_decision: bool = False
    order_outstanding: bool = False
    # Ceasing the plan (phase_and_cease): considering it, decided, approved, notified
    ceasing_open: bool = False
    ceasing_undecided: bool = False
    cease_awaiting_approval: bool = False
    cease_awaiting_notice: bool = False


def case_state(
    case: Case,
    *,
    plan: Plan | None,
    reviews: list[Any],
    versions: list[PlanVersion],
    advice: list[Any],
    transfers_: list[Transfer],
    phase_transfers: list[Any],
    appeals: list[Appeal] | None = None,
    notices: list[Any] | None = None,
    today: dt.date | None = None,
    ceasings: list[Ceasing] | None = None,
) -> CaseState:
    """The state from rows the caller has already read (the case page reads them anyway).

    `appeals` and `notices` (the case's `decision_notice` events) are read here when not given."""
    today = today or timezone.localdate()
    if appeals is None:
        appeals = list(case.appeals.all())
    if notices is None:
        notices = list(
            case.events.filter(
                type="decision_notice",
                date__gte=appeals_domain.appeal_window_start(today),
                date__lte=today,
            )
        )
    if ceasings is None:
        ceasings = list(case.ceasings.all())
    ceasing = next((c for c in reversed(ceasings) if c.closed_on is None), None)
    decided_to_cease = bool(ceasing and ceasing.decision == Ceasing.Decision.CEASE)
    needs_approval = decided_to_cease and approval_required() and ceasing.approved_on is None  # type: ignore[union-attr]
    live = appeals_domain.live_appeal(appeals)
    last = max(versions, key=lambda v: v.position) if versions else None
    return CaseState(
        stage=case.stage,
        outstanding_advice=sum(1 for a in advice if a.received_on is None),
        review_awaiting_decision=any(r.meeting_on and not r.decision for r in reviews),
        amend_decided_without_notice=any(
            r.decision == "amend" and r.amendment_notice_on is None for r in reviews
        ),
        proposed_amendment_open=bool(last and last.kind == PlanVersion.Kind.PROPOSED_AMENDMENT),
        phase_transfer_unnamed=any(p.named_on is None for p in phase_transfers),
        transfer_out_pending=any(
            t.direction == Transfer.Direction.OUT and t.transferred_on is None for t in transfers_
        ),
        has_plan=plan is not None,
        plan_ended=plan is not None and plan.cease_date is not None,
        review_report_missing=any(r.meeting_on and not r.report_on for r in reviews),
        transfer_in_notice_missing=any(
            t.direction == Transfer.Direction.IN and t.notice_on is None for t in transfers_
        ),
        disputed=live is not None,
        open_notices=len(appeals_domain.open_notices(notices, appeals, today)),
        mediation_to_hold=bool(
            live and live.mediation_requested_on and live.mediation_held_on is None
        ),
        certificate_awaited=bool(
            live
            and (live.mediation_requested_on or live.mediation_declined_on)
            and live.certificate_on is None
            and live.tribunal_registered_on is None
        ),
        appeal_unregistered=bool(live and live.tribunal_registered_on is None),
        appeal_awaiting_decision=bool(
            live and live.tribunal_registered_on and live.outcome == Appeal.Outcome.PENDING
        ),
        order_outstanding=bool(live and live.order_kind and live.complied_on is None),
        ceasing_open=ceasing is not None,
        ceasing_undecided=bool(ceasing and not ceasing.decision),
        cease_awaiting_approval=needs_approval,
        cease_awaiting_notice=bool(
            decided_to_cease and not needs_approval and ceasing.notified_on is None  # type: ignore[union-attr]
        ),
    )


def load_case_state(case: Case) -> CaseState:
    plan = Plan.objects.filter(case=case).first()
    return case_state(
        case,
        plan=plan,
        reviews=list(plan.reviews.all()) if plan else [],
        versions=list(plan.versions.all()) if plan else [],
        advice=list(case.advice_requests.all()),
        transfers_=list(case.transfers.all()),
        phase_transfers=list(plan.phase_transfers.all()) if plan else [],
    )


Runner = Callable[[Case, dict[str, Any], Any, int | None], str]


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form: type[f.StepForm]
    run: Runner
    available: Callable[[CaseState], bool]
    button: str = "Save"
    hint: str = ""
    # The page offers a search of the register of settings by name, to fill its "setting" field
    # (the placement step, and naming the new setting for a phase transfer).
    finds_setting: bool = False


def _fmt(d: dt.date) -> str:
    return format_date(d)


def _decision(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    record_decision_to_assess(case, actor=actor, expected_version=v, **d)
    return (
        "Decision to assess recorded"
        if d["outcome"] == "assess"
        else "Decision not to assess recorded: the case is closed"
    )


def _advice_requested(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    record_advice_requested(case, actor=actor, expected_version=v, **d)
    return "Request for advice recorded"


def _advice_received(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    record_advice_received(case, actor=actor, expected_version=v, **d)
    return "Advice recorded as received"


def _exception(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    record_exception(case, actor=actor, expected_version=v, **d)
    return "Exception to the time limits recorded"


def _draft(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    record_draft_plan(case, actor=actor, expected_version=v, **d)
    return f"Draft plan recorded as issued on {_fmt(d['issued_on'])}"


def _final(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    record_final_plan(case, actor=actor, expected_version=v, **d)
    return f"Final plan recorded as issued on {_fmt(d['issued_on'])}"


def _not_issue(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    record_decision_not_to_issue(case, actor=actor, expected_version=v, **d)
    return "Decision not to issue a plan recorded: the case is closed"


def _meeting(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    record_review_meeting(case, actor=actor, expected_version=v, **d)
    return "Annual review meeting recorded"


def _invitations(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    record_review_invitations_sent(case, actor=actor, expected_version=v, **d)
    return "Review meeting invitations recorded"


def _advice_circulated(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    record_review_advice_circulated(case, actor=actor, expected_version=v, **d)
    return "Advice for the review recorded as circulated"


def _review_report(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    record_review_report(case, actor=actor, expected_version=v, **d)
    return "Review report recorded"


def _transfer_in_notice(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    record_transfer_in_notice(case, actor=actor, expected_version=v, **d)
    return "Notice to the family recorded"


def _review_decision(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    record_review_decision(case, actor=actor, expected_version=v, **d)
    return "Review decision recorded"


def _amendment(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    record_amendment_notice(case, actor=actor, expected_version=v, **d)
    return "Proposed amendments recorded"


def _final_amended(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    record_final_amended_plan(case, actor=actor, expected_version=v, **d)
    return "Final amended plan recorded"


def _phase(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    record_phase_transfer(case, actor=actor, expected_version=v, **d)
    return "Phase transfer recorded"


def _phase_named(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    record_phase_transfer_named(case, actor=actor, expected_version=v, **d)
    return "New setting recorded for the phase transfer"


def _consider_ceasing(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    consider_ceasing(case, actor=actor, expected_version=v, **d)
    return "Recorded that the council is considering ceasing the plan: consult the family and the setting"


def _cease_consultation(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    record_cease_consultation(case, actor=actor, expected_version=v, **d)
    return "Consultation recorded"


def _cease_decision(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    ceasing = decide_ceasing(case, actor=actor, expected_version=v, **d)
    if ceasing.decision == Ceasing.Decision.NOT_CEASE:
        return "Decision to keep the plan recorded"
    if approval_required():
        return "Decision to cease recorded: a manager must approve it before it is sent"
    return "Decision to cease recorded: send it to the family with their appeal rights"


def _cease_approval(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    approve_cease_decision(case, actor=actor, expected_version=v, **d)
    return "Decision to cease approved"


def _cease_notice(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    notify_cease_decision(case, actor=actor, expected_version=v, **d)
    return "Decision notice recorded: the plan stays in force until the appeal window closes"


def _cease(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    cease_plan(case, actor=actor, expected_version=v, **d)
    return "Plan recorded as ceased: the case is closed"


def _out_learned(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    transfers.record_transfer_out_learned(case, actor=actor, expected_version=v, **d)
    return "Move to another council recorded"


def _out_done(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    transfers.record_plan_transferred_out(case, actor=actor, expected_version=v, **d)
    return "Plan recorded as transferred: the case is closed"


def _placement(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    if d.get("sen_setting") and d.get("setting"):
        raise ActionError(
            "Enter a URN or UKPRN, or select a setting code, not both", field="sen_setting"
        )
    record_placement(case, actor=actor, expected_version=v, **d)
    return "Placement recorded"


def _mediation_decision(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    appeals_domain.record_mediation_decision(case, actor=actor, expected_version=v, **d)
    if d["wants_mediation"]:
        return "Request for mediation recorded: mediation is due within 30 days"
    return "Family's decision not to have mediation recorded: the certificate is due within 3 working days"


def _mediation_held(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    appeals_domain.record_mediation_held(case, actor=actor, expected_version=v, **d)
    return "Mediation recorded as held"


def _certificate(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    appeals_domain.record_mediation_certificate(case, actor=actor, expected_version=v, **d)
    return "Mediation certificate recorded"


def _appeal_registered(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    appeals_domain.record_appeal_registered(case, actor=actor, expected_version=v, **d)
    return "Appeal recorded as registered with the tribunal"


def _no_appeal(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    appeals_domain.record_no_appeal(case, actor=actor, expected_version=v, **d)
    return "Recorded that the family did not appeal: the disagreement is closed"


def _tribunal_decision(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    appeal = appeals_domain.record_tribunal_decision(case, actor=actor, expected_version=v, **d)
    if appeal.order_kind:
        return "Decision recorded: the council's deadlines to comply are on the case"
    return "Decision recorded: the appeal is closed"


def _order_complied(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    appeal = appeals_domain.record_order_complied(case, actor=actor, expected_version=v, **d)
    if appeal.complied_on is not None:
        return "Compliance recorded: the order is complied with in full and the appeal is closed"
    return "Compliance recorded"


def _stage(*stages: str) -> Callable[[CaseState], bool]:
    return lambda s: s.stage in stages


def _plan_held(s: CaseState) -> bool:
    """The plan is maintained, or was: a step dated while it was can be recorded late."""
    return s.stage == Stage.PLAN or s.plan_ended


STEPS: dict[str, Step] = {
    s.slug: s
    for s in (
        Step(
            "decision-to-assess",
            "Record the decision whether to assess",
            with_letter_choice(f.DecisionToAssessForm),
            _decision,
            _stage(Stage.REQUESTED),
            hint=f"Within {_w('decision_to_assess')} of the request (SEND Regulations 2014, reg 4 and 5).",
        ),
        Step(
            "advice-requested",
            "Record a request for advice",
            with_letter_choice(f.AdviceRequestedForm, to="the adviser"),
            _advice_requested,
            # In the plan stage too: advice requested during the assessment, recorded late.
            _stage(Stage.ASSESSING, Stage.DRAFT, Stage.PLAN),
            hint=f"Those asked must answer within {_w('advice_due')} (reg 8).",
        ),
        Step(
            "advice-received",
            "Record advice received",
            f.AdviceReceivedForm,
            _advice_received,
            lambda s: s.outstanding_advice > 0,
        ),
        Step(
            "exception",
            "Record an exception to the time limits",
            f.ExceptionForm,
            _exception,
            lambda s: s.stage in OPEN_STAGES or s.disputed,
            hint="Only the exceptions in the regulations (regs 5(4), 8(2), 10(4), 13(3), 44(2)).",
        ),
        Step(
            "draft-plan",
            "Record the draft plan",
            with_letter_choice(f.DraftPlanForm),
            _draft,
            _stage(Stage.ASSESSING),
            hint=f"The family then has at least {_w('draft_comments_window')} to comment (reg 13(1)).",
        ),
        Step(
            "decision-not-to-issue",
            "Record a decision not to issue a plan",
            with_letter_choice(f.DecisionNotToIssueForm),
            _not_issue,
            _stage(Stage.ASSESSING),
            hint=f"Within {_w('decision_not_to_issue')} of the request (reg 10).",
        ),
        Step(
            "final-plan",
            "Record the final plan",
            with_letter_choice(f.FinalPlanForm),
            _final,
            _stage(Stage.DRAFT),
            hint=f"Not before the draft's {period('draft_comments_window').length}-day comments window ends; within {_w('final_plan')} of the request (reg 13(2)).",
        ),
        Step(
            "review-invitations",
            "Record review meeting invitations sent",
            with_letter_choice(f.ReviewInvitationsForm, to="the family and the setting"),
            _invitations,
            _plan_held,
            hint=f"At least {_w('review_meeting_notice')} before the meeting (SEND Regulations 2014, reg 20(3)).",
        ),
        Step(
            "review-advice-circulated",
            "Record advice circulated for the review",
            f.ReviewAdviceCirculatedForm,
            _advice_circulated,
            _plan_held,
            hint=f"At least {_w('review_advice_circulated')} before the meeting (reg 20(4)).",
        ),
        Step(
            "review-meeting",
            "Record an annual review meeting",
            f.ReviewMeetingForm,
            _meeting,
            lambda s: _plan_held(s) and not s.review_awaiting_decision,
        ),
        Step(
            "review-report",
            "Record the review report sent",
            f.ReviewReportForm,
            _review_report,
            lambda s: _plan_held(s) and s.review_report_missing,
            hint=f"Within {_w('review_report')} of the meeting (reg 20(7)).",
        ),
        Step(
            "review-decision",
            "Record the review decision",
            with_letter_choice(f.ReviewDecisionForm),
            _review_decision,
            lambda s: _plan_held(s) and s.review_awaiting_decision,
            hint=f"Within {_w('review_decision')} of the meeting (reg 20(10)).",
        ),
        Step(
            "amendment-notice",
            "Record proposed amendments",
            with_letter_choice(f.AmendmentNoticeForm),
            _amendment,
            lambda s: s.stage == Stage.PLAN and not s.proposed_amendment_open,
            hint=f"The family then has at least {_w('amendment_comments_window')} to comment (reg 22).",
        ),
        Step(
            "final-amended-plan",
            "Record the final amended plan",
            with_letter_choice(f.FinalAmendedPlanForm),
            _final_amended,
            lambda s: s.stage == Stage.PLAN and s.proposed_amendment_open,
            hint=f"Within {_w('final_amended_plan')} of the proposed amendments (reg 22(3)).",
        ),
        Step(
            "phase-transfer",
            "Record a coming phase transfer",
            f.PhaseTransferForm,
            _phase,
            lambda s: s.stage == Stage.PLAN and not s.phase_transfer_unnamed,
        ),
        Step(
            "phase-transfer-named",
            "Record the new setting for the phase transfer",
            f.PhaseTransferNamedForm,
            _phase_named,
            lambda s: s.stage == Stage.PLAN and s.phase_transfer_unnamed,
            finds_setting=True,
        ),
        Step(
            "placement",
            "Record a placement",
            f.PlacementForm,
            _placement,
            lambda s: s.has_plan and s.stage in (Stage.DRAFT, Stage.PLAN),
            finds_setting=True,
        ),
        Step(
            "transfer-out",
            "Record a move to another council",
            f.TransferOutLearnedForm,
            _out_learned,
            lambda s: s.stage == Stage.PLAN and not s.transfer_out_pending,
            hint=f"Transfer the plan on the day of the move, or within {_w('transfer_out')} of learning of it (reg 15).",
        ),
        Step(
            "plan-transferred-out",
            "Record that the plan was transferred",
            f.PlanTransferredOutForm,
            _out_done,
            lambda s: s.stage == Stage.PLAN and s.transfer_out_pending,
        ),
        Step(
            "transfer-in-notice",
            "Record the notice to the family after the transfer",
            with_letter_choice(f.TransferInNoticeForm),
            _transfer_in_notice,
            lambda s: s.stage == Stage.PLAN and s.transfer_in_notice_missing,
            hint=f"Within {_w('transfer_in_notice')} of the transfer (reg 15(4)).",
        ),
        Step(
            "consider-ceasing",
            "Consider ceasing the plan",
            f.ConsiderCeasingForm,
            _consider_ceasing,
            lambda s: s.stage == Stage.PLAN and not s.ceasing_open,
            hint=(
                "The council must consult the family and the school or college named before it "
                "decides (SEND Regulations 2014, reg 31; Children and Families Act 2014, s45). At "
                "18 or over, only after a review (reg 30)."
            ),
        ),
        Step(
            "cease-consultation",
            "Record a consultation about ceasing the plan",
            f.CeaseConsultationForm,
            _cease_consultation,
            lambda s: s.stage == Stage.PLAN and s.ceasing_undecided,
            hint="The child's parent or the young person, and the school or college named (reg 31(1)).",
        ),
        Step(
            "cease-decision",
            "Record the decision whether to cease the plan",
            f.CeaseDecisionForm,
            _cease_decision,
            lambda s: s.stage == Stage.PLAN and s.ceasing_undecided,
        ),
        Step(
            "cease-approval",
            "Approve the decision to cease the plan",
            f.CeaseApprovalForm,
            _cease_approval,
            lambda s: s.stage == Stage.PLAN and s.cease_awaiting_approval,
            hint="A team manager who did not make the decision.",
        ),
        Step(
            "cease-notice",
            "Record the decision to cease sent to the family",
            with_letter_choice(f.CeaseNoticeForm),
            _cease_notice,
            lambda s: s.stage == Stage.PLAN and s.cease_awaiting_notice,
            hint=(
                "With the reasons and the family's rights to mediation and to appeal. The plan "
                f"stays in force until the appeal window ({_w('appeal_window')}) closes, or until "
                "any appeal is decided (Children and Families Act 2014, s45)."
            ),
        ),
        Step(
            "cease",
            "Record that the plan ended",
            f.CeaseForm,
            _cease,
            _stage(Stage.PLAN),
            hint=(
                "The date the plan actually stopped being maintained (SEN2 cease date): after the "
                "decision to cease was sent and its appeal window closed, or any appeal was "
                "decided. When a child has died, no decision is needed."
            ),
        ),
        Step(
            "mediation-decision",
            "Record the family's decision about mediation",
            f.MediationDecisionForm,
            _mediation_decision,
            lambda s: s.open_notices > 0,
            hint=(
                "After speaking to the mediation adviser. If they decline, the certificate is due "
                f"within {_w('mediation_certificate')} (SEND Regulations 2014, reg 34); mediation "
                f"must be held within {_w('mediation_arranged')} of a request (reg 37)."
            ),
        ),
        Step(
            "mediation-held",
            "Record mediation held",
            f.MediationHeldForm,
            _mediation_held,
            lambda s: s.mediation_to_hold,
            hint=f"Within {_w('mediation_arranged')} of the request; the certificate within {_w('mediation_certificate_after')} of it (regs 37 and 39).",
        ),
        Step(
            "mediation-certificate",
            "Record the mediation certificate",
            f.MediationCertificateForm,
            _certificate,
            lambda s: s.certificate_awaited,
            hint=f"The family may appeal within {_w('appeal_window/after_certificate')} of the certificate if that is later than {_w('appeal_window')} from the decision.",
        ),
        Step(
            "appeal-registered",
            "Record an appeal registered with the tribunal",
            f.AppealRegisteredForm,
            _appeal_registered,
            lambda s: s.open_notices > 0 or (s.appeal_unregistered and not s.certificate_awaited),
            hint="An appeal only about the school or college named needs no mediation certificate.",
        ),
        Step(
            "no-appeal",
            "Record that the family did not appeal",
            f.NoAppealForm,
            _no_appeal,
            lambda s: s.appeal_unregistered,
            hint=(
                "When the family tells you they will not appeal, or the time to appeal has ended "
                f"({_w('appeal_window')} from the decision, or {_w('appeal_window/after_certificate')} "
                "from the mediation certificate if later)."
            ),
        ),
        Step(
            "tribunal-decision",
            "Record the tribunal's decision",
            f.TribunalDecisionForm,
            _tribunal_decision,
            lambda s: s.appeal_awaiting_decision,
            hint=(
                f"An order to assess: notify within {_w('tribunal_order_assess', 'notify')}, final "
                f"plan within {_w('tribunal_order_assess', 'final_plan')}; to make a plan: draft "
                f"{_w('tribunal_order_make_plan', 'draft')}, final "
                f"{_w('tribunal_order_make_plan', 'final')}; to amend: "
                f"{_w('tribunal_order_amend', 'amended_plan')}; to change the school named: "
                f"{_w('tribunal_order_setting', 'amended_plan')}; to continue the plan: at once "
                "(reg 44). A conceded appeal has the same limits (reg 45)."
            ),
        ),
        Step(
            "order-complied",
            "Record that the council complied with the order",
            f.OrderCompliedForm,
            _order_complied,
            lambda s: s.order_outstanding,
        ),
    )
}


def available_steps(state: CaseState) -> list[Step]:
    return [s for s in STEPS.values() if s.available(state)]
