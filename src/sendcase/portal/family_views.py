"""The family's pages in the portal (/portal/): asking for an assessment, the draft plan and its
comments, views, documents and letters, rights of appeal, and secure messages. Each is for a
parent or carer, or a young person, linked to the case; anyone else gets a 404. Every page that
shows a child's record, and every change, is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import Case
from sendcase.core.codes import NeedType
from sendcase.documents.models import CaseDocument, Correspondence
from sendcase.documents.presenter import plan_document
from sendcase.documents.render import plan_pdf
from sendcase.plans.content import section_rows
from sendcase.plans.models import SECTIONS, PlanVersion
from sendcase.plans.queries import content_of
from sendcase.portal import family_actions as fa
from sendcase.portal.access import get_case_for_person, person_required
from sendcase.portal.actions import portal_audit
from sendcase.portal.family_forms import (
    AskForm,
    ContactForm,
    DraftCommentForm,
    FamilyUploadForm,
    MessageForm,
    ViewsForm,
)
from sendcase.portal.family_models import CaseMessage, DraftComment, FamilyViews
from sendcase.portal.models import ExternalPerson
from sendcase.statutory.dates import format_date


def posted(request: HttpRequest) -> Any:
    """The form's data when posted (even empty, so that it is checked), else None."""
    return request.POST if request.method == "POST" else None


