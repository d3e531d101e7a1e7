"""The council's side of the portal (staff URLs, /online-access/): send a family contact a
linking code, and decide requests to be linked."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sendcase.casework.access import get_case_for_user
from sendcase.casework.models import Case
from sendcase.portal import actions
from sendcase.portal.forms import DecideRequestForm, InviteForm
from sendcase.portal.models import LinkRequest


@login_required
def invite(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, write=True)
    form = InviteForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        contact = form.cleaned_data["contact"]
        try:
            actions.issue_link_code(
                case, contact, relationship=form.cleaned_data["relationship"], actor=request.user
            )
        except actions.PortalError as exc:
            form.add_error("contact", str(exc))
        else:
            messages.success(request, f"A linking code was sent to {contact.name}. It works once.")
            return redirect("casework:case", pk=case.pk)
    return render(request, "portal/staff/invite.html", {"case": case, "form": form})


@login_required
def link_requests(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("casework.add_case"):
        raise Http404
    waiting = LinkRequest.objects.filter(status=LinkRequest.Status.WAITING).select_related("person")
    return render(request, "portal/staff/requests.html", {"requests": waiting})


@login_required
def decide_request(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("casework.add_case"):
        raise Http404
    link_request = LinkRequest.objects.select_related("person").filter(pk=pk).first()
    if link_request is None or link_request.status != LinkRequest.Status.WAITING:
        raise Http404
    form = DecideRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reference = form.cleaned_data["case_reference"].strip()
        case = None
        if reference:
            found = Case.objects.filter(reference__iexact=reference).first()
            if found is not None:
                case = get_case_for_user(request.user, found.pk, write=True)
            else:
                form.add_error("case_reference", "Enter the reference of a case you can change")
        if not form.errors:
            actions.decide_link_request(link_request, case=case, actor=request.user)
            messages.success(
                request,
                f"{link_request.person} was linked to {case.reference}."
                if case
                else f"The request from {link_request.person} was refused.",
            )
            return redirect("portal_staff:requests")
    return render(request, "portal/staff/decide.html", {"link_request": link_request, "form": form})
