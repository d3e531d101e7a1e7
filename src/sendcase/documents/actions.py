"""Every write of letters, correspondence and documents on a case.

* `issue_letter`: one of the EHC process's letters (letters.LETTERS) to each recipient, with the
  case's facts and the clock's dates merged in; a PDF copy (and the plan it encloses) kept on a
  Correspondence row per recipient; sent now through GOV.UK Notify after the transaction
  commits, or recorded as sent earlier on a date and how (`kernel.SentEarlier`). Called by the
  step actions after their deadlines are stored, and by `send_letter` from the case page.
* `send_letter`: the officer sends (or records) a letter from the case's correspondence page.
* `save_letter_wording`: a council's new version of a letter's wording (audited).
* `upload_document`, `document_downloaded`: files on a case, each upload and download audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sendcase.casework.domain.addresses import address_for_letter
from sendcase.casework.domain.deferred import deferring
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.kernel import SentEarlier
from sendcase.casework.models import Case, FamilyContact
from sendcase.core import notify as notify_client
from sendcase.core.actors import Actor, user_of
from sendcase.core.audit import audit
from sendcase.documents import letters as L
from sendcase.documents import render
from sendcase.documents.models import CaseDocument, Correspondence, LetterTemplate
from sendcase.documents.presenter import plan_document
from sendcase.documents.uploads import checked_upload
from sendcase.plans.models import PlanVersion
from sendcase.statutory.dates import format_date


@dataclass(frozen=True)
class Recipient:
    name: str
    channel: str  # Correspondence.Channel: email or letter (post)
    to: str | list[str]  # an email address, or the postal address lines (name first)


# Whom a letter goes to: each name, and where (None: no usable address).
Recipients = list[tuple[str, Recipient | None]]


def contact_address(contact: FamilyContact) -> Recipient | None:
    """Where a letter to this family contact goes: by email where that is their preference (or
    none is recorded yet) and there is an address, else by post to their postal address (None:
    no usable address). The one place a contact's address for a letter is read."""
    prefers = getattr(contact, "preferred_contact", "")
    if prefers in (FamilyContact.ContactMethod.EMAIL, "") and contact.email:
        return Recipient(contact.name, Correspondence.Channel.EMAIL, contact.email)
    # The contact's own address, to them: casework's one rule for addresses in letters (an
    # address withheld for safeguarding never reaches anyone else).
    lines = address_for_letter(contact, recipient=contact)
    if len(lines) < 2:  # Notify needs at least two address lines below the name
        return None
    return Recipient(contact.name, Correspondence.Channel.LETTER, [contact.name, *lines])


def current_wording(key: str) -> tuple[str, str, int]:
    """The letter's subject and body now in use, and its version (0: SENDcase's default)."""
    latest = LetterTemplate.objects.filter(key=key).order_by("-version").first()
    if latest is not None:
        return latest.subject, latest.body, latest.version
    spec = L.LETTERS[key]
    return spec.subject, spec.body, 0


def compose(
    case: Case,
    key: str,
    *,
    on: dt.date,
    recipient_name: str,
    actor: Actor,
    today: dt.date,
    extra: dict[str, str] | None = None,
    wording: tuple[str, str] | None = None,
    instance: str = "",
) -> tuple[str, str]:
    """The letter's subject and body for this case and recipient (also the admin's preview)."""
    spec = L.LETTERS[key]
    subject, body = wording or current_wording(key)[:2]
    user = user_of(actor)
    context = L.context_for(
        spec,
        case=case,
        deadlines=list(case.deadlines.all()),
        on=on,
        recipient_name=recipient_name,
        officer_name=user.get_full_name() if user is not None else "",
        letter_date=today,
        extra=extra,
        instance=instance,
    )
    return L.render(subject, body, context)


def _plain(body: str) -> str:
    return "\n\n".join(p[3:] if p.startswith("## ") else p for p in body.split("\n\n"))


