"""Annual reviews of EHC plans, and phase transfers."""

from __future__ import annotations

from django.db import models

from sendcase.core.codes import ReviewOutcome


class AnnualReview(models.Model):
    """A review of a plan (CFA s44; Regs 18 to 22): meeting, report, decision, amendments."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="reviews")
    due_on = models.DateField(help_text="12 months from the plan or the previous review meeting")
    meeting_on = models.DateField(null=True, blank=True)
    invitations_sent_on = models.DateField(null=True, blank=True)
    report_on = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=8, choices=ReviewOutcome.choices, blank=True)
    decision_on = models.DateField(
        null=True, blank=True, help_text="The date the decision letter was sent"
    )
    amendment_notice_on = models.DateField(null=True, blank=True)
    final_amended_on = models.DateField(null=True, blank=True)
    preparing_for_adulthood_covered = models.BooleanField(default=False)

    class Meta:
        ordering = ["plan", "due_on"]
        indexes = [models.Index(fields=["meeting_on"]), models.Index(fields=["decision_on"])]


class PhaseTransfer(models.Model):
    """A move between phases of education (Reg 18): the plan must name the new setting in time."""

    class Kind(models.TextChoices):
        SCHOOL = "school", "School phase transfer (by 15 February)"
        POST16 = "post16", "Secondary school to post-16 institution (by 31 March)"

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="phase_transfers")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    transfer_date = models.DateField(help_text="The date of the move, usually in September")
    due_on = models.DateField()
    new_setting = models.ForeignKey(
        "placements.Setting", null=True, blank=True, on_delete=models.PROTECT
    )
    named_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["transfer_date"]
