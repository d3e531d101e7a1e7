from __future__ import annotations

from typing import Any

from django import forms

from sendcase.casework.models import Case, FamilyContact
from sendcase.core.forms import GovukDateField
from sendcase.portal.models import Membership, Relationship

FAMILY = [
    (Relationship.PARENT_CARER.value, Relationship.PARENT_CARER.label),
    (Relationship.YOUNG_PERSON.value, Relationship.YOUNG_PERSON.label),
]


class LinkCodeForm(forms.Form):
    code = forms.CharField(
        label="Linking code",
        help_text="The code in the email or text message from the council, for example ABCDE FGHJK",
        max_length=30,
        error_messages={"required": "Enter your linking code"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "class": "govuk-input govuk-input--width-20",
            }
        ),
    )


def who_are_you_field() -> forms.ChoiceField:
    """A parent or carer, or the young person: the question a family answers about themselves
    (the request to link, and the request for an assessment)."""
    return forms.ChoiceField(
        label="Who are you?",
        choices=FAMILY,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you are a parent or carer, or the young person"
        },
    )


def child_date_of_birth_field() -> GovukDateField:
    """The child's date of birth as a family or school gives it (in the past)."""
    return GovukDateField(
        subject="the child or young person's date of birth",
        past=True,
        label="The child or young person's date of birth",
        help_text="For example, 27 3 2014",
    )


class LinkRequestForm(forms.Form):
    relationship = who_are_you_field()
    child_name = forms.CharField(
        label="The child or young person's full name",
        max_length=200,
        error_messages={"required": "Enter the child or young person's full name"},
    )
    child_date_of_birth = child_date_of_birth_field()
    message = forms.CharField(
        label="Anything the council should know (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class InviteForm(forms.Form):
    """The officer chooses which of the child's contacts to send a linking code."""

    contact = forms.ModelChoiceField(
        label="Who should get a linking code?",
        queryset=FamilyContact.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select who should get a linking code"},
    )
    relationship = forms.ChoiceField(
        label="They will use the portal as",
        choices=FAMILY,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how they will use the portal"},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = case.child.contacts.order_by("name")  # type: ignore[attr-defined]
        self.fields["contact"].label_from_instance = lambda c: (  # type: ignore[attr-defined]
            f"{c.name} ({c.relationship}): "
            + (c.email or c.phone or "no email address or mobile number")
        )


class DecideRequestForm(forms.Form):
    case_reference = forms.CharField(
        label="Case reference",
        required=False,
        max_length=20,
        help_text="The case to link them to, after you have checked who they are. Leave it "
        "empty to refuse the request.",
    )


class InviteColleagueForm(forms.Form):
    name = forms.CharField(
        label="Their full name",
        max_length=200,
        error_messages={"required": "Enter their full name"},
    )
    email = forms.EmailField(
        label="Their work email address",
        error_messages={
            "required": "Enter their work email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label="Their role",
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        widget=forms.RadioSelect,
        error_messages={"required": "Select their role"},
    )
