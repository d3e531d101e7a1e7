"""Every change the portal makes: each one a named action, in a transaction, audited.

Who acted is always in the audit entry: a member of staff as the entry's actor, or a person
outside the council named in its summary and by id in its payload (`external_person`), since
the audit log's actor column holds only staff.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from sendcase.accounts.actions import CODE_ALPHABET, grouped
from sendcase.casework.models import Case, FamilyContact
from sendcase.core import notify
from sendcase.core.actors import Actor, SystemActor, user_of
from sendcase.core.audit import audit
from sendcase.core.models import AuditEntry
from sendcase.portal.models import (
    CaseLink,
    ExternalPerson,
    LinkCode,
    LinkRequest,
    Membership,
    Organisation,
    Relationship,
)
from sendcase.statutory.dates import format_date

LINK_CODE_LENGTH = 10  # 50 bits, and at most SENDCASE_PORTAL_CODE_ATTEMPTS guesses an hour
WRONG_CODE = "Wrong linking code"
SIGN_IN_ACTOR = SystemActor("portal sign-in")


class PortalError(Exception):
    """A step the portal refuses, with the words to show the person."""


def actor_for(person: ExternalPerson) -> SystemActor:
    return SystemActor(f"{person} (portal)")


def portal_audit(
    person: ExternalPerson,
    action: str,
    obj: Any,
    summary: str,
    *,
    case: Case | None = None,
    payload: dict[str, Any] | None = None,
) -> AuditEntry:
    """An audit entry for something a person outside the council did or saw."""
    return audit(
        actor_for(person),
        action,
        obj,
        f"{person} (portal): {summary}",
        case=case,
        payload={**(payload or {}), "external_person": person.pk},
    )


# --- Signing in -------------------------------------------------------------------------------


@transaction.atomic
def sign_in_external(claims: dict[str, Any]) -> ExternalPerson:
    """The person these checked ID-token claims belong to (made the first time), by the
    provider's issuer and `sub`: One Login's `sub` is stable, its email address may change."""
    person, created = ExternalPerson.objects.get_or_create(
        issuer=str(claims["iss"]), subject=str(claims["sub"])
    )
    person.email = str(claims.get("email") or person.email)[:254]
    person.name = str(claims.get("name") or person.name or person.email)[:200]
    person.phone = str(claims.get("phone_number") or person.phone)[:30]
    person.last_sign_in = timezone.now()
    person.save()
    portal_audit(
        person,
        "sign_in",
        person,
        "Signed in" + (" for the first time" if created else ""),
        payload={"issuer": person.issuer, "vot": claims.get("vot"), "amr": claims.get("amr")},
    )
    return person


def record_refused_sign_in(error: str, description: str | None, ip_address: str) -> None:
    audit(
        SIGN_IN_ACTOR,
        "sign_in_failed",
        None,
        f"Portal sign-in refused: the provider answered {error}",
        payload={"error": error, "description": description, "ip_address": ip_address},
    )


def sign_in_failures_from(ip_address: str) -> int:
    """Refused portal sign-ins from this address in the last hour (the rate limit)."""
    return AuditEntry.objects.filter(
        at__gte=timezone.now() - dt.timedelta(hours=1),
        action="sign_in_failed",
        summary__startswith="Portal sign-in refused",
        payload__ip_address=ip_address,
    ).count()


# --- Linking a family contact by a code -------------------------------------------------------


def _hash(code: str) -> str:
    normal = "".join(code.split()).replace("-", "").upper()
    return salted_hmac("sendcase.portal.link-code", normal, algorithm="sha256").hexdigest()


def _new_code(**fields: Any) -> tuple[str, LinkCode]:
    """A new one-time code (returned once, stored only as a keyed hash) and its row."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(LINK_CODE_LENGTH))
    expires = timezone.now() + dt.timedelta(days=settings.SENDCASE_PORTAL_CODE_DAYS)
    return code, LinkCode.objects.create(code_hash=_hash(code), expires_at=expires, **fields)


def _code_fields(code: str, expires: dt.datetime) -> dict[str, str]:
    return {
        "code": grouped(code, 5),
        "valid_until": format_date(timezone.localdate(expires)),
        "portal_link": settings.SENDCASE_PORTAL_URL,
    }


