"""The administrator's forms, in GOV.UK wording (rendered through core/_form.html)."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from sendcase.accounts.models import Role, Team
from sendcase.accounts.roles import CASEWORKERS
from sendcase.core.forms import GovukDateField

USERNAME = re.compile(r"^[A-Za-z0-9.@+_-]{3,150}$")


def _messages(what: str, longest: int | None = None) -> dict[str, str]:
    out = {"required": f"Enter {what}", "invalid_choice": f"Select {what}"}
    if longest:
        out["max_length"] = f"{what[0].upper()}{what[1:]} must be {longest} characters or fewer"
    return out


class StaffForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="What they type to sign in, or the name the council's identity provider gives them",
        error_messages=_messages("a username", 150),
    )
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages=_messages("their first name", 150)
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages=_messages("their last name", 150)
    )
    email = forms.EmailField(
        label="Email address",
        help_text="Password reset links are sent here",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )
    job_title = forms.CharField(label="Job title (optional)", max_length=120, required=False)
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages=_messages("a role"),
    )
    team = forms.ModelChoiceField(
        label="Team (optional)",
        queryset=Team.objects.all(),
        required=False,
        empty_label="No team",
        help_text="Case officers and team managers see their team's cases",
        error_messages=_messages("a team"),
    )
    is_active = forms.BooleanField(label="Can sign in", required=False)

    def __init__(self, *args: Any, adding: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if adding:
            del self.fields["is_active"]
        else:
            del self.fields["username"]

    def clean_username(self) -> str:
        name = str(self.cleaned_data["username"]).strip()
        if not USERNAME.match(name):
            raise forms.ValidationError(
                "Username must be 3 to 150 letters, numbers or the characters . @ + _ -"
            )
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, team = data.get("role"), data.get("team")
        if role in CASEWORKERS and team is None:
            self.add_error("team", "Select a team: case officers and team managers work in one")
        return data


class TeamForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120, error_messages=_messages("a name", 120))
    area = forms.CharField(
        label="Area it covers (optional)",
        max_length=120,
        required=False,
        help_text="A locality or a phase, for example North, or Post-16",
    )


class HolidayForm(forms.Form):
    date = GovukDateField(label="Date", subject="the date")
    name = forms.CharField(
        label="What it is",
        max_length=120,
        help_text="For example, Council closure day",
        error_messages=_messages("what the day is", 120),
    )


class LocalTargetForm(forms.Form):
    enabled = forms.TypedChoiceField(
        label="Use this local target?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the council uses this target"},
    )
    length_days = forms.IntegerField(
        label="Its length in days (optional)",
        required=False,
        min_value=1,
        max_value=365,
        help_text="Leave empty to use the length the guidance gives",
        error_messages={
            "invalid": "Length must be a whole number of days, like 15",
            "min_value": "Length must be 1 day or more",
            "max_value": "Length must be 365 days or fewer",
        },
    )


class WarningForm(forms.Form):
    days = forms.IntegerField(
        label="Days before a deadline that it shows as due soon",
        min_value=1,
        max_value=60,
        error_messages={
            "required": "Enter the number of days",
            "invalid": "Days must be a whole number, like 14",
            "min_value": "Days must be 1 or more",
            "max_value": "Days must be 60 or fewer",
        },
    )
