"""The report screens' forms: filters, the question screen and the commentary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from sendcase.accounts.models import Team, User
from sendcase.accounts.roles import CASEWORKERS
from sendcase.core.codes import NeedType
from sendcase.core.forms import VersionField
from sendcase.reporting.domain import measures as m
from sendcase.reporting.domain.periods import YearKind

YEAR_KINDS = [(k.value, k.label) for k in YearKind]
NEED_CHOICES = [("", "All needs"), *NeedType.choices]
SETTING_CHOICES = [("", "All settings"), *((k, v[0]) for k, v in m.SETTING_GROUPS.items())]
AGE_CHOICES = [("", "All ages"), *((k, label) for k, label, _ in m.AGE_BANDS)]


def _select(**kwargs: Any) -> forms.Select:
    return forms.Select(attrs={"class": "govuk-select", **kwargs})


def _choose(what: str) -> dict[str, str]:
    return {"required": f"Select {what}", "invalid_choice": f"Select {what}"}


def _year(which: str) -> dict[str, str]:
    message = f"Enter the {which} year as 4 numbers, from 2000 to 2100"
    return {
        "required": f"Enter the {which} year",
        "invalid": message,
        "min_value": message,
        "max_value": message,
    }


class ScopeForm(forms.Form):
    """Filters shared by the dashboard and the drill-down (GET)."""

    team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, empty_label="All teams", widget=_select()
    )
    officer = forms.ModelChoiceField(
        queryset=User.objects.filter(role__in=CASEWORKERS),
        required=False,
        empty_label="All officers",
        widget=_select(),
    )
    primary_need = forms.ChoiceField(choices=NEED_CHOICES, required=False, widget=_select())
    setting = forms.ChoiceField(choices=SETTING_CHOICES, required=False, widget=_select())
    age = forms.ChoiceField(choices=AGE_CHOICES, required=False, widget=_select())

    def scope(self) -> m.Scope:
        data = self.cleaned_data
        return m.Scope(
            team_id=data["team"].pk if data.get("team") else None,
            officer_id=data["officer"].pk if data.get("officer") else None,
            primary_need=data.get("primary_need") or "",
            setting=data.get("setting") or "",
            age=data.get("age") or "",
        )


# The defaults the reports use when nothing is chosen; the forms show them as chosen.
DEFAULT_KIND = YearKind.ACADEMIC
DEFAULT_YEARS = 5


class DashboardForm(ScopeForm):
    kind = forms.ChoiceField(
        label="Years", choices=YEAR_KINDS, required=False, initial=DEFAULT_KIND, widget=_select()
    )
    years = forms.TypedChoiceField(
        label="How many years",
        choices=[(n, str(n)) for n in (3, 5, 10)],
        coerce=int,
        required=False,
        initial=DEFAULT_YEARS,
        widget=_select(),
    )

    field_order = ["kind", "years", "team", "officer", "primary_need", "setting", "age"]


class CommitteeForm(forms.Form):
    kind = forms.ChoiceField(
        label="Years", choices=YEAR_KINDS, required=False, initial=DEFAULT_KIND, widget=_select()
    )
    first = forms.IntegerField(
        label="First year",
        min_value=2000,
        max_value=2100,
        required=False,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-4"}),
    )
    last = forms.IntegerField(
        label="Last year",
        min_value=2000,
        max_value=2100,
        required=False,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-4"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first and last and first > last:
            self.add_error("first", "The first year must be the same as or before the last year")
        if first and last and last - first > 15:
            self.add_error("first", "Choose 16 years or fewer")
        return data


class CommentaryForm(forms.Form):
    text = forms.CharField(
        label="Officer's commentary (optional)",
        help_text="This text appears in the committee report under the figures.",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 8}),
    )
    version = VersionField()


COUNT_CHOICES = [
    ("requests_received", "Requests for assessment received"),
    ("new_plans", "New plans (issued or transferred in)"),
    ("plans_issued_within_20_weeks", "Final plans issued (and how many within 20 weeks)"),
    ("reviews_held_within_12_months", "Annual reviews due (and how many held in time)"),
    ("review_decisions_within_4_weeks", "Review decisions (and how many within 4 weeks)"),
    ("active_plans", "Plans maintained at the end of each year"),
    ("ceased_plans", "Plans ceased"),
    ("tribunal_appeals", "Tribunal appeals registered"),
    ("mediations", "Mediations requested"),
]
BY_CHOICES = [
    ("", "Nothing: totals only"),
    ("primary_need", "Primary need"),
    ("setting", "Setting type"),
    ("age", "Age"),
    ("team", "Team"),
    ("cease_reason", "Reason the plan ended (plans ceased only)"),
]


class QuestionForm(forms.Form):
    """The question screen: count something by year, split by need, setting or age."""

    count = forms.ChoiceField(
        label="Count",
        choices=COUNT_CHOICES,
        widget=_select(),
        error_messages=_choose("what to count"),
    )
    by = forms.ChoiceField(
        label="Split by",
        choices=BY_CHOICES,
        required=False,
        widget=_select(),
        error_messages=_choose("how to split the counts"),
    )
    kind = forms.ChoiceField(
        label="Years",
        choices=YEAR_KINDS,
        widget=_select(),
        error_messages=_choose("the kind of year"),
    )
    first = forms.IntegerField(
        label="From year",
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-4"}),
        error_messages=_year("first"),
    )
    last = forms.IntegerField(
        label="To year",
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-4"}),
        error_messages=_year("last"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first and last and first > last:
            self.add_error("first", "The first year must be the same as or before the last year")
        if first and last and last - first > 24:
            self.add_error("first", "Choose 25 years or fewer")
        if data.get("by") == "cease_reason" and data.get("count") != "ceased_plans":
            self.add_error("by", "Only plans ceased can be split by the reason the plan ended")
        return data

    @staticmethod
    def defaults(today: dt.date) -> dict[str, Any]:
        return {
            "count": "requests_received",
            "by": "",
            "kind": "calendar",
            "first": today.year - 9,
            "last": today.year,
        }


class ComparatorForm(forms.Form):
    region = forms.ChoiceField(label="Region", required=False, widget=_select())
    councils = forms.MultipleChoiceField(
        label="Comparator councils",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose up to 10, for example your statistical neighbours.",
    )

    def __init__(self, *args: Any, regions: list[Any], councils: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        councils_field = self.fields["councils"]
        if not isinstance(region, forms.ChoiceField) or not isinstance(
            councils_field, forms.ChoiceField
        ):
            raise TypeError("region and councils are choice fields")
        region.choices = [
            ("", "This council's region"),
            *((a.code, a.name) for a in regions),
        ]
        councils_field.choices = [(a.code, a.name) for a in councils]

    def clean_councils(self) -> list[str]:
        picked = self.cleaned_data.get("councils") or []
        if len(picked) > 10:
            raise forms.ValidationError("Choose 10 comparator councils or fewer")
        return picked
