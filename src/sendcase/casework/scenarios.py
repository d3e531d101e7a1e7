"""Cases at a chosen point in the EHC process, built only through the action functions.

Used by the tests, the browser tests and the casework benchmark (the demo council has
its own, richer generator). Dates are placed relative to `today` so that deadlines land
where a scenario needs them: e.g. ``build_case(stage="draft", weeks_ago=24)`` is a case
whose 20-week final plan deadline is four weeks overdue.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from sendcase.accounts.models import User
from sendcase.casework.domain import phase_and_cease as pc
from sendcase.casework.domain.assessment import (
    open_case_from_request,
    record_advice_received,
    record_advice_requested,
    record_decision_to_assess,
)
from sendcase.casework.domain.contacts import record_contact
from sendcase.casework.domain.placements import record_placement
from sendcase.casework.domain.plan import record_draft_plan, record_final_plan
from sendcase.casework.domain.reviews import record_review_decision, record_review_meeting
from sendcase.casework.models import Case, Child, ContactLogEntry, FamilyContact
from sendcase.core.actors import Actor
from sendcase.core.codes import AdviceKind, NeedType, RequestSource, SENSetting
from sendcase.demo.plan_content import lawful_content
from sendcase.plans.models import Plan
from sendcase.statutory.rules import Period, period, period_end

ORDER = ("requested", "assessing", "advice", "draft", "plan", "reviewed")


def make_child(
    forename: str = "Sam", surname: str = "Example", *, born: dt.date | None = None, **fields: Any
) -> Child:
    child = Child.objects.create(
        forename=forename,
        surname=surname,
        date_of_birth=born or dt.date(2016, 5, 4),
        postcode=fields.pop("postcode", "HR1 1AA"),
        **fields,
    )
    FamilyContact.objects.create(
        child=child,
        name=f"Jo {surname}",
        relationship="Mother",
        parental_responsibility=True,
        email=f"jo.{surname.lower()}@example.org",
    )
    return child


def build_case(
    *,
    stage: str,
    officer: User,
    actor: Actor | None = None,
    weeks_ago: int = 8,
    child: Child | None = None,
    today: dt.date | None = None,
    need: str = NeedType.ASD,
    setting: Any = None,
    placed_on: dt.date | None = None,
) -> Case:
    """A case whose request arrived `weeks_ago` weeks before `today`, taken as far as `stage`.

    stage: requested (no decision), assessing (decided to assess after 4 weeks), advice
    (educational psychology advice requested and received), draft (draft 16 weeks after the request, or 2 weeks ago if sooner),
    plan (final plan 1 week after the 15-day window), reviewed (plan plus one review).

    From the plan stage the child has a current placement, recorded after the draft (a final
    plan names its setting in section I): at `setting` (a register entry) if given, else under
    the SEN2 code "Other" (no register entry, no cost), from `placed_on`, else from the day the
    request arrived (where the child was then).
    """
    if stage not in ORDER:
        raise ValueError(f"stage must be one of {ORDER}")
    today = today or timezone.localdate()
    actor = actor or officer
    received = today - dt.timedelta(weeks=weeks_ago)
    child = child or make_child(surname=f"Example{Child.objects.count() + 1}")
    case = open_case_from_request(
        child,
        received_on=received,
        source=RequestSource.PARENT_OR_YOUNG_PERSON,
        actor=actor,
        officer=officer,
        today=today,
    )
    reached = ORDER.index(stage)
    if reached < 1:
        return case
    decided = min(received + dt.timedelta(weeks=4), today)
    record_decision_to_assess(
        case, decided_on=decided, outcome="assess", actor=actor, panel="Weekly panel", today=today
    )
    if reached >= 2:
        asked = decided
        record_advice_requested(
            case,
            kind=AdviceKind.EDUCATIONAL_PSYCHOLOGY,
            provider="Educational psychology service",
            requested_on=asked,
            actor=actor,
            today=today,
        )
        record_advice_received(
            case,
            advice_id=f"{AdviceKind.EDUCATIONAL_PSYCHOLOGY}-1",
            received_on=min(asked + dt.timedelta(weeks=5), today),
            actor=actor,
            today=today,
        )
    if reached >= 3:
        draft_on = max(
            min(received + dt.timedelta(weeks=16), today - dt.timedelta(weeks=2)), decided
        )
        record_draft_plan(
            case,
            issued_on=draft_on,
            actor=actor,
            content=lawful_content((need,)),
            today=today,
        )
    if reached >= 4:
        plan = Plan.objects.get(case=case)
        if plan.draft_issued_on is None:
            raise ValueError("the draft plan was not recorded")
        # the day after the draft's comments window ends
        final_on = period_end("draft_comments_window", plan.draft_issued_on) + dt.timedelta(days=1)
        if final_on > today:
            raise ValueError("weeks_ago is too small for a final plan by today")
        place(case, actor, placed_on or received, setting=setting, today=today)
        record_final_plan(
            case,
            issued_on=final_on,
            actor=actor,
            content=lawful_content((need,)),  # section I: the placement's setting
            today=today,
        )
    if reached >= 5:
        issued = Plan.objects.get(case=case).first_issued_on
        if issued is None:
            raise ValueError("the final plan was not recorded")
        meeting: dt.date = min(issued + dt.timedelta(weeks=50), today)
        record_review_meeting(case, meeting_on=meeting, actor=actor, today=today)
        record_review_decision(
            case,
            decided_on=min(meeting + dt.timedelta(weeks=2), today),
            outcome="maintain",
            actor=actor,
            today=today,
        )
    case.refresh_from_db()
    return case


def phone_call(
    case: Case, officer: User, *, summary: str = "Asked about the review"
) -> ContactLogEntry:
    """A parent's call today that needs a response: a contact log entry on the case."""
    return record_contact(
        case,
        contact_on=timezone.localdate(),
        at_time=dt.time(10, 0),
        channel="phone",
        direction="in",
        party="Parent",
        summary=summary,
        needs_response=True,
        response_due=None,
        actor=officer,
    )


