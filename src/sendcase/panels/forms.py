"""Panel forms, in GOV.UK wording. Field names match the actions' keyword arguments."""

from __future__ import annotations

from typing import Any

from django import forms

from sendcase.casework.forms import DateField
from sendcase.panels.models import OUTCOMES, Agency, Kind


class MeetingForm(forms.Form):
    name = forms.CharField(
        label="Name of the panel",
        max_length=120,
        initial="SEND decision-making panel",
        error_messages={"required": "Enter the name of the panel"},
    )
    held_on = DateField(label="Date of the meeting", subject="the date of the meeting")
    kinds = forms.MultipleChoiceField(
        label="Decisions the panel makes",
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the decisions the panel makes"},
    )


class AttendanceForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Enter the name of the member"}
    )
    agency = forms.ChoiceField(
        label="Agency",
        choices=Agency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the member's agency"},
    )
    attended = forms.TypedChoiceField(
        label="Did they attend?",
        choices=[("yes", "Yes"), ("no", "No, they sent apologies")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether they attended"},
    )


class DecisionForm(forms.Form):
    recommendation = forms.ChoiceField(
        label="The case officer's recommendation",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the case officer's recommendation"},
    )
    decision = forms.ChoiceField(
        label="The panel's decision",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the panel's decision"},
    )
    rationale = forms.CharField(
        label="Reasons for the panel's decision",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the reasons for the panel's decision"},
    )
    send_letter = forms.BooleanField(
        label="Send the decision letter to the family now",
        required=False,
        help_text="Only for the decision whether to assess or not to issue a plan",
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = list(OUTCOMES[kind])
        for name in ("recommendation", "decision"):
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField):
                field.choices = choices
