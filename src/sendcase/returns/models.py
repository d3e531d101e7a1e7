"""Facts a SEN2 return carries that the EHC process records do not hold.

An imported return says some things without the dates or details the statutory
records need: a mediation took place (but not when), an exception applied (but not
which), a request is historical. The import keeps them here, per case, so they are
not lost and are written back into the next return; they are never statutory events.
"""

from __future__ import annotations

from django.db import models


class Sen2Facts(models.Model):
    case = models.OneToOneField(
        "casework.Case", on_delete=models.CASCADE, related_name="sen2_facts"
    )
    # RequestOutcome / AssessmentOutcome H: the history before the plan is not held.
    request_historical = models.BooleanField(default=False)
    assessment_historical = models.BooleanField(default=False)
    # AssessmentOutcome Y with no date: a plan is agreed but not yet issued (no draft date known).
    assessment_agreed = models.BooleanField(default=False)
    # The return had no RequestSource (historical requests).
    source_unknown = models.BooleanField(default=False)
    request_mediation = models.BooleanField(default=False)
    request_tribunal = models.BooleanField(default=False)
    exported = models.BooleanField(default=False)
    assessment_mediation = models.BooleanField(default=False)
    assessment_tribunal = models.BooleanField(default=False)
    other_mediation = models.BooleanField(default=False)
    other_tribunal = models.BooleanField(default=False)
    phase_transfer_due = models.DateField(null=True, blank=True)
    phase_transfer_final = models.DateField(null=True, blank=True)
    imported_from = models.CharField(max_length=255, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "SEN2 facts"
        verbose_name_plural = "SEN2 facts"

    def __str__(self) -> str:
        return f"SEN2 facts for case {self.case_id}"
