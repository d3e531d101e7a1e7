"""Forms for the family's pages in the portal (family_views.py) and the officer's side of them
(family_staff_views.py). GOV.UK wording for every error."""

from __future__ import annotations

from typing import Any

from django import forms

from sendcase.core import identity
from sendcase.plans.models import SECTIONS
from sendcase.portal.family_models import FamilyViews
from sendcase.portal.forms import child_date_of_birth_field, who_are_you_field

UPLOAD_HINT = "A PDF, Word document (DOCX), or PNG or JPEG image, smaller than 10MB each"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        one = super().clean
        if isinstance(data, (list, tuple)):
            return [one(d, initial) for d in data if d]
        return [one(data, initial)] if data else []


def _text(label: str, required: str | None = None, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required is not None,
        max_length=kwargs.pop("max_length", 5000),
        error_messages={"required": required or ""},
        widget=forms.Textarea(attrs={"rows": kwargs.pop("rows", 5)}),
        **kwargs,
    )


class AskForm(forms.Form):
    relationship = who_are_you_field()
    forename = forms.CharField(
        label="The child or young person's first name",
        max_length=100,
        error_messages={"required": "Enter the child or young person's first name"},
    )
    surname = forms.CharField(
        label="The child or young person's last name",
        max_length=100,
        error_messages={"required": "Enter the child or young person's last name"},
    )
    date_of_birth = child_date_of_birth_field()
    upn = forms.CharField(
        label="Unique pupil number (UPN) (optional)",
        required=False,
        max_length=13,
        help_text="The school can tell you this 13-character number",
    )
    postcode = forms.CharField(label="Home postcode (optional)", required=False, max_length=10)
    school = forms.CharField(
        label="School, college or nursery (optional)", required=False, max_length=200
    )
    why = _text(
        "Why are you asking for an assessment?",
        "Enter why you are asking for an assessment",
        help_text="What the child or young person finds hard, and what support they have had",
        rows=8,
    )
    parental_responsibility = forms.ChoiceField(
        label="Do you have parental responsibility for the child?",
        choices=[("yes", "Yes"), ("no", "No"), ("", "I am the young person")],
        widget=forms.RadioSelect,
        required=False,
    )
    evidence = MultipleFileField(
        label="Evidence (optional)",
        required=False,
        help_text="Reports or letters that show the child's needs. " + UPLOAD_HINT,
    )
    consent = forms.BooleanField(
        label="I agree that the council may share this request with the professionals it asks "
        "for advice",
        error_messages={
            "required": "Confirm that the council may share this request with the professionals "
            "it asks for advice"
        },
    )

    CHILD_ANSWERS = ("forename", "surname", "date_of_birth", "upn", "postcode", "why", "consent")

    def ask_arguments(self) -> dict[str, Any]:
        """The valid answers as family_actions.ask_for_assessment takes them."""
        d = self.cleaned_data
        return {
            **{name: d[name] for name in self.CHILD_ANSWERS},
            "uploads": d["evidence"],
            "relationship": d["relationship"],
            "school": d["school"],
            "has_parental_responsibility": {"yes": True, "no": False}.get(
                d["parental_responsibility"]
            ),
        }


class SchoolAskForm(AskForm):
    """A school or college asks for a pupil (CFA 2014 s36(1)): the same questions, less "who are
    you", and the parent (or young person) the school has told, who the council then writes to."""

    parent_name = forms.CharField(
        label="Name of the parent or carer (or the young person) who knows of this request",
        max_length=200,
        error_messages={
            "required": "Enter the name of the parent, or the young person, who knows of this "
            "request"
        },
    )
    parent_email = forms.EmailField(
        label="Their email address (optional)",
        required=False,
        help_text="The council writes to them about the request",
        error_messages={"invalid": "Enter their email address in the correct format"},
    )
    consent = forms.BooleanField(
        label="The parent or carer (or the young person) knows of this request and agrees that "
        "the council may share it with the professionals it asks for advice",
        error_messages={
            "required": "Confirm that the family knows of this request and agrees to it being "
            "shared with the professionals the council asks for advice"
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("relationship", "parental_responsibility", "school"):
            del self.fields[name]
        order = ["parent_name", "parent_email"]
        self.order_fields(
            [f for f in self.fields if f not in order and f != "consent"] + order + ["consent"]
        )

    def ask_arguments(self) -> dict[str, Any]:
        """The answers about the child, and the family the school has told (the view adds the
        setting it asks as)."""
        d = self.cleaned_data
        return {
            **{name: d[name] for name in self.CHILD_ANSWERS},
            "uploads": d["evidence"],
            "parent_name": d["parent_name"],
            "parent_email": d["parent_email"],
        }


class DraftCommentForm(forms.Form):
    """A comment box for each section of the draft, a setting to be named, and a meeting."""

    setting = _text(
        "The school, college or other setting you would like named in section I (optional)",
        help_text="Its name, and why",
        rows=3,
    )
    meeting = _text(
        "Would you like a meeting with the council about the draft? (optional)",
        help_text="If so, what you would like to talk about, and when suits you",
        rows=3,
    )

    def __init__(self, *args: Any, sections: list[tuple[str, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        for key, title, _ in sections:
            self.fields[f"section_{key}"] = _text(
                f"Your comments on section {key}: {title}", rows=3
            )

    def comments(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"section_{key}", "") for key in SECTIONS}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any((v or "").strip() for k, v in data.items()):
            raise forms.ValidationError(
                "Enter a comment on at least one section, a setting, or a meeting"
            )
        return data


class ViewsForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are your views for?",
        choices=FamilyViews.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what your views are for"},
    )
    text = _text(
        "Your views",
        "Enter your views",
        help_text="What matters to the child or young person, their interests and hopes, and "
        "what you think",
        rows=8,
        max_length=10000,
    )


class FamilyUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text=UPLOAD_HINT,
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )
    title = forms.CharField(
        label="What it is (optional)",
        required=False,
        max_length=200,
        help_text="For example, Letter from the speech and language therapist",
    )


class MessageForm(forms.Form):
    body = _text("Your message", "Enter your message", rows=6)


class ReplyForm(forms.Form):
    body = _text("Your reply", "Enter your reply", rows=6)


class CheckAskForm(forms.Form):
    """The officer says which known child a held online request is for, or that it is new."""

    child = forms.ChoiceField(
        label="Which child is this request for?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child this request is for"},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = choices  # type: ignore[attr-defined]


class AttachAskForm(forms.Form):
    """The officer adds a held online request to an existing case of a child it matched, having
    checked who asked."""

    case = forms.ChoiceField(
        label="Which case should this request be added to?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the case to add this request to"},
    )
    verified = forms.BooleanField(
        label="I have checked who made this request and that they may see this case",
        error_messages={
            "required": "Confirm that you have checked who made this request and that they may "
            "see the case"
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = choices  # type: ignore[attr-defined]


class ContactForm(forms.Form):
    preferred_channel = forms.ChoiceField(
        label="How should the council tell you when something happens?",
        choices=[("email", "Email"), ("sms", "Text message")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select email or text message"},
    )
    phone = forms.CharField(
        label="Mobile phone number (for text messages)",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        phone = (data.get("phone") or "").strip()
        if phone:
            try:
                data["phone"] = identity.clean_fields({"phone": phone})["phone"]
            except identity.IdentityError as exc:
                self.add_error("phone", str(exc))
        if data.get("preferred_channel") == "sms" and not phone:
            self.add_error("phone", "Enter a mobile phone number to get text messages")
        return data