def cease_by_the_route(
    case: Case,
    *,
    cease_date: dt.date,
    reason: int,
    actor: Actor,
    today: dt.date | None = None,
) -> Plan:
    """End a plan the lawful way (casework.domain.phase_and_cease): consider ceasing, consult
    the family and the setting, decide, send the decision with appeal rights, and record the end
    on `cease_date`. The decision is sent a month longer than the appeal window before it, so
    the window has closed; the consultation 25 days before that."""
    notice = _months_before(cease_date, (period("appeal_window").length or 0) + 1)
    considered = notice - dt.timedelta(days=25)
    kw: dict[str, Any] = {"actor": actor, "today": today}
    pc.consider_ceasing(case, considered_on=considered, reason=reason, grounds="Needs met", **kw)
    for party in ("family", "setting"):
        pc.record_cease_consultation(
            case, party=party, consulted_on=considered, views="Agrees", **kw
        )
    pc.decide_ceasing(case, decided_on=notice, decision="cease", reasons="Needs met", **kw)
    pc.notify_cease_decision(case, notified_on=notice, notify=False, **kw)
    return pc.cease_plan(case, cease_date=cease_date, reason=reason, **kw)


def place(
    case: Case,
    actor: Any,
    entry_date: dt.date | None = None,
    *,
    setting: Any = None,
    today: dt.date | None = None,
) -> Any:
    """The child's placement, through the action, from `entry_date` (else the day the case
    opened): at `setting`, else under the SEN2 code "Other" (no register entry and nothing for
    finance to cost). A final plan's section I names it."""
    return record_placement(
        case,
        entry_date=entry_date or Case.objects.get(pk=case.pk).opened_on,
        setting=setting,
        sen_setting="" if setting is not None else SENSetting.OTH,
        actor=actor,
        today=today,
    )


def _months_before(d: dt.date, months: int) -> dt.date:
    return Period("months_before", months).end(d)


def plan_issued_on(child: Child, officer: User, issued: dt.date, *, today: dt.date) -> Case:
    """A case whose final plan was issued on `issued`: the request 133 days (19 weeks) before,
    the decision to assess 99 days before, the draft 20 days before."""
    kw: dict[str, Any] = {"actor": officer, "today": today}
    case = open_case_from_request(
        child, received_on=issued - dt.timedelta(days=133), source=1, officer=officer, **kw
    )
    record_decision_to_assess(
        case, decided_on=issued - dt.timedelta(days=99), outcome="assess", **kw
    )
    record_draft_plan(
        case, issued_on=issued - dt.timedelta(days=20), content=lawful_content(("ASD",)), **kw
    )
    place(case, officer, issued - dt.timedelta(days=133), today=today)
    record_final_plan(case, issued_on=issued, content=lawful_content(("ASD",)), **kw)
    return Case.objects.get(pk=case.pk)
