"""The officer's side of the family's pages (/online-access/): secure messages on a case, and
online requests for assessment waiting for a check of who the child is."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sendcase.accounts.models import User
from sendcase.casework.access import children_for_user, get_case_for_user
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import Child
from sendcase.core import notify
from sendcase.core.audit import audit
from sendcase.core.models import NotifyMessage
from sendcase.portal import family_actions as fa
from sendcase.portal.actions import PortalError
from sendcase.portal.family_forms import CheckAskForm, ReplyForm
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


@login_required
def check_ask(request: HttpRequest, pk: int) -> HttpResponse:
    """Which child is it? Only children the officer may attach a request to are named; if
    another is known elsewhere, only a manager who can see them can say."""
    if not request.user.has_perm("casework.add_case"):
        raise Http404
    ask = AssessmentAsk.objects.select_related("person").filter(pk=pk).first()
    if ask is None or ask.status != AssessmentAsk.Status.CHECK:
        raise Http404
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
