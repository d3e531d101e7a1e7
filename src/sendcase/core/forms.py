"""Form building blocks that follow the GOV.UK Design System.

`GovukDateField` is the three-box date input (day, month, year) with GOV.UK's
error wording. Every form in SENDcase renders through templates/core/_form.html,
which draws the error summary and each field's error message.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy

from sendcase.core.identity import IdentityError
from sendcase.statutory.dates import format_date

# No date SENDcase records is before this (a date of birth included): it refuses year 0001.
EARLIEST = dt.date(1900, 1, 1)


class DateInputWidget(forms.MultiWidget):
    template_name = "core/widgets/date_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                }
            ),
            "month": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                }
            ),
            "year": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-4",
                }
            ),
        }
        super().__init__(widgets, attrs)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        # Box ids end _day, _month, _year (not Django's _0, _1, _2): the error summary
        # links to the day box (first_error_id).
        context = super().get_context(name, value, attrs)
        for sub, part in zip(
            context["widget"]["subwidgets"], ("day", "month", "year"), strict=True
        ):
            if sub["attrs"].get("id"):
                sub["attrs"]["id"] = sub["attrs"]["id"].rsplit("_", 1)[0] + f"_{part}"
        return context

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_day" if id_ else id_

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            try:
                d = dt.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
            return [d.day, d.month, d.year]
        return [None, None, None]


def _date_hint() -> str:
    example = dt.date(timezone.localdate().year - 1, 3, 27)
    return f"For example, {example.day} {example.month} {example.year}"


# Lazy, so a server that runs across a new year gives last year's example, not an old one.
date_hint = lazy(_date_hint, str)


class GovukDateField(forms.MultiValueField):
    """A date entered as day, month and year, with GOV.UK's error messages.

    `subject` is the noun phrase used in messages, e.g. "the date the request was received"
    gives "Enter the date the request was received". A date before `earliest` is refused
    ("... must be the same as or after 1 September 2014"), and with `past=True` so is today or
    a later date ("... must be in the past").
    """

    widget = DateInputWidget

    def __init__(
        self,
        *,
        subject: str,
        required: bool = True,
        earliest: dt.date = EARLIEST,
        past: bool = False,
        **kwargs: Any,
    ) -> None:
        self.subject = subject
        self.earliest = max(earliest, EARLIEST)
        self.past = past
        # One hint style for every date: GOV.UK's "For example, 27 3 2025" (day month year),
        # after any words of the form's own.
        own = str(kwargs.get("help_text") or "").strip()
        if "For example" not in own:
            kwargs["help_text"] = f"{own.rstrip('.')}. {date_hint()}" if own else date_hint()
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields=fields, require_all_fields=False, required=required, **kwargs)

    def clean(self, value: Any) -> dt.date | None:
        if not isinstance(value, (list, tuple)):
            value = DateInputWidget().decompress(value)
        day, month, year = (str(v).strip() if v is not None else "" for v in value)
        if not (day or month or year):
            if self.required:
                raise ValidationError(f"Enter {self.subject}", code="required")
            return None
        subject = self.subject[0].upper() + self.subject[1:]
        missing = [
            name for name, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if missing:
            raise ValidationError(
                f"{subject} must include a {' and a '.join(missing)}", code="incomplete"
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{subject} must be a real date", code="invalid")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers", code="invalid_year")
        try:
            date = dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{subject} must be a real date", code="invalid") from None
        if date < self.earliest:
            raise ValidationError(
                f"{subject} must be the same as or after {format_date(self.earliest)}",
                code="too_early",
            )
        if self.past and date >= timezone.localdate():
            raise ValidationError(f"{subject} must be in the past", code="not_past")
        return date

    def compress(self, data_list: list[Any]) -> Any:  # pragma: no cover - clean() does the work
        return data_list


# The hidden fields that carry what a person saw when they opened a form (optimistic locking).
# They come back from the browser, so anything may arrive in them: a value that is not one this
# server wrote is treated as "unknown", never as an error the person cannot fix.
VERSION_LIMIT = 2**31 - 1  # a version is a positive integer column on both databases
OUT_OF_DATE = "This page is out of date: open it again, then make your change again"


class VersionField(forms.IntegerField):
    """The version of a record when the form was opened (hidden)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        messages = {"required": OUT_OF_DATE, "invalid": OUT_OF_DATE}
        messages.update({"min_value": OUT_OF_DATE, "max_value": OUT_OF_DATE})
        super().__init__(min_value=0, max_value=VERSION_LIMIT, error_messages=messages, **kwargs)


def opened_at(value: Any) -> dt.datetime | None:
    """The time in a hidden `seen` field, if it is a time this server could have written.

    A crafted value (not a date, no time zone, or a year the database cannot store) gives None.
    """
    if isinstance(value, dt.datetime):
        when = value
    else:
        try:
            when = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            return None
    if when.tzinfo is None or when.utcoffset() is None:
        return None
    try:
        when = when.astimezone(dt.UTC)
    except OverflowError:
        return None
    return when if dt.MINYEAR < when.year < dt.MAXYEAR else None


class SeenField(forms.CharField):
    """When the form was opened (hidden): cleans to an aware datetime, or None if unknown."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, max_length=64, **kwargs)

    def clean(self, value: Any) -> dt.datetime | None:
        return opened_at(value)


def first_error_id(form: forms.Form, name: str) -> str:
    """The id the error summary links to for a field (the first box of a date input)."""
    field = form[name]
    if isinstance(field.field, GovukDateField):
        return f"{field.auto_id}_day"
    if isinstance(field.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return f"{field.auto_id}_0"  # the first radio or checkbox
    return field.auto_id


class PlainTextField(forms.CharField):
    """Text with a length limit that the browser does not enforce: no `maxlength` attribute, so
    nothing typed is silently cut short; too long is refused with GOV.UK's wording."""

    def __init__(self, *, subject: str, max_length: int, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(max_length=max_length, **kwargs)
        self.error_messages["max_length"] = (
            f"{subject[0].upper()}{subject[1:]} must be {max_length} characters or fewer"
        )

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class CheckedField(forms.CharField):
    """A value checked by one of `sendcase.core.identity`'s cleaners (a UPN, a postcode, a
    phone number...): the cleaner's message is the field's error, and its result is stored.
    No `maxlength` in the page: a long value is refused, never cut short."""

    def __init__(self, cleaner: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.cleaner = cleaner

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        try:
            return str(self.cleaner(text or ""))
        except IdentityError as exc:
            raise ValidationError(str(exc), code="invalid") from None


def text_field(label: str, what: str, *, max_length: int = 200, **kw: Any) -> forms.CharField:
    """A GOV.UK text input: "Enter {what}" when empty, and a limit in words."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        error_messages={
            "required": f"Enter {what}",
            "max_length": f"{what[0].upper()}{what[1:]} must be {max_length} characters or fewer",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
        **kw,
    )


def textarea_field(
    label: str, what: str = "", *, required: bool = True, **kw: Any
) -> forms.CharField:
    """A GOV.UK textarea: "Enter {what}" when required and empty."""
    return forms.CharField(
        label=label,
        required=required,
        error_messages={"required": f"Enter {what}"},
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 5}),
        **kw,
    )
