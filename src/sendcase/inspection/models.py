"""The school census and attendance extract, imported for Annex A (columns 15 to 18, and List 2).

One extract at a time: an import replaces the last. The CSV's shape is in docs/inspection.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CensusImport(models.Model):
    census_date = models.DateField()
    file_name = models.CharField(max_length=200)
    rows = models.PositiveIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-imported_at"]


class CensusPupil(models.Model):
    """One pupil's row from the extract. SEN provision K (SEN support) rows make List 2."""

    upn = models.CharField("UPN", max_length=13, blank=True, db_index=True)
    uln = models.CharField("ULN", max_length=10, blank=True)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=20, blank=True)
    ethnicity = models.CharField(max_length=4, blank=True)
    sen_provision = models.CharField(max_length=1, blank=True)  # E, K or N
    primary_need = models.CharField(max_length=4, blank=True)
    urn = models.CharField("URN", max_length=8, blank=True)
    phase = models.CharField(max_length=20, blank=True)
    subsidiary_phase = models.CharField(max_length=20, blank=True)
    elective_home_education = models.CharField(max_length=1, blank=True)
    suspensions = models.PositiveIntegerField(null=True, blank=True)
    permanent_exclusions = models.PositiveIntegerField(null=True, blank=True)
    absence = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    pupil_premium = models.CharField(max_length=1, blank=True)
    known_to_social_care = models.CharField(max_length=1, blank=True)
    social_care_team = models.CharField(max_length=120, blank=True)
    disability = models.CharField(max_length=1, blank=True)

    class Meta:
        ordering = ["pk"]
