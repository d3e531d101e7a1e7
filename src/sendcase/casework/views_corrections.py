"""Correcting the record: correct or strike out a recorded step, withdraw the request, close the
case. Thin views over `casework.domain.corrections` and `assessment`; each page is its own
confirmation (what will change, and why), with the case's version for optimistic locking."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from sendcase.accounts.roles import corrects_any_step
from sendcase.casework.access import get_case_for_user
from sendcase.casework.domain import corrections
from sendcase.casework.domain.assessment import close_case, record_withdrawal
from sendcase.casework.forms import (
    CloseCaseForm,
    CorrectStepForm,
    StrikeOutForm,
    WithdrawRequestForm,
)
from sendcase.casework.models import Case, Ceasing, StatutoryEvent
from sendcase.casework.views import case_form
from sendcase.statutory.dates import format_date


def _step(request: HttpRequest, case: Case, event_id: int, what: str) -> StatutoryEvent | None:
    """The step to change: 404 when it is not this case's, or the person may not change the case;
    403 when they may change the case but did not record the step and are not a manager;
    None (with a message) when it was corrected or struck out since the link was shown."""
    row = StatutoryEvent.log.filter(case=case, pk=event_id).select_related("recorded_by").first()
    user = request.user
    writes = user.has_perm("casework.change_case", case) or corrects_any_step(user)
    fits = row is not None and (
        corrections.correctable(row) if what == "correct" else corrections.strikable(row)
    )
    if row is None or not writes or not fits:
        raise Http404("No step found")
    if not corrections.may_correct(user, row):  # may see and change the case, not this step
        raise PermissionDenied("Only the person who recorded the step, or a manager")
    if not StatutoryEvent.objects.filter(pk=row.pk).exists():
        messages.info(request, "This step has already been corrected or struck out.")
        return None
    return row


def _words(event: StatutoryEvent) -> str:
    return corrections.step_words(event)


@login_required
@require_http_methods(["GET", "POST"])
def correct_step(request: HttpRequest, pk: int, event_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    event = _step(request, case, event_id, "correct")
    if event is None:
        return redirect("casework:case", pk=case.pk)
    words = _words(event)

    def change(data: dict[str, Any], version: int) -> str:
        fixed = corrections.correct_step(
            case,
            event_id=event.pk,
            date=data.get("date"),
            reason=data["reason"],
            details={k: data[k] for k in corrections.DETAILS.get(event.type, ()) if k in data},
            actor=request.user,
            expected_version=version,
        )
        return f"Corrected: {words}, now {format_date(fixed.date)}"

    recorded = dict(event.data)
    initial: dict[str, Any] = {"date": event.date}
    for name in corrections.DETAILS.get(event.type, ()):
        value = recorded.get("reason" if name == "exception_reason" else name)
        if name in ("start", "end", "move_date", "last_review") and value:
            value = dt.date.fromisoformat(value)
        if name == "can_meet_needs" and value is not None:
            value = "yes" if value else "no"
        initial[name] = value
    return case_form(
        request,
        case,
        CorrectStepForm,
        "casework/correct_step.html",
        change,
        f"Correct a step: {words}",
        page={"event": event, "words": words},
        initial=initial,
        event_type=event.type,
    )


@login_required
@require_http_methods(["GET", "POST"])
def strike_out_step(request: HttpRequest, pk: int, event_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    event = _step(request, case, event_id, "strike")
    if event is None:
        return redirect("casework:case", pk=case.pk)
    words = _words(event)

    def change(data: dict[str, Any], version: int) -> str:
        corrections.strike_out_step(
            case,
            event_id=event.pk,
            reason=data["reason"],
            actor=request.user,
            expected_version=version,
        )
        return f"Struck out: {words}"

    return case_form(
        request,
        case,
        StrikeOutForm,
        "casework/strike_out_step.html",
        change,
        f"Strike out a step: {words}",
        page={"event": event, "words": words},
    )


def _closable(request: HttpRequest, case: Case, doing: str) -> bool:
    if case.stage in corrections.CLOSABLE_STAGES:
        return True
    messages.info(
        request,
        f"You cannot {doing} while the case is at ‘{case.get_stage_display()}’. "
        "A maintained plan ends only when the council decides to cease it.",
    )
    return False


@login_required
@require_http_methods(["GET", "POST"])
def withdraw_request(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    if not _closable(request, case, "withdraw the request"):
        return redirect("casework:case", pk=case.pk)

    def change(data: dict[str, Any], version: int) -> str:
        record_withdrawal(
            case,
            withdrawn_on=data["withdrawn_on"],
            reason=data["reason"],
            actor=request.user,
            expected_version=version,
        )
        return "Request withdrawn and the case closed"

    return case_form(
        request,
        case,
        WithdrawRequestForm,
        "casework/closing.html",
        change,
        "Withdraw the request",
        page={
            "heading": "Withdraw the request",
            "intro": "Use this when the family, or whoever made the request, withdraws it before "
            "a plan is issued. The case closes and leaves the work queue; the SEN2 return counts "
            "the request as withdrawn (W).",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    if not _closable(request, case, "close the case"):
        return redirect("casework:case", pk=case.pk)

    def change(data: dict[str, Any], version: int) -> str:
        close_case(
            case,
            closed_on=data["closed_on"],
            why=data["why"],
            details=data["details"],
            actor=request.user,
            expected_version=version,
        )
        return "Case closed"

    return case_form(
        request,
        case,
        CloseCaseForm,
        "casework/closing.html",
        change,
        "Close the case",
        page={
            "heading": "Close the case",
            "intro": "Close a case before any plan for a reason other than the request being "
            "withdrawn. The case leaves the work queue; the SEN2 return counts the request as "
            "withdrawn or ceased before a decision (W). A maintained plan ends only by the "
            "council's decision to cease it.",
        },
    )


def _ceasing_step(request: HttpRequest, case: Case, ceasing_id: int, step: str) -> Ceasing:
    """A step of the case's ceasing route: 404 when there is none, or the person may not change
    the case; 403 when they did not record it and are not a manager."""
    user = request.user
    ceasing = case.ceasings.filter(pk=ceasing_id).first()
    writes = user.has_perm("casework.change_case", case) or corrects_any_step(user)
    if ceasing is None or not writes or corrections.ceasing_step_date(ceasing, step) is None:
        raise Http404("No step found")
    if not corrections.may_change_ceasing_step(user, case, ceasing, step):
        raise PermissionDenied("Only the person who recorded the step, or a manager")
    return ceasing


@login_required
@require_http_methods(["GET", "POST"])
def ceasing_step(
    request: HttpRequest, pk: int, ceasing_id: int, step: str, what: str
) -> HttpResponse:
    """Correct the date of a step of the ceasing route, or strike it out ("correct" or
    "strike-out"), with a reason."""
    if what not in ("correct", "strike-out"):
        raise Http404("No such change")
    case = get_case_for_user(request.user, pk)
    ceasing = _ceasing_step(request, case, ceasing_id, step)
    on = corrections.ceasing_step_date(ceasing, step)
    words = f"{corrections.CEASING_STEPS[step]} on {format_date(on)}" if on else ""
    strike = what == "strike-out"

    def change(data: dict[str, Any], version: int) -> str:
        corrections.change_ceasing_step(
            case,
            ceasing_id=ceasing.pk,
            step=step,
            date=data.get("date"),
            reason=data["reason"],
            strike=strike,
            actor=request.user,
            expected_version=version,
        )
        return f"{'Struck out' if strike else 'Corrected'}: {words}"

    return case_form(
        request,
        case,
        StrikeOutForm if strike else CorrectStepForm,
        "casework/ceasing_step.html",
        change,
        f"{'Strike out' if strike else 'Correct'} a step: {words}",
        page={"words": words, "strike": strike},
        initial={"date": on},
    )