@transaction.atomic
def issue_link_code(case: Case, contact: FamilyContact, *, relationship: str, actor: Actor) -> str:
    """Send `contact` a one-time code that links whoever enters it, signed in, to `case`.

    By email if they have an address, otherwise by text message; a contact with neither cannot
    be sent one. Returns the code (shown to no one: the officer sees only that it was sent)."""
    if contact.child_id != case.child_id:
        raise PortalError("This contact is not one of the child's contacts.")
    if relationship not in (Relationship.PARENT_CARER, Relationship.YOUNG_PERSON):
        raise PortalError("Choose whether they are a parent or carer, or the young person.")
    if not (contact.email or contact.phone):
        raise PortalError(
            f"{contact.name} has no email address or mobile number. Add one to send a code."
        )
    code, link_code = _new_code(
        case=case,
        contact=contact,
        relationship=relationship,
        sent_to=contact.email or contact.phone,
        issued_by=user_of(actor),
    )
    expires = link_code.expires_at
    audit(
        actor,
        "create",
        link_code,
        f"Sent a portal linking code to {contact.name} ({link_code.get_relationship_display()})",
        case=case,
        payload={"sent_to": link_code.sent_to, "expires_at": expires.isoformat()},
    )
    fields = {
        "name": contact.name,
        "child_name": case.child.full_name,
        **_code_fields(code, expires),
    }
    template = notify.TEMPLATES["portal_link_code"]
    reference = f"{case.reference}-portal-link-{link_code.pk}"

    def send() -> None:
        api = notify.client()
        if contact.email:
            api.send_email_notification(
                contact.email, template, personalisation=fields, reference=reference
            )
        else:
            api.send_sms_notification(
                contact.phone, template, personalisation=fields, reference=reference
            )

    transaction.on_commit(send)
    return code


def wrong_codes_in_last_hour(person: ExternalPerson) -> int:
    since = timezone.now() - dt.timedelta(hours=1)
    return AuditEntry.objects.filter(
        at__gte=since,
        action="sign_in_failed",
        object_type="portal.externalperson",
        object_id=str(person.pk),
        summary__endswith=WRONG_CODE,
    ).count()


