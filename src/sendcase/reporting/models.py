"""Reporting's own records: DfE's published figures, the comparator picks, the commentary.

The measures themselves are not stored: they are computed from the casework on
demand (sendcase.reporting.domain.measures). What is stored here is what the
casework cannot tell us: England's, the regions' and other councils' published
figures (imported from DfE's release), which councils a user compares with, and
the officer's commentary for the committee report.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class EESRelease(models.Model):
    """One imported DfE "Education, health and care plans" release (a zip file)."""

    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, unique=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    figures = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.filename


class EESArea(models.Model):
    """England, a region or a council as DfE names it."""

    class Level(models.TextChoices):
        NATIONAL = "national", "England"
        REGIONAL = "regional", "Region"
        LOCAL = "local", "Council"

    code = models.CharField(max_length=9, unique=True, help_text="ONS code, e.g. E06000017")
    level = models.CharField(max_length=8, choices=Level.choices)
    name = models.CharField(max_length=120)
    la_code = models.CharField(
        "council number", max_length=3, blank=True, db_index=True, help_text="e.g. 857"
    )
    region_code = models.CharField(max_length=9, blank=True)

    class Meta:
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name


class EESFigure(models.Model):
    """One published figure: a measure for an area in a year (None where DfE suppressed it)."""

    release = models.ForeignKey(EESRelease, on_delete=models.PROTECT, related_name="+")
    table = models.CharField(max_length=40)
    time_period = models.CharField(max_length=6, help_text="2024 (calendar) or 202425 (academic)")
    area_code = models.CharField(max_length=9)
    measure = models.CharField(max_length=64)
    value = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["table", "time_period", "area_code", "measure"],
                name="ees_figure_unique",
            )
        ]
        indexes = [models.Index(fields=["area_code", "measure"])]


class ComparatorChoice(models.Model):
    """The region and the comparator councils a user has chosen to see beside this council."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_comparators"
    )
    region_code = models.CharField(max_length=9, blank=True)
    area_codes = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)


class CommitteeCommentary(models.Model):
    """The officer's commentary for a committee report covering a run of years."""

    report_key = models.CharField(max_length=64, unique=True, help_text="e.g. academic:2020-2024")
    text = models.TextField(blank=True)
    # Goes up by one at every save: a form opened at an older version is refused (optimistic
    # locking, reporting/domain/commentary.py).
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "committee commentaries"