def family_recipients(case: Case) -> list[tuple[str, Recipient | None]]:
    """Who the family's letters go to: each current contact with parental responsibility, and
    the young person where they are a contact in their own right (a young person aged 16 to 25
    takes the decisions themselves, so the letters are theirs too)."""
    own_right = Q(relationship__iexact=FamilyContact.YOUNG_PERSON)
    return [
        (c.name, contact_address(c))
        for c in case.child.contacts.filter(
            Q(parental_responsibility=True) | own_right, ended_on__isnull=True
        ).order_by("pk")
    ]


def email_recipient(name: str, email: str) -> tuple[str, Recipient | None]:
    """Someone outside the family by their email address (None: no address, so nothing is sent
    and the row says so)."""
    return name, (Recipient(name, Correspondence.Channel.EMAIL, email) if email else None)


def organisation_recipients(organisation: Any) -> list[tuple[str, Recipient | None]]:
    """A school's, college's or professional service's people in the portal
    (`portal.Organisation`): those who run it there (its administrators and managers) who have
    an email address, else any current member who has one; else the organisation itself, with
    no address."""
    members = [
        m
        for m in organisation.memberships.filter(ended_at__isnull=True)
        .select_related("person")
        .order_by("pk")
        if m.person.email
    ]
    leads = [m for m in members if m.manages] or members
    if not leads:
        return [(organisation.name, None)]
    return [
        email_recipient(f"{m.person.name or m.person.email}, {organisation.name}", m.person.email)
        for m in leads
    ]


def setting_recipients(setting: Any) -> list[tuple[str, Recipient | None]]:
    """A setting from the register (`placements.Setting`): its people in the portal where it
    has them (the reverse one-to-one `organisation`, read by name so this app does not import
    the portal's models), else the setting with no address."""
    organisation = getattr(setting, "organisation", None)
    if organisation is not None:
        return organisation_recipients(organisation)
    return [(setting.name, None)]


def issue_letter(
    case: Case,
    key: str,
    *,
    on: dt.date,
    actor: Actor,
    notify: bool | SentEarlier,
    today: dt.date,
    plan_version: PlanVersion | None = None,
    extra: dict[str, str] | None = None,
    recipients: Recipients | Callable[[], Recipients] | None = None,
    instance: str = "",
) -> list[Correspondence]:
    """The letter to each recipient (the family's contacts with parental responsibility unless
    given), inside the caller's transaction, after the case's deadlines are stored. Nothing is
    made when `notify` is False, nor inside a deferred block (an import or the demo generator,
    whose deadlines are stored only when the block ends). A recipient with no usable address
    gets a row saying so. `recipients` may be a function, asked only when letters are made.
    `instance`: the step's own deadline instance (an advice request's id, a consultation's),
    whose row gives the letter's dates."""
    if notify is False or deferring() is not None:
        return []
    if callable(recipients):
        recipients = recipients()
    spec = L.LETTERS[key]
    _, _, template_version = current_wording(key)
    if extra is None:
        extra = {}
    enclosure, kept = b"", ""
    if plan_version is not None:
        doc = plan_document(plan_version)
        if plan_version.kind != PlanVersion.Kind.DRAFT:
            named = next((s for s in doc.sections if s.key == "I"), None)
            extra.setdefault("setting", " ".join(named.paragraphs) if named else "")
        # The plan as already sent with an earlier letter (the draft's, then the setting's
        # consultation): the same file, not made again (a plan's PDF takes a second or so).
        kept = (
            Correspondence.objects.filter(case=case, plan_version=plan_version)
            .exclude(enclosure="")
            .values_list("enclosure", flat=True)
            .first()
            or ""
        )
        if not kept:
            enclosure = render.plan_pdf(doc)
    rows = []
    for name, recipient in recipients if recipients is not None else family_recipients(case):
        try:
            subject, body = compose(
                case,
                key,
                on=on,
                recipient_name=name,
                actor=actor,
                today=today,
                extra=extra,
                instance=instance,
            )
        except L.LetterError as exc:
            raise ActionError(str(exc)) from exc
        recorded = isinstance(notify, SentEarlier)
        address = _address_text(recipient) if recipient is not None else ""
        if isinstance(notify, SentEarlier):
            channel, status = notify.channel, "Recorded as sent"
        elif recipient is None:
            channel, status = Correspondence.Channel.LETTER, "Not sent: no address"
        else:
            channel, status = recipient.channel, "Queued"
        row = Correspondence(
            case=case,
            letter=key,
            title=spec.title,
            template_version=template_version or None,
            recipient=name,
            address=address,
            channel=channel,
            how=Correspondence.How.RECORDED if recorded else Correspondence.How.SENT,
            sent_on=notify.on if isinstance(notify, SentEarlier) else today,
            status=status,
            plan_version=plan_version,
            created_by=user_of(actor),
        )
        pdf = render.letter_pdf(
            subject=subject,
            body=body,
            council=settings.SENDCASE_COUNCIL_NAME,
            address=(recipient.to if recipient and isinstance(recipient.to, list) else [name]),
            letter_date=format_date(row.sent_on),
            reference=case.reference,
        )
        stem = f"{case.reference}-{key.replace('_', '-')}"
        row.document.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        if enclosure:
            row.enclosure.save(f"{stem}-plan.pdf", ContentFile(enclosure), save=False)
        elif kept:
            row.enclosure.name = kept
        row.save()
        audit(
            actor,
            "create",
            row,
            f"{spec.title} letter to {name}: "
            + ("recorded as sent" if recorded else status.lower())
            + f" ({row.get_channel_display().lower()})",
            case=case,
            payload={"letter": key, "how": row.how, "sent_on": row.sent_on.isoformat()},
        )
        if row.how == Correspondence.How.SENT and recipient is not None:
            _send_after_commit(
                row.pk,
                recipient,
                subject,
                _plain(body),
                case.reference,
                key,
                case.pk,
                attachment=(f"{stem}.pdf", pdf),
            )
        rows.append(row)
    return rows


