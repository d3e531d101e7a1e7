"""Screens for FOI requests, subject access requests and complaints. Thin: each form calls one
action in actions.py. Anyone without the role, and any record that does not exist, gets 404."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from sendcase.casework.access import cases_for_user
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import Case, Child
from sendcase.core.actors import RequestUser
from sendcase.core.audit import audit, audit_each
from sendcase.core.models import AuditEntry
from sendcase.information import actions, bundle
from sendcase.information import forms as f
from sendcase.information.disclosure import ProtectedTable, protect
from sendcase.information.models import Complaint, FoiRequest, SubjectAccessRequest
from sendcase.reporting.domain.periods import YearKind
from sendcase.reporting.forms import QuestionForm
from sendcase.reporting.views import question_table
from sendcase.statutory.dates import format_date


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise Http404


def _get(model: type[Model], pk: int) -> Any:
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def _error(form: forms.Form, exc: ActionError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _median(values: list[int]) -> float | None:
    return statistics.median(values) if values else None


# --- FOI ---------------------------------------------------------------------------------------


@login_required
def foi_list(request: HttpRequest) -> HttpResponse:
    _require(request, "information.view_foi")
    requests = list(FoiRequest.objects.select_related("assigned_to")[:200])
    answered = FoiRequest.objects.filter(status=FoiRequest.Status.ANSWERED)
    taken = list(answered.values_list("working_days_taken", flat=True))
    on_time = answered.filter(responded_on__lte=F("due_on")).count()
    return render(
        request,
        "information/foi_list.html",
        {
            "requests": requests,
            "answered": len(taken),
            "median_days": _median([t for t in taken if t is not None]),
            "on_time": on_time,
            "today": timezone.localdate(),
        },
    )


@login_required
def foi_new(request: HttpRequest) -> HttpResponse:
    _require(request, "information.manage_foi")
    form = f.FoiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            foi = actions.log_foi(**form.cleaned_data, actor=request.user)
        except ActionError as exc:
            _error(form, exc)
        else:
            messages.success(
                request, f"Request {foi.reference} logged: due {format_date(foi.due_on)}"
            )
            return redirect("information:foi", foi.pk)
    return render(request, "information/form.html", {"form": form, "title": "Log an FOI request", "back": reverse("information:foi_list"), "button": "Log request"})  # fmt: skip


@login_required
def foi(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "information.view_foi")
    return render(request, "information/foi.html", {"foi": _get(FoiRequest, pk)})


def _foi_table(form: QuestionForm) -> tuple[Any, dict[str, Any]]:
    d = form.cleaned_data
    result = question_table(
        d["count"], d["by"], YearKind(d["kind"]), d["first"], d["last"], timezone.localdate()
    )
    rows = result["rows"]
    if d["by"]:
        columns = result["headings"][1:-1]
        values = [row[1:-1] for row in rows]
    else:
        columns = [result["headings"][1]]
        values = [[row[1]] for row in rows]
    asked = {k: str(v) for k, v in d.items()} | {"label": result["definition"].label}
    if not values or not columns:
        return None, asked
    return protect(values, [row[0] for row in rows], columns), asked


@login_required
def foi_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Count from "count anything", see the table as it will be published (disclosure control
    applied), and record the answer."""
    _require(request, "information.view_foi")
    foi = _get(FoiRequest, pk)
    if foi.status != FoiRequest.Status.OPEN:
        raise Http404
    question = QuestionForm(
        request.GET or None, initial=QuestionForm.defaults(timezone.localdate())
    )
    table: ProtectedTable | None = None
    asked: dict[str, Any] = {}
    if question.is_bound and question.is_valid():
        table, asked = _foi_table(question)
    form = f.FoiAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_foi(
                foi, **form.cleaned_data, table=table, asked=asked, actor=request.user
            )
        except ActionError as exc:
            _error(form, exc)
        else:
            messages.success(request, f"Answer to {foi.reference} recorded")
            return redirect("information:foi", foi.pk)
    return render(
        request,
        "information/foi_answer.html",
        {
            "foi": foi,
            "question": question,
            "pub": actions.published(table, asked) if table is not None else None,
            "form": form,
            "query": request.GET.urlencode(),
        },
    )


