"""The panel's actions: each validates, writes in one transaction and appends its audit entry.

* `create_meeting`: a PanelMeeting (a team manager's is for their own team).
* `build_agenda`: a PanelItem for each case in the panel's scope awaiting one of its decisions
  and not yet on an undecided item: whether to assess (a request), whether to issue a plan (an
  assessment under way), placement and funding (a draft plan). The officer of each case.
* `record_attendance`: a PanelMember (name, agency, attended).
* `add_agenda_item`: one case put on the agenda by hand (by its reference), for one of the
  panel's decisions, when the case is at a stage that decision can be fed to.
* `remove_agenda_item`: an undecided case taken off the agenda, with a reason (the case moved
  on before the panel, or was put on by mistake); audited.
* `record_panel_decision`: the officer's recommendation, the panel's decision and rationale,
  whether they agree, and the case's need, setting type and officer that day; then the case's
  step, through its own casework action, dated the day of the panel (`feed`).
* `correct_panel_decision`: the recommendation, rationale or (where the recorded decision fed no
  step) the decision corrected, with a reason; audited with the old and new values.

What each decision feeds (`feed`), dated the day of the panel:

=========================  ==================================================================
whether to assess          the decision to assess, or not to assess (`record_decision_to_assess`,
                           with the panel's name and date; a refusal closes the case)
issue a plan               the decision to issue (`record_decision_to_issue`: SEN2 outcome Y
                           until the plan is issued; the draft plan is its own step)
do not issue a plan        the decision not to issue (`record_decision_not_to_issue`)
agree the placement        with a setting named: the placement (`record_placement`, from the
                           start date given, marked agreed that day); with none: the current
                           main placement marked agreed (`record_placement_agreed`)
agree the funding          the current main placement's funding marked agreed that day
                           (`record_placement_agreed(funding=True)`); the amounts are finance's
                           cost lines, which hold no decision
not agree (placement or    no step: nothing on the case changes (the plan names no setting the
funding)                   panel refused); the refusal and its reasons stay on the panel record
=========================  ==================================================================

The family's letter goes only if the person asks for it (`send_letter`, for the two decisions
with a letter: whether to assess and not to issue).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from sendcase.accounts.roles import is_administrator
from sendcase.casework.access import cases_for_user
from sendcase.casework.domain.assessment import (
    record_decision_not_to_issue,
    record_decision_to_assess,
    record_decision_to_issue,
)
from sendcase.casework.domain.corrections import (
    correct_step,
    strike_out_issue_decision,
    strike_out_step,
)
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.placements import record_placement, record_placement_agreed
from sendcase.casework.models import Case, Stage
from sendcase.core.actors import Actor, user_of
from sendcase.core.audit import audit
from sendcase.panels.models import OUTCOMES, Agency, Kind, PanelItem, PanelMeeting, PanelMember
from sendcase.placements.models import Placement, Setting
from sendcase.plans.models import Need
from sendcase.statutory.dates import format_date

# The stage at which a case awaits each kind of decision (the agenda is built from these).
AWAITING: dict[str, str] = {
    Kind.ASSESS: Stage.REQUESTED,
    Kind.ISSUE: Stage.ASSESSING,
    Kind.PLACEMENT: Stage.DRAFT,
    Kind.FUNDING: Stage.DRAFT,
}
# The stages at which a case can be put on the agenda by hand: a maintained plan's placement
# or funding can come back to the panel (a change of school, a review).
BY_HAND: dict[str, tuple[str, ...]] = {
    Kind.ASSESS: (Stage.REQUESTED,),
    Kind.ISSUE: (Stage.ASSESSING,),
    Kind.PLACEMENT: (Stage.DRAFT, Stage.PLAN),
    Kind.FUNDING: (Stage.DRAFT, Stage.PLAN),
}


@transaction.atomic
def create_meeting(*, name: str, held_on: dt.date, kinds: list[str], actor: Actor) -> PanelMeeting:
    name = name.strip()
    if not name:
        raise ActionError("Enter the name of the panel", field="name")
    kinds = [k for k in Kind.values if k in kinds]
    if not kinds:
        raise ActionError("Select the decisions the panel makes", field="kinds")
    user = user_of(actor)
    team = None if is_administrator.test(actor) or user is None else user.team
    meeting = PanelMeeting.objects.create(
        name=name, held_on=held_on, kinds=kinds, team=team, created_by=user
    )
    audit(
        actor,
        "create",
        meeting,
        f"Panel meeting set up: {meeting}",
        payload={"kinds": kinds, "team": team.pk if team else None},
    )
    return meeting


def awaiting(meeting: PanelMeeting, actor: Actor, kind: str) -> Any:
    """The cases in the panel's scope awaiting a decision of `kind`: not already on an undecided
    item of that kind at any panel, nor decided by one that fed the case (a case whose placement
    was not agreed comes back; one whose plan a panel decided to issue does not)."""
    cases = cases_for_user(actor).filter(stage=AWAITING[kind])
    if meeting.team_id is not None:
        cases = cases.filter(team_id=meeting.team_id)
    taken = PanelItem.objects.filter(case=OuterRef("pk"), kind=kind).filter(
        Q(decision="") | ~Q(step="")
    )
    return cases.exclude(Exists(taken)).order_by("next_due", "pk")


@transaction.atomic
def build_agenda(meeting: PanelMeeting, *, actor: Actor) -> list[PanelItem]:
    meeting = PanelMeeting.objects.select_for_update().get(pk=meeting.pk)
    added: list[PanelItem] = []
    for kind in meeting.kinds:
        for case in awaiting(meeting, actor, kind):
            added.append(
                PanelItem.objects.create(
                    meeting=meeting, case=case, kind=kind, officer_id=case.officer_id
                )
            )
    audit(
        actor,
        "update",
        meeting,
        f"Agenda built for {meeting}: {len(added)} case{'s' if len(added) != 1 else ''} added",
        payload={"items": [[i.case_id, i.kind] for i in added]},
    )
    return added


@transaction.atomic
def record_attendance(
    meeting: PanelMeeting, *, name: str, agency: str, attended: bool, actor: Actor
) -> PanelMember:
    name = name.strip()
    if not name:
        raise ActionError("Enter the name of the member", field="name")
    if agency not in Agency.values:
        raise ActionError("Select the member's agency", field="agency")
    member = PanelMember.objects.create(
        meeting=meeting, name=name, agency=agency, attended=attended
    )
    audit(
        actor,
        "create",
        member,
        f"{name} ({Agency(agency).label}) {'attended' if attended else 'sent apologies to'} "
        f"{meeting}",
        payload={"meeting": meeting.pk, "agency": agency, "attended": attended},
    )
    return member


def primary_need(case: Case) -> str:
    """The primary need (rank 1) in the case's latest plan version, or '' before a draft."""
    code = (
        Need.objects.filter(version__plan__case=case, rank=1)
        .order_by("-version__number")
        .values_list("code", flat=True)
        .first()
    )
    return code or ""


