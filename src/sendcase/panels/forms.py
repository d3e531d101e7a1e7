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
        error_messages={
            "required": "Select the decisions the panel makes",
            "invalid_choice": "Select the decisions the panel makes",
        },
    )


class AttendanceForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Enter the name of the member"}
    )
    agency = forms.ChoiceField(
        label="Agency",
        choices=Agency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the member's agency",
            "invalid_choice": "Select the member's agency",
        },
    )
    attended = forms.TypedChoiceField(
        label="Did they attend?",
        choices=[("yes", "Yes"), ("no", "No, they sent apologies")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether they attended",
            "invalid_choice": "Select whether they attended",
        },
    )


class DecisionForm(forms.Form):
    recommendation = forms.ChoiceField(
        label="The case officer's recommendation",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the case officer's recommendation",
            "invalid_choice": "Select the case officer's recommendation",
        },
    )
    decision = forms.ChoiceField(
        label="The panel's decision",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the panel's decision",
            "invalid_choice": "Select the panel's decision",
        },
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
    # Placement decisions only: the setting the panel agreed, when it is not the placement
    # already recorded on the case.
    setting = forms.CharField(
        label="URN or UKPRN of the setting agreed (optional)",
        required=False,
        max_length=8,
        help_text="Leave blank if the panel agreed the placement already recorded on the case. "
        "Find a setting's URN by name on the case's placement page",
    )
    entry_date = DateField(
        label="Date the placement starts (if you entered a setting)",
        subject="the date the placement starts",
        required=False,
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = list(OUTCOMES[kind])
        for name in ("recommendation", "decision"):
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField):
                field.choices = choices
        if kind != Kind.PLACEMENT:
            del self.fields["setting"], self.fields["entry_date"]
        if kind not in (Kind.ASSESS, Kind.ISSUE):
            del self.fields["send_letter"]

    def clean_setting(self) -> Any:
        from sendcase.casework.domain.placements import find_setting

        value = self.cleaned_data["setting"].strip()
        if not value:
            return None
        found = find_setting(value)
        if found is None:
            raise forms.ValidationError("Enter the URN or UKPRN of a setting in the register")
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("setting") and not data.get("entry_date") and "entry_date" not in self.errors:
            self.add_error("entry_date", "Enter the date the placement starts")
        return data


class CorrectDecisionForm(DecisionForm):
    reason = forms.CharField(
        label="Why are you correcting the decision?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the decision is being corrected"},
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, kind=kind, **kwargs)
        self.fields.pop("send_letter", None)


class AgendaItemForm(forms.Form):
    reference = forms.CharField(
        label="Case reference",
        max_length=20,
        help_text="For example, EHC-25-00012",
        error_messages={"required": "Enter the case reference"},
    )
    kind = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the decision",
            "invalid_choice": "Select one of the decisions this panel makes",
        },
    )

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        if isinstance(field, forms.ChoiceField):
            field.choices = [(k, Kind(k).label) for k in kinds if k in Kind.values]


class RemoveItemForm(forms.Form):
    reason = forms.CharField(
        label="Why are you taking the case off the agenda?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the decision was recorded on the case before the panel met",
        error_messages={"required": "Enter why the case is being taken off the agenda"},
    )
