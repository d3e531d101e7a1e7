"""The settings register form, in GOV.UK wording (rendered through core/_form.html)."""

from __future__ import annotations

from typing import Any

from django import forms

from sendcase.core import identity
from sendcase.core.codes import Phase
from sendcase.core.forms import CheckedField, VersionField
from sendcase.placements.models import Setting


def _required(message: str) -> dict[str, str]:
    return {"required": message, "invalid_choice": message}


class SettingForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={
            "required": "Enter the name of the setting",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="Type of setting",
        choices=Setting.Kind.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select the type of setting"),
    )
    phase = forms.ChoiceField(
        label="Phase",
        choices=Phase.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select the phase of education"),
    )
    la_code = forms.CharField(
        label="Council code (optional)",
        help_text="The 3-digit DfE code of the council the setting is in, for example 884",
        required=False,
        max_length=3,
        error_messages={"max_length": "Council code must be 3 numbers"},
    )
    postcode = CheckedField(identity.clean_postcode, label="Postcode (optional)")
    has_resourced_provision = forms.BooleanField(label="Has resourced provision", required=False)
    has_sen_unit = forms.BooleanField(label="Has a SEN unit", required=False)
    version = VersionField()

    @classmethod
    def initial_for(cls, setting: Setting) -> dict[str, Any]:
        """The setting's details; a placeholder's invented name, type and phase start blank."""
        initial = {name: getattr(setting, name) for name in cls.base_fields}
        if setting.placeholder:
            initial.update(name="", kind=None, phase=None)
        return initial

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter the name of the setting")
        return name

    def clean_la_code(self) -> str:
        code: str = self.cleaned_data["la_code"].strip()
        if code and not (len(code) == 3 and code.isdigit()):
            raise forms.ValidationError("Council code must be 3 numbers")
        if code and not 201 <= int(code) <= 938:  # England's council codes run from 201 to 938
            raise forms.ValidationError(
                "Council code must be an English council's code, from 201 to 938 (e.g. 884)"
            )
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, phase = data.get("kind"), data.get("phase")
        if kind and phase:
            if kind == Setting.Kind.EARLY_YEARS and phase != Phase.EARLY_YEARS:
                self.add_error("phase", "An early-years provider's phase must be early years")
            post16 = (
                Setting.Kind.FE_COLLEGE,
                Setting.Kind.SIXTH_FORM,
                Setting.Kind.SPECIALIST_POST16,
            )
            if kind in post16 and phase != Phase.POST_16:
                self.add_error("phase", "A college or post-16 institution's phase must be post-16")
        return data