def setting_type(case: Case) -> str:
    """The setting type of the case's current main placement, or ''."""
    kind = (
        Placement.objects.filter(plan__case=case, leaving_date__isnull=True)
        .order_by("rank", "-entry_date")
        .values_list("setting_type", flat=True)
        .first()
    )
    return kind or ""


@transaction.atomic
def add_agenda_item(meeting: PanelMeeting, *, reference: str, kind: str, actor: Actor) -> PanelItem:
    """Put one case on the agenda by hand, by its reference."""
    meeting = PanelMeeting.objects.select_for_update().get(pk=meeting.pk)
    if kind not in meeting.kinds:
        raise ActionError("Select one of the decisions this panel makes", field="kind")
    reference = reference.strip().upper()
    if not reference:
        raise ActionError("Enter the case reference", field="reference")
    cases = cases_for_user(actor)
    if meeting.team_id is not None:
        cases = cases.filter(team_id=meeting.team_id)
    case = cases.filter(reference=reference).first()
    if case is None:
        raise ActionError(
            "There is no case with that reference in this panel's team", field="reference"
        )
    if case.stage not in BY_HAND[kind]:
        raise ActionError(
            f"{case.reference} is at ‘{case.get_stage_display()}’: a panel cannot decide "
            f"{Kind(kind).label.lower()} for it now",
            field="kind",
        )
    if PanelItem.objects.filter(case=case, kind=kind, decision="").exists():
        raise ActionError(
            f"{case.reference} is already on an agenda awaiting this decision", field="reference"
        )
    item = PanelItem.objects.create(
        meeting=meeting, case=case, kind=kind, officer_id=case.officer_id
    )
    audit(
        actor,
        "update",
        meeting,
        f"Added to the agenda of {meeting}: {case.reference}, {Kind(kind).label.lower()}",
        case=case,
        payload={"items": [[case.pk, kind]], "by_hand": True},
    )
    return item


