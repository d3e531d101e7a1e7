"""Erasing a child's record, and the legal holds that stop it: the only ways retention changes data.

`erase_child` anonymises, it does not delete. Personal data goes: names, the day of the date
of birth (the month and year stay, so ages at any month end - every period end the reports
use - are unchanged), address, postcode, UPN, ULN, the family's contacts and free text that
may name people (plan text, needs' and outcomes' descriptions, provision details, contact
notes, exception reasons, requesters, messages sent, letters' copies and recipients, uploaded
files). Statistical facts stay: cases, events,
deadlines, decisions, needs' codes, placements and settings, costs, sex and ethnicity, so
the reports and the SEN2 counts do not change. Audit rows are pseudonymised in place (the
child's names and numbers replaced by a stable pseudonym), never deleted: the audit log's
database triggers allow exactly that inside `pseudonymising()` (core/audit_lock.py).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from sendcase.accounts.roles import may_erase
from sendcase.casework.domain.children import CHILD_DETAILS
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import (
    AssessmentRequest,
    Case,
    CaseTask,
    Child,
    ContactLogEntry,
    FamilyContact,
    InformationRequest,
    TimeLimitException,
)
from sendcase.core.actors import Actor, user_of
from sendcase.core.audit import audit
from sendcase.core.audit_lock import pseudonymising
from sendcase.core.models import AuditEntry, NotifyMessage
from sendcase.documents.actions import erase_for_cases as erase_documents
from sendcase.plans.models import Need, Outcome, PlanVersion, Provision
from sendcase.retention.models import Erasure, LegalHold
from sendcase.retention.policy import Policy, retention_of
from sendcase.statutory.dates import format_date

REMOVED = "[removed]"
ERASED_FORENAME = "Erased"
MIN_NAME = 2  # a one-letter "name" part is not worth replacing wherever it appears


# --- Legal holds ---------------------------------------------------------------------------


def _locked_child(child: Child) -> Child:
    locked = Child.objects.select_for_update().get(pk=child.pk)
    if Erasure.objects.filter(child=locked).exists():
        raise ActionError("This record has already been erased")
    return locked


@transaction.atomic
def set_legal_hold(child: Child, *, reason: str, actor: Actor) -> LegalHold:
    """Place a legal hold on a child's record: it cannot be erased until the hold is lifted."""
    reason = reason.strip()
    if not reason:
        raise ActionError("Enter why the record must be kept", field="reason")
    locked = _locked_child(child)
    if LegalHold.objects.filter(child=locked).exists():
        raise ActionError("This record is already under a legal hold")
    hold = LegalHold.objects.create(child=locked, reason=reason, set_by=user_of(actor))
    audit(actor, "create", locked, "Legal hold placed on the record", payload={"reason": reason})
    return hold


@transaction.atomic
def clear_legal_hold(child: Child, *, reason: str, actor: Actor) -> None:
    """Lift the legal hold on a child's record, saying why."""
    reason = reason.strip()
    if not reason:
        raise ActionError("Enter why the hold can be lifted", field="reason")
    locked = _locked_child(child)
    hold = LegalHold.objects.filter(child=locked).first()
    if hold is None:
        raise ActionError("This record is not under a legal hold")
    payload = {"reason": reason, "hold_reason": hold.reason, "held_since": hold.set_at.isoformat()}
    hold.delete()
    audit(actor, "delete", locked, "Legal hold lifted from the record", payload=payload)


# --- Replacing names and numbers in text ----------------------------------------------------


class Redactor:
    """Replaces each of a set of strings (whole words, any case) in text and in JSON values."""

    def __init__(self, replacements: Iterable[tuple[str, str]]) -> None:
        self.lookup: dict[str, str] = {}
        for found, replacement in replacements:
            key = " ".join(found.split()).lower()
            if len(key) >= MIN_NAME and key not in self.lookup:
                self.lookup[key] = replacement
        keys = sorted(self.lookup, key=len, reverse=True)  # "Sam Example" before "Sam"
        # Whole words only, and any run of spaces where the string has one.
        words = [r"\s+".join(re.escape(part) for part in k.split(" ")) for k in keys]
        self.pattern = (
            re.compile("|".join(rf"(?<!\w){w}(?!\w)" for w in words), re.IGNORECASE)
            if keys
            else None
        )

    def text(self, value: str) -> str:
        if self.pattern is None:
            return value
        return self.pattern.sub(
            lambda m: self.lookup.get(" ".join(m.group(0).split()).lower(), REMOVED), value
        )

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        return value


def _date_forms(d: dt.date) -> list[str]:
    return [d.isoformat(), format_date(d), f"{d:%d %B %Y}", f"{d:%d/%m/%Y}"]


