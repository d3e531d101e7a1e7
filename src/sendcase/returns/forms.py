from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings

from sendcase.returns.periods import Collection, latest_complete_collection
from sendcase.statutory.dates import format_date


def year_choices(today: dt.date) -> list[tuple[int, str]]:
    latest = latest_complete_collection(today).year
    choices = []
    for y in range(latest + 1, latest - 5, -1):
        census = Collection(y).reference_date
        if census > today:  # the census has not happened: the records so far, for checking
            label = f"{y} (census {format_date(census)} still to come: provisional, records so far)"
        else:
            label = f"{y} (census January {y}, covering {y - 1})"
        choices.append((y, label))
    return choices


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label="Collection year", coerce=int, choices=())

    def __init__(self, *args: object, today: dt.date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101
        field.choices = year_choices(today)
        field.error_messages["required"] = "Select the collection year"
        field.error_messages["invalid_choice"] = "Select the collection year"


def upload_limit_bytes() -> int:
    return settings.SENDCASE_SEN2_UPLOAD_MAX_MB * 1024 * 1024


def too_big_message() -> str:
    """GOV.UK's file-size error, and where a larger file can be checked."""
    return (
        f"The selected file must be smaller than {settings.SENDCASE_SEN2_UPLOAD_MAX_MB}MB. "
        "To check a larger file, ask your system administrator to run "
        "'sendcase sen2 validate FILE' (or 'sendcase sen2 import FILE' to load it) "
        "on the server's command line"
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a SEN2 file",
        help_text="The XML file for COLLECT, from SENDcase or the system the council used before",
        error_messages={
            "required": "Select a SEN2 XML file",
            "empty": "The selected file is empty",
        },
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["file"].help_text += (
            f" (up to {settings.SENDCASE_SEN2_UPLOAD_MAX_MB}MB: a larger file is checked on the "
            "command line)"
        )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > upload_limit_bytes():
            raise forms.ValidationError(too_big_message())
        if not upload.name.lower().endswith(".xml"):
            raise forms.ValidationError("The selected file must be an XML file")
        return upload
