"""Retention screens: the records due for deletion, a child's retention, legal holds, erasure."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from sendcase.accounts.roles import may_erase
from sendcase.casework.access import cases_for_user
from sendcase.casework.domain.errors import ActionError
from sendcase.core.audit import audit
from sendcase.core.models import AuditEntry
from sendcase.retention.access import get_child_for_user
from sendcase.retention.erasure import clear_legal_hold, erase_child, set_legal_hold
from sendcase.retention.forms import EraseForm, HoldForm, LiftForm
from sendcase.retention.models import Erasure, LegalHold
from sendcase.retention.policy import Policy, due_for_deletion, retention_of

PAGE_SIZE = 50


def _posted(request: HttpRequest) -> Any:
    """The form's data: a POST binds the form even when empty (a form with no fields)."""
    return request.POST if request.method == "POST" else None


def _form_error(form: Any, exc: ActionError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
def due(request: HttpRequest) -> HttpResponse:
    if not may_erase(request.user):
        raise Http404("No such page")
    report = due_for_deletion(timezone.localdate())
    page = Paginator(report.due, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    audit(
        request.user,
        AuditEntry.Action.VIEW,
        None,
        f"Records due for deletion viewed (page {page.number})",
        payload={"page": page.number, "children": [r.child.pk for r in rows]},
    )
    return render(
        request,
        "retention/due.html",
        {"report": report, "page": page, "rows": rows, "policy": report.policy.describe()},
    )


def _child_context(request: HttpRequest, child: Any) -> dict[str, Any]:
    erasure = Erasure.objects.filter(child=child).select_related("erased_by").first()
    hold = LegalHold.objects.filter(child=child).select_related("set_by").first()
    readable = set(cases_for_user(request.user).filter(child=child).values_list("pk", flat=True))
    return {
        "child": child,
        "standing": retention_of(child),
        "today": timezone.localdate(),
        "policy": Policy.from_settings().describe(),
        "erasure": erasure,
        "hold": hold,
        "cases": [(c, c.pk in readable) for c in child.cases.order_by("opened_on", "pk")],
        "may_erase": may_erase(request.user),
    }


@login_required
def child(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_child_for_user(request.user, pk)
    audit(request.user, AuditEntry.Action.VIEW, found, f"Retention of {found} viewed")
    return render(request, "retention/child.html", _child_context(request, found))


@login_required
@require_http_methods(["GET", "POST"])
def hold(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_child_for_user(request.user, pk)
    if Erasure.objects.filter(child=found).exists():
        return redirect("retention:child", pk=found.pk)
    current = LegalHold.objects.filter(child=found).first()
    form_class = LiftForm if current else HoldForm
    form = form_class(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            if current:
                clear_legal_hold(found, reason=form.cleaned_data["reason"], actor=request.user)
            else:
                set_legal_hold(found, reason=form.cleaned_data["reason"], actor=request.user)
        except ActionError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Legal hold lifted" if current else "Legal hold placed")
            return redirect("retention:child", pk=found.pk)
    if request.method == "GET":
        audit(request.user, AuditEntry.Action.VIEW, found, f"Legal hold of {found} viewed")
    return render(
        request,
        "retention/hold.html",
        {"child": found, "hold": current, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_child_for_user(request.user, pk)
    if not may_erase(request.user):
        raise Http404("No child found")
    context = _child_context(request, found)
    if context["erasure"] is not None:
        return redirect("retention:child", pk=found.pk)
    standing = context["standing"]
    early = standing.due_on is None or standing.due_on > context["today"]
    form = EraseForm(_posted(request), early=early)
    if request.method == "POST" and form.is_valid():
        try:
            erasure = erase_child(found, actor=request.user, **form.cleaned_data)
        except ActionError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"Record erased: the child is now {erasure.pseudonym}")
            return redirect("retention:child", pk=found.pk)
    if request.method == "GET":
        audit(request.user, AuditEntry.Action.VIEW, found, f"Erasure of {found} considered")
    context.update(form=form, early=early)
    return render(request, "retention/erase.html", context, status=400 if form.errors else 200)