@transaction.atomic
def remove_agenda_item(item: PanelItem, *, reason: str, actor: Actor) -> None:
    item = PanelItem.objects.select_for_update().select_related("meeting", "case").get(pk=item.pk)
    if item.decision:
        raise ActionError("The panel's decision on this case is recorded: correct it instead")
    reason = reason.strip()
    if not reason:
        raise ActionError("Enter why the case is being taken off the agenda", field="reason")
    meeting, case, kind = item.meeting, item.case, item.kind
    item.delete()
    audit(
        actor,
        "update",
        meeting,
        f"Taken off the agenda of {meeting}: {case.reference}, {Kind(kind).label.lower()}. "
        f"Why: {reason}",
        case=case,
        payload={"removed": [case.pk, kind], "reason": reason},
    )


def feed(
    item: PanelItem,
    decision: str,
    *,
    actor: Actor,
    send_letter: bool,
    today: dt.date,
    setting: Setting | None = None,
    entry_date: dt.date | None = None,
) -> str:
    """Record the panel's decision on the case through its casework action, dated the day of
    the panel; the step it fed ('' for none). See the table in the module's docstring."""
    case, held_on = item.case, item.meeting.held_on
    if item.kind == Kind.ASSESS:
        record_decision_to_assess(
            case,
            decided_on=held_on,
            outcome=decision,
            panel=item.meeting.name,
            panel_date=held_on,
            actor=actor,
            notify=send_letter,
            today=today,
        )
        return "decision_to_assess"
    if item.kind == Kind.ISSUE and decision == "issue":
        record_decision_to_issue(case, decided_on=held_on, actor=actor, today=today)
        return "decision_to_issue"
    if item.kind == Kind.ISSUE:
        record_decision_not_to_issue(
            case, decided_on=held_on, actor=actor, notify=send_letter, today=today
        )
        return "decision_not_to_issue"
    if decision != "agree":
        return ""
    if item.kind == Kind.PLACEMENT and setting is not None:
        if entry_date is None:
            raise ActionError("Enter the date the placement starts", field="entry_date")
        record_placement(
            case,
            setting=setting,
            entry_date=entry_date,
            agreed_on=held_on,
            actor=actor,
            today=today,
        )
        return "placement"
    funding = item.kind == Kind.FUNDING
    record_placement_agreed(case, agreed_on=held_on, funding=funding, actor=actor, today=today)
    return "funding_agreed" if funding else "placement_agreed"


@transaction.atomic
def record_panel_decision(
    item: PanelItem,
    *,
    recommendation: str,
    decision: str,
    rationale: str,
    actor: Actor,
    send_letter: bool = False,
    setting: Setting | None = None,
    entry_date: dt.date | None = None,
    today: dt.date | None = None,
) -> PanelItem:
    today = today or timezone.localdate()
    item = PanelItem.objects.select_for_update().select_related("meeting", "case").get(pk=item.pk)
    meeting = item.meeting
    allowed = [v for v, _ in OUTCOMES[item.kind]]
    if item.decision:
        raise ActionError("The panel's decision on this case is already recorded")
    if meeting.held_on > today:
        raise ActionError("Record the panel's decisions on or after the day it meets")
    if recommendation not in allowed:
        raise ActionError("Select the case officer's recommendation", field="recommendation")
    if decision not in allowed:
        raise ActionError("Select the panel's decision", field="decision")
    rationale = rationale.strip()
    if not rationale:
        raise ActionError("Enter the reasons for the panel's decision", field="rationale")
    case = item.case
    step = feed(
        item,
        decision,
        actor=actor,
        send_letter=send_letter,
        today=today,
        setting=setting,
        entry_date=entry_date,
    )
    item.recommendation, item.decision, item.rationale = recommendation, decision, rationale
    item.agreed = recommendation == decision
    item.need, item.setting_type = primary_need(case), setting_type(case)
    item.officer_id = case.officer_id
    item.decided_by = user_of(actor)
    item.step = step
    item.save()
    audit(
        actor,
        "update",
        item,
        f"Panel of {format_date(meeting.held_on)}: {Kind(item.kind).label.lower()}: "
        f"{item.outcome_label(decision).lower()}",
        case=case,
        payload={
            "meeting": meeting.pk,
            "kind": item.kind,
            "recommendation": recommendation,
            "decision": decision,
            "agreed": item.agreed,
            "step": step,
        },
    )
    return item


