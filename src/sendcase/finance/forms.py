"""The money forms, in GOV.UK wording (rendered through core/_form.html)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms

from sendcase.accounts.models import Team
from sendcase.core.forms import GovukDateField, VersionField
from sendcase.finance.models import Band, BudgetLine, CostLine
from sendcase.placements.models import Placement
from sendcase.plans.models import Plan

MAX_AMOUNT = Decimal("9999999.99")


def money_field(label: str, subject: str, *, required: bool = True) -> forms.DecimalField:
    """An amount in pounds and pence, with GOV.UK's messages ("Enter the top-up")."""
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_value=MAX_AMOUNT,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={
            "required": f"Enter {subject}",
            "invalid": f"{subject[0].upper()}{subject[1:]} must be an amount of money, like 12500",
            "min_value": f"{subject[0].upper()}{subject[1:]} must be £0 or more",
            "max_value": f"{subject[0].upper()}{subject[1:]} must be £9,999,999.99 or less",
            "max_decimal_places": f"{subject[0].upper()}{subject[1:]} must be in pounds and pence",
            "max_digits": f"{subject[0].upper()}{subject[1:]} must be £9,999,999.99 or less",
        },
    )


def share_field(label: str, subject: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
        error_messages={
            "invalid": f"{subject} must be a number from 0 to 100",
            "min_value": f"{subject} must be a number from 0 to 100",
            "max_value": f"{subject} must be a number from 0 to 100",
            "max_decimal_places": f"{subject} must have 2 decimal places or fewer",
            "max_digits": f"{subject} must be a number from 0 to 100",
        },
    )


class BandRateForm(forms.Form):
    place_funding = money_field(
        "Element 2 place funding, per year (£)", "the place funding (0 where there is none)"
    )
    top_up = money_field("Element 3 top-up, per year (£)", "the top-up")
    version = VersionField()


class CostLineForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of cost is it?",
        choices=CostLine.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what kind of cost it is",
            "invalid_choice": "Select what kind of cost it is",
        },
    )
    placement = forms.ModelChoiceField(
        label="Placement (for a band, a top-up or a fee)",
        queryset=Placement.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Select one of the child's placements"},
    )
    band = forms.ModelChoiceField(
        label="Band (for a banded place)",
        queryset=Band.objects.all(),
        required=False,
        error_messages={"invalid_choice": "Select a band from the matrix"},
    )
    amount = money_field("Amount (£)", "the amount", required=False)
    per = forms.ChoiceField(
        label="The amount is",
        choices=CostLine.Per.choices,
        widget=forms.RadioSelect,
        initial=CostLine.Per.YEAR,
        error_messages={"required": "Select per year or per week"},
    )
    weeks = forms.IntegerField(
        label="Weeks a year (for a weekly fee)",
        help_text="38 for term time, 52 for a full-year residential place",
        required=False,
        min_value=1,
        max_value=52,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
        error_messages={
            "invalid": "Weeks must be a number from 1 to 52",
            "min_value": "Weeks must be a number from 1 to 52",
            "max_value": "Weeks must be a number from 1 to 52",
        },
    )
    starts_on = GovukDateField(label="Date the cost starts", subject="the date the cost starts")
    ends_on = GovukDateField(
        label="Date the cost ends (optional)", subject="the date the cost ends", required=False
    )
    health_share = share_field("Share paid by health (per cent, optional)", "Health's share")
    social_care_share = share_field(
        "Share paid by social care (per cent, optional)", "Social care's share"
    )
    reference = forms.CharField(
        label="Contract or placement agreement reference (optional)",
        required=False,
        max_length=80,
        error_messages={"max_length": "Reference must be 80 characters or fewer"},
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["placement"])  # type: ignore[type-arg]
        field.queryset = Placement.objects.filter(plan=plan).select_related("setting")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == CostLine.Kind.BANDED and not data.get("band"):
            self.add_error("band", "Select the band")
        if kind and kind != CostLine.Kind.BANDED and data.get("amount") is None:
            self.add_error("amount", "Enter the amount")
        placed = (CostLine.Kind.BANDED, CostLine.Kind.AGREED, CostLine.Kind.FEE)
        if kind in placed and not data.get("placement"):
            self.add_error("placement", "Select the placement this cost is for")
        if data.get("per") == CostLine.Per.WEEK and not data.get("weeks"):
            self.add_error("weeks", "Enter the weeks a year the fee is paid for")
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error(
                "ends_on", "The date the cost ends must be the same as or after the date it starts"
            )
        health = data.get("health_share") or Decimal(0)
        care = data.get("social_care_share") or Decimal(0)
        if health + care > 100:
            self.add_error(
                "social_care_share", "Health and social care shares together must be 100 or less"
            )
        data["health_share"], data["social_care_share"] = health, care
        return data


class BudgetLineForm(forms.Form):
    category = forms.ChoiceField(
        label="Placement category",
        choices=BudgetLine.Category.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the placement category",
            "invalid_choice": "Select the placement category",
        },
    )
    amount = forms.DecimalField(
        label="Amount (£)",
        help_text="For the DSG position brought forward, a deficit is negative, like -9600000",
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={
            "required": "Enter the amount",
            "invalid": "Amount must be an amount of money, like 12500000",
            "max_digits": "Amount must be less than £1,000,000,000,000",
            "max_whole_digits": "Amount must be less than £1,000,000,000,000",
            "max_decimal_places": "Amount must be in pounds and pence",
        },
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=200,
        error_messages={"max_length": "Description must be 200 characters or fewer"},
    )


def hours_field(label: str, subject: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=0,
        max_digits=7,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        error_messages={
            "required": f"Enter {subject}",
            "invalid": f"Enter {subject} as a number, like 6.5",
            "min_value": f"Enter {subject} as 0 or more",
            "max_digits": f"Enter {subject} as a number under 1,000,000",
            "max_decimal_places": f"Enter {subject} to one decimal place",
            "max_whole_digits": f"Enter {subject} as a number under 1,000,000",
        },
    )


class WorkforceForm(forms.Form):
    team = forms.ModelChoiceField(
        label="Team (leave as 'The council' for the assumptions every team uses)",
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label="The council",
        error_messages={"invalid_choice": "Select a team"},
    )
    caseload_target = forms.IntegerField(
        label="Plans per case officer",
        help_text="200 to 270 is typical",
        min_value=1,
        max_value=5000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the plans per case officer",
            "invalid": "Enter the plans per case officer as a whole number, like 250",
            "min_value": "Plans per case officer must be 1 or more",
            "max_value": "Plans per case officer must be 5,000 or fewer",
        },
    )
    hours_per_assessment = hours_field("Hours for a new assessment", "the hours for an assessment")
    hours_per_plan_year = hours_field(
        "Hours a year to keep a plan", "the hours a year to keep a plan", "Reviews and changes"
    )
    hours_per_officer_year = hours_field(
        "Hours an officer gives casework in a year", "the hours an officer gives casework"
    )
