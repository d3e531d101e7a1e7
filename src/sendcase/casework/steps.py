"""The statutory steps an officer can record on a case, and when each one makes sense.

The steps are data (`STEPS`): each names its form, the action function that records it and the
message saying what was recorded, and one generic runner (`Step.run`) calls the action with the
form's cleaned data and words the message. A step is offered when the case's stage is one its
action accepts - the stages the action declares with `kernel.stages`, which its own
`require_stage` reads, so the page and the check cannot drift - and its own condition (`when`:
outstanding advice, a review awaiting its decision, ...) holds. An action that judges the stage on
the step's date (`kernel.stages(..., late=True)`) may also be offered after the case moved on
(`late`: advice asked for during the assessment, review steps after the plan ended). The case
page offers only the available steps; the action functions check them again (and more) when the
step is saved.
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
from sendcase.casework.domain import kernel, transfers
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
# A message that depends on what was recorded: from the cleaned data and the action's result.
Message = Callable[[dict[str, Any], Any], str]


def _always(state: CaseState) -> bool:
    return True


def _never(state: CaseState) -> bool:
    return False


@dataclass(frozen=True)
class Step:
    """One step of the case page. `action` records it (called with the form's cleaned data as
    keywords, `actor` and `expected_version`); `message` says what was recorded: a format string
    over the cleaned data (dates as `format_date` writes them), or a callable of the data and the
    action's result where the words depend on them.

    It is offered (`available`) when the case's stage is one its action accepts (the stages the
    action declares with `kernel.stages`: the same data its body checks), or `late` holds (an
    action that judges the stage on the step's date, offered after the case moved on), and
    `when` holds (outstanding advice, a review awaiting its decision, ...). An action that
    declares no stages checks none: `when` alone decides. `runner` replaces the generic run where
    a step does more than call its action (each says why)."""

    slug: str
    title: str
    form: type[f.StepForm]
    action: Callable[..., Any]
    message: str | Message
    when: Callable[[CaseState], bool] = _always
    late: Callable[[CaseState], bool] = _never
    runner: Runner | None = None
    button: str = "Save"
    hint: str = ""
    # The page offers a search of the register of settings by name, to fill its "setting" field
    # (the placement step, and naming the new setting for a phase transfer).
    finds_setting: bool = False

    @property
    def stages(self) -> tuple[str, ...] | None:
        """The stages the action accepts (None: it checks no stage)."""
        return kernel.stages_of(self.action)

    def at_stage(self, state: CaseState) -> bool:
        """The stage test alone: the action's stages, or recorded late."""
        stages = self.stages
        return stages is None or state.stage in stages or self.late(state)

    def available(self, state: CaseState) -> bool:
        return self.at_stage(state) and self.when(state)

    def run(self, case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
        """Record the step and return the message for the person."""
        if self.runner is not None:
            return self.runner(case, d, actor, v)
        result = self.action(case, actor=actor, expected_version=v, **d)
        if callable(self.message):
            return self.message(d, result)
        return self.message.format(
            **{k: format_date(x) if isinstance(x, dt.date) else x for k, x in d.items()}
        )


def _decision_message(d: dict[str, Any], _: Any) -> str:
    if d["outcome"] == "assess":
        return "Decision to assess recorded"
    return "Decision not to assess recorded: the case is closed"


def _cease_decision_message(_: dict[str, Any], ceasing: Ceasing) -> str:
    if ceasing.decision == Ceasing.Decision.NOT_CEASE:
        return "Decision to keep the plan recorded"
    if approval_required():
        return "Decision to cease recorded: a manager must approve it before it is sent"
    return "Decision to cease recorded: send it to the family with their appeal rights"


def _placement(case: Case, d: dict[str, Any], actor: Actor, v: int | None) -> str:
    # Custom: the form offers two ways to name the setting (a register entry or a SEN2 code), and
    # one placement names one; the action would take either, so the choice is refused here.
    if d.get("sen_setting") and d.get("setting"):
        raise ActionError(
            "Enter a URN or UKPRN, or select a setting code, not both", field="sen_setting"
        )
    record_placement(case, actor=actor, expected_version=v, **d)
    return "Placement recorded"


def _mediation_decision_message(d: dict[str, Any], _: Any) -> str:
    if d["wants_mediation"]:
        return "Request for mediation recorded: mediation is due within 30 days"
    return "Family's decision not to have mediation recorded: the certificate is due within 3 working days"


def _tribunal_decision_message(_: dict[str, Any], appeal: Appeal) -> str:
    if appeal.order_kind:
        return "Decision recorded: the council's deadlines to comply are on the case"
    return "Decision recorded: the appeal is closed"


def _order_complied_message(_: dict[str, Any], appeal: Appeal) -> str:
    if appeal.complied_on is not None:
        return "Compliance recorded: the order is complied with in full and the appeal is closed"
    return "Compliance recorded"


def _plan_ended(s: CaseState) -> bool:
    """The plan was maintained and has ended: a step dated while it was can be recorded late."""
    return s.plan_ended


def _at_plan(s: CaseState) -> bool:
    """For the actions that check no stage of their own: offered while the plan is maintained."""
    return s.stage == Stage.PLAN


STEPS: dict[str, Step] = {
    s.slug: s
    for s in (
        Step(
            "decision-to-assess",
            "Record the decision whether to assess",
            with_letter_choice(f.DecisionToAssessForm),
            record_decision_to_assess,
            _decision_message,
            hint=f"Within {_w('decision_to_assess')} of the request (SEND Regulations 2014, reg 4 and 5).",
        ),
        Step(
            "advice-requested",
            "Record a request for advice",
            with_letter_choice(f.AdviceRequestedForm, to="the adviser"),
            record_advice_requested,
            "Request for advice recorded",
            # In the plan stage too: advice requested during the assessment, recorded late.
            late=lambda s: s.stage == Stage.PLAN,
            hint=f"Those asked must answer within {_w('advice_due')} (reg 8).",
        ),
        Step(
            "advice-received",
            "Record advice received",
            f.AdviceReceivedForm,
            record_advice_received,
            "Advice recorded as received",
            when=lambda s: s.outstanding_advice > 0,
        ),
        Step(
            "exception",
            "Record an exception to the time limits",
            f.ExceptionForm,
            record_exception,
            "Exception to the time limits recorded",
            when=lambda s: s.stage in OPEN_STAGES or s.disputed,
            hint="Only the exceptions in the regulations (regs 5(4), 8(2), 10(4), 13(3), 44(2)).",
        ),
        Step(
            "draft-plan",
            "Record the draft plan",
            with_letter_choice(f.DraftPlanForm),
            record_draft_plan,
            "Draft plan recorded as issued on {issued_on}",
            hint=f"The family then has at least {_w('draft_comments_window')} to comment (reg 13(1)).",
        ),
        Step(
            "decision-not-to-issue",
            "Record a decision not to issue a plan",
            with_letter_choice(f.DecisionNotToIssueForm),
            record_decision_not_to_issue,
            "Decision not to issue a plan recorded: the case is closed",
            hint=f"Within {_w('decision_not_to_issue')} of the request (reg 10).",
        ),
        Step(
            "final-plan",
            "Record the final plan",
            with_letter_choice(f.FinalPlanForm),
            record_final_plan,
            "Final plan recorded as issued on {issued_on}",
            hint=f"Not before the draft's {period('draft_comments_window').length}-day comments window ends; within {_w('final_plan')} of the request (reg 13(2)).",
        ),
        Step(
            "review-invitations",
            "Record review meeting invitations sent",
            with_letter_choice(f.ReviewInvitationsForm, to="the family and the setting"),
            record_review_invitations_sent,
            "Review meeting invitations recorded",
            late=_plan_ended,
            hint=f"At least {_w('review_meeting_notice')} before the meeting (SEND Regulations 2014, reg 20(3)).",
        ),
        Step(
            "review-advice-circulated",
            "Record advice circulated for the review",
            f.ReviewAdviceCirculatedForm,
            record_review_advice_circulated,
            "Advice for the review recorded as circulated",
            late=_plan_ended,
            hint=f"At least {_w('review_advice_circulated')} before the meeting (reg 20(4)).",
        ),
        Step(
            "review-meeting",
            "Record an annual review meeting",
            f.ReviewMeetingForm,
            record_review_meeting,
            "Annual review meeting recorded",
            when=lambda s: not s.review_awaiting_decision,
            late=_plan_ended,
        ),
        Step(
            "review-report",
            "Record the review report sent",
            f.ReviewReportForm,
            record_review_report,
            "Review report recorded",
            when=lambda s: s.review_report_missing,
            late=_plan_ended,
            hint=f"Within {_w('review_report')} of the meeting (reg 20(7)).",
        ),
        Step(
            "review-decision",
            "Record the review decision",
            with_letter_choice(f.ReviewDecisionForm),
            record_review_decision,
            "Review decision recorded",
            when=lambda s: s.review_awaiting_decision,
            late=_plan_ended,
            hint=f"Within {_w('review_decision')} of the meeting (reg 20(10)).",
        ),
        Step(
            "amendment-notice",
            "Record proposed amendments",
            with_letter_choice(f.AmendmentNoticeForm),
            record_amendment_notice,
            "Proposed amendments recorded",
            when=lambda s: not s.proposed_amendment_open,
            hint=f"The family then has at least {_w('amendment_comments_window')} to comment (reg 22).",
        ),
        Step(
            "final-amended-plan",
            "Record the final amended plan",
            with_letter_choice(f.FinalAmendedPlanForm),
            record_final_amended_plan,
            "Final amended plan recorded",
            when=lambda s: s.proposed_amendment_open,
            hint=f"Within {_w('final_amended_plan')} of the proposed amendments (reg 22(3)).",
        ),
        Step(
            "phase-transfer",
            "Record a coming phase transfer",
            f.PhaseTransferForm,
            record_phase_transfer,
            "Phase transfer recorded",
            when=lambda s: not s.phase_transfer_unnamed,
        ),
        Step(
            "phase-transfer-named",
            "Record the new setting for the phase transfer",
            f.PhaseTransferNamedForm,
            record_phase_transfer_named,
            "New setting recorded for the phase transfer",
            when=lambda s: _at_plan(s) and s.phase_transfer_unnamed,
            finds_setting=True,
        ),
        Step(
            "placement",
            "Record a placement",
            f.PlacementForm,
            record_placement,
            "Placement recorded",
            when=lambda s: s.has_plan and s.stage in (Stage.DRAFT, Stage.PLAN),
            runner=_placement,
            finds_setting=True,
        ),
        Step(
            "transfer-out",
            "Record a move to another council",
            f.TransferOutLearnedForm,
            transfers.record_transfer_out_learned,
            "Move to another council recorded",
            when=lambda s: not s.transfer_out_pending,
            hint=f"Transfer the plan on the day of the move, or within {_w('transfer_out')} of learning of it (reg 15).",
        ),
        Step(
            "plan-transferred-out",
            "Record that the plan was transferred",
            f.PlanTransferredOutForm,
            transfers.record_plan_transferred_out,
            "Plan recorded as transferred: the case is closed",
            when=lambda s: s.transfer_out_pending,
        ),
        Step(
            "transfer-in-notice",
            "Record the notice to the family after the transfer",
            with_letter_choice(f.TransferInNoticeForm),
            record_transfer_in_notice,
            "Notice to the family recorded",
            when=lambda s: _at_plan(s) and s.transfer_in_notice_missing,
            hint=f"Within {_w('transfer_in_notice')} of the transfer (reg 15(4)).",
        ),
        Step(
            "consider-ceasing",
            "Consider ceasing the plan",
            f.ConsiderCeasingForm,
            consider_ceasing,
            "Recorded that the council is considering ceasing the plan: consult the family and the setting",
            when=lambda s: not s.ceasing_open,
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
            record_cease_consultation,
            "Consultation recorded",
            when=lambda s: _at_plan(s) and s.ceasing_undecided,
            hint="The child's parent or the young person, and the school or college named (reg 31(1)).",
        ),
        Step(
            "cease-decision",
            "Record the decision whether to cease the plan",
            f.CeaseDecisionForm,
            decide_ceasing,
            _cease_decision_message,
            when=lambda s: _at_plan(s) and s.ceasing_undecided,
        ),
        Step(
            "cease-approval",
            "Approve the decision to cease the plan",
            f.CeaseApprovalForm,
            approve_cease_decision,
            "Decision to cease approved",
            when=lambda s: _at_plan(s) and s.cease_awaiting_approval,
            hint="A team manager who did not make the decision.",
        ),
        Step(
            "cease-notice",
            "Record the decision to cease sent to the family",
            with_letter_choice(f.CeaseNoticeForm),
            notify_cease_decision,
            "Decision notice recorded: the plan stays in force until the appeal window closes",
            when=lambda s: _at_plan(s) and s.cease_awaiting_notice,
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
            cease_plan,
            "Plan recorded as ceased: the case is closed",
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
            appeals_domain.record_mediation_decision,
            _mediation_decision_message,
            when=lambda s: s.open_notices > 0,
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
            appeals_domain.record_mediation_held,
            "Mediation recorded as held",
            when=lambda s: s.mediation_to_hold,
            hint=f"Within {_w('mediation_arranged')} of the request; the certificate within {_w('mediation_certificate_after')} of it (regs 37 and 39).",
        ),
        Step(
            "mediation-certificate",
            "Record the mediation certificate",
            f.MediationCertificateForm,
            appeals_domain.record_mediation_certificate,
            "Mediation certificate recorded",
            when=lambda s: s.certificate_awaited,
            hint=f"The family may appeal within {_w('appeal_window/after_certificate')} of the certificate if that is later than {_w('appeal_window')} from the decision.",
        ),
        Step(
            "appeal-registered",
            "Record an appeal registered with the tribunal",
            f.AppealRegisteredForm,
            appeals_domain.record_appeal_registered,
            "Appeal recorded as registered with the tribunal",
            when=lambda s: (
                s.open_notices > 0 or (s.appeal_unregistered and not s.certificate_awaited)
            ),
            hint="An appeal only about the school or college named needs no mediation certificate.",
        ),
        Step(
            "no-appeal",
            "Record that the family did not appeal",
            f.NoAppealForm,
            appeals_domain.record_no_appeal,
            "Recorded that the family did not appeal: the disagreement is closed",
            when=lambda s: s.appeal_unregistered,
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
            appeals_domain.record_tribunal_decision,
            _tribunal_decision_message,
            when=lambda s: s.appeal_awaiting_decision,
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
            appeals_domain.record_order_complied,
            _order_complied_message,
            when=lambda s: s.order_outstanding,
        ),
    )
}


def available_steps(state: CaseState) -> list[Step]:
    return [s for s in STEPS.values() if s.available(state)]
