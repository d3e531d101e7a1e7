"""The work schools and professional services do in the portal, each step a named action.

Every statutory step goes through the casework action that records it for staff (the clock sees
exactly what it would see had an officer typed it): advice received (`record_advice_received`),
a missed appointment (`record_exception`), a consultation answered (`record_setting_response`),
a review meeting held (`record_review_meeting`), a review report sent (`record_review_report`). Files go through the documents app's upload
(`upload_document`: the type from the content, the size cap, a safe name). Each step is audited
with the person who took it (`external_person` in the payload). Messages to people outside the
council go through GOV.UK Notify and say what happened, what to do, by when, and where.

Side effects, each action:

* `send_advice_to_service` (staff): an AdviceAssignment; an email to the service's managers;
  the request letter to them when `notify` asks (`False` by default: the advice step itself
  decides its letter).
* `assign_advice` (a service's manager): the named member; an email to them.
* `report_missed_appointment` (the member): a `missed_appointment` exception on that advice.
* `submit_advice` (the member): the file kept on the advice request and the advice received
  today, in one transaction; rate-limited.
* `consult_setting` (staff): the `setting_consulted` step (with its letter to the setting's
  people, as `notify` says) and a Consultation; an email to the setting's people.
* `answer_consultation` (the setting): the `setting_responded` step, the answer and reasons.
* `record_meeting_held` (the setting): the `review_meeting` step on the date given, so the
  clock sets the `review_report` deadline (2 weeks after the meeting).
* `submit_review_report` (the setting): the review report kept on the case and sent today, in
  one transaction; rate-limited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sendcase.casework.domain.assessment import record_advice_received, record_exception
from sendcase.casework.domain.consultation import record_setting_consulted, record_setting_response
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.kernel import SentEarlier, letter_delivery
from sendcase.casework.domain.reviews import record_review_meeting, record_review_report
from sendcase.casework.models import AdviceRequest, Case, Deadline
from sendcase.core import notify
from sendcase.core.actors import Actor, user_of
from sendcase.core.audit import audit
from sendcase.core.codes import ExceptionReason
from sendcase.core.models import AuditEntry
from sendcase.documents.actions import issue_letter, organisation_recipients, upload_document
from sendcase.documents.models import CaseDocument
from sendcase.portal.actions import PortalError, actor_for, portal_audit
from sendcase.portal.models import (
    AdviceAssignment,
    Consultation,
    ExternalPerson,
    Membership,
    Organisation,
)
from sendcase.reviews.models import AnnualReview
from sendcase.statutory.dates import format_date

# Files one person may upload in an hour before the portal refuses more.
UPLOADS_PER_HOUR = 20


def _link(path: str) -> str:
    return settings.SENDCASE_PORTAL_URL.rstrip("/") + "/" + path.lstrip("/")


def due_date(case: Case, key: str, instance: str = "") -> dt.date | None:
    """The due date of one of the case's stored deadlines (the clock's answer), or None."""
    rows = Deadline.objects.filter(case=case, key=key)
    if instance:
        rows = rows.filter(instance=instance)
    row = rows.filter(completed_on__isnull=True).order_by("due").first() or rows.first()
    return row.due if row is not None else None


def _email(to: str, template: str, fields: dict[str, str], reference: str) -> None:
    """Send after the commit: what happened, what to do, by when, and the link."""
    missing = {"what_happened", "what_to_do", "by_when", "portal_link"} - set(fields)
    if missing:  # every message says all four
        raise ValueError(f"a portal message lacks {sorted(missing)}")
    transaction.on_commit(
        lambda: notify.client().send_email_notification(
            to, notify.TEMPLATES[template], personalisation=fields, reference=reference
        )
    )


def uploads_in_last_hour(person: ExternalPerson) -> int:
    return AuditEntry.objects.filter(
        at__gte=timezone.now() - dt.timedelta(hours=1),
        action="create",
        object_type="documents.casedocument",
        payload__external_person=person.pk,
    ).count()


def _check_upload_rate(person: ExternalPerson) -> None:
    if uploads_in_last_hour(person) >= UPLOADS_PER_HOUR:
        raise ActionError(
            "You have uploaded too many files in the last hour. Try again in an hour.",
            field="file",
        )


def _current(membership: Membership | None) -> bool:
    return membership is not None and membership.ended_at is None


# --- Professional services: advice -----------------------------------------------------------


@transaction.atomic
def send_advice_to_service(
    advice: AdviceRequest,
    service: Organisation,
    *,
    actor: Actor,
    notify: bool | SentEarlier | None = False,
    today: dt.date | None = None,
) -> AdviceAssignment:
    """The council sends an advice request to a service in the portal; its manager assigns it.
    The request letter goes to the service's managers as `notify` says, judged on the date the
    advice was requested (kernel.letter_delivery: left unsaid, only a request dated today)."""
    if service.kind == Organisation.Kind.SETTING:
        raise PortalError("Choose a professional service, not a school or college.")
    if advice.received_on is not None:
        raise PortalError("This advice has already been received.")
    assignment, created = AdviceAssignment.objects.get_or_create(
        advice_request=advice, defaults={"service": service, "sent_by": user_of(actor)}
    )
    if not created:
        raise PortalError(f"This advice request was already sent to {assignment.service}.")
    case = advice.case
    audit(
        actor,
        "create",
        assignment,
        f"Sent the {advice.get_kind_display().lower()} advice request to {service} in the portal",
        case=case,
        payload={"advice_id": advice.advice_id, "service": service.pk},
    )
    today = today or timezone.localdate()
    issue_letter(
        case,
        "advice_request",
        on=advice.requested_on,
        actor=actor,
        notify=letter_delivery(notify, advice.requested_on, today),
        today=today,
        recipients=lambda: organisation_recipients(service),
        instance=advice.advice_id,
    )
    due = due_date(case, "advice_due", advice.advice_id)
    for manager in service.memberships.filter(
        ended_at__isnull=True, role__in=(Membership.Role.MANAGER, Membership.Role.ADMINISTRATOR)
    ).select_related("person"):
        if manager.person.email:
            _email(
                manager.person.email,
                "portal_work",
                {
                    "name": manager.person.name,
                    "what_happened": f"{settings.SENDCASE_COUNCIL_NAME} asked {service} for "
                    f"{advice.get_kind_display().lower()} advice about {case.child.full_name} "
                    f"(case {case.reference}).",
                    "what_to_do": "Sign in and give the request to someone in your service.",
                    "by_when": f"The advice is due by {format_date(due)}." if due else "",
                    "portal_link": _link(f"services/{service.pk}/advice/"),
                },
                f"{case.reference}-advice-{assignment.pk}-service",
            )
    return assignment


@transaction.atomic
def assign_advice(
    assignment: AdviceAssignment, member: Membership, *, by: Membership
) -> AdviceAssignment:
    """The service's manager gives the request to a named member of the service."""
    if by.organisation_id != assignment.service_id or not _current(by) or not by.manages:
        raise PortalError("Only the service's manager can assign advice requests.")
    if member.organisation_id != assignment.service_id or not _current(member):
        raise PortalError("Choose someone in your service.")
    advice = assignment.advice_request
    if advice.received_on is not None:
        raise PortalError("This advice has already been received.")
    assignment.assigned_to = member
    assignment.assigned_by = by
    assignment.assigned_at = timezone.now()
    assignment.save(update_fields=["assigned_to", "assigned_by", "assigned_at"])
    case = advice.case
    portal_audit(
        by.person,
        "update",
        assignment,
        f"Gave the advice request for case {case.reference} to {member.person}",
        case=case,
        payload={"assigned_to": member.person_id},
    )
    due = due_date(case, "advice_due", advice.advice_id)
    if member.person.email:
        _email(
            member.person.email,
            "portal_work",
            {
                "name": member.person.name,
                "what_happened": f"{by.person} gave you the request for "
                f"{advice.get_kind_display().lower()} advice about {case.child.full_name} "
                f"(case {case.reference}).",
                "what_to_do": "Sign in, read the request and upload your advice. If the family "
                "missed an appointment, tell the council there.",
                "by_when": f"The advice is due by {format_date(due)}." if due else "",
                "portal_link": _link(f"advice/{assignment.pk}/"),
            },
            f"{case.reference}-advice-{assignment.pk}-assigned",
        )
    return assignment


