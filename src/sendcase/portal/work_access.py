"""What a school's or a service's person may reach in the portal: the advice requests given to
them (or, for a service's manager, sent to the service), the consultations sent to their setting,
and the reviews of the pupils the council linked them to. Anything else is a 404."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from sendcase.casework.models import Case, Deadline, Stage
from sendcase.portal.models import (
    AdviceAssignment,
    Consultation,
    ExternalPerson,
    Membership,
    Organisation,
    Relationship,
)
from sendcase.reviews.models import AnnualReview
from sendcase.statutory.rules import period

# The periods the pages name, in words, from the rules table.
PERIODS = {
    "advice": period("advice_due").words,
    "consultation": period("setting_consultation").words,
    "report": period("review_report").words,
}
ADVICE_KEYS = ("advice_due",)
# The stored deadline fields the lists read (the long explanation only when a page shows it).
_DUE_FIELDS = ("id", "case_id", "key", "instance", "trigger", "due", "completed_on", "status")
REVIEW_KEYS = ("annual_review_meeting", "review_report")


def _deadlines(keys: tuple[str, ...], prefix: str = "") -> Prefetch[str, QuerySet[Deadline], str]:
    rows = Deadline.objects.filter(key__in=keys).only(*_DUE_FIELDS)
    return Prefetch(f"{prefix}deadlines", queryset=rows, to_attr="work_due")


def memberships(person: ExternalPerson, *, settings_only: bool | None = None) -> list[Membership]:
    rows = person.memberships.filter(ended_at__isnull=True).select_related("organisation")
    if settings_only is True:
        rows = rows.filter(organisation__kind=Organisation.Kind.SETTING)
    elif settings_only is False:
        rows = rows.exclude(organisation__kind=Organisation.Kind.SETTING)
    return list(rows)


def _assignments() -> QuerySet[AdviceAssignment]:
    return AdviceAssignment.objects.select_related(
        "advice_request__case__child",
        "advice_request__case__officer",
        "service",
        "assigned_to__person",
    ).prefetch_related(_deadlines(ADVICE_KEYS, "advice_request__case__"))


def assignments_for(person: ExternalPerson) -> list[AdviceAssignment]:
    """The advice requests given to this person, through a membership they still hold."""
    return list(
        _assignments()
        .filter(assigned_to__person=person, assigned_to__ended_at__isnull=True)
        .order_by("advice_request__received_on", "advice_request__requested_on", "pk")
    )


def get_assignment_for_person(person: ExternalPerson, pk: int) -> AdviceAssignment:
    found = (
        _assignments()
        .filter(pk=pk, assigned_to__person=person, assigned_to__ended_at__isnull=True)
        .first()
    )
    if found is None:
        raise Http404("No advice request found")
    return found


def managed_service(person: ExternalPerson, organisation_id: int) -> Membership:
    """This person's membership of a professional service they manage, or a 404."""
    found = (
        person.memberships.filter(
            organisation_id=organisation_id,
            ended_at__isnull=True,
            role__in=(Membership.Role.MANAGER, Membership.Role.ADMINISTRATOR),
        )
        .exclude(organisation__kind=Organisation.Kind.SETTING)
        .select_related("organisation")
        .first()
    )
    if found is None:
        raise Http404("No service found")
    return found


