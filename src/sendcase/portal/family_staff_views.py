"""The officer's side of the family's pages (/online-access/): secure messages on a case, and
online requests for assessment waiting for a check of who the child is."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sendcase.accounts.models import User
from sendcase.casework.access import cases_for_user, children_for_user, get_case_for_user
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import OPEN_STAGES, Case, Child
from sendcase.core import notify
from sendcase.core.audit import audit
from sendcase.core.models import NotifyMessage
from sendcase.portal import family_actions as fa
from sendcase.portal.actions import PortalError
from sendcase.portal.family_forms import AttachAskForm, CheckAskForm, ReplyForm
from sendcase.portal.family_models import AssessmentAsk, CaseMessage, FamilyViews
from sendcase.portal.family_views import posted
from sendcase.statutory.dates import format_date


@login_required
def family_messages(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, write=request.method == "POST")
    form = ReplyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        fa.reply_to_family(case, body=form.cleaned_data["body"], actor=cast(User, request.user))
        messages.success(request, "Your reply was sent.")
        return redirect("portal_staff:family_messages", case_id=case.pk)
    thread = CaseMessage.objects.filter(case=case).select_related("person", "staff")
    audit(request.user, "view", case, "Read the family's portal messages", case=case)
    context = {
        "case": case,
        "form": form,
        "thread": thread,
        "views": FamilyViews.objects.filter(case=case).select_related("person"),
        # What the portal sent the family (staff see what was sent on the case).
        "sent": NotifyMessage.objects.filter(
            case=case, template_id=notify.TEMPLATES["portal_family_message"]
        ).order_by("-created_at")[:20],
    }
    status = 400 if form.errors else 200
    return render(request, "portal/family/staff/messages.html", context, status=status)


@login_required
def asks(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("casework.add_case"):
        raise Http404
    held = AssessmentAsk.objects.filter(status=AssessmentAsk.Status.CHECK).select_related("person")
    audit(request.user, "view", None, "Listed online requests waiting for a check")
    return render(request, "portal/family/staff/asks.html", {"asks": held})


def _label(child: Child) -> str:
    return f"{child.full_name}, born {format_date(child.date_of_birth)}" + (
        f", UPN {child.upn}" if child.upn else ""
    )


def _held_ask(request: HttpRequest, pk: int) -> AssessmentAsk:
    """A request waiting for a check, for an officer who may record requests; else a 404."""
    if not request.user.has_perm("casework.add_case"):
        raise Http404
    ask = AssessmentAsk.objects.select_related("person").filter(pk=pk).first()
    if ask is None or ask.status != AssessmentAsk.Status.CHECK:
        raise Http404
    return ask


@login_required
def check_ask(request: HttpRequest, pk: int) -> HttpResponse:
    """Which child is it? Only children the officer may attach a request to are named; if
    another is known elsewhere, only a manager who can see them can say."""
    ask = _held_ask(request, pk)
    mine = list(children_for_user(request.user, attach=True).filter(pk__in=ask.possible_matches))
    elsewhere = len(mine) < len(ask.possible_matches)
    choices = [(str(c.pk), _label(c)) for c in mine]
    if not elsewhere:
        choices.append(("new", "None of these: a different child, not yet known to the service"))
    form = CheckAskForm(posted(request), choices=choices)
    if request.method == "POST" and form.is_valid():
        answer = form.cleaned_data["child"]
        known = next((c for c in mine if str(c.pk) == answer), None)
        try:
            case = fa.open_checked_ask(ask, known_child=known, actor=cast(User, request.user))
        except (ActionError, PortalError) as exc:
            form.add_error("child", getattr(exc, "message", str(exc)))
        else:
            messages.success(request, f"Request recorded: case {case.reference} opened")
            return redirect("casework:case", pk=case.pk)
    audit(request.user, "view", ask, "Viewed an online request for assessment")
    context = {"ask": ask, "form": form, "elsewhere": elsewhere}
    status = 400 if form.errors else 200
    return render(request, "portal/family/staff/check.html", context, status=status)


def _case_label(case: Case) -> str:
    what = (
        "open: added to it as correspondence"
        if case.stage in OPEN_STAGES
        else "closed: recorded as a new request, which opens the child's next case"
    )
    return f"{case.reference}, {_label(case.child)}. {case.get_stage_display()} ({what})"


@login_required
def attach_ask(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a held request to an existing case of a child it matched (family_actions.
    attach_checked_ask), having checked who asked. Only cases the officer may change are
    offered."""
    ask = _held_ask(request, pk)
    user = cast(User, request.user)
    cases = list(
        cases_for_user(user, write=True)
        .filter(child_id__in=ask.possible_matches)
        .select_related("child")
        .order_by("-opened_on", "pk")
    )
    form = AttachAskForm(posted(request), choices=[(str(c.pk), _case_label(c)) for c in cases])
    if request.method == "POST" and form.is_valid():
        chosen = next(c for c in cases if str(c.pk) == form.cleaned_data["case"])
        try:
            case = fa.attach_checked_ask(ask, chosen, actor=user)
        except (ActionError, PortalError) as exc:
            form.add_error("case", getattr(exc, "message", str(exc)))
        else:
            if case.pk == chosen.pk:
                done = f"Request added to case {case.reference} as correspondence"
            else:
                done = f"Request recorded: case {case.reference} opened for {case.child.full_name}"
            messages.success(request, done)
            return redirect("casework:case", pk=case.pk)
    audit(user, "view", ask, "Viewed an online request to add to an existing case")
    context = {"ask": ask, "form": form, "cases": cases}
    status = 400 if form.errors else 200
    return render(request, "portal/family/staff/attach.html", context, status=status)