@transaction.atomic
def correct_panel_decision(
    item: PanelItem,
    *,
    recommendation: str,
    decision: str,
    rationale: str,
    reason: str,
    actor: Actor,
    setting: Setting | None = None,
    entry_date: dt.date | None = None,
    today: dt.date | None = None,
) -> PanelItem:
    """Correct a recorded decision, with a reason. The recommendation and the reasons can always
    be corrected. A decision whether to assess, or whether to issue a plan, feeds a correction of
    the step it fed (`_correct_step_fed`), where the step's own rules apply. A placement or
    funding not agreed (no step fed) is fed as a first decision would be. A placement agreed is
    corrected on the case (its placement), and is refused here."""
    today = today or timezone.localdate()
    item = PanelItem.objects.select_for_update().select_related("meeting", "case").get(pk=item.pk)
    if not item.decision:
        raise ActionError("The panel's decision on this case is not recorded yet")
    allowed = [v for v, _ in OUTCOMES[item.kind]]
    if recommendation not in allowed:
        raise ActionError("Select the case officer's recommendation", field="recommendation")
    if decision not in allowed:
        raise ActionError("Select the panel's decision", field="decision")
    rationale, reason = rationale.strip(), reason.strip()
    if not rationale:
        raise ActionError("Enter the reasons for the panel's decision", field="rationale")
    if not reason:
        raise ActionError("Enter why the decision is being corrected", field="reason")
    old = {"recommendation": item.recommendation, "decision": item.decision}
    old["rationale"] = item.rationale
    new = {"recommendation": recommendation, "decision": decision, "rationale": rationale}
    if old == new:
        raise ActionError("Change something: the decision is as recorded", field="decision")
    step = item.step
    if decision != item.decision and item.step in _CORRECTED_ON_THE_CASE:
        step = _correct_step_fed(item, decision, reason=reason, actor=actor, today=today)
    elif decision != item.decision:
        if item.step:
            raise ActionError(
                f"This decision is recorded on case {item.case.reference} "
                f"({STEP_NAMES.get(item.step, item.step)}): correct that step in the case's "
                "history, where its own rules apply",
                field="decision",
            )
        step = feed(
            item,
            decision,
            actor=actor,
            send_letter=False,
            today=today,
            setting=setting,
            entry_date=entry_date,
        )
    item.recommendation, item.decision, item.rationale = recommendation, decision, rationale
    item.agreed = recommendation == decision
    item.step = step
    item.save(update_fields=["recommendation", "decision", "rationale", "agreed", "step"])
    audit(
        actor,
        "update",
        item,
        f"Panel decision corrected: {item.case.reference}, {Kind(item.kind).label.lower()}. "
        f"Why: {reason}",
        case=item.case,
        payload={"from": old, "to": new, "reason": reason, "step": step},
    )
    return item


# Steps a corrected decision corrects on the case, through the casework corrections.
_CORRECTED_ON_THE_CASE = ("decision_to_assess", "decision_to_issue", "decision_not_to_issue")


def _correct_step_fed(
    item: PanelItem, decision: str, *, reason: str, actor: Any, today: dt.date
) -> str:
    """The panel's corrected decision corrects the step it fed (the same day, the panel's): the
    decision whether to assess changes its outcome (the case's stage and the decision letter
    follow); a decision to issue and one not to issue swap (the one recorded is struck out, the
    other recorded). Refused, with the step's own words, when later steps hang on it."""
    case, held_on = item.case, item.meeting.held_on
    why = f"Panel decision corrected: {reason}"
    if item.step == "decision_to_assess":
        event = case.events.filter(type="decision_to_assess", date=held_on).first()
        if event is None:
            raise ActionError(
                "The decision whether to assess on the case is no longer the panel's: correct it "
                "in the case's history",
                field="decision",
            )
        correct_step(
            case,
            event_id=event.pk,
            date=None,
            details={"outcome": decision},
            reason=why,
            actor=actor,
            today=today,
        )
        return "decision_to_assess"
    if decision == "issue":  # the case had a decision not to issue from the panel
        event = case.events.filter(type="decision_not_to_issue", date=held_on).first()
        if event is None:
            raise ActionError(
                "The decision not to issue on the case is no longer the panel's: correct it in "
                "the case's history",
                field="decision",
            )
        strike_out_step(case, event_id=event.pk, reason=why, actor=actor, today=today)
        record_decision_to_issue(case, decided_on=held_on, actor=actor, today=today)
        return "decision_to_issue"
    strike_out_issue_decision(case, reason=why, actor=actor, today=today)
    record_decision_not_to_issue(case, decided_on=held_on, actor=actor, notify=False, today=today)
    return "decision_not_to_issue"


# The case steps a decision feeds, as a person reads them.
STEP_NAMES = {
    "decision_to_assess": "the decision whether to assess",
    "decision_to_issue": "the decision to issue a plan",
    "decision_not_to_issue": "the decision not to issue a plan",
    "placement": "the placement",
    "placement_agreed": "the placement agreed",
    "funding_agreed": "the placement's funding agreed",
}