def service_waiting(service: Organisation) -> QuerySet[AdviceAssignment]:
    """The requests sent to the service still waiting for advice, due soonest (so overdue) first,
    each with its stored due date (`due_on`) for counting and ordering in SQL."""
    due = Deadline.objects.filter(
        case_id=OuterRef("advice_request__case_id"),
        key="advice_due",
        instance=OuterRef("advice_request__advice_id"),
    ).values("due")[:1]
    return (
        _assignments()
        .filter(service=service, advice_request__received_on__isnull=True)
        .annotate(due_on=Subquery(due))
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def service_overdue(service: Organisation, today: dt.date) -> int:
    """How many requests sent to the service are still waiting after their due date."""
    late = Deadline.objects.filter(
        case_id=OuterRef("advice_request__case_id"),
        key="advice_due",
        instance=OuterRef("advice_request__advice_id"),
        due__lt=today,
    )
    return (
        AdviceAssignment.objects.filter(service=service, advice_request__received_on__isnull=True)
        .filter(Exists(late))
        .count()
    )


def get_service_assignment(service: Organisation, pk: int) -> AdviceAssignment:
    found = service_waiting(service).filter(pk=pk).first()
    if found is None:
        raise Http404("No advice request found")
    return found


def advice_due(assignment: AdviceAssignment) -> Deadline | None:
    """The stored `advice_due` row for this request (prefetched as `work_due`)."""
    advice = assignment.advice_request
    rows = getattr(advice.case, "work_due", None)
    if rows is None:
        rows = list(advice.case.deadlines.filter(key="advice_due"))
    return next((d for d in rows if d.instance == advice.advice_id), None)


# --- Schools and colleges ---------------------------------------------------------------------


def _consultations() -> QuerySet[Consultation]:
    return Consultation.objects.select_related("case__child", "case__officer", "organisation")


def consultations_for(person: ExternalPerson) -> list[Consultation]:
    """The consultations sent to the settings this person belongs to."""
    return list(
        _consultations()
        .filter(
            organisation__memberships__person=person,
            organisation__memberships__ended_at__isnull=True,
            organisation__kind=Organisation.Kind.SETTING,
        )
        .prefetch_related(
            Prefetch(
                "case__deadlines",
                queryset=Deadline.objects.filter(key="setting_consultation").only(*_DUE_FIELDS),
                to_attr="work_due",
            )
        )
        .order_by("answered_on", "consulted_on", "pk")
    )


def get_consultation_for_person(person: ExternalPerson, pk: int) -> Consultation:
    found = (
        _consultations()
        .filter(
            pk=pk,
            organisation__memberships__person=person,
            organisation__memberships__ended_at__isnull=True,
            organisation__kind=Organisation.Kind.SETTING,
        )
        .first()
    )
    if found is None:
        raise Http404("No consultation found")
    return found


def consultation_due(consultation: Consultation) -> Deadline | None:
    rows = getattr(consultation.case, "work_due", None)
    if rows is None:
        rows = list(consultation.case.deadlines.filter(key="setting_consultation"))
    return next((d for d in rows if d.instance == consultation.consultation_id), None)


def review_cases(person: ExternalPerson, *, whole_history: bool = False) -> QuerySet[Case]:
    """The pupils with plans the council linked this person to, through their setting. For the
    tray, only what is still to come is read: the open review deadlines and the reviews not yet
    finished; `whole_history` reads every review and report deadline (one pupil's page)."""
    deadlines = Deadline.objects.filter(key__in=REVIEW_KEYS).only(*_DUE_FIELDS)
    reviews = AnnualReview.objects.order_by("due_on")
    if not whole_history:
        deadlines = deadlines.filter(completed_on__isnull=True)
        reviews = reviews.filter(Q(meeting_on__isnull=True) | Q(report_on__isnull=True))
    return (
        # One current link per case and person (case_link_unique_while_current): no DISTINCT.
        Case.objects.filter(
            stage=Stage.PLAN,
            portal_links__person=person,
            portal_links__ended_at__isnull=True,
            portal_links__relationship=Relationship.SETTING,
            portal_links__organisation_id__in=Membership.objects.filter(
                person=person, ended_at__isnull=True
            ).values("organisation_id"),
        )
        .select_related("child", "officer", "plan")
        .prefetch_related(
            Prefetch("deadlines", queryset=deadlines, to_attr="work_due"),
            Prefetch("plan__reviews", queryset=reviews),
        )
        .order_by("next_due", "pk")
    )


def get_review_case_for_person(person: ExternalPerson, case_id: int) -> Case:
    found = review_cases(person, whole_history=True).filter(pk=case_id).first()
    if found is None:
        raise Http404("No review found")
    return found


def review_summary(case: Case, today: dt.date) -> dict[str, object]:
    """The current review of a pupil's plan: when it is due, the invitations, the meeting, and
    the report with its 2-week deadline, from the stored rows (the clock's answer)."""
    rows = getattr(case, "work_due", [])
    meeting = next(
        (
            d
            for d in sorted(rows, key=lambda d: d.due or dt.date.max)
            if d.key == "annual_review_meeting" and d.completed_on is None
        ),
        None,
    )
    report = next(
        (
            d
            for d in sorted(rows, key=lambda d: d.due or dt.date.max, reverse=True)
            if d.key == "review_report"
        ),
        None,
    )
    plan = getattr(case, "plan", None)
    reviews = list(plan.reviews.all()) if plan is not None else []
    held = [r for r in reviews if r.meeting_on is not None]
    latest = held[-1] if held else None
    waiting = next((r for r in reversed(held) if r.report_on is None), None)
    upcoming = next((r for r in reviews if r.meeting_on is None), None)
    current = upcoming or latest
    return {
        "meeting_due": meeting,
        "report_due": report if report is not None and report.completed_on is None else None,
        "report_done": report if report is not None and report.completed_on is not None else None,
        "latest_meeting": latest,
        "awaiting_report": waiting,
        "invitations_sent_on": current.invitations_sent_on if current is not None else None,
        # A meeting may be recorded unless the last one still waits for the council's decision.
        "can_record_meeting": not any(r.decision == "" for r in held),
    }