def _earlier_values(entries: Iterable[AuditEntry]) -> dict[str, set[str]]:
    """Names and numbers the child had before a correction, from the audit of the corrections."""
    earlier: dict[str, set[str]] = {f: set() for f in CHILD_DETAILS}
    for entry in entries:
        changed = entry.payload.get("changed") if isinstance(entry.payload, dict) else None
        if not isinstance(changed, dict):
            continue
        for field, change in changed.items():
            if field in earlier and isinstance(change, dict):
                earlier[field].update(str(v) for v in change.values() if v)
    return earlier


def _redactor(
    child: Child, contacts: list[FamilyContact], requesters: list[str], pseudonym: str, earlier: Any
) -> tuple[Redactor, list[str]]:
    """The replacements for this child, and the strong identifiers to search the whole log for."""
    forenames = {child.forename, child.preferred_name, *earlier["forename"]} - {""}
    surnames = {child.surname, *earlier["surname"]} - {""}
    full_names = {f"{f} {s}" for f in forenames for s in surnames}
    numbers = {child.upn, child.uln, *earlier["upn"], *earlier["uln"]} - {""}
    pairs: list[tuple[str, str]] = [(n, pseudonym) for n in (*full_names, *forenames, *surnames)]
    pairs += [(n, REMOVED) for n in numbers]
    for postcode in {child.postcode, *earlier["postcode"]} - {""}:
        pairs += [(postcode, REMOVED), (postcode.replace(" ", ""), REMOVED)]
    births = {child.date_of_birth} | {
        dt.date.fromisoformat(v) for v in earlier["date_of_birth"] if _is_iso_date(v)
    }
    pairs += [(form, REMOVED) for born in births for form in _date_forms(born)]
    pairs += [(line.strip(), REMOVED) for line in child.address.splitlines() if line.strip()]
    for contact in contacts:
        pairs += [(v, REMOVED) for v in (contact.name, contact.email, contact.phone) if v]
        pairs += [(ln.strip(), REMOVED) for ln in contact.address.splitlines() if ln.strip()]
    pairs += [(r, REMOVED) for r in requesters if r]
    return Redactor(pairs), sorted(full_names | numbers)


def _is_iso_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _mentions(strings: list[str]) -> Q:
    """Audit rows whose summary or payload mentions any of these (the payload as stored JSON)."""
    q = Q()
    for s in strings:
        escaped = json.dumps(s)[1:-1]  # how a JSON text stores it (non-ASCII as \\u escapes)
        q |= Q(summary__icontains=s) | Q(payload_text__icontains=s)
        if escaped != s:
            q |= Q(payload_text__icontains=escaped)
    return q


def pseudonymise_audit(
    child: Child, case_ids: list[int], contact_ids: list[int], redactor_for: Any
) -> int:
    """Replace the child's names and numbers in every audit row about them; return how many rows.

    Rows about the child: those on their cases, on the child or their contacts, and any other
    row that mentions their full name, UPN or ULN (e.g. a search or an export that named them).
    Only `summary`, `payload` and `pseudonymised_at` change (the audit triggers allow no more).
    """
    linked = AuditEntry.objects.filter(pseudonymised_at=None).filter(
        Q(case_id__in=case_ids)
        | Q(object_type="casework.child", object_id=str(child.pk))
        | Q(object_type="casework.case", object_id__in=[str(i) for i in case_ids])
        | Q(object_type="casework.familycontact", object_id__in=[str(i) for i in contact_ids])
    )
    entries: dict[int, AuditEntry] = {e.pk: e for e in linked}
    redactor, strong = redactor_for(_earlier_values(entries.values()))
    if strong:
        mentioning = (
            AuditEntry.objects.filter(pseudonymised_at=None)
            .exclude(pk__in=list(entries))
            .annotate(payload_text=Cast("payload", TextField()))
            .filter(_mentions(strong))
        )
        entries.update((found.pk, found) for found in mentioning)
    now = timezone.now()
    for e in entries.values():
        e.summary = redactor.text(e.summary)[:255]
        e.payload = redactor.value(e.payload)
        e.pseudonymised_at = now
    with pseudonymising():
        AuditEntry.objects.bulk_update(
            list(entries.values()), ["summary", "payload", "pseudonymised_at"], batch_size=200
        )
    return len(entries)


# --- Erasure -------------------------------------------------------------------------------


def _new_pseudonym() -> str:
    while True:
        pseudonym = f"{ERASED_FORENAME} child {secrets.token_hex(4).upper()}"
        if not Erasure.objects.filter(pseudonym=pseudonym).exists():
            return pseudonym


