"""The register of settings, and children's placements in them."""

from __future__ import annotations

from django.db import models

from sendcase.core.codes import Phase, SENSetting, SettingType


class Setting(models.Model):
    """A school, college or early-years provider, identified by URN or UKPRN."""

    class Kind(models.TextChoices):
        MAINTAINED_MAINSTREAM = "maintained_mainstream", "Maintained mainstream school"
        ACADEMY = "academy", "Academy or free school"
        MAINTAINED_SPECIAL = "maintained_special", "Maintained special school"
        ACADEMY_SPECIAL = "academy_special", "Special academy or free school"
        NON_MAINTAINED_SPECIAL = "non_maintained_special", "Non-maintained special school"
        INDEPENDENT_SPECIAL = "independent_special", "Independent special school"
        INDEPENDENT = "independent", "Independent school"
        PRU = "pru", "Pupil referral unit or alternative provision"
        FE_COLLEGE = "fe_college", "General further education college"
        SIXTH_FORM = "sixth_form", "Sixth-form college"
        SPECIALIST_POST16 = "specialist_post16", "Specialist post-16 institution"
        EARLY_YEARS = "early_years", "Early-years provider"

    class Status(models.TextChoices):
        """The establishment's status in DfE's Get Information about Schools (GIAS)."""

        OPEN = "open", "Open"
        CLOSING = "closing", "Open, but proposed to close"
        PROPOSED = "proposed", "Proposed to open"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=200)
    urn = models.CharField("URN", max_length=8, blank=True, db_index=True)
    ukprn = models.CharField("UKPRN", max_length=8, blank=True, db_index=True)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    phase = models.CharField(max_length=12, choices=Phase.choices)
    la_code = models.CharField("council code", max_length=3, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    has_resourced_provision = models.BooleanField(default=False)
    has_sen_unit = models.BooleanField(default=False)
    placeholder = models.BooleanField(
        default=False, help_text="Created by an import from a URN or UKPRN the register lacked"
    )
    # From Get Information about Schools (finance/gias.py); the register screen does not edit them.
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    gias_type = models.CharField("type in GIAS", max_length=80, blank=True)
    annual_place_cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    # Goes up by one at every save on the register screen: a form opened at an older version is
    # refused (optimistic locking, placements/actions.py).
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def setting_type(self) -> str:
        return setting_type_for(self.kind)


def setting_type_for(kind: str, *, resourced: bool = False, sen_unit: bool = False) -> str:
    """The DfE caseload setting type for a kind of setting."""
    if resourced or sen_unit:
        return SettingType.RESOURCED
    types: dict[str, str] = {
        Setting.Kind.MAINTAINED_MAINSTREAM: SettingType.MAINSTREAM,
        Setting.Kind.ACADEMY: SettingType.MAINSTREAM,
        Setting.Kind.MAINTAINED_SPECIAL: SettingType.MAINTAINED_SPECIAL,
        Setting.Kind.ACADEMY_SPECIAL: SettingType.MAINTAINED_SPECIAL,
        Setting.Kind.NON_MAINTAINED_SPECIAL: SettingType.INDEPENDENT_SPECIAL,
        Setting.Kind.INDEPENDENT_SPECIAL: SettingType.INDEPENDENT_SPECIAL,
        Setting.Kind.INDEPENDENT: SettingType.OTHER,
        Setting.Kind.PRU: SettingType.ALTERNATIVE_PROVISION,
        Setting.Kind.FE_COLLEGE: SettingType.FURTHER_EDUCATION,
        Setting.Kind.SIXTH_FORM: SettingType.FURTHER_EDUCATION,
        Setting.Kind.SPECIALIST_POST16: SettingType.INDEPENDENT_SPECIAL,
        Setting.Kind.EARLY_YEARS: SettingType.EARLY_YEARS,
    }
    return types.get(kind, SettingType.OTHER)


class Placement(models.Model):
    """Where a child with a plan is placed: a named setting, or a SEN2 SENsetting code."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="placements")
    setting = models.ForeignKey(
        Setting, null=True, blank=True, on_delete=models.PROTECT, related_name="placements"
    )
    sen_setting = models.CharField(max_length=4, choices=SENSetting.choices, blank=True)
    sen_setting_other = models.CharField(max_length=200, blank=True)
    rank = models.PositiveSmallIntegerField(default=1, help_text="1 primary, 2 secondary")
    entry_date = models.DateField()
    leaving_date = models.DateField(null=True, blank=True)
    sen_unit = models.BooleanField(default=False)
    resourced_provision = models.BooleanField(default=False)
    residential = models.BooleanField(default=False)
    work_based = models.BooleanField(default=False)
    # Denormalised at write time from the setting, for the reports.
    setting_type = models.CharField(max_length=24, choices=SettingType.choices, db_index=True)
    annual_cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    # The day a decision panel agreed the placement, and its funding (panels.actions).
    agreed_on = models.DateField(null=True, blank=True)
    funding_agreed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "entry_date"]
        indexes = [models.Index(fields=["entry_date", "leaving_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(setting__isnull=False) | ~models.Q(sen_setting=""),
                name="placement_names_setting_or_code",
            )
        ]
