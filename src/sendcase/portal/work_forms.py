"""Forms for the work of schools and professional services in the portal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from sendcase.casework.forms import DateField
from sendcase.core.forms import GovukDateField
from sendcase.documents.forms import LETTER_FIELDS, LetterChoiceMixin, letter_label
from sendcase.portal.models import Organisation


def _file_field(label: str) -> forms.FileField:
    return forms.FileField(
        label=label,
        help_text="A PDF, Word document (DOCX), or PNG or JPEG image, smaller than "
        f"{settings.SENDCASE_DOCUMENT_UPLOAD_MAX_MB}MB",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )


class AdviceUploadForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field("Upload your advice")
        self.fields["title"] = forms.CharField(
            label="Title (optional)",
            required=False,
            max_length=200,
            help_text="For example, Educational psychology advice",
        )


class MissedAppointmentForm(forms.Form):
    missed_on = GovukDateField(
        subject="the date of the missed appointment",
        label="Date of the missed appointment",
        help_text="For example, 27 3 2026",
    )
    next_on = GovukDateField(
        subject="the date of the next appointment",
        required=False,
        label="Date of the next appointment (optional)",
        help_text="If you have offered another appointment",
    )
    why = forms.CharField(
        label="What happened",
        max_length=2000,
        help_text="For example, the family did not come and did not answer our calls",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what happened"},
    )


class AssignForm(forms.Form):
    member = forms.ChoiceField(
        label="Who should give this advice",
        error_messages={"required": "Select someone in your service"},
    )

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "Choose someone")] + [  # type: ignore[attr-defined]
            (str(m.pk), str(m.person)) for m in members
        ]


class ConsultationAnswerForm(forms.Form):
    can_meet_needs = forms.ChoiceField(
        label="Can your setting meet the child's needs?",
        choices=[("yes", "Yes, we can meet the needs"), ("no", "No, we cannot meet the needs")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you can meet the child's needs"},
    )
    reasons = forms.CharField(
        label="Your reasons",
        max_length=5000,
        help_text="If you cannot, say why: for example, what the child would need that you "
        "could not provide",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter your reasons"},
    )


class ReviewMeetingForm(forms.Form):
    """The date the annual review meeting was held; the rest is checked by casework's step
    (work.record_meeting_held), as when an officer records it."""

    meeting_on = DateField(
        label="Date of the review meeting", subject="the date of the review meeting"
    )


class ReviewReportForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field("Upload the review report")
        self.fields["title"] = forms.CharField(
            label="Title (optional)", required=False, max_length=200
        )


class SendAdviceForm(LetterChoiceMixin):
    """The officer sends an advice request to a professional service in the portal, and
    chooses what happens to the request letter to its managers."""

    service = forms.ModelChoiceField(
        label="Which service should give this advice?",
        queryset=Organisation.objects.none(),
        empty_label="Choose a service",
        error_messages={"required": "Select a service"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Organisation.objects.exclude(  # type: ignore[attr-defined]
            kind=Organisation.Kind.SETTING
        ).order_by("name")
        self.order_fields([n for n in self.fields if n not in LETTER_FIELDS])
        letter_label(self, "the service")


class ConsultSettingForm(LetterChoiceMixin):
    """The officer consults a school or college on being named, in the portal, and chooses what
    happens to the consultation letter to its people."""

    organisation = forms.ModelChoiceField(
        label="Which school or college are you consulting?",
        queryset=Organisation.objects.none(),
        empty_label="Choose a setting",
        help_text="Only settings with people using the portal are listed",
        error_messages={"required": "Select a school or college"},
    )
    consulted_on = GovukDateField(
        subject="the date you consulted them",
        label="Date you consulted them",
        help_text="The 15 days to answer begin on this day. For example, 27 3 2026",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind=Organisation.Kind.SETTING
        ).order_by("name")
        self.order_fields([n for n in self.fields if n not in LETTER_FIELDS])
        letter_label(self, "the setting")
