"""Cross-cutting records: the audit log, the council's calendar and local targets, and sent messages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from sendcase.statutory.dates import format_date


class AuditEntry(models.Model):
    """One line of the append-only audit log: who did what to which record, and when.

    Every write of statutory data and every view of a child's record adds one.
    Entries are never updated or deleted: save() refuses an update, delete() refuses, and
    database triggers (migration 0002, `core/audit_lock.py`, docs/audit.md) refuse UPDATE and
    DELETE from any code or raw SQL. The one exception is erasure's deliberate, one-way
    pseudonymisation of `summary` and `payload`, which sets `pseudonymised_at`.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"
        EXPORT = "export", "Exported"
        IMPORT = "import", "Imported"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in refused"
        SIGN_OUT = "sign_out", "Signed out"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    # What was acted on, e.g. "casework.case" and its primary key, and the case it belongs to.
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    case = models.ForeignKey(
        "casework.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    summary = models.CharField(max_length=255)
    payload = models.JSONField(default=dict, blank=True)
    # Set once, when erasure replaces the personal data in summary and payload; never cleared.
    pseudonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "-at"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("Audit entries are append-only.")


class ExtraHoliday(models.Model):
    """A one-off non-working day the council adds to England's bank holidays."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{format_date(self.date)}: {self.name}"


class LocalTargetSetting(models.Model):
    """A council's choice for one local target (guidance, not duty): on or off, its length, its warning window."""

    key = models.CharField(max_length=64, unique=True)
    enabled = models.BooleanField(default=True)
    length_days = models.PositiveIntegerField(null=True, blank=True)
    warning_days = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return self.key


class NotifyMessage(models.Model):
    """A message sent through GOV.UK Notify, or recorded by the local backend."""

    created_at = models.DateTimeField(auto_now_add=True)
    channel = models.CharField(
        max_length=8, choices=[("email", "Email"), ("letter", "Letter"), ("sms", "Text")]
    )
    template_id = models.CharField(max_length=64)
    recipient = models.CharField(max_length=255)
    personalisation = models.JSONField(default=dict)
    reference = models.CharField(max_length=128, blank=True)
    notify_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=32, default="created")
    case = models.ForeignKey("casework.Case", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-created_at"]
