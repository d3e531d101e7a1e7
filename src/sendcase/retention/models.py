"""Retention: legal holds that stop a child's record being erased, and the erasures made.

A child's record is erased by anonymising it (sendcase.retention.erasure), never by deleting
it: the Child row stays, with its statistical facts, and an Erasure row says when, by whom,
under which pseudonym and, for an early erasure, why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LegalHold(models.Model):
    """A hold on a child's record (litigation, a complaint, an inquiry): it may not be erased."""

    child = models.OneToOneField(
        "casework.Child", on_delete=models.CASCADE, related_name="legal_hold"
    )
    reason = models.TextField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Legal hold on child {self.child_id}"


class Erasure(models.Model):
    """A child's record, anonymised: personal data removed, statistical facts kept."""

    # A child's row is never deleted, only erased, except by the demo council's reset.
    child = models.OneToOneField("casework.Child", on_delete=models.CASCADE, related_name="erasure")
    # What the child is called from now on, in the record and in the audit log.
    pseudonym = models.CharField(max_length=40, unique=True)
    erased_at = models.DateTimeField(auto_now_add=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # The date the policy made the record due (it may be later than erased_at's date: an
    # erasure on request under UK GDPR Art 17, with its reason).
    due_on = models.DateField(null=True, blank=True)
    override_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.pseudonym
