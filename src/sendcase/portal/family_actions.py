"""What a family or young person does in the portal, each a named action in a transaction,
audited with who did it (`actions.portal_audit`).

* `ask_for_assessment`: a request for an EHC needs assessment. The duplicate-child check runs
  (the same UPN, or the same last name and date of birth, among every child the council knows).
  With no match, the request is recorded through casework's own action
  (`register_child_with_request`, dated the day received, so the clock starts), its evidence
  goes to the case's documents, and the requester is linked to the new case. With a match, it
  waits (`AssessmentAsk.Status.CHECK`) for an officer to say which child it is
  (`open_checked_ask`); the case it opens is still dated the day the request was received.
  The family gets a message either way.
* `comment_on_draft`: comments section by section, a setting to be named, a meeting; only
  while the draft's comment window (the `draft_comments_window` deadline) is open.
* `give_views`, `upload_family_document`: section A or annual review views; a file through the
  documents app's checks, rate-limited.
* `send_message` / `reply_to_family`: secure messages; a reply answers what waited and tells
  the family by their preferred channel.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sendcase.accounts.models import Team, User
from sendcase.casework.domain.children import register_child_with_request
from sendcase.casework.domain.contacts import add_family_contact, record_contact
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import (
    OPEN_STAGES,
    Case,
    Child,
    ContactLogEntry,
    FamilyContact,
    Stage,
)
from sendcase.core.actors import Actor, user_of
from sendcase.core.audit import audit
from sendcase.core.codes import RequestSource
from sendcase.core.models import AuditEntry
from sendcase.documents.actions import upload_document
from sendcase.documents.models import CaseDocument
from sendcase.documents.uploads import CheckedFile, checked_upload
from sendcase.plans.models import PlanVersion
from sendcase.portal.actions import PortalError, actor_for, link_member_to_case, portal_audit
from sendcase.portal.family_messages import send_to_person
from sendcase.portal.family_models import (
    AskEvidence,
    AssessmentAsk,
    CaseMessage,
    DraftComment,
    FamilyViews,
)
from sendcase.portal.models import CaseLink, ExternalPerson, Organisation, Relationship
from sendcase.statutory.dates import format_date

FAMILY_RELATIONSHIPS = (Relationship.PARENT_CARER, Relationship.YOUNG_PERSON)
# Requests for assessment one person may make in a day (each opens a case or waits for an officer).
ASKS_PER_DAY = 5


def _max_bytes() -> int:
    return int(settings.SENDCASE_DOCUMENT_UPLOAD_MAX_MB) * 2**20


# --- Uploads: checked by the documents app, rate-limited per person ---------------------------


def uploads_in_last_hour(person: ExternalPerson) -> int:
    return AuditEntry.objects.filter(
        at__gte=timezone.now() - dt.timedelta(hours=1),
        payload__external_person=person.pk,
        payload__portal_upload=True,
    ).count()


def check_uploads(person: ExternalPerson, uploads: list[Any]) -> list[CheckedFile]:
    """Every file checked (type from its content, size, a safe name) before anything is kept;
    refused when the person has uploaded too many this hour."""
    if (
        uploads
        and uploads_in_last_hour(person) + len(uploads) > settings.SENDCASE_PORTAL_UPLOADS_PER_HOUR
    ):
        raise ActionError(
            "You have uploaded too many files in the last hour. Try again later.", field="evidence"
        )
    return [checked_upload(u, max_bytes=_max_bytes()) for u in uploads]


def _keep_on_case(
    person: ExternalPerson, case: Case, checked: CheckedFile, kind: str, title: str
) -> CaseDocument:
    upload = SimpleUploadedFile(checked.filename, checked.data, checked.content_type)
    doc = upload_document(case, upload=upload, kind=kind, title=title, actor=actor_for(person))
    portal_audit(
        person,
        "create",
        doc,
        f"Uploaded ‘{doc.title}’",
        case=case,
        payload={"portal_upload": True, "size": doc.size},
    )
    return doc


# --- Asking for an EHC needs assessment -------------------------------------------------------


def possible_matches(surname: str, date_of_birth: dt.date, upn: str) -> list[int]:
    """The duplicate-child check (as the officer's new-request form asks it): every known child
    with the same UPN, or the same last name and date of birth."""
    same = Q(surname__iexact=surname.strip(), date_of_birth=date_of_birth)
    if upn.strip():
        same |= Q(upn=upn.strip())
    return list(Child.objects.filter(same).order_by("pk").values_list("pk", flat=True)[:10])


def receiving_team() -> Team | None:
    """The team whose queue online requests arrive in (SENDCASE_PORTAL_REQUEST_TEAM)."""
    name = settings.SENDCASE_PORTAL_REQUEST_TEAM
    teams = Team.objects.order_by("name")
    return (teams.filter(name=name).first() if name else None) or teams.first()


def ask_for_assessment(
    person: ExternalPerson,
    *,
    relationship: str,
    forename: str,
    surname: str,
    date_of_birth: dt.date,
    upn: str = "",
    postcode: str = "",
    school: str = "",
    why: str,
    consent: bool,
    has_parental_responsibility: bool | None = None,
    uploads: list[Any] | None = None,
    setting: Organisation | None = None,
    parent_name: str = "",
    parent_email: str = "",
    today: dt.date | None = None,
) -> AssessmentAsk:
    """Record the request (see the module docstring). Refuses without consent.

    A school or college asks with `relationship` "setting" and `setting`, the organisation the
    person works for (a current member of it), naming the parent (or the young person) it has
    told: they become the case's family contact, and the request's source is the setting."""
    today = today or timezone.localdate()
    if relationship == Relationship.SETTING:
        member = setting is not None and (
            setting.kind == Organisation.Kind.SETTING
            and person.memberships.filter(organisation=setting, ended_at__isnull=True).exists()
        )
        if not member or setting is None:
            raise ActionError("Only a member of a school or college can ask as that setting")
        if not parent_name.strip():
            raise ActionError(
                "Enter the name of the parent, or the young person, who knows of this request",
                field="parent_name",
            )
        school = setting.name
    elif relationship not in FAMILY_RELATIONSHIPS:
        raise ActionError("Select whether you are a parent or carer, or the young person")
    if not consent:
        raise ActionError(
            "Confirm that the council may share this request with the professionals it asks "
            "for advice",
            field="consent",
        )
    since = timezone.now() - dt.timedelta(days=1)
    if person.assessment_asks.filter(made_at__gte=since).count() >= ASKS_PER_DAY:
        raise ActionError(
            "You have sent too many requests today. Send your case officer a message, or try "
            "again tomorrow."
        )
    checked = check_uploads(person, uploads or [])
    with transaction.atomic():
        matches = possible_matches(surname, date_of_birth, upn)
        ask = AssessmentAsk.objects.create(
            person=person,
            relationship=relationship,
            received_on=today,
            forename=forename.strip(),
            surname=surname.strip(),
            date_of_birth=date_of_birth,
            upn=upn.strip(),
            postcode=postcode.strip(),
            school=school.strip(),
            why=why,
            consent=True,
            parental_responsibility=has_parental_responsibility,
            parent_name=parent_name.strip(),
            parent_email=parent_email.strip(),
            status=AssessmentAsk.Status.CHECK if matches else AssessmentAsk.Status.OPENED,
            possible_matches=matches,
        )
        portal_audit(
            person,
            "create",
            ask,
            f"Asked for an EHC needs assessment for {ask.forename} {ask.surname}",
            payload={"possible_matches": matches, "files": len(checked)},
        )
        if matches:
            for f in checked:
                evidence = AskEvidence(
                    ask=ask, filename=f.filename, content_type=f.content_type, size=f.size
                )
                evidence.file.save(f.filename, ContentFile(f.data), save=False)
                evidence.save()
                portal_audit(
                    person,
                    "create",
                    evidence,
                    f"Uploaded ‘{f.filename}’",
                    payload={"portal_upload": True},
                )
            _acknowledge_held(person, ask)
            return ask
        case = _open_case(ask, actor_for(person), known_child=None, today=today)
        for f in checked:
            _keep_on_case(person, case, f, CaseDocument.Kind.EVIDENCE, f.filename)
    return ask


def _acknowledge_held(person: ExternalPerson, ask: AssessmentAsk) -> None:
    # No case yet: the message names the child as the family gave them.
    send_to_person(
        person,
        "ask_being_checked",
        None,
        child_name=f"{ask.forename} {ask.surname}",
        reference=f"online-request-{ask.pk}",
        received_on=format_date(ask.received_on),
    )


def _open_case(
    ask: AssessmentAsk, actor: Actor, *, known_child: Child | None, today: dt.date
) -> Case:
    """The request through casework's action, dated the day it was received; the requester is
    its family contact and is linked to the case."""
    person = ask.person
    young_person = ask.relationship == Relationship.YOUNG_PERSON
    by_setting = ask.relationship == Relationship.SETTING
    contact = {
        "name": person.name or person.email,
        "relationship": FamilyContact.YOUNG_PERSON if young_person else "Parent or carer",
        "email": person.email,
        "phone": "",
        "parental_responsibility": ask.parental_responsibility,
    }
    if by_setting:  # the family the school has told is the contact, not the school's person
        contact = {
            "name": ask.parent_name,
            "relationship": "Parent or carer",
            "email": ask.parent_email,
            "phone": "",
            "parental_responsibility": None,
        }
    case = register_child_with_request(
        child_fields={
            "forename": ask.forename,
            "surname": ask.surname,
            "date_of_birth": ask.date_of_birth,
            "upn": ask.upn,
            "postcode": ask.postcode,
        },
        contact_fields=contact,
        received_on=ask.received_on,
        source=RequestSource.EDUCATION_SETTING
        if by_setting
        else RequestSource.PARENT_OR_YOUNG_PERSON,
        requester_name=f"{person.name}, {ask.school}" if by_setting else person.name,
        young_person_request=young_person,
        officer=None,
        actor=actor,
        today=today,
        known_child=known_child,
        not_duplicate_of=ask.possible_matches or None if known_child is None else None,
    )
    if case.team_id is None and (team := receiving_team()) is not None:
        Case.objects.filter(pk=case.pk).update(team=team)
        case.team = team
    CaseLink.objects.get_or_create(
        case=case,
        person=person,
        ended_at=None,
        defaults={"relationship": ask.relationship, "via": CaseLink.Via.ASSESSMENT},
    )
    ask.case = case
    ask.status = AssessmentAsk.Status.OPENED
    ask.save(update_fields=["case", "status"])
    portal_audit(
        person,
        "create",
        case,
        f"Linked to case {case.reference}, opened from their online request",
        case=case,
        payload={"assessment_ask": ask.pk},
    )
    send_to_person(person, "ask_received", case, received_on=format_date(ask.received_on))
    return case


@transaction.atomic
def open_checked_ask(
    ask: AssessmentAsk, *, known_child: Child | None, actor: User, today: dt.date | None = None
) -> Case:
    """The officer says which child a held request is for (`known_child`), or that it is a new
    child (None); the case opens dated the day the request was received."""
    today = today or timezone.localdate()
    ask = AssessmentAsk.objects.select_for_update().get(pk=ask.pk)
    if ask.status != AssessmentAsk.Status.CHECK:
        raise PortalError("This request has already been dealt with.")
    ask.decided_by = user_of(actor)
    ask.save(update_fields=["decided_by"])
    case = _open_case(ask, actor, known_child=known_child, today=today)
    _move_evidence(ask, case, actor)
    audit(
        actor,
        "update",
        ask,
        f"Checked the online request from {ask.person} and opened case {case.reference}",
        case=case,
        payload={"known_child": known_child.pk if known_child else None},
    )
    return case


def _move_evidence(ask: AssessmentAsk, case: Case, actor: Actor) -> None:
    """The files sent with a held request go to the case's documents (checked again there)."""
    for evidence in ask.evidence.all():
        with evidence.file.open("rb") as fh:
            data = fh.read()
        upload = SimpleUploadedFile(evidence.filename, data, evidence.content_type)
        upload_document(
            case,
            upload=upload,
            kind=CaseDocument.Kind.EVIDENCE,
            title=evidence.filename,
            actor=actor,
        )


def _asker(ask: AssessmentAsk) -> str:
    person = ask.person
    if ask.relationship == Relationship.SETTING:
        return f"{person.name or person.email}, {ask.school}"
    label = Relationship(ask.relationship).label if ask.relationship in Relationship.values else ""
    return f"{person.name or person.email} ({label.lower()})" if label else str(person)


def _link_asker(ask: AssessmentAsk, case: Case, actor: User) -> None:
    """The officer has checked who asked: they may see the case in the portal. A parent or the
    young person also becomes a family contact of the child (unless one with their email address
    is already current), so the council's letters reach them; a school's person is linked
    through their setting."""
    person = ask.person
    if ask.relationship == Relationship.SETTING:
        settings_of = list(
            person.memberships.filter(
                ended_at__isnull=True, organisation__kind=Organisation.Kind.SETTING
            )
            .select_related("organisation")
            .order_by("pk")
        )
        # The setting the request named, else the first they belong to.
        named = [m for m in settings_of if m.organisation.name == ask.school]
        if named or settings_of:
            membership = (named or settings_of)[0]
            link_member_to_case(membership, case, relationship=Relationship.SETTING, actor=actor)
        return
    link, made = CaseLink.objects.get_or_create(
        case=case,
        person=person,
        ended_at=None,
        defaults={
            "relationship": ask.relationship,
            "via": CaseLink.Via.ASSESSMENT,
            "linked_by": actor,
        },
    )
    if made:
        audit(
            actor,
            "create",
            link,
            f"Linked {person} to the case in the portal, having checked their online request",
            case=case,
            payload={"external_person": person.pk, "assessment_ask": ask.pk},
        )
    known = case.child.contacts.filter(ended_on__isnull=True)
    if person.email and not known.filter(email__iexact=person.email).exists():
        young = ask.relationship == Relationship.YOUNG_PERSON
        add_family_contact(
            case.child,
            actor=actor,
            case=case,
            name=person.name or person.email,
            relationship=FamilyContact.YOUNG_PERSON if young else "Parent or carer",
            email=person.email,
            parental_responsibility=ask.parental_responsibility,
        )


@transaction.atomic
def attach_checked_ask(
    ask: AssessmentAsk, case: Case, *, actor: User, today: dt.date | None = None
) -> Case:
    """The officer adds a held request to the existing case of the child it matched.

    * The case is open (a request being decided, an assessment, a draft or a plan): the request
      is correspondence on it, not a second statutory request: a contact log entry received
      through the portal on the day received, with the family's reasons, waiting for the
      officer's response (the contact log's usual response date); the evidence goes to the
      case's documents; the asker is linked (`_link_asker`); the request is marked as added.
    * The case is closed (no open request or plan): this is a new request for assessment for
      the child, dated the day received so the clock starts. A case holds one request, so
      casework opens the child's next case (`open_checked_ask` with the known child), and the
      closed case's contact log says which case the request went to.

    Audited with the officer, the request and the case; the asker is told what happens next
    by their preferred channel. Returns the case the request is on."""
    today = today or timezone.localdate()
    ask = AssessmentAsk.objects.select_for_update().select_related("person").get(pk=ask.pk)
    if ask.status != AssessmentAsk.Status.CHECK:
        raise PortalError("This request has already been dealt with.")
    if case.child_id not in ask.possible_matches:
        raise PortalError("Choose a case of a child this request may be about.")

    def received(summary: str, *, needs_response: bool) -> ContactLogEntry:
        """The request on the case's contact log, received through the portal that day."""
        return record_contact(
            case,
            contact_on=ask.received_on,
            at_time=None,
            channel=ContactLogEntry.Channel.PORTAL,
            direction=ContactLogEntry.Direction.IN,
            party=_asker(ask),
            summary=summary,
            needs_response=needs_response,
            response_due=None,
            actor=actor,
            today=today,
        )

    if case.stage not in OPEN_STAGES:
        opened = open_checked_ask(ask, known_child=case.child, actor=actor, today=today)
        received(
            "A new request for an EHC needs assessment, made online. This case is closed, so "
            f"it was recorded as the request of case {opened.reference}.",
            needs_response=False,
        )
        return opened
    entry = received(
        f"Asked online for an EHC needs assessment for {ask.forename} {ask.surname}. Added to "
        f"this case, which is already open, as correspondence.\n\nWhy they asked: {ask.why}",
        needs_response=True,
    )
    _move_evidence(ask, case, actor)
    _link_asker(ask, case, actor)
    ask.case = case
    ask.status = AssessmentAsk.Status.ATTACHED
    ask.decided_by = actor
    ask.save(update_fields=["case", "status", "decided_by"])
    audit(
        actor,
        "update",
        ask,
        f"Checked the online request from {ask.person} and added it to case {case.reference} "
        "as correspondence",
        case=case,
        payload={"case": case.pk, "contact_log_entry": entry.pk, "recorded_as": "correspondence"},
    )
    send_to_person(
        ask.person,
        "ask_added_to_case",
        case,
        received_on=format_date(ask.received_on),
    )
    return case


# --- The draft plan ---------------------------------------------------------------------------


def open_draft(case: Case, today: dt.date) -> tuple[PlanVersion | None, dt.date | None]:
    """The draft plan the family may comment on and the last day of its window (the stored
    `draft_comments_window` deadline), or (None, None) when no window is open."""
    if case.stage != Stage.DRAFT:
        return None, None
    window = (
        case.deadlines.filter(
            key="draft_comments_window", completed_on__isnull=True, due__gte=today
        )
        .order_by("-trigger")
        .first()
    )
    if window is None or window.due is None:
        return None, None
    draft = (
        PlanVersion.objects.filter(plan__case=case, kind=PlanVersion.Kind.DRAFT)
        .order_by("-number")
        .first()
    )
    return (draft, window.due) if draft is not None else (None, None)


@transaction.atomic
def comment_on_draft(
    person: ExternalPerson,
    case: Case,
    *,
    comments: dict[str, str],
    setting: str = "",
    meeting: str = "",
    today: dt.date | None = None,
) -> list[DraftComment]:
    today = today or timezone.localdate()
    draft, closes = open_draft(case, today)
    if draft is None:
        raise ActionError("The time to comment on the draft plan has ended.")
    rows = [
        DraftComment(
            case=case, plan_version=draft, person=person, kind="comment", section=k, text=t
        )
        for k, t in comments.items()
        if t.strip()
    ]
    if setting.strip():
        rows.append(
            DraftComment(case=case, plan_version=draft, person=person, kind="setting", text=setting)
        )
    if meeting.strip():
        rows.append(
            DraftComment(case=case, plan_version=draft, person=person, kind="meeting", text=meeting)
        )
    if not rows:
        raise ActionError("Enter a comment on at least one section, a setting, or a meeting")
    DraftComment.objects.bulk_create(rows)
    portal_audit(
        person,
        "create",
        draft,
        f"Commented on draft plan version {draft.number}",
        case=case,
        payload={
            "sections": sorted(k for k, t in comments.items() if t.strip()),
            "setting": bool(setting.strip()),
            "meeting": bool(meeting.strip()),
        },
    )
    send_to_person(person, "draft_comments_received", case)
    return rows


# --- Views and documents ----------------------------------------------------------------------


@transaction.atomic
def give_views(person: ExternalPerson, case: Case, *, kind: str, text: str) -> FamilyViews:
    if kind not in FamilyViews.Kind.values:
        raise ActionError("Select what your views are for")
    views = FamilyViews.objects.create(case=case, person=person, kind=kind, text=text)
    portal_audit(
        person, "create", views, f"Gave their {views.get_kind_display().lower()}", case=case
    )
    return views


def upload_family_document(
    person: ExternalPerson, case: Case, *, upload: Any, title: str
) -> CaseDocument:
    (checked,) = check_uploads(person, [upload])
    with transaction.atomic():
        return _keep_on_case(
            person, case, checked, CaseDocument.Kind.VIEWS, title or checked.filename
        )


# --- Secure messages --------------------------------------------------------------------------


@transaction.atomic
def send_message(person: ExternalPerson, case: Case, *, body: str) -> CaseMessage:
    message = CaseMessage.objects.create(case=case, person=person, body=body)
    portal_audit(person, "create", message, "Sent the case officer a message", case=case)
    return message


@transaction.atomic
def reply_to_family(case: Case, *, body: str, actor: User) -> CaseMessage:
    """A member of staff replies: every message from the family waiting on the case is answered,
    and each family member who wrote is told by their preferred channel."""
    now = timezone.now()
    waiting = list(
        CaseMessage.objects.select_for_update()
        .filter(case=case, person__isnull=False, answered_at__isnull=True)
        .select_related("person")
    )
    reply = CaseMessage.objects.create(case=case, staff=actor, body=body)
    CaseMessage.objects.filter(pk__in=[m.pk for m in waiting]).update(answered_at=now)
    audit(actor, "create", reply, "Replied to the family's message in the portal", case=case)
    linked = CaseLink.objects.filter(
        case=case, ended_at__isnull=True, relationship__in=FAMILY_RELATIONSHIPS
    )
    for link in linked.select_related("person"):
        send_to_person(link.person, "reply", case)
    return reply


# --- How the council's messages reach them ----------------------------------------------------


@transaction.atomic
def set_contact_preference(person: ExternalPerson, *, preferred_channel: str, phone: str) -> None:
    if preferred_channel not in ("email", "sms"):
        raise ActionError("Select email or text message", field="preferred_channel")
    person.preferred_channel = preferred_channel
    person.phone = phone or person.phone
    person.save(update_fields=["preferred_channel", "phone"])
    portal_audit(
        person,
        "update",
        person,
        f"Chose to be told by {'text message' if preferred_channel == 'sms' else 'email'}",
    )