def report_missed_appointment(
    assignment: AdviceAssignment,
    person: ExternalPerson,
    *,
    missed_on: dt.date,
    next_on: dt.date | None,
    why: str,
    today: dt.date | None = None,
) -> None:
    """The family did not keep an appointment: the clock's `missed_appointment` exception on
    this advice request, from the missed appointment to the next one (or that day)."""
    advice = assignment.advice_request
    today = today or timezone.localdate()
    if missed_on > today:
        raise ActionError(
            "The date of the missed appointment must be today or in the past", field="missed_on"
        )
    if missed_on < advice.requested_on:
        raise ActionError(
            "The date of the missed appointment must be on or after the date the advice was "
            f"requested, {format_date(advice.requested_on)}",
            field="missed_on",
        )
    if next_on is not None and next_on < missed_on:
        raise ActionError(
            "The date of the next appointment must be on or after the missed one", field="next_on"
        )
    with transaction.atomic():
        record_exception(
            advice.case,
            reason=ExceptionReason.MISSED_APPOINTMENT,
            start=missed_on,
            end=next_on or missed_on,
            why=f"Reported in the portal by {person}: {why}",
            applies_to=advice.advice_id,
            actor=actor_for(person),
            today=today,
        )
        portal_audit(
            person,
            "create",
            advice,
            f"Reported a missed appointment on {format_date(missed_on)}",
            case=advice.case,
            payload={"advice_id": advice.advice_id, "missed_on": missed_on.isoformat()},
        )


