"""Forms for FOI requests, subject access requests and complaints (GOV.UK wording)."""

from __future__ import annotations

from django import forms

from sendcase.accounts.models import User
from sendcase.accounts.roles import FOI_ROLES
from sendcase.casework.forms import GovukForm
from sendcase.core.forms import GovukDateField, text_field, textarea_field
from sendcase.information.models import Complaint


def _date(label: str, subject: str) -> GovukDateField:
    return GovukDateField(label=label, subject=subject)


class FoiForm(GovukForm):
    requester = text_field("Who asked", "who asked")
    received_on = _date("Date the request was received", "the date the request was received")
    question = textarea_field("The question", "the question")


class AssignForm(GovukForm):
    to = forms.ModelChoiceField(
        label="Assign to",
        queryset=User.objects.filter(role__in=FOI_ROLES, is_active=True).order_by("last_name"),
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={
            "required": "Select who will answer",
            "invalid_choice": "Select who will answer",
        },
    )


class FoiAnswerForm(GovukForm):
    responded_on = _date("Date the answer was sent", "the date the answer was sent")
    answer = textarea_field("The answer", "the answer")


class ComplaintForm(GovukForm):
    complainant = text_field("Who complained", "who complained")
    received_on = _date("Date the complaint was received", "the date the complaint was received")
    summary = textarea_field("What the complaint is about", "what the complaint is about")


class ComplaintResponseForm(GovukForm):
    responded_on = _date("Date of the response", "the date of the response")
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Complaint.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome", "invalid_choice": "Select the outcome"},
    )


class EscalateForm(GovukForm):
    escalated_on = _date("Date the complaint was escalated", "the date the complaint was escalated")


class OmbudsmanForm(GovukForm):
    referred_on = _date("Date of the referral", "the date of the referral")
    reference = text_field(
        "Ombudsman's reference (optional)",
        "the Ombudsman's reference",
        max_length=40,
        required=False,
    )


class SarForm(GovukForm):
    requester = text_field("Who asked", "who asked")
    relationship = text_field(
        "Their relationship to the child", "their relationship to the child", max_length=60
    )
    received_on = _date("Date the request was received", "the date the request was received")


class ChildFinderForm(GovukForm):
    surname = text_field("Child's last name", "the child's last name", max_length=100)


class VerifyForm(GovukForm):
    verified_on = _date("Date identity was verified", "the date identity was verified")
    evidence = text_field("Proof of identity seen", "what proof of identity was seen")


class ExtendForm(GovukForm):
    extended_on = _date("Date the requester was told", "the date the requester was told")
    reason = textarea_field(
        "Why the request is complex or numerous", "why the request is complex or numerous"
    )


class ReviewForm(GovukForm):
    reviewed_on = _date("Date of the review", "the date of the review")


class ReleaseForm(GovukForm):
    released_on = _date("Date of release", "the date of release")
    note = textarea_field("Note (optional)", "a note", required=False)
