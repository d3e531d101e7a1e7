"""Panel screens: the meetings, one meeting with its attendance and agenda, a decision on one
case, and the consistency figures. Thin: the actions write, the rules decide who may."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sendcase.accounts.roles import panel_scope
from sendcase.casework.domain.errors import ActionError
from sendcase.core.actors import RequestUser
from sendcase.core.audit import audit
from sendcase.core.models import AuditEntry
from sendcase.panels import actions, queries
from sendcase.panels.forms import (
    AgendaItemForm,
    AttendanceForm,
    CorrectDecisionForm,
    DecisionForm,
    MeetingForm,
    RemoveItemForm,
)
from sendcase.panels.models import Kind, PanelItem, PanelMeeting


def _need(user: RequestUser, perm: str, obj: Any = None) -> None:
    if not user.has_perm(perm, obj):
        raise Http404("No such page")


def _meeting_for(user: RequestUser, pk: int, *, write: bool = False) -> PanelMeeting:
    """The meeting, if this person may see it (or run it): 404 for missing and forbidden."""
    meeting = PanelMeeting.objects.select_related("team").filter(pk=pk).first()
    if meeting is None or not user.has_perm("panels.view_panel", meeting):
        raise Http404("No panel found")
    if write and not user.has_perm("panels.change_panel", meeting):
        raise Http404("No panel found")
    return meeting


def _form_error(form: Any, exc: ActionError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _need(request.user, "panels.view_panels")
    meetings = list(PanelMeeting.objects.filter(panel_scope(request.user)).select_related("team"))
    return render(
        request,
        "panels/index.html",
        {
            "meetings": meetings,
            "can_add": request.user.has_perm("panels.add_panel"),
            "can_see_consistency": request.user.has_perm("panels.view_consistency"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    _need(request.user, "panels.add_panel")
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = actions.create_meeting(actor=request.user, **form.cleaned_data)
        except ActionError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Panel meeting set up: build its agenda next")
            return redirect("panels:meeting", pk=meeting.pk)
    return render(request, "panels/new.html", {"form": form})


@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found = _meeting_for(request.user, pk)
    items = list(found.items.select_related("case", "case__child", "officer"))
    audit(
        request.user,
        AuditEntry.Action.VIEW,
        found,
        f"Panel viewed: {found}",
        payload={"cases": [i.case_id for i in items]},
    )
    by_kind = [
        (Kind(k).label, [i for i in items if i.kind == k]) for k in found.kinds if k in Kind.values
    ]
    return render(
        request,
        "panels/meeting.html",
        {
            "meeting": found,
            "members": list(found.members.all()),
            "by_kind": by_kind,
            "can_run": request.user.has_perm("panels.change_panel", found),
        },
    )


@login_required
@require_POST
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    found = _meeting_for(request.user, pk, write=True)
    added = actions.build_agenda(found, actor=request.user)
    messages.success(
        request,
        f"{len(added)} case{'s' if len(added) != 1 else ''} awaiting a decision added to the "
        "agenda",
    )
    return redirect("panels:meeting", pk=found.pk)


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    found = _meeting_for(request.user, pk, write=True)
    form = AttendanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_attendance(found, actor=request.user, **form.cleaned_data)
        except ActionError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Attendance recorded")
            return redirect("panels:meeting", pk=found.pk)
    return render(request, "panels/attendance.html", {"meeting": found, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def decision(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    found = _meeting_for(request.user, pk, write=True)
    item = _item_for(found, item_id)
    form = DecisionForm(request.POST or None, kind=item.kind)
    if item.decision:
        messages.info(request, "The panel's decision on this case is already recorded")
        return redirect("panels:meeting", pk=found.pk)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_panel_decision(item, actor=request.user, **form.cleaned_data)
        except ActionError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Panel decision recorded")
            return redirect("panels:meeting", pk=found.pk)
    return render(
        request,
        "panels/decision.html",
        {"meeting": found, "item": item, "form": form, "kind": Kind(item.kind).label},
    )


def _item_for(meeting: PanelMeeting, item_id: int) -> PanelItem:
    item = (
        PanelItem.objects.select_related("case", "case__child")
        .filter(meeting=meeting, pk=item_id)
        .first()
    )
    if item is None:
        raise Http404("No such case on the agenda")
    return item


@login_required
@require_http_methods(["GET", "POST"])
def add_item(request: HttpRequest, pk: int) -> HttpResponse:
    found = _meeting_for(request.user, pk, write=True)
    form = AgendaItemForm(request.POST or None, kinds=found.kinds)
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.add_agenda_item(found, actor=request.user, **form.cleaned_data)
        except ActionError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"{item.case.reference} added to the agenda")
            return redirect("panels:meeting", pk=found.pk)
    return render(request, "panels/add_item.html", {"meeting": found, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    found = _meeting_for(request.user, pk, write=True)
    item = _item_for(found, item_id)
    if not item.decision:
        return redirect("panels:decision", pk=found.pk, item_id=item.pk)
    initial = {
        "recommendation": item.recommendation,
        "decision": item.decision,
        "rationale": item.rationale,
    }
    form = CorrectDecisionForm(request.POST or None, kind=item.kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.correct_panel_decision(item, actor=request.user, **form.cleaned_data)
        except ActionError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Panel decision corrected")
            return redirect("panels:meeting", pk=found.pk)
    return render(
        request,
        "panels/correct.html",
        {"meeting": found, "item": item, "form": form, "kind": Kind(item.kind).label},
    )


@login_required
@require_http_methods(["GET", "POST"])
def remove_item(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    found = _meeting_for(request.user, pk, write=True)
    item = _item_for(found, item_id)
    if item.decision:
        messages.info(request, "The panel's decision on this case is recorded: correct it instead")
        return redirect("panels:meeting", pk=found.pk)
    form = RemoveItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.remove_agenda_item(item, actor=request.user, **form.cleaned_data)
        except ActionError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"{item.case.reference} taken off the agenda")
            return redirect("panels:meeting", pk=found.pk)
    return render(
        request,
        "panels/remove_item.html",
        {"meeting": found, "item": item, "form": form, "kind": Kind(item.kind).label},
    )


@login_required
def consistency(request: HttpRequest) -> HttpResponse:
    _need(request.user, "panels.view_consistency")
    user: RequestUser = request.user
    items = queries.decided(Q(meeting__in=PanelMeeting.objects.filter(panel_scope(user))))
    tables = [(label, queries.agreement(items, key)) for key, (label, _) in queries.BY.items()]
    audit(user, AuditEntry.Action.VIEW, None, "Panel consistency figures viewed")
    return render(request, "panels/consistency.html", {"tables": tables})
