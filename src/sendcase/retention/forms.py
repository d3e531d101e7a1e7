"""Retention forms, in GOV.UK wording. Field names match the actions' keyword arguments."""

from __future__ import annotations

from typing import Any

from django import forms


class HoldForm(forms.Form):
    reason = forms.CharField(
        label="Why must the record be kept?",
        help_text="For example, a claim, a complaint to the Ombudsman or an inquiry, with its "
        "reference",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why the record must be kept",
            "max_length": "Why the record must be kept must be 2000 characters or fewer",
        },
    )


class LiftForm(forms.Form):
    reason = forms.CharField(
        label="Why can the hold be lifted?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why the hold can be lifted",
            "max_length": "Why the hold can be lifted must be 2000 characters or fewer",
        },
    )


class EraseForm(forms.Form):
    """The confirmation; before the policy's date it also asks why (the right to erasure)."""

    override_reason = forms.CharField(
        label="Why must the record be erased before it is due?",
        help_text="For example, the young person asked for their data to be erased (UK GDPR "
        "Article 17) and the data protection officer agreed. Do not include their name.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why the record must be erased before it is due",
            "max_length": "Why the record must be erased must be 2000 characters or fewer",
        },
    )

    def __init__(self, *args: Any, early: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not early:
            del self.fields["override_reason"]