def submit_advice(
    assignment: AdviceAssignment,
    person: ExternalPerson,
    *,
    upload: Any,
    title: str,
    today: dt.date | None = None,
) -> CaseDocument:
    """Upload the advice: the file is kept on the advice request, and the advice is recorded as
    received today (the same casework step an officer takes), in one transaction."""
    _check_upload_rate(person)
    advice = assignment.advice_request
    today = today or timezone.localdate()
    actor = actor_for(person)
    with transaction.atomic():
        record_advice_received(
            advice.case, advice_id=advice.advice_id, received_on=today, actor=actor, today=today
        )
        doc = upload_document(
            advice.case,
            upload=upload,
            kind=CaseDocument.Kind.ADVICE,
            title=title or f"{advice.get_kind_display()} advice",
            actor=actor,
            advice_request=advice,
        )
        portal_audit(
            person,
            "create",
            doc,
            f"Uploaded the {advice.get_kind_display().lower()} advice ‘{doc.title}’",
            case=advice.case,
            payload={"advice_id": advice.advice_id, "received_on": today.isoformat()},
        )
    return doc


# --- Schools and colleges: consultations and reviews -----------------------------------------


@transaction.atomic
def consult_setting(
    case: Case,
    organisation: Organisation,
    *,
    consulted_on: dt.date,
    actor: Actor,
    today: dt.date | None = None,
    notify: bool | SentEarlier | None = None,
) -> Consultation:
    """The council consults a school or college on being named (the casework step, with its
    letter to the setting's people as `notify` says: kernel.letter_delivery), and its people are
    told in the portal."""
    if organisation.kind != Organisation.Kind.SETTING:
        raise PortalError("Choose a school, college or early years setting.")
    consultation_id = f"setting-{organisation.pk}-{consulted_on.isoformat()}"
    record_setting_consulted(
        case,
        consultation_id=consultation_id,
        setting_name=organisation.name,
        consulted_on=consulted_on,
        actor=actor,
        today=today,
        notify=notify,
        recipients=organisation_recipients(organisation),
    )
    consultation = Consultation.objects.create(
        case=case,
        organisation=organisation,
        consultation_id=consultation_id,
        consulted_on=consulted_on,
        sent_by=user_of(actor),
    )
    due = due_date(case, "setting_consultation", consultation_id)
    for member in organisation.memberships.filter(ended_at__isnull=True).select_related("person"):
        if member.person.email:
            _email(
                member.person.email,
                "portal_work",
                {
                    "name": member.person.name,
                    "what_happened": f"{settings.SENDCASE_COUNCIL_NAME} is consulting "
                    f"{organisation} on being named in the EHC plan of {case.child.full_name} "
                    f"(case {case.reference}).",
                    "what_to_do": "Sign in, read the consultation and say whether you can meet "
                    "the child's needs, with your reasons.",
                    "by_when": f"Answer by {format_date(due)}." if due else "",
                    "portal_link": _link(f"school/consultations/{consultation.pk}/"),
                },
                f"{case.reference}-consultation-{consultation.pk}-{member.pk}",
            )
    return consultation


