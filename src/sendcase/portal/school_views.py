"""Schools and colleges in the portal (/portal/school/): the consultations on being named sent to
their setting, answered within the 15 days (the casework step `setting_responded`), and the annual
review tray for the pupils the council linked them to: when each review is due, the invitations,
the meeting, and the upload of the review report with its 2-week deadline (the casework step
`review_report`). Every page is audited; anything else is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sendcase.casework.domain.errors import ActionError, StaleCase
from sendcase.core.audit import audit_each
from sendcase.portal import actions, work
from sendcase.portal import work_access as access
from sendcase.portal.access import person_required
from sendcase.portal.family_forms import SchoolAskForm
from sendcase.portal.family_views import ask_page
from sendcase.portal.models import ExternalPerson, Relationship
from sendcase.portal.work_forms import (
    ConsultationAnswerForm,
    ReviewMeetingForm,
    ReviewReportForm,
)
from sendcase.statutory.dates import format_date


def _error(form: Any, exc: Exception) -> None:
    if isinstance(exc, ActionError):
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    else:
        form.add_error(None, str(exc))


@person_required
def tray(request: HttpRequest, person: ExternalPerson) -> HttpResponse:
    settings_of = access.memberships(person, settings_only=True)
    if not settings_of:
        raise Http404("No school or college found")
    today = timezone.localdate()
    consultations = access.consultations_for(person)
    pupils = list(access.review_cases(person))
    audit_each(
        actions.actor_for(person),
        "view",
        "casework.case",
        [(c.case_id, c.case_id) for c in consultations] + [(c.pk, c.pk) for c in pupils],
        f"{person} (portal): viewed their setting's consultations and reviews",
        payload={"external_person": person.pk},
    )
    context = {
        "person": person,
        "periods": access.PERIODS,
        "settings_of": settings_of,
        "open_consultations": [
            {"c": c, "due": access.consultation_due(c)}
            for c in consultations
            if c.answered_on is None
        ],
        "answered": [c for c in consultations if c.answered_on is not None],
        "reviews": [{"case": c, **access.review_summary(c, today)} for c in pupils],
        "today": today,
    }
    return render(request, "portal/school/tray.html", context)


@person_required
def consultation(request: HttpRequest, person: ExternalPerson, pk: int) -> HttpResponse:
    found = access.get_consultation_for_person(person, pk)
    form = ConsultationAnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if found.answered_on is not None:
            raise Http404("No consultation waiting")
        if form.is_valid():
            try:
                work.answer_consultation(
                    found,
                    person,
                    can_meet_needs=form.cleaned_data["can_meet_needs"] == "yes",
                    reasons=form.cleaned_data["reasons"],
                )
            except (ActionError, StaleCase) as exc:
                _error(form, exc)
            else:
                messages.success(request, "Your answer was sent to the council.")
                return redirect("portal:school_consultation", pk=pk)
    actions.portal_audit(
        person,
        "view",
        found,
        f"Viewed the consultation on case {found.case.reference}",
        case=found.case,
    )
    due = access.consultation_due(found)
    return render(
        request,
        "portal/school/consultation.html",
        {"person": person, "periods": access.PERIODS, "c": found, "due": due, "form": form},
    )


def _review_page(
    request: HttpRequest,
    person: ExternalPerson,
    case: Any,
    summary: dict[str, Any],
    *,
    form: ReviewReportForm | None = None,
    meeting_form: ReviewMeetingForm | None = None,
    template: str = "portal/school/review.html",
) -> HttpResponse:
    actions.portal_audit(
        person, "view", case, f"Viewed the annual review of case {case.reference}", case=case
    )
    form = form or ReviewReportForm()
    meeting_form = meeting_form or ReviewMeetingForm()
    status = 400 if form.errors or meeting_form.errors else 200
    context = {
        "person": person,
        "periods": access.PERIODS,
        "case": case,
        "form": form,
        "meeting_form": meeting_form,
        **summary,
    }
    return render(request, template, context, status=status)


@person_required
def review(request: HttpRequest, person: ExternalPerson, case_id: int) -> HttpResponse:
    case = access.get_review_case_for_person(person, case_id)
    summary = access.review_summary(case, timezone.localdate())
    form = ReviewReportForm()
    if request.method == "POST":
        if summary["awaiting_report"] is None:
            raise Http404("No review report waiting")
        form = ReviewReportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                work.submit_review_report(
                    case,
                    person,
                    upload=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                )
            except (ActionError, StaleCase) as exc:
                _error(form, exc)
            else:
                messages.success(
                    request, "The review report was sent to the council and recorded as sent today."
                )
                return redirect("portal:school_review", case_id=case_id)
    return _review_page(request, person, case, summary, form=form)


@person_required
def review_meeting(request: HttpRequest, person: ExternalPerson, case_id: int) -> HttpResponse:
    """The SENCO records that the annual review meeting was held, and on what date (casework's
    `review_meeting` step, through work.record_meeting_held); the report is due 2 weeks later."""
    case = access.get_review_case_for_person(person, case_id)
    summary = access.review_summary(case, timezone.localdate())
    form = ReviewMeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not summary["can_record_meeting"]:
            raise Http404("No review meeting to record")
        if form.is_valid():
            try:
                meeting_on = form.cleaned_data["meeting_on"]
                work.record_meeting_held(case, person, meeting_on=meeting_on)
            except (ActionError, StaleCase) as exc:
                _error(form, exc)
            else:
                messages.success(
                    request,
                    f"The review meeting on {format_date(meeting_on)} was recorded. "
                    "Upload the review report below.",
                )
                return redirect("portal:school_review", case_id=case_id)
    return _review_page(
        request,
        person,
        case,
        summary,
        meeting_form=form,
        template="portal/school/review_meeting.html",
    )


@person_required
def ask(request: HttpRequest, person: ExternalPerson) -> HttpResponse:
    """A school or college asks for an EHC needs assessment for a pupil (CFA 2014 s36(1)). The
    request opens a case dated today, as a family's does (family_actions.ask_for_assessment),
    with the setting as its source."""
    settings_of = access.memberships(person, settings_only=True)
    if not settings_of:
        raise Http404("No school or college found")
    setting = settings_of[0].organisation
    return ask_page(
        request,
        person,
        SchoolAskForm,
        "portal/school/ask.html",
        {"setting": setting},
        relationship=Relationship.SETTING,
        setting=setting,
    )
