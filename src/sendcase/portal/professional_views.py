"""Professional services in the portal (/portal/advice/, /portal/services/): the advice requests
given to a person with their due dates, reporting a missed appointment, uploading the advice
(recorded as received that day), and the service manager's view of every request sent to the
service, with what is overdue, where they give each request to a named member. Every page is
audited; anything the person was not asked for is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sendcase.casework.domain.errors import ActionError, StaleCase
from sendcase.core.audit import audit_each
from sendcase.portal import actions, work
from sendcase.portal import work_access as access
from sendcase.portal.access import person_required
from sendcase.portal.models import AdviceAssignment, ExternalPerson
from sendcase.portal.work_forms import AdviceUploadForm, AssignForm, MissedAppointmentForm


def _error(form: Any, exc: Exception) -> None:
    if isinstance(exc, ActionError):
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    else:  # StaleCase, PortalError: someone else changed the case, or a refusal in words
        form.add_error(None, str(exc))


def _row(assignment: AdviceAssignment, today: Any) -> dict[str, Any]:
    advice = assignment.advice_request
    due = access.advice_due(assignment)
    return {
        "assignment": assignment,
        "advice": advice,
        "case": advice.case,
        "due": due,
        "overdue": due is not None
        and advice.received_on is None
        and due.due is not None
        and due.due < today,
    }


def _audit_list(person: ExternalPerson, rows: list[AdviceAssignment], what: str) -> None:
    audit_each(
        actions.actor_for(person),
        "view",
        "casework.case",
        [(a.advice_request.case_id, a.advice_request.case_id) for a in rows],
        f"{person} (portal): {what}",
        payload={"external_person": person.pk},
    )


@person_required
def advice_list(request: HttpRequest, person: ExternalPerson) -> HttpResponse:
    rows = access.assignments_for(person)
    _audit_list(person, rows, "viewed the advice requests given to them")
    today = timezone.localdate()
    items = [_row(a, today) for a in rows]
    managed = [m for m in access.memberships(person, settings_only=False) if m.manages]
    context = {
        "person": person,
        "periods": access.PERIODS,
        "waiting": [i for i in items if i["advice"].received_on is None],
        "done": [i for i in items if i["advice"].received_on is not None],
        "managed": managed,
    }
    return render(request, "portal/professional/advice_list.html", context)


@person_required
def advice_detail(request: HttpRequest, person: ExternalPerson, pk: int) -> HttpResponse:
    assignment = access.get_assignment_for_person(person, pk)
    advice = assignment.advice_request
    form = AdviceUploadForm()
    if request.method == "POST":
        if advice.received_on is not None:
            raise Http404("No advice request waiting")
        form = AdviceUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                work.submit_advice(
                    assignment,
                    person,
                    upload=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                )
            except (ActionError, StaleCase, actions.PortalError) as exc:
                _error(form, exc)
            else:
                messages.success(
                    request,
                    f"Your advice was sent to the council and recorded as received today. "
                    f"Case {advice.case.reference}",
                )
                return redirect("portal:advice_detail", pk=pk)
    actions.portal_audit(
        person,
        "view",
        advice,
        f"Viewed the advice request for case {advice.case.reference}",
        case=advice.case,
    )
    context = {
        "person": person,
        "periods": access.PERIODS,
        **_row(assignment, timezone.localdate()),
        "documents": list(advice.documents.all()),
        "form": form,
    }
    return render(request, "portal/professional/advice_detail.html", context)


@person_required
def missed_appointment(request: HttpRequest, person: ExternalPerson, pk: int) -> HttpResponse:
    assignment = access.get_assignment_for_person(person, pk)
    advice = assignment.advice_request
    if advice.received_on is not None:
        raise Http404("No advice request waiting")
    form = MissedAppointmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            work.report_missed_appointment(
                assignment, person, missed_on=d["missed_on"], next_on=d["next_on"], why=d["why"]
            )
        except (ActionError, StaleCase) as exc:
            _error(form, exc)
        else:
            messages.success(request, "The council has been told about the missed appointment.")
            return redirect("portal:advice_detail", pk=pk)
    actions.portal_audit(
        person, "view", advice, "Opened the missed appointment form", case=advice.case
    )
    return render(
        request,
        "portal/professional/missed_appointment.html",
        {
            "person": person,
            "periods": access.PERIODS,
            "assignment": assignment,
            "advice": advice,
            "form": form,
        },
    )


PAGE_SIZE = 50


@person_required
def service_advice(request: HttpRequest, person: ExternalPerson, org_pk: int) -> HttpResponse:
    """The manager's view: the requests sent to the service still waiting, overdue first, who
    has each, and how many are overdue; a page at a time."""
    mine = access.managed_service(person, org_pk)
    today = timezone.localdate()
    waiting = access.service_waiting(mine.organisation)
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    _audit_list(person, rows, f"viewed the advice requests sent to {mine.organisation}")
    context = {
        "person": person,
        "periods": access.PERIODS,
        "mine": mine,
        "overdue_count": access.service_overdue(mine.organisation, today),
        "given": AdviceAssignment.objects.filter(
            service=mine.organisation, advice_request__received_on__isnull=False
        ).count(),
        "rows": [_row(a, today) for a in rows],
        "page": page,
    }
    return render(request, "portal/professional/service.html", context)


@person_required
def assign(request: HttpRequest, person: ExternalPerson, org_pk: int, pk: int) -> HttpResponse:
    mine = access.managed_service(person, org_pk)
    assignment = access.get_service_assignment(mine.organisation, pk)
    members = list(
        mine.organisation.memberships.filter(ended_at__isnull=True).select_related("person")
    )
    form = AssignForm(request.POST if request.method == "POST" else None, members=members)
    if request.method == "POST" and form.is_valid():
        member = next(m for m in members if str(m.pk) == form.cleaned_data["member"])
        try:
            work.assign_advice(assignment, member, by=mine)
        except actions.PortalError as exc:
            _error(form, exc)
        else:
            messages.success(request, f"The request was given to {member.person}.")
            return redirect("portal:service_advice", org_pk=org_pk)
    case = assignment.advice_request.case
    actions.portal_audit(
        person, "view", assignment.advice_request, "Opened the form to assign advice", case=case
    )
    context = {
        "person": person,
        "periods": access.PERIODS,
        "mine": mine,
        **_row(assignment, timezone.localdate()),
        "form": form,
    }
    return render(request, "portal/professional/assign.html", context)
