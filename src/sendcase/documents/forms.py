"""Forms for letters, correspondence and documents, in GOV.UK wording."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from sendcase.casework.domain.kernel import SentEarlier
from sendcase.core.forms import GovukDateField
from sendcase.documents.letters import LETTERS
from sendcase.documents.models import CaseDocument, Correspondence

SEND_NOW, RECORDED, NOT_NOW = "send", "recorded", "not_now"
CHANNELS = [
    (Correspondence.Channel.LETTER, "Post"),
    (Correspondence.Channel.EMAIL, "Email"),
    (Correspondence.Channel.HAND, "By hand"),
]


class LetterChoiceMixin(forms.Form):
    """What happens to the step's letter. Left unchosen, a step dated today sends it and a step
    dated before today sends nothing: a back-dated step never sends a message by itself
    (reference/ehc-plan.md, "Messages about the past"; kernel.letter_delivery)."""

    letter_choice = forms.ChoiceField(
        label="The letter to the family",
        required=False,
        help_text="If you do not choose, the letter is sent now only if the step is dated today",
        choices=[
            (SEND_NOW, "Send the letter now through GOV.UK Notify"),
            (RECORDED, "It was already sent outside SENDcase: record when and how"),
            (NOT_NOW, "Do not send it now (send it later from the case's correspondence)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to send the letter now"},
    )
    letter_sent_on = GovukDateField(
        label="Date the letter was sent (if it was already sent)",
        subject="the date the letter was sent",
        required=False,
    )
    letter_channel = forms.ChoiceField(
        label="How it was sent (if it was already sent)",
        choices=CHANNELS,
        widget=forms.RadioSelect,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("letter_choice") == RECORDED:
            sent_on = data.get("letter_sent_on")
            if sent_on is None and "letter_sent_on" not in self.errors:
                self.add_error("letter_sent_on", "Enter the date the letter was sent")
            elif sent_on is not None and sent_on > timezone.localdate():
                self.add_error(
                    "letter_sent_on", "The date the letter was sent must be today or in the past"
                )
            if not data.get("letter_channel"):
                self.add_error("letter_channel", "Select how the letter was sent")
        return data

    def notify_choice(self) -> bool | SentEarlier | None:
        choice = self.cleaned_data.get("letter_choice")
        if not choice:
            return None
        if choice == RECORDED:
            return SentEarlier(
                self.cleaned_data["letter_sent_on"], self.cleaned_data["letter_channel"]
            )
        return bool(choice == SEND_NOW)


LETTER_FIELDS = ("letter_choice", "letter_sent_on", "letter_channel")


def letter_label(form: forms.Form, to: str) -> None:
    """Name whom the step's letter goes to ("the family", "the adviser", ...)."""
    if to != "the family":
        form.fields["letter_choice"].label = f"The letter to {to}"


def with_letter_choice(form_class: type[Any], *, to: str = "the family") -> type[Any]:
    """The step's form with the choice of what happens to its letter, passed to the action as
    `notify`. `to`: whom the letter goes to, as the question names them."""

    class WithLetter(form_class, LetterChoiceMixin):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            letter_label(self, to)

        def action_kwargs(self) -> dict[str, Any]:
            kwargs = {k: v for k, v in super().action_kwargs().items() if k not in LETTER_FIELDS}
            return {**kwargs, "notify": self.notify_choice()}

    WithLetter.__name__ = form_class.__name__
    return WithLetter


class SendLetterForm(LetterChoiceMixin):
    """A letter from the case's correspondence page: to the family, or to someone named here."""

    letter = forms.ChoiceField(
        label="Letter",
        choices=[(k, s.title) for k, s in LETTERS.items()],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the letter to send"},
    )
    on = GovukDateField(
        label="Date of the step the letter is about",
        subject="the date of the step the letter is about",
        help_text="The date of the decision or other step: the letter's dates come from the case's deadlines",
    )
    recipient_name = forms.CharField(
        label="Send to someone else (optional)",
        help_text="Leave blank to send it to the family. For a school, college or professional, "
        "enter their name",
        required=False,
        max_length=200,
    )
    recipient_email = forms.EmailField(
        label="Their email address (optional)",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    recipient_address = forms.CharField(
        label="Their postal address (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    field_order = ["letter", "on", "recipient_name", "recipient_email", "recipient_address"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["letter_choice"].label = "Send it now, or record that it was sent"
        self.fields["letter_choice"].required = True
        self.fields["letter_choice"].help_text = ""
        self.fields["letter_choice"].choices = self.fields["letter_choice"].choices[:2]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("recipient_name") and not (
            data.get("recipient_email") or (data.get("recipient_address") or "").strip()
        ):
            if data.get("letter_choice") == SEND_NOW:
                self.add_error("recipient_email", "Enter their email address or postal address")
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text="A PDF, Word document (DOCX), or PNG or JPEG image, smaller than 10MB",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )
    kind = forms.ChoiceField(
        label="What it is",
        choices=CaseDocument.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the file is"},
    )
    title = forms.CharField(
        label="Title (optional)",
        required=False,
        max_length=200,
        help_text="For example, Educational psychology advice",
    )
    advice_request = forms.ChoiceField(
        label="The advice request it answers (optional)", required=False
    )
    received_on = GovukDateField(
        label="Date the advice was received (optional)",
        subject="the date the advice was received",
        required=False,
        help_text="If this file is advice not yet recorded as received, it is recorded as "
        "received on this date",
    )

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "None")]
        if case is not None:
            choices += [
                (str(a.pk), f"{a.get_kind_display()} advice from {a.provider}")
                for a in case.advice_requests.all()
            ]
        self.fields["advice_request"].choices = choices  # type: ignore[attr-defined]


class LetterWordingForm(forms.Form):
    subject = forms.CharField(
        label="Subject",
        max_length=200,
        error_messages={"required": "Enter the subject of the letter"},
    )
    body = forms.CharField(
        label="Wording",
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Separate paragraphs with a blank line. Start a heading with ## . Names in "
        "double curly brackets are filled in from the case, for example {{ child_name }}.",
        error_messages={"required": "Enter the wording of the letter"},
    )
    preview_case = forms.CharField(
        label="Preview it on a case (optional)",
        required=False,
        max_length=20,
        help_text="Enter a case reference, for example EHC-26-00001",
    )