# --- One-step forms: each a form and the action it calls ------------------------------------------


@dataclass(frozen=True)
class Step:
    model: type[Model]
    form: type[forms.Form]
    action: Callable[..., Any]
    title: str
    button: str
    perm: str
    back: str  # url name of the record's page
    done: str


STEPS: dict[str, Step] = {
    "foi-assign": Step(
        FoiRequest,
        f.AssignForm,
        actions.assign_foi,
        "Assign the request",
        "Assign",
        "information.manage_foi",
        "information:foi",
        "Request assigned",
    ),  # fmt: skip
    "complaint-respond": Step(
        Complaint,
        f.ComplaintResponseForm,
        actions.respond_to_complaint,
        "Record the response",
        "Record response",
        "information.handle_complaint",
        "information:complaint",
        "Response recorded",
    ),  # fmt: skip
    "complaint-escalate": Step(
        Complaint,
        f.EscalateForm,
        actions.escalate_complaint,
        "Escalate to stage 2",
        "Escalate",
        "information.handle_complaint",
        "information:complaint",
        "Complaint escalated to stage 2",
    ),  # fmt: skip
    "complaint-ombudsman": Step(
        Complaint,
        f.OmbudsmanForm,
        actions.refer_to_ombudsman,
        "Record a referral to the Ombudsman",
        "Record referral",
        "information.handle_complaint",
        "information:complaint",
        "Referral recorded",
    ),  # fmt: skip
    "sar-verify": Step(
        SubjectAccessRequest,
        f.VerifyForm,
        actions.verify_sar_identity,
        "Record identity verified",
        "Record",
        "information.work_sar",
        "information:sar",
        "Identity recorded",
    ),  # fmt: skip
    "sar-extend": Step(
        SubjectAccessRequest,
        f.ExtendForm,
        actions.extend_sar,
        "Extend the time limit",
        "Extend",
        "information.work_sar",
        "information:sar",
        "Time limit extended",
    ),  # fmt: skip
    "sar-review": Step(
        SubjectAccessRequest,
        f.ReviewForm,
        actions.record_redaction_review,
        "Record the redaction review",
        "Record",
        "information.work_sar",
        "information:sar",
        "Redaction review recorded",
    ),  # fmt: skip
    "sar-release": Step(
        SubjectAccessRequest,
        f.ReleaseForm,
        actions.record_sar_release,
        "Record the release",
        "Record release",
        "information.work_sar",
        "information:sar",
        "Release recorded",
    ),  # fmt: skip
}


