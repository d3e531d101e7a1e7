"""Registering a child with the service (with a new request, or with a plan transferred in), and
correcting a child's details.

Each runs in one transaction through the kernel (`kernel.action`), so a refused request leaves
nothing behind. Side effects:

* `register_child_with_request`: the Child (unless `known_child` is given) and their family
  contact, each audited; then `assessment.open_case_from_request` (the case, its request, its
  event, audit and deadlines, and the family's acknowledgement as `notify` says); an audit
  entry linking the child to the case.
* `register_child_with_transfer_in`: the same, opening the case with
  `transfers.record_transfer_in`.
* `update_child_details`: the Child's changed fields (refused if someone changed them since the
  form was opened, or if the UPN or ULN is another child's); one audit entry with what changed.
  No event, no deadlines (the clock does not read these details), no message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sendcase.accounts.models import User
from sendcase.casework.domain import kernel
from sendcase.casework.domain.assessment import open_case_from_request
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.transfers import record_transfer_in
from sendcase.casework.models import Case, Child, FamilyContact, YesNo
from sendcase.core import identity
from sendcase.core.actors import Actor
from sendcase.core.audit import audit
from sendcase.core.codes import Ethnicity, Language, UPNUnknown
from sendcase.statutory.dates import format_date

# Of a child the person may not see: no name, no details, no link (accounts/roles.py).
KNOWN_ELSEWHERE = (
    "The council already knows a child with these details. Ask your team manager to record "
    "this for the child."
)


def _may(actor: Actor, perm: str, child: Child) -> bool:
    """A member of staff by the role rules; a command run on the server (a SystemActor) may."""
    return actor.has_perm(perm, child) if isinstance(actor, User) else True


def checked(fields: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """`fields` with identifiers and contact details checked as every form checks them
    (sendcase.core.identity); a refusal names its field (with `prefix`, as the form has it)."""
    try:
        return identity.clean_fields(fields)
    except identity.IdentityError as exc:
        raise ActionError(str(exc), field=f"{prefix}{exc.field}") from None


def _check_contact(contact_fields: dict[str, Any] | None) -> dict[str, Any] | None:
    """A contact's details at registration: never dropped for want of a name."""
    if not contact_fields or not any(contact_fields.values()):
        return None
    if not (contact_fields.get("name") or "").strip():
        raise ActionError(
            "Enter the parent or carer's name, or remove their email and phone number",
            field="contact_name",
        )
    return checked(contact_fields, prefix="contact_")


def _register(
    child_fields: dict[str, Any],
    contact_fields: dict[str, Any] | None,
    actor: Actor,
    today: dt.date,
    event: tuple[dt.date, str],
    known_child: Child | None = None,
    not_duplicate_of: list[int] | None = None,
) -> Child:
    contact_fields = _check_contact(contact_fields)
    if known_child is not None:  # the child is already known: their record is used as it is
        if not _may(actor, "casework.attach_child", known_child):
            raise ActionError(KNOWN_ELSEWHERE, field="known")
        if contact_fields:
            contact = FamilyContact.objects.create(child=known_child, **contact_fields)
            audit(actor, "create", contact, f"Family contact added: {contact}")
        return known_child
    child_fields = checked(child_fields)
    dob = child_fields.get("date_of_birth")
    if dob is not None and dob > today:
        raise ActionError("Date of birth must be today or in the past", field="date_of_birth")
    if dob is not None and (problem := identity.age_problem(dob, *event)):
        raise ActionError(problem, field="date_of_birth")
    child = Child.objects.create(**child_fields)
    audit(
        actor,
        "create",
        child,
        f"Child registered: {child}",
        payload={"not_duplicate_of": not_duplicate_of} if not_duplicate_of else None,
    )
    if contact_fields:
        contact = FamilyContact.objects.create(child=child, **contact_fields)
        audit(actor, "create", contact, f"Family contact added: {contact}")
    return child


@kernel.action
def register_child_with_request(
    *,
    child_fields: dict[str, Any],
    contact_fields: dict[str, Any] | None,
    received_on: dt.date,
    source: int,
    actor: Actor,
    requester_name: str = "",
    young_person_request: bool = False,
    officer: User | None = None,
    today: dt.date | None = None,
    known_child: Child | None = None,
    not_duplicate_of: list[int] | None = None,
    notify: kernel.Notify = None,
) -> Case:
    """A request for an EHC needs assessment: for a child new to the service, or (`known_child`)
    for one already known, whose record is used as it is. `not_duplicate_of`: children the
    officer said this is not (recorded in the audit). `notify`: the family's acknowledgement
    (kernel.letter_delivery)."""
    today = kernel.local_today(today)
    child = _register(
        child_fields,
        contact_fields,
        actor,
        today,
        (received_on, "the date the request was received"),
        known_child,
        not_duplicate_of,
    )
    case = open_case_from_request(
        child,
        received_on=received_on,
        source=source,
        actor=actor,
        requester_name=requester_name,
        young_person_request=young_person_request,
        officer=officer,
        team=getattr(officer, "team", None),
        today=today,
        notify=notify,
    )
    audit(actor, "update", child, "Child linked to a new case", case=case)
    return case


