"""The council's side of the portal's work (staff URLs, /online-access/): send an advice request
to a professional service, and consult a school or college on being named. Only those who may
change the case (404 otherwise); each step is the casework action, audited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sendcase.casework.access import get_case_for_user
from sendcase.casework.domain.errors import ActionError, StaleCase
from sendcase.portal import work
from sendcase.portal.actions import PortalError
from sendcase.portal.work_forms import ConsultSettingForm, SendAdviceForm


@login_required
def send_advice(request: HttpRequest, case_id: int, advice_pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, write=True)
    advice = case.advice_requests.filter(pk=advice_pk).first()
    if advice is None:
        raise Http404("No advice request found")
    form = SendAdviceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            work.send_advice_to_service(
                advice,
                form.cleaned_data["service"],
                actor=request.user,
                notify=form.notify_choice(),
            )
        except (ActionError, PortalError) as exc:
            form.add_error("service", getattr(exc, "message", str(exc)))
        else:
            messages.success(
                request, f"The request was sent to {form.cleaned_data['service']} in the portal."
            )
            return redirect("casework:case", pk=case.pk)
    return render(
        request, "portal/staff/send_advice.html", {"case": case, "advice": advice, "form": form}
    )


@login_required
def consult(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, write=True)
    form = ConsultSettingForm(
        request.POST if request.method == "POST" else None,
        initial={"consulted_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            work.consult_setting(
                case,
                d["organisation"],
                consulted_on=d["consulted_on"],
                actor=request.user,
                notify=form.notify_choice(),
            )
        except (ActionError, PortalError, StaleCase) as exc:
            field = getattr(exc, "field", None)
            form.add_error(
                "consulted_on" if field == "consulted_on" else "organisation",
                getattr(exc, "message", str(exc)),
            )
        else:
            messages.success(request, f"{d['organisation']} was consulted in the portal.")
            return redirect("casework:case", pk=case.pk)
    return render(request, "portal/staff/consult.html", {"case": case, "form": form})
