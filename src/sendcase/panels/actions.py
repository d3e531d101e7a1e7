"""The panel's actions: each validates, writes in one transaction and appends its audit entry.

* `create_meeting`: a PanelMeeting (a team manager's is for their own team).
* `build_agenda`: a PanelItem for each case in the panel's scope awaiting one of its decisions
  and not yet on an undecided item: whether to assess (a request), whether to issue a plan (an
  assessment under way), placement and funding (a draft plan). The officer of each case.
* `record_attendance`: a PanelMember (name, agency, attended).
* `record_panel_decision`: the officer's recommendation, the panel's decision and rationale,
  whether they agree, and the case's need, setting type and officer that day; then the case's
  step, through its own action, dated the day of the panel: the decision whether to assess
  (`record_decision_to_assess`, with the panel's name and date) or the decision not to issue a
  plan (`record_decision_not_to_issue`). The family's letter goes only if the person asks for it
  (`send_letter`). A decision to issue a plan, and placement and funding decisions, feed no
  statutory step: the draft plan and the placement are recorded on the case as usual.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from sendcase.casework.access import cases_for_user
from sendcase.casework.domain.assessment import (
    record_decision_not_to_issue,
    record_decision_to_assess,
)
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import Case, Stage
from sendcase.core.audit import audit
from sendcase.panels.models import OUTCOMES, Agency, Kind, PanelItem, PanelMeeting, PanelMember
from sendcase.panels.rules import is_administrator
from sendcase.placements.models import Placement
from sendcase.plans.models import Need
from sendcase.statutory.dates import format_date

# The stage at which a case awaits each kind of decision.
AWAITING: dict[str, str] = {
    Kind.ASSESS: Stage.REQUESTED,
    Kind.ISSUE: Stage.ASSESSING,
    Kind.PLACEMENT: Stage.DRAFT,
    Kind.FUNDING: Stage.DRAFT,
}


@transaction.atomic
def create_meeting(*, name: str, held_on: dt.date, kinds: list[str], actor: Any) -> PanelMeeting:
    name = name.strip()
    if not name:
        raise ActionError("Enter the name of the panel", field="name")
    kinds = [k for k in Kind.values if k in kinds]
    if not kinds:
        raise ActionError("Select the decisions the panel makes", field="kinds")
    team = None if is_administrator.test(actor) else actor.team
    meeting = PanelMeeting.objects.create(
        name=name, held_on=held_on, kinds=kinds, team=team, created_by=actor
    )
    audit(
        actor,
        "create",
        meeting,
        f"Panel meeting set up: {meeting}",
        payload={"kinds": kinds, "team": team.pk if team else None},
    )
    return meeting


def awaiting(meeting: PanelMeeting, actor: Any, kind: str) -> Any:
    """The cases in the panel's scope awaiting a decision of `kind`, not already on an undecided
    item of that kind at any panel."""
    cases = cases_for_user(actor).filter(stage=AWAITING[kind])
    if meeting.team_id is not None:
        cases = cases.filter(team_id=meeting.team_id)
    waiting = PanelItem.objects.filter(case=OuterRef("pk"), kind=kind, decision="")
    return cases.exclude(Exists(waiting)).order_by("next_due", "pk")


@transaction.atomic
def build_agenda(meeting: PanelMeeting, *, actor: Any) -> list[PanelItem]:
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
    meeting: PanelMeeting, *, name: str, agency: str, attended: bool, actor: Any
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
def record_panel_decision(
    item: PanelItem,
    *,
    recommendation: str,
    decision: str,
    rationale: str,
    actor: Any,
    send_letter: bool = False,
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
    step = ""
    if item.kind == Kind.ASSESS:
        record_decision_to_assess(
            case,
            decided_on=meeting.held_on,
            outcome=decision,
            panel=meeting.name,
            panel_date=meeting.held_on,
            actor=actor,
            notify=send_letter,
            today=today,
        )
        step = "decision_to_assess"
    elif item.kind == Kind.ISSUE and decision == "not_issue":
        record_decision_not_to_issue(
            case, decided_on=meeting.held_on, actor=actor, notify=send_letter, today=today
        )
        step = "decision_not_to_issue"
    item.recommendation, item.decision, item.rationale = recommendation, decision, rationale
    item.agreed = recommendation == decision
    item.need, item.setting_type = primary_need(case), setting_type(case)
    item.officer_id = case.officer_id
    item.decided_by = actor
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