@transaction.atomic
def erase_child(
    child: Child,
    *,
    actor: Actor,
    override_reason: str = "",
    today: dt.date | None = None,
    policy: Policy | None = None,
) -> Erasure:
    """Anonymise a child's record (see the module's docstring for what goes and what stays).

    Refused: for anyone but a data officer or the head of service; for a record already erased,
    under a legal hold, or with a case open or an appeal running; and before the policy's date
    unless `override_reason` says why it must go now (the right to erasure, UK GDPR Art 17).
    Side effects, in one transaction: the child's row and cases are locked; the personal data
    is removed; every audit row about the child is pseudonymised; an Erasure row is written;
    one audit entry records the erasure (pseudonym, due date, reason, what was removed).
    """
    today = today or timezone.localdate()
    if not may_erase(actor):
        raise ActionError("Only a data officer or the head of service can erase a record")
    locked = _locked_child(child)
    hold = LegalHold.objects.filter(child=locked).first()
    if hold is not None:
        raise ActionError(
            f"This record is under a legal hold ({hold.reason}). Lift the hold before erasing it."
        )
    cases = list(Case.objects.select_for_update().filter(child=locked).order_by("pk"))
    due_on = retention_of(locked, policy).due_on
    if due_on is None:
        raise ActionError(
            "A case for this child is open or has an appeal running. Close it before erasing "
            "the record."
        )
    early = due_on > today
    override_reason = override_reason.strip()
    if early and not override_reason:
        raise ActionError(
            f"This record is not due for erasure until {format_date(due_on)}. To erase it now "
            "under the right to erasure, enter why.",
            field="override_reason",
        )

    pseudonym = _new_pseudonym()
    case_ids = [c.pk for c in cases]
    contacts = list(FamilyContact.objects.filter(child=locked))
    requests = AssessmentRequest.objects.filter(case_id__in=case_ids)
    requesters = [r for r in requests.values_list("requester_name", flat=True) if r]

    def redactor_for(earlier: Any) -> tuple[Redactor, list[str]]:
        return _redactor(locked, contacts, requesters, pseudonym, earlier)

    audit_rows = pseudonymise_audit(locked, case_ids, [c.pk for c in contacts], redactor_for)
    redactor, _strong = redactor_for(_earlier_values([]))
    override_reason = redactor.text(override_reason)

    removed = {
        "family contacts": FamilyContact.objects.filter(child=locked).delete()[0],
        "requesters": requests.exclude(requester_name="").update(requester_name=""),
        "exception reasons": TimeLimitException.objects.filter(case_id__in=case_ids)
        .exclude(why="")
        .update(why=""),
        "contact log notes": ContactLogEntry.objects.filter(case_id__in=case_ids).update(
            party="", summary=""
        ),
        "tasks' text": CaseTask.objects.filter(case_id__in=case_ids).update(title=""),
        "plans being written": PlanVersion.objects.filter(working_copy_of_id__in=case_ids).delete()[
            0
        ],
        "plan versions' text": PlanVersion.objects.filter(plan__case_id__in=case_ids).update(
            sections={}, child_views="", parent_views=""
        ),
        "needs' descriptions": Need.objects.filter(version__plan__case_id__in=case_ids).update(
            description=""
        ),
        "outcomes' text": Outcome.objects.filter(version__plan__case_id__in=case_ids).update(
            text="", steps=""
        ),
        "provision details": Provision.objects.filter(version__plan__case_id__in=case_ids).update(
            description="", provider=""
        ),
        "messages sent": NotifyMessage.objects.filter(case_id__in=case_ids).update(
            recipient="", personalisation={}
        ),
        "information requests": InformationRequest.objects.filter(case_id__in=case_ids).update(
            requester="", subject=""
        ),
        "letters and uploaded documents": erase_documents(case_ids),
    }
    locked.forename = ERASED_FORENAME
    locked.surname = pseudonym.removeprefix(f"{ERASED_FORENAME} ")
    locked.preferred_name = ""
    locked.date_of_birth = locked.date_of_birth.replace(day=1)
    locked.address = locked.postcode = locked.upn = locked.uln = ""
    locked.save(
        update_fields=[
            "forename",
            "surname",
            "preferred_name",
            "date_of_birth",
            "address",
            "postcode",
            "upn",
            "uln",
        ]
    )
    erasure = Erasure.objects.create(
        child=locked,
        pseudonym=pseudonym,
        erased_by=user_of(actor),
        due_on=due_on,
        override_reason=override_reason if early else "",
    )
    audit(
        actor,
        AuditEntry.Action.DELETE,
        locked,
        f"Record erased: personal data removed, the child is now {pseudonym}",
        payload={
            "pseudonym": pseudonym,
            "due_on": due_on.isoformat(),
            "early": early,
            "override_reason": erasure.override_reason,
            "cases": case_ids,
            "removed": {k: v for k, v in removed.items() if v},
            "audit_rows_pseudonymised": audit_rows,
        },
    )
    return erasure