@kernel.action
def register_child_with_transfer_in(
    *,
    child_fields: dict[str, Any],
    contact_fields: dict[str, Any] | None,
    transferred_on: dt.date,
    last_review: dt.date,
    from_la_code: str,
    from_la_name: str,
    actor: Actor,
    officer: User | None = None,
    today: dt.date | None = None,
    known_child: Child | None = None,
    not_duplicate_of: list[int] | None = None,
) -> Case:
    """A plan transferred in from another council (Reg 15), for a child new to the service or
    (`known_child`) one already known."""
    today = kernel.local_today(today)
    child = _register(
        child_fields,
        contact_fields,
        actor,
        today,
        (transferred_on, "the date the plan was transferred"),
        known_child,
        not_duplicate_of,
    )
    case = record_transfer_in(
        child,
        transferred_on=transferred_on,
        last_review=last_review,
        from_la_code=from_la_code,
        from_la_name=from_la_name,
        actor=actor,
        officer=officer,
        team=getattr(officer, "team", None),
        today=today,
    )
    audit(actor, "update", child, "Child linked to a transferred-in case", case=case)
    return case


CHILD_DETAILS = (
    "forename",
    "surname",
    "date_of_birth",
    "sex",
    "gender",
    "ethnicity",
    "first_language",
    "interpreter_needed",
    "address",
    "postcode",
    "upn",
    "upn_unknown",
    "uln",
    "nhs_number",
    "disability",
    "known_to_social_care",
    "social_care_team",
)
# Coded details: a value outside its list is refused by the action, whoever calls it.
CODED = {
    "sex": Child.Sex.values,
    "ethnicity": Ethnicity.values,
    "first_language": Language.values,
    "upn_unknown": UPNUnknown.values,
    "disability": YesNo.values,
    "known_to_social_care": YesNo.values,
}


LABEL = {"upn": "UPN", "uln": "ULN", "nhs_number": "NHS number"}


def details_stamp(child: Child) -> str:
    """What the person saw when they opened the form, to tell whether someone changed it since."""
    return "|".join(str(getattr(child, f)) for f in CHILD_DETAILS)


@kernel.action
def update_child_details(
    child: Child,
    *,
    actor: Actor,
    case: Case,
    seen: str,
    today: dt.date | None = None,
    **fields: Any,
) -> list[str]:
    """Correct or complete a child's details (CHILD_DETAILS: identity, ethnicity, language,
    address, identifiers, disability, social care), audited with what changed. Refused if
    someone changed them since the form was opened (`seen`), if an identifier or postcode fails
    its check, a code is not in its list, the child would be over 25 when the case began, or the
    UPN, ULN or NHS number belongs to another child. Returns the names of the fields changed."""
    today = kernel.local_today(today)
    fields = checked(fields)
    for name, allowed in CODED.items():
        if fields.get(name) and fields[name] not in allowed:
            label = name.replace("_", " ")
            raise ActionError(f"The {label} must be one of the codes listed", field=name)
    if fields.get("upn") and fields.get("upn_unknown"):
        raise ActionError(
            "Remove the reason the UPN is not known: a UPN is recorded", field="upn_unknown"
        )
    current = Child.objects.select_for_update().get(pk=child.pk)
    if details_stamp(current) != seen:
        raise ActionError(
            "Someone else changed these details while you were working on them. Check them "
            "below, then save again: what you entered is still in the form."
        )
    if fields["date_of_birth"] > today:
        raise ActionError("Date of birth must be today or in the past", field="date_of_birth")
    began = f"the date this case began, {format_date(case.opened_on)}"
    if problem := identity.age_problem(fields["date_of_birth"], case.opened_on, began):
        raise ActionError(problem, field="date_of_birth")
    for key in ("upn", "uln", "nhs_number"):
        value = fields.get(key) or ""
        other = Child.objects.filter(**{key: value}).exclude(pk=child.pk).first() if value else None
        if other is not None and _may(actor, "casework.view_child", other):
            raise ActionError(
                f"{LABEL[key]} {value} is already recorded for another child ({other}, born "
                f"{format_date(other.date_of_birth)}): check it",
                field=key,
            )
        if other is not None:  # a child this person may not see: say only that it is known
            raise ActionError(
                f"{LABEL[key]} {value} is already recorded for another child the council "
                "knows: check it, or ask your team manager",
                field=key,
            )
    return save_changes(current, fields, CHILD_DETAILS, actor, case, "Child's details corrected")


def save_changes(
    current: Any,
    fields: dict[str, Any],
    names: tuple[str, ...],
    actor: Actor,
    case: Case,
    what: str,
) -> list[str]:
    """Write the fields (of `names`) that differ from `current`'s, with one audit entry saying
    what changed, from what, to what. Returns the names of the fields changed."""
    changed = {
        f: (str(getattr(current, f)), str(fields[f]))
        for f in names
        if f in fields and getattr(current, f) != fields[f]
    }
    if not changed:
        return []
    for f in changed:
        setattr(current, f, fields[f])
    current.save(update_fields=list(changed))
    audit(
        actor,
        "update",
        current,
        f"{what}: {', '.join(f.replace('_', ' ') for f in changed)}",
        case=case,
        payload={"changed": {f: {"from": a, "to": b} for f, (a, b) in changed.items()}},
    )
    return list(changed)