def answer_consultation(
    consultation: Consultation,
    person: ExternalPerson,
    *,
    can_meet_needs: bool,
    reasons: str,
    today: dt.date | None = None,
) -> Consultation:
    """The setting answers: can or cannot meet the needs, with reasons (the casework step)."""
    today = today or timezone.localdate()
    if not reasons.strip():
        raise ActionError("Enter your reasons", field="reasons")
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.answered_on is not None:
            raise ActionError(
                f"This consultation was answered on {format_date(consultation.answered_on)}"
            )
        record_setting_response(
            consultation.case,
            consultation_id=consultation.consultation_id,
            responded_on=today,
            can_meet_needs=can_meet_needs,
            actor=actor_for(person),
            today=today,
        )
        consultation.answered_on = today
        consultation.can_meet_needs = can_meet_needs
        consultation.reasons = reasons.strip()
        consultation.answered_by = person
        consultation.save(update_fields=["answered_on", "can_meet_needs", "reasons", "answered_by"])
        portal_audit(
            person,
            "update",
            consultation,
            "Answered the consultation: "
            + ("can meet the needs" if can_meet_needs else "cannot meet the needs"),
            case=consultation.case,
            payload={"can_meet_needs": can_meet_needs},
        )
    return consultation


def record_meeting_held(
    case: Case, person: ExternalPerson, *, meeting_on: dt.date, today: dt.date | None = None
) -> AnnualReview:
    """The SENCO records that the annual review meeting was held and on what date: casework's
    own step (`record_review_meeting`, with its checks: not in the future, not before the plan
    was issued nor before the previous meeting, and none waiting for its decision), with the
    person as the actor, so the clock stores the `review_report` deadline 2 weeks after it."""
    today = today or timezone.localdate()
    with transaction.atomic():
        review = record_review_meeting(
            case, meeting_on=meeting_on, actor=actor_for(person), today=today
        )
        portal_audit(
            person,
            "update",
            review,
            f"Recorded the annual review meeting held on {format_date(meeting_on)}",
            case=case,
            payload={"meeting_on": meeting_on.isoformat()},
        )
    return review


def submit_review_report(
    case: Case,
    person: ExternalPerson,
    *,
    upload: Any,
    title: str,
    today: dt.date | None = None,
) -> CaseDocument:
    """Upload the report of the review meeting: kept on the case, and recorded as sent today
    (the `review_report` step), in one transaction."""
    _check_upload_rate(person)
    today = today or timezone.localdate()
    actor = actor_for(person)
    with transaction.atomic():
        record_review_report(case, sent_on=today, actor=actor, today=today)
        doc = upload_document(
            case,
            upload=upload,
            kind=CaseDocument.Kind.REPORT,
            title=title or "Annual review report",
            actor=actor,
        )
        portal_audit(
            person,
            "create",
            doc,
            f"Uploaded the annual review report ‘{doc.title}’",
            case=case,
            payload={"sent_on": today.isoformat()},
        )
    return doc
