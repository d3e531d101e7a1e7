"""High needs money: the banding matrix, and the dated cost lines of each child's plan.

A placement's cost is never typed as a total: it is computed (`finance.costing`, pure) from its
cost lines and the banding matrix's rates for each financial year. Every row here is written by
an action in `finance.actions`, with an audit entry.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from sendcase.core.codes import SettingType


class Band(models.Model):
    """A band of the council's matrix: a need level in a setting type."""

    setting_type = models.CharField(max_length=24, choices=SettingType.choices)
    code = models.CharField(max_length=12, help_text="The band's name in the matrix, e.g. 'C'")
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["setting_type", "code"]
        constraints = [
            models.UniqueConstraint(fields=["setting_type", "code"], name="band_unique_per_type")
        ]

    def __str__(self) -> str:
        return f"{self.get_setting_type_display()}: band {self.code}"


class BandRate(models.Model):
    """A band's yearly rates for one financial year: element 2 place funding (none in
    mainstream, where the school's notional SEN budget pays the first £6,000) and element 3
    top-up."""

    band = models.ForeignKey(Band, on_delete=models.CASCADE, related_name="rates")
    financial_year = models.PositiveSmallIntegerField(help_text="2026 for 2026-27")
    place_funding = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    top_up = models.DecimalField(max_digits=10, decimal_places=2)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["band", "financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["band", "financial_year"], name="band_rate_per_year")
        ]

    @property
    def annual(self) -> Decimal:
        return Decimal(self.place_funding) + Decimal(self.top_up)


class CostLine(models.Model):
    """One dated cost of a child's plan: a band, an agreed top-up, a fee, a personal budget or
    a direct payment, from `starts_on` to `ends_on` (inclusive; open-ended if empty)."""

    class Kind(models.TextChoices):
        BANDED = "banded", "Banded place and top-up (elements 2 and 3)"
        AGREED = "agreed", "Individually agreed top-up"
        FEE = "fee", "Independent, non-maintained or specialist post-16 fee"
        PERSONAL_BUDGET = "personal_budget", "Personal budget"
        DIRECT_PAYMENT = "direct_payment", "Direct payment"

    class Per(models.TextChoices):
        YEAR = "year", "per year"
        WEEK = "week", "per week"

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="cost_lines")
    placement = models.ForeignKey(
        "placements.Placement",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cost_lines",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    band = models.ForeignKey(Band, null=True, blank=True, on_delete=models.PROTECT)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    per = models.CharField(max_length=4, choices=Per.choices, default=Per.YEAR)
    weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Weeks a weekly fee is paid for: 38 term time, 52"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    health_share = models.DecimalField(
        max_digits=5, decimal_places=2, default=0, help_text="Per cent paid by health"
    )
    social_care_share = models.DecimalField(
        max_digits=5, decimal_places=2, default=0, help_text="Per cent paid by social care"
    )
    reference = models.CharField(
        max_length=80, blank=True, help_text="Contract or placement agreement"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "starts_on", "pk"]
        indexes = [models.Index(fields=["starts_on", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="banded") | models.Q(band__isnull=False),
                name="cost_line_banded_has_band",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="banded") | models.Q(amount__isnull=False),
                name="cost_line_amount_given",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="cost_line_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.starts_on}"


class BudgetLine(models.Model):
    """A line of the High Needs budget for a financial year, entered by finance: an allocation
    to a DSG management plan placement category, or the DSG position brought forward."""

    class Category(models.TextChoices):
        MAINSTREAM = "1", "Mainstream schools or academies"
        RESOURCED = "2", "Resourced provision or SEN units"
        SPECIAL = "3", "Maintained special schools or special academies"
        INDEPENDENT = "4", "Non-maintained special schools or independent (NMSS or independent)"
        AP = "5", "Hospital schools or alternative provision (AP)"
        POST16 = "6", "Post 16 and further education (FE)"
        OTHER = "7", "Other placements or direct payments"
        BROUGHT_FORWARD = "bf", "Cumulative DSG position brought forward (a deficit is negative)"

    financial_year = models.PositiveSmallIntegerField(help_text="2026 for 2026-27")
    category = models.CharField(max_length=2, choices=Category.choices)
    description = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["financial_year", "category", "pk"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.financial_year}: {self.amount}"


class WorkforceAssumption(models.Model):
    """A team's (or, with no team, the council's) assumptions for the officers a caseload
    needs, set by the head of service or finance. Every change goes through an action."""

    team = models.OneToOneField(
        "accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    caseload_target = models.PositiveIntegerField(
        help_text="Plans per case officer (200 to 270 is typical)"
    )
    hours_per_assessment = models.DecimalField(max_digits=6, decimal_places=1)
    hours_per_plan_year = models.DecimalField(
        max_digits=6, decimal_places=1, help_text="Hours a year to keep a plan (review, changes)"
    )
    hours_per_officer_year = models.DecimalField(
        max_digits=7, decimal_places=1, help_text="Hours an officer gives casework in a year"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team"],
                condition=models.Q(team__isnull=True),
                name="one_council_workforce_assumption",
            )
        ]
