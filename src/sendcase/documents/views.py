"""Pages for a case's letters and documents, and the council's letter wording.

Every file is served through these views (never from a URL of the storage): the person must be
able to read the case (404 otherwise), and each download is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sendcase.casework.access import cases_for_user, get_case_for_user, get_plan_version_for_user
from sendcase.casework.domain.assessment import record_advice_received
from sendcase.casework.domain.errors import ActionError, StaleCase
from sendcase.core.audit import audit
from sendcase.documents import actions
from sendcase.documents import forms as f
from sendcase.documents.letters import LETTERS, NAMES, LetterError, check_wording
from sendcase.documents.models import CaseDocument, Correspondence, LetterTemplate
from sendcase.documents.presenter import plan_document
from sendcase.documents.render import letter_paragraphs, plan_docx, plan_pdf

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _error(form: Any, exc: ActionError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _attachment(data: bytes | Any, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def plan_file(request: HttpRequest, pk: int, number: int, fmt: str) -> HttpResponse:
    """A plan version as a tagged PDF or as DOCX."""
    if fmt not in ("pdf", "docx"):
        raise Http404("No such format")
    version = get_plan_version_for_user(request.user, pk, number)
    case = get_case_for_user(request.user, pk)
    doc = plan_document(version)
    actions.document_downloaded(
        request.user, version, case, f"plan version {number} as {fmt.upper()}"
    )
    if fmt == "pdf":
        return _attachment(plan_pdf(doc), f"{doc.filename}.pdf", "application/pdf")
    return _attachment(plan_docx(doc), f"{doc.filename}.docx", DOCX)


@login_required
def correspondence(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    rows = list(case.correspondence.select_related("created_by", "plan_version"))
    audit(request.user, "view", case, "Viewed the case's correspondence", case=case)
    return render(
        request,
        "documents/correspondence.html",
        {
            "case": case,
            "rows": rows,
            "writable": request.user.has_perm("casework.change_case", case),
        },
    )


@login_required
def letter_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    form = f.SendLetterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        recipient = None
        if d["recipient_name"]:
            lines = [x.strip() for x in d["recipient_address"].splitlines() if x.strip()]
            if d["recipient_email"]:
                to: Any = actions.Recipient(d["recipient_name"], "email", d["recipient_email"])
            elif lines:
                to = actions.Recipient(d["recipient_name"], "letter", [d["recipient_name"], *lines])
            else:
                to = None
            recipient = (d["recipient_name"], to)
        try:
            rows = actions.send_letter(
                case,
                d["letter"],
                on=d["on"],
                actor=request.user,
                notify=form.notify_choice() or False,
                recipient=recipient,
            )
        except ActionError as exc:
            _error(form, exc)
        else:
            messages.success(
                request,
                f"{LETTERS[d['letter']].title} letter: {len(rows)} "
                + ("recorded" if d["letter_choice"] == f.RECORDED else "sent"),
            )
            return redirect("casework:correspondence", pk=case.pk)
    audit(request.user, "view", case, "Opened the form: send a letter", case=case)
    return render(request, "documents/letter_new.html", {"case": case, "form": form})


@login_required
def correspondence_file(request: HttpRequest, pk: int, letter_id: int, part: str) -> FileResponse:
    case = get_case_for_user(request.user, pk)
    if part not in ("letter", "plan"):
        raise Http404("No such part")
    row = Correspondence.objects.filter(case=case, pk=letter_id).first()
    field = None if row is None else (row.document if part == "letter" else row.enclosure)
    if row is None or not field:
        raise Http404("No such letter")
    actions.document_downloaded(
        request.user, row, case, f"the {row.title.lower()} {part} to {row.recipient}"
    )
    name = f"{case.reference}-{row.letter.replace('_', '-')}-{row.pk}-{part}.pdf"
    return FileResponse(
        field.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )


@login_required
def documents(request: HttpRequest, pk: int) -> HttpResponse:
    """The files on the case, and (for those who may change it) the upload form."""
    case = get_case_for_user(request.user, pk)
    writable = request.user.has_perm("casework.change_case", case)
    form = f.UploadForm(case=case)
    if request.method == "POST":
        if not writable:
            raise Http404("No case found")
        form = f.UploadForm(request.POST, request.FILES, case=case)
        if form.is_valid():
            d = form.cleaned_data
            advice = (
                case.advice_requests.filter(pk=int(d["advice_request"])).first()
                if d["advice_request"]
                else None
            )
            try:
                doc = actions.upload_document(
                    case,
                    upload=d["file"],
                    kind=d["kind"],
                    title=d["title"],
                    actor=request.user,
                    advice_request=advice,
                )
                if advice is not None and advice.received_on is None and d["received_on"]:
                    record_advice_received(
                        case,
                        advice_id=advice.advice_id,
                        received_on=d["received_on"],
                        actor=request.user,
                    )
            except (ActionError, StaleCase) as exc:
                _error(form, exc if isinstance(exc, ActionError) else ActionError(str(exc)))
            else:
                messages.success(request, f"Uploaded ‘{doc.title}’")
                return redirect("casework:documents", pk=case.pk)
    rows = list(case.documents.select_related("uploaded_by", "advice_request"))
    audit(request.user, "view", case, "Viewed the case's documents", case=case)
    return render(
        request,
        "documents/documents.html",
        {"case": case, "rows": rows, "form": form, "writable": writable},
    )


@login_required
def document_file(request: HttpRequest, pk: int, doc_id: int) -> FileResponse:
    case = get_case_for_user(request.user, pk)
    doc = CaseDocument.objects.filter(case=case, pk=doc_id).first()
    if doc is None:
        raise Http404("No such document")
    actions.document_downloaded(request.user, doc, case, f"‘{doc.title}’")
    return FileResponse(
        doc.file.open("rb"),
        as_attachment=True,
        filename=doc.filename,
        content_type=doc.content_type,
    )


# --- The council's letter wording --------------------------------------------------------------


def _may_edit_letters(request: HttpRequest) -> None:
    if not request.user.has_perm("documents.change_letter_wording"):
        raise Http404("No such page")


@login_required
def letters(request: HttpRequest) -> HttpResponse:
    _may_edit_letters(request)
    latest: dict[str, LetterTemplate] = {}
    for t in LetterTemplate.objects.select_related("changed_by").order_by("key", "-version"):
        latest.setdefault(t.key, t)
    return render(
        request,
        "documents/letters.html",
        {"letters": [(spec, latest.get(key)) for key, spec in LETTERS.items()]},
    )


@login_required
def letter_wording(request: HttpRequest, key: str) -> HttpResponse:
    _may_edit_letters(request)
    spec = LETTERS.get(key)
    if spec is None:
        raise Http404("No such letter")
    subject, body, version = actions.current_wording(key)
    form = f.LetterWordingForm(request.POST or None, initial={"subject": subject, "body": body})
    preview = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if "preview" in request.POST:
            preview = _preview(request, form, spec.key, d)
        else:
            try:
                row = actions.save_letter_wording(
                    key, subject=d["subject"], body=d["body"], actor=request.user
                )
            except ActionError as exc:
                _error(form, exc)
            else:
                messages.success(request, f"‘{spec.title}’ saved as version {row.version}")
                return redirect("casework:letter_wording", key=key)
    history = list(LetterTemplate.objects.filter(key=key).select_related("changed_by"))
    return render(
        request,
        "documents/letter_wording.html",
        {
            "spec": spec,
            "form": form,
            "version": version,
            "history": history,
            "names": NAMES,
            "preview": preview,
        },
    )


def _preview(request: HttpRequest, form: Any, key: str, d: dict[str, Any]) -> dict[str, Any] | None:
    """The wording as typed, on a real case the person may read (audited as a view of it)."""
    reference = (d.get("preview_case") or "").strip().upper()
    case = cases_for_user(request.user).filter(reference=reference).first() if reference else None
    if case is None:
        form.add_error("preview_case", "Enter the reference of a case you can see")
        return None
    try:
        check_wording(LETTERS[key], d["subject"], d["body"])
        contacts = actions.family_recipients(case)
        subject, body = actions.compose(
            case,
            key,
            on=timezone.localdate(),
            recipient_name=contacts[0][0] if contacts else "the family",
            actor=request.user,
            today=timezone.localdate(),
            wording=(d["subject"], d["body"]),
            extra={"setting": "[the setting named in the plan]"},
        )
    except LetterError as exc:
        form.add_error("body", str(exc))
        return None
    audit(request.user, "view", case, f"Previewed the ‘{key}’ letter on the case", case=case)
    return {"case": case, "subject": subject, "paragraphs": letter_paragraphs(body)}