@login_required
def step(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    s = STEPS.get(name)
    if s is None:
        raise Http404
    obj = _get(s.model, pk)
    _require(request, s.perm, obj)
    form = s.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            s.action(obj, **form.cleaned_data, actor=request.user)
        except ActionError as exc:
            _error(form, exc)
        else:
            messages.success(request, s.done)
            return redirect(s.back, obj.pk)
    return render(request, "information/form.html", {"form": form, "title": s.title, "button": s.button, "back": reverse(s.back, args=[obj.pk]), "record": obj})  # fmt: skip


# --- Complaints --------------------------------------------------------------------------------


def _complaints_for(user: RequestUser) -> QuerySet[Complaint]:
    qs = Complaint.objects.select_related("case", "case__child")
    if user.has_perm("information.list_complaints"):
        return qs
    return qs.filter(case__in=cases_for_user(user, write=True))


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    _require(request, "information.list_complaints")
    return render(request, "information/complaint_list.html", {"complaints": list(_complaints_for(request.user)[:200]), "today": timezone.localdate()})  # fmt: skip


@login_required
def complaint_new(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = Case.objects.select_related("child").filter(pk=case_pk).first()
    if case is None:
        raise Http404
    _require(request, "information.handle_complaint", case)
    form = f.ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            c = actions.log_complaint(case, **form.cleaned_data, actor=request.user)
        except ActionError as exc:
            _error(form, exc)
        else:
            messages.success(
                request,
                f"Complaint {c.reference} logged: stage 1 response due {format_date(c.stage_1_due)}",
            )
            return redirect("information:complaint", c.pk)
    return render(request, "information/form.html", {"form": form, "title": f"Log a complaint about case {case.reference}", "back": reverse("casework:case", args=[case.pk]), "button": "Log complaint"})  # fmt: skip


@login_required
def complaint(request: HttpRequest, pk: int) -> HttpResponse:
    c = _get(Complaint, pk)
    _require(request, "information.handle_complaint", c)
    audit(request.user, AuditEntry.Action.VIEW, c, f"Viewed complaint {c.reference}", case=c.case)
    return render(request, "information/complaint.html", {"c": c})


# --- Subject access ------------------------------------------------------------------------------


def _latest_case(child: Child) -> Case | None:
    return Case.objects.filter(child=child).order_by("-opened_on", "-pk").first()


@login_required
def sar_list(request: HttpRequest) -> HttpResponse:
    _require(request, "information.work_sar")
    sars = list(SubjectAccessRequest.objects.select_related("child")[:200])
    return render(
        request, "information/sar_list.html", {"sars": sars, "today": timezone.localdate()}
    )


@login_required
def sar_new(request: HttpRequest) -> HttpResponse:
    """Find the child by last name, then log the request against them."""
    _require(request, "information.work_sar")
    child = None
    if request.GET.get("child", "").isdigit():
        child = Child.objects.filter(pk=int(request.GET["child"])).first()
    if child is None:
        finder = f.ChildFinderForm(request.GET or None)
        matches = []
        if finder.is_bound and finder.is_valid():
            matches = list(Child.objects.filter(surname__iexact=finder.cleaned_data["surname"]).order_by("forename", "date_of_birth")[:50])  # fmt: skip
        if matches:
            audit_each(
                request.user,
                AuditEntry.Action.VIEW,
                "casework.child",
                ((c.pk, None) for c in matches),
                "Shown in the subject access request child finder",
            )
        return render(request, "information/sar_find.html", {"finder": finder, "matches": matches})
    form = f.SarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sar = actions.log_sar(child, **form.cleaned_data, actor=request.user)
        except ActionError as exc:
            _error(form, exc)
        else:
            messages.success(request, f"Request {sar.reference} logged")
            return redirect("information:sar", sar.pk)
    return render(request, "information/form.html", {"form": form, "title": f"Log a subject access request for {child.forename} {child.surname}", "back": reverse("information:sar_new"), "button": "Log request"})  # fmt: skip


@login_required
def sar(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "information.work_sar")
    s = _get(SubjectAccessRequest, pk)
    audit(request.user, AuditEntry.Action.VIEW, s.child, f"Viewed subject access request {s.reference}", case=_latest_case(s.child))  # fmt: skip
    return render(request, "information/sar.html", {"sar": s})


@login_required
def sar_bundle(request: HttpRequest, pk: int) -> HttpResponse:
    """The ZIP, audited as an export of the child's record."""
    _require(request, "information.work_sar")
    s = _get(SubjectAccessRequest, pk)
    if s.status == SubjectAccessRequest.Status.AWAITING_IDENTITY:
        raise Http404
    data = bundle.build(s)
    audit(request.user, AuditEntry.Action.EXPORT, s.child, f"Subject access bundle for {s.reference}", case=_latest_case(s.child), payload={"sar": s.reference})  # fmt: skip
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{s.reference}.zip"'
    return response