def _address_text(recipient: Recipient) -> str:
    return recipient.to if isinstance(recipient.to, str) else "\n".join(recipient.to[1:])


def _send_after_commit(
    row_id: int,
    recipient: Recipient,
    subject: str,
    body: str,
    reference: str,
    key: str,
    case_id: int,
    *,
    attachment: tuple[str, bytes] | None = None,
) -> None:
    """Send the letter through Notify once the transaction commits. By email, the letter's PDF
    goes with it as a file (`attachment`: its name and bytes)."""

    def send() -> None:
        notify_id, status = notify_client.send_written(
            recipient.channel,
            recipient.to,
            {
                "subject": subject,
                "body": body,
                "name": recipient.name,
                "case_reference": reference,
                # The letter, the plan and the family's documents in the portal (issue 14).
                "link": f"{settings.SENDCASE_PORTAL_URL.rstrip('/')}/cases/{case_id}/documents/",
            },
            f"{reference}-{key}",
            case_id,
            attachment=attachment if recipient.channel == Correspondence.Channel.EMAIL else None,
        )
        Correspondence.objects.filter(pk=row_id).update(notify_id=notify_id, status=status)

    transaction.on_commit(send)


def send_letter(
    case: Case,
    key: str,
    *,
    on: dt.date,
    actor: Actor,
    notify: bool | SentEarlier,
    recipient: tuple[str, Recipient | None] | None = None,
    extra: dict[str, str] | None = None,
    today: dt.date | None = None,
) -> list[Correspondence]:
    """A letter the officer sends (or records as sent) from the case's correspondence page:
    to the family, or to the recipient given (a setting, a professional)."""
    today = today or timezone.localdate()
    plan = getattr(case, "plan", None)
    version = plan.versions.order_by("-number").first() if plan is not None else None
    with transaction.atomic():
        return issue_letter(
            case,
            key,
            on=on,
            actor=actor,
            notify=notify,
            today=today,
            plan_version=version if key in PLAN_LETTERS else None,
            extra=extra,
            recipients=[recipient] if recipient is not None else None,
        )


# Letters that enclose the plan.
PLAN_LETTERS = (
    "draft_plan",
    "final_plan",
    "proposed_amendments",
    "final_amended_plan",
    "setting_consultation",
)