def redeem_link_code(person: ExternalPerson, code: str) -> CaseLink | Membership:
    """Link `person` to the case the code was sent about, and use the code up. Refuses a wrong,
    used or expired code (and records it, in its own transaction, so that it counts), and
    refuses to try at all after too many wrong ones this hour."""
    if wrong_codes_in_last_hour(person) >= settings.SENDCASE_PORTAL_CODE_ATTEMPTS:
        raise PortalError("You have entered too many wrong codes. Try again in an hour.")
    with transaction.atomic():
        link_code = (
            LinkCode.objects.select_for_update(of=("self",))
            .select_related("case", "organisation")
            .filter(code_hash=_hash(code), used_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if link_code is not None:
            return _link_by_code(person, link_code)
    _record_wrong_code(person)
    raise PortalError(
        "The code is wrong, has been used or has expired. Check it, or ask your case "
        "officer for a new one."
    )


def _link_by_code(person: ExternalPerson, link_code: LinkCode) -> CaseLink | Membership:
    link_code.used_at = timezone.now()
    link_code.used_by = person
    link_code.save(update_fields=["used_at", "used_by"])
    if link_code.organisation is not None:
        membership, _ = Membership.objects.get_or_create(
            organisation=link_code.organisation,
            person=person,
            ended_at=None,
            defaults={"role": link_code.membership_role},
        )
        portal_audit(
            person,
            "create",
            membership,
            f"Entered a code and joined {link_code.organisation} as "
            f"{membership.get_role_display()}",
            payload={"link_code": link_code.pk},
        )
        return membership
    assert link_code.case is not None  # noqa: S101 - the table's check constraint
    link, _ = CaseLink.objects.get_or_create(
        case=link_code.case,
        person=person,
        ended_at=None,
        defaults={"relationship": link_code.relationship, "via": CaseLink.Via.CODE},
    )
    portal_audit(
        person,
        "create",
        link,
        f"Entered a linking code and was linked to case {link_code.case.reference}",
        case=link_code.case,
        payload={"link_code": link_code.pk, "relationship": link.relationship},
    )
    return link


def _record_wrong_code(person: ExternalPerson) -> None:
    portal_audit(person, "sign_in_failed", person, WRONG_CODE)


# --- Linking by a request the council approves ------------------------------------------------


@transaction.atomic
def request_link(
    person: ExternalPerson,
    *,
    relationship: str,
    child_name: str,
    child_date_of_birth: dt.date,
    message: str = "",
) -> LinkRequest:
    request = LinkRequest.objects.create(
        person=person,
        relationship=relationship,
        child_name=child_name,
        child_date_of_birth=child_date_of_birth,
        message=message,
    )
    portal_audit(person, "create", request, f"Asked to be linked to {child_name}")
    return request


@transaction.atomic
def decide_link_request(
    request: LinkRequest, *, case: Case | None, actor: Actor
) -> CaseLink | None:
    """The officer approves the request, linking the person to `case`, or refuses it (no case)."""
    request = LinkRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != LinkRequest.Status.WAITING:
        raise PortalError("This request has already been decided.")
    request.decided_by = user_of(actor)
    request.decided_at = timezone.now()
    request.case = case
    request.status = LinkRequest.Status.APPROVED if case else LinkRequest.Status.REFUSED
    request.save()
    link = None
    if case is not None:
        link, _ = CaseLink.objects.get_or_create(
            case=case,
            person=request.person,
            ended_at=None,
            defaults={
                "relationship": request.relationship,
                "via": CaseLink.Via.REQUEST,
                "linked_by": user_of(actor),
            },
        )
    audit(
        actor,
        "update",
        request,
        f"{request.get_status_display()} the portal request from {request.person} "
        f"about {request.child_name}",
        case=case,
        payload={"external_person": request.person.pk, "status": request.status},
    )
    return link


# --- Organisations: schools and colleges, professional services -------------------------------


@transaction.atomic
def add_member(
    organisation: Organisation,
    person: ExternalPerson,
    *,
    role: str,
    by: Membership | None = None,
    actor: Actor | None = None,
    job_title: str = "",
) -> Membership:
    """Add a named person to an organisation: by its own administrator or manager (`by`), or by
    the council (`actor`, a member of staff), who adds the first one."""
    if by is not None:
        if by.organisation_id != organisation.pk or by.ended_at or not by.manages:
            raise PortalError("Only the organisation's administrator or manager can add people.")
    elif actor is None or user_of(actor) is None:
        raise PortalError("The council or the organisation's administrator adds people.")
    membership, _ = Membership.objects.get_or_create(
        organisation=organisation,
        person=person,
        ended_at=None,
        defaults={"role": role, "job_title": job_title},
    )
    summary = f"Added {person} to {organisation} as {membership.get_role_display()}"
    if by is not None:
        portal_audit(by.person, "create", membership, summary)
    elif actor is not None:
        audit(actor, "create", membership, summary, payload={"external_person": person.pk})
    return membership


@transaction.atomic
def invite_colleague(by: Membership, *, name: str, email: str, role: str) -> str:
    """An organisation's administrator or manager sends a colleague a code (by email) that makes
    them a member when they enter it after signing in. Returns the code."""
    if by.ended_at or not by.manages:
        raise PortalError("Only the organisation's administrator or manager can add people.")
    if role not in Membership.Role.values:
        raise PortalError("Choose their role.")
    organisation = by.organisation
    code, link_code = _new_code(
        organisation=organisation, membership_role=role, invited_by=by, sent_to=email
    )
    portal_audit(
        by.person,
        "create",
        link_code,
        f"Invited {name} ({email}) to join {organisation} as {Membership.Role(role).label}",
    )
    fields = {"name": name, "organisation": organisation.name}
    fields.update(_code_fields(code, link_code.expires_at))
    template = notify.TEMPLATES["portal_colleague_code"]
    reference = f"portal-organisation-{organisation.pk}-{link_code.pk}"
    transaction.on_commit(
        lambda: notify.client().send_email_notification(
            email, template, personalisation=fields, reference=reference
        )
    )
    return code


@transaction.atomic
def end_membership(membership: Membership, *, by: Membership) -> None:
    if by.organisation_id != membership.organisation_id or by.ended_at or not by.manages:
        raise PortalError("Only the organisation's administrator or manager can remove people.")
    membership.ended_at = timezone.now()
    membership.save(update_fields=["ended_at"])
    # Their access to the organisation's cases ends with it.
    CaseLink.objects.filter(
        person=membership.person, organisation=membership.organisation, ended_at__isnull=True
    ).update(ended_at=membership.ended_at)
    portal_audit(
        by.person,
        "update",
        membership,
        f"Removed {membership.person} from {membership.organisation}",
    )


@transaction.atomic
def link_member_to_case(
    membership: Membership, case: Case, *, relationship: str, actor: Actor
) -> CaseLink:
    """The council gives a school's or a service's named person a case to work on."""
    if membership.ended_at:
        raise PortalError("This person no longer belongs to the organisation.")
    link, _ = CaseLink.objects.get_or_create(
        case=case,
        person=membership.person,
        ended_at=None,
        defaults={
            "relationship": relationship,
            "organisation": membership.organisation,
            "via": CaseLink.Via.COUNCIL,
            "linked_by": user_of(actor),
        },
    )
    audit(
        actor,
        "create",
        link,
        f"Linked {membership.person} ({membership.organisation}) to the case in the portal",
        case=case,
        payload={"external_person": membership.person.pk},
    )
    return link