def _posted(request: HttpRequest) -> tuple[Any, Any]:
    """The form's data and files when posted, else none."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


FINAL_KINDS = (PlanVersion.Kind.FINAL, PlanVersion.Kind.AMENDED)


def family_case(person: ExternalPerson, pk: int) -> Case:
    """The case, if this person is linked to it as a parent or carer or as the young person."""
    case = get_case_for_person(person, pk)
    if case.my_links[0].relationship not in fa.FAMILY_RELATIONSHIPS:  # type: ignore[attr-defined]
        raise Http404("No case found")
    return case


def _error(form: Any, exc: ActionError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


# --- Asking for an assessment -----------------------------------------------------------------


def ask_page(
    request: HttpRequest,
    person: ExternalPerson,
    form_class: type[AskForm],
    template: str,
    context: dict[str, Any] | None = None,
    **given: Any,
) -> HttpResponse:
    """A request for an assessment from the portal (a family's, or a school's for a pupil): the
    form's answers, and what the page `given` (a school's setting), to
    family_actions.ask_for_assessment; the "request sent" page, or the form with its errors."""
    form = form_class(*_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            made = fa.ask_for_assessment(person, **form.ask_arguments(), **given)
        except ActionError as exc:
            _error(form, exc)
        else:
            return render(request, "portal/family/ask_sent.html", {"person": person, "ask": made})
    status = 400 if form.errors else 200
    page = {"person": person, "form": form, **(context or {})}
    return render(request, template, page, status=status)


@person_required
def ask(request: HttpRequest, person: ExternalPerson) -> HttpResponse:
    return ask_page(request, person, AskForm, "portal/family/ask.html")


# --- The draft plan ---------------------------------------------------------------------------


def _sections(version: PlanVersion) -> list[tuple[str, str, str]]:
    rows = section_rows(content_of(version), dict(NeedType.choices))
    return [(k, t, "\n".join(rows[k])) for k, t in SECTIONS.items()]


@person_required
def draft(request: HttpRequest, person: ExternalPerson, pk: int) -> HttpResponse:
    case = family_case(person, pk)
    today = timezone.localdate()
    version, closes = fa.open_draft(case, today)
    if version is None:
        portal_audit(person, "view", case, "Viewed the draft plan page (no window open)", case=case)
        return render(request, "portal/family/draft_closed.html", {"person": person, "case": case})
    sections = _sections(version)
    form = DraftCommentForm(posted(request), sections=sections)
    if request.method == "POST" and form.is_valid():
        try:
            fa.comment_on_draft(
                person,
                case,
                comments=form.comments(),
                setting=form.cleaned_data["setting"],
                meeting=form.cleaned_data["meeting"],
                today=today,
            )
        except ActionError as exc:
            _error(form, exc)
        else:
            messages.success(request, "Your comments were sent to your case officer.")
            return redirect("portal:family_draft", pk=case.pk)
    portal_audit(person, "view", version, f"Viewed draft plan version {version.number}", case=case)
    sent = DraftComment.objects.filter(plan_version=version, person=person)
    rows = [(k, t, text, form[f"section_{k}"]) for k, t, text in sections]
    context = {
        "person": person,
        "case": case,
        "version": version,
        "closes": closes,
        "rows": rows,
        "form": form,
        "sent": sent,
    }
    return render(request, "portal/family/draft.html", context, status=400 if form.errors else 200)


# --- Views and documents ----------------------------------------------------------------------


@person_required
def views(request: HttpRequest, person: ExternalPerson, pk: int) -> HttpResponse:
    case = family_case(person, pk)
    initial = (
        {"kind": request.GET.get("for")}
        if request.GET.get("for") in FamilyViews.Kind.values
        else None
    )
    form = ViewsForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            fa.give_views(person, case, **form.cleaned_data)
        except ActionError as exc:
            _error(form, exc)
        else:
            messages.success(request, "Your views were sent to your case officer.")
            return redirect("portal:family_views", pk=case.pk)
    given = FamilyViews.objects.filter(case=case, person=person)
    portal_audit(person, "view", case, "Viewed their views", case=case)
    review = next(
        (
            format_date(d.due)
            for d in sorted(case.deadlines.all(), key=lambda d: d.due or dt.date.max)
            if d.key == "annual_review_meeting" and d.completed_on is None and d.due
        ),
        None,
    )
    context = {"person": person, "case": case, "form": form, "given": given, "review": review}
    return render(request, "portal/family/views.html", context, status=400 if form.errors else 200)


def letters_for(person: ExternalPerson, case: Case) -> list[Correspondence]:
    """The letters on the case addressed to this person (by their email address, or by name):
    never a letter to someone else, which may carry an address withheld from them."""
    to_them = Q(recipient=person.name) if person.name else Q(pk__in=[])
    if person.email:
        to_them |= Q(address__iexact=person.email)
    return list(case.correspondence.filter(to_them).exclude(document=""))


@person_required
def documents(request: HttpRequest, person: ExternalPerson, pk: int) -> HttpResponse:
    case = family_case(person, pk)
    form = FamilyUploadForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            fa.upload_family_document(
                person, case, upload=form.cleaned_data["file"], title=form.cleaned_data["title"]
            )
        except ActionError as exc:
            _error(form, exc)
        else:
            messages.success(request, "Your document was sent to your case officer.")
            return redirect("portal:family_documents", pk=case.pk)
    plans = list(
        PlanVersion.objects.filter(plan__case=case, kind__in=FINAL_KINDS).order_by("-number")
    )
    uploaded = case.documents.filter(kind__in=(CaseDocument.Kind.VIEWS, CaseDocument.Kind.EVIDENCE))
    portal_audit(person, "view", case, "Viewed their letters and documents", case=case)
    context = {
        "person": person,
        "case": case,
        "form": form,
        "letters": letters_for(person, case),
        "plans": plans,
        "uploaded": uploaded,
    }
    return render(
        request, "portal/family/documents.html", context, status=400 if form.errors else 200
    )


@person_required
def letter_file(
    request: HttpRequest, person: ExternalPerson, pk: int, letter_id: int
) -> Any:  # a FileResponse
    case = family_case(person, pk)
    row = next((r for r in letters_for(person, case) if r.pk == letter_id), None)
    if row is None:
        raise Http404("No such letter")
    portal_audit(person, "view", row, f"Downloaded the letter ‘{row.title}’", case=case)
    name = f"{case.reference}-{row.letter.replace('_', '-')}-{row.pk}.pdf"
    return FileResponse(
        row.document.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )


@person_required
def plan_file(request: HttpRequest, person: ExternalPerson, pk: int, number: int) -> HttpResponse:
    """A final (or final amended) plan, or the draft open for comments, as a PDF."""
    case = family_case(person, pk)
    version = PlanVersion.objects.filter(plan__case=case, number=number).first()
    draft_open, _ = fa.open_draft(case, timezone.localdate())
    if version is None or not (version.kind in FINAL_KINDS or version == draft_open):
        raise Http404("No such plan")
    doc = plan_document(version)
    portal_audit(person, "view", version, f"Downloaded plan version {number} as PDF", case=case)
    response = HttpResponse(plan_pdf(doc), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{doc.filename}.pdf"'
    return response


@person_required
def document_file(
    request: HttpRequest, person: ExternalPerson, pk: int, doc_id: int
) -> Any:  # a FileResponse
    case = family_case(person, pk)
    doc = case.documents.filter(
        pk=doc_id, kind__in=(CaseDocument.Kind.VIEWS, CaseDocument.Kind.EVIDENCE)
    ).first()
    if doc is None:
        raise Http404("No such document")
    portal_audit(person, "view", doc, f"Downloaded ‘{doc.title}’", case=case)
    return FileResponse(
        doc.file.open("rb"),
        as_attachment=True,
        filename=doc.filename,
        content_type=doc.content_type,
    )


# --- Rights of appeal and mediation -----------------------------------------------------------


@person_required
def rights(request: HttpRequest, person: ExternalPerson, pk: int) -> HttpResponse:
    case = family_case(person, pk)
    windows = [
        d
        for d in case.deadlines.all()
        if d.key in ("appeal_window", "mediation_certificate") and d.due is not None
    ]
    windows.sort(key=lambda d: d.due or dt.date.max)
    portal_audit(person, "view", case, "Viewed their rights of appeal and mediation", case=case)
    steps = [
        {
            "what": "Appeal to the First-tier Tribunal (SEND)"
            if d.key == "appeal_window"
            else "The mediation certificate the council or adviser must give you",
            "by_when": format_date(d.due),  # type: ignore[arg-type]
            "open": d.completed_on is None and d.due >= timezone.localdate(),  # type: ignore[operator]
            "rule": d.source,
        }
        for d in windows
    ]
    return render(
        request, "portal/family/rights.html", {"person": person, "case": case, "steps": steps}
    )


# --- Secure messages --------------------------------------------------------------------------


@person_required
def case_messages(request: HttpRequest, person: ExternalPerson, pk: int) -> HttpResponse:
    case = family_case(person, pk)
    form = MessageForm(posted(request))
    if request.method == "POST" and form.is_valid():
        fa.send_message(person, case, body=form.cleaned_data["body"])
        messages.success(request, "Your message was sent to your case officer.")
        return redirect("portal:family_messages", pk=case.pk)
    thread = CaseMessage.objects.filter(case=case).select_related("person", "staff")
    portal_audit(person, "view", case, "Read their messages", case=case)
    context = {"person": person, "case": case, "form": form, "thread": thread}
    return render(
        request, "portal/family/messages.html", context, status=400 if form.errors else 200
    )


# --- How the council's messages reach them ----------------------------------------------------


@person_required
def contact(request: HttpRequest, person: ExternalPerson) -> HttpResponse:
    initial = {"preferred_channel": person.preferred_channel, "phone": person.phone}
    form = ContactForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        fa.set_contact_preference(person, **form.cleaned_data)
        messages.success(request, "Your choice was saved.")
        return redirect("portal:family_contact")
    context = {"person": person, "form": form}
    return render(
        request, "portal/family/contact.html", context, status=400 if form.errors else 200
    )