# Notify's statuses after which a message's delivery does not change.
FINAL_STATUSES = (
    "delivered",
    "delivered (local)",
    "received",
    "permanent-failure",
    "temporary-failure",
    "technical-failure",
    "validation-failed",
    "cancelled",
)


def refresh_deliveries() -> tuple[int, int]:
    """Ask Notify for the delivery status of every message sent and not yet final, and keep it
    on its Correspondence row. Returns (changed, asked)."""
    rows = Correspondence.objects.filter(how=Correspondence.How.SENT).exclude(notify_id="")
    changed = asked = 0
    for row in rows.exclude(status__in=FINAL_STATUSES).only("pk", "notify_id", "status"):
        asked += 1
        status = notify_client.delivery_status(row.notify_id)
        if status and status != row.status:
            Correspondence.objects.filter(pk=row.pk).update(status=status)
            changed += 1
    return changed, asked


def save_letter_wording(key: str, *, subject: str, body: str, actor: Actor) -> LetterTemplate:
    """A new version of a letter's wording, checked (a valid template, only known names, and
    the names the law needs), with an audit entry naming who changed it."""
    spec = L.LETTERS[key]
    try:
        L.check_wording(spec, subject, body)
    except L.LetterError as exc:
        raise ActionError(str(exc), field="body") from exc
    with transaction.atomic():
        last = (
            LetterTemplate.objects.select_for_update().filter(key=key).order_by("-version").first()
        )
        row = LetterTemplate.objects.create(
            key=key,
            version=(last.version + 1) if last else 1,
            subject=subject,
            body=body,
            changed_by=user_of(actor),
        )
        audit(
            actor,
            "update",
            row,
            f"Changed the wording of the ‘{spec.title}’ letter (version {row.version})",
            payload={"key": key, "version": row.version, "subject": subject, "body": body},
        )
    return row


def upload_document(
    case: Case,
    *,
    upload: Any,
    kind: str,
    title: str,
    actor: Actor,
    advice_request: Any = None,
) -> CaseDocument:
    """Keep an uploaded file on the case (its type checked from its content, its size capped,
    its name sanitised), with an audit entry."""
    checked = checked_upload(upload, max_bytes=settings.SENDCASE_DOCUMENT_UPLOAD_MAX_MB * 2**20)
    with transaction.atomic():
        doc = CaseDocument(
            case=case,
            advice_request=advice_request,
            kind=kind,
            title=title or checked.filename,
            filename=checked.filename,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=user_of(actor),
        )
        doc.file.save(checked.filename, ContentFile(checked.data), save=False)
        doc.save()
        audit(
            actor,
            "create",
            doc,
            f"Uploaded ‘{doc.title}’ ({doc.get_kind_display().lower()})",
            case=case,
            payload={
                "filename": doc.filename,
                "content_type": doc.content_type,
                "size": doc.size,
                "advice_request": advice_request.pk if advice_request is not None else None,
            },
        )
    return doc


def document_downloaded(actor: Actor, obj: Any, case: Case, what: str) -> None:
    audit(actor, "view", obj, f"Downloaded {what}", case=case)


def erase_for_cases(case_ids: list[int]) -> int:
    """For erasure (retention.erasure.erase_child): every uploaded file of these cases is
    deleted, and every letter's copy, enclosure, recipient and address removed (the rows stay:
    which letter went when, and how, is not personal). Files leave the storage once the
    transaction commits. Returns how many records lost personal data."""
    docs = list(CaseDocument.objects.filter(case_id__in=case_ids))
    letters = list(Correspondence.objects.filter(case_id__in=case_ids))
    names = [str(d.file.name) for d in docs if d.file]
    names += [str(f.name) for row in letters for f in (row.document, row.enclosure) if f]
    CaseDocument.objects.filter(pk__in=[d.pk for d in docs]).delete()
    Correspondence.objects.filter(pk__in=[r.pk for r in letters]).update(
        recipient="", address="", document="", enclosure=""
    )

    def delete_files() -> None:
        storage = CaseDocument._meta.get_field("file").storage
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return len(docs) + len(letters)
