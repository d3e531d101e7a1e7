"""Requests for information (FOI, subject access) and complaints.

Each keeps its due date as the statutory clock computed it (`due_on`), stored so lists and
reports read it with plain SQL; the actions in actions.py recompute it whenever a date that
decides it changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sendcase.casework.models import Case, Child


class FoiRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        WITHDRAWN = "withdrawn", "Withdrawn"

    reference = models.CharField(max_length=20, unique=True)
    requester = models.CharField(max_length=200)
    received_on = models.DateField()
    question = models.TextField()
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    due_on = models.DateField(db_index=True)
    responded_on = models.DateField(null=True, blank=True)
    working_days_taken = models.PositiveIntegerField(null=True, blank=True)
    answer = models.TextField(blank=True)
    # The published table (after disclosure control) and how it was counted.
    table = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = "freedom of information request"

    def __str__(self) -> str:
        return self.reference

    @property
    def on_time(self) -> bool | None:
        if self.responded_on is None:
            return None
        return self.responded_on <= self.due_on


class Complaint(models.Model):
    class Stage(models.TextChoices):
        STAGE_1 = "stage_1", "Stage 1"
        STAGE_2 = "stage_2", "Stage 2"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Upheld"
        PARTLY = "partly", "Partly upheld"
        NOT_UPHELD = "not_upheld", "Not upheld"

    reference = models.CharField(max_length=20, unique=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="complaints")
    complainant = models.CharField(max_length=200)
    summary = models.TextField()
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.STAGE_1)
    received_on = models.DateField()
    stage_1_due = models.DateField()
    stage_1_responded_on = models.DateField(null=True, blank=True)
    stage_1_outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    escalated_on = models.DateField(null=True, blank=True)
    stage_2_due = models.DateField(null=True, blank=True)
    stage_2_responded_on = models.DateField(null=True, blank=True)
    stage_2_outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    ombudsman_referred_on = models.DateField(null=True, blank=True)
    ombudsman_reference = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return self.reference

    @property
    def due_on(self):  # type: ignore[no-untyped-def]
        """The date the current stage's response is due (None once closed)."""
        if self.stage == self.Stage.STAGE_1:
            return self.stage_1_due
        if self.stage == self.Stage.STAGE_2:
            return self.stage_2_due
        return None


class SubjectAccessRequest(models.Model):
    class Status(models.TextChoices):
        AWAITING_IDENTITY = "awaiting_identity", "Waiting for proof of identity"
        OPEN = "open", "Open"
        RELEASED = "released", "Released"

    reference = models.CharField(max_length=20, unique=True)
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="subject_access_requests"
    )
    requester = models.CharField(max_length=200)
    relationship = models.CharField(
        max_length=60, help_text="For example: the young person, a parent"
    )
    received_on = models.DateField()
    identity_verified_on = models.DateField(null=True, blank=True)
    identity_evidence = models.CharField(max_length=200, blank=True)
    extended_on = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    due_on = models.DateField(null=True, blank=True, db_index=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.AWAITING_IDENTITY
    )
    redactions_reviewed_on = models.DateField(null=True, blank=True)
    released_on = models.DateField(null=True, blank=True)
    release_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = "subject access request"

    def __str__(self) -> str:
        return self.reference

    @property
    def clock_starts(self):  # type: ignore[no-untyped-def]
        """The month runs from receipt, or from the day identity was verified if later."""
        if self.identity_verified_on is None:
            return None
        return max(self.received_on, self.identity_verified_on)
