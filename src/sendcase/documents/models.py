"""Documents on a case: the letters a council sends (their wording, versioned), the
correspondence sent or recorded as sent, and files uploaded to a case or an advice request.

Files are kept in the "documents" storage (settings.STORAGES): a directory outside the web
root by default, S3-compatible object storage in production. No file is ever served by URL
from the storage: every download goes through a view that checks who is asking and audits it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import storages
from django.db import models


def documents_storage():  # type: ignore[no-untyped-def]
    return storages["documents"]


# The name documents' first migration recorded (migrations import it by this name).
_documents_storage = documents_storage


class LetterTemplate(models.Model):
    """One version of the council's wording for a letter. The newest version of a key is used;
    older versions are kept, with who wrote each and when (the history the admin screen shows)."""

    key = models.CharField(max_length=48, db_index=True)
    version = models.PositiveIntegerField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "version"], name="letter_template_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"


class Correspondence(models.Model):
    """A letter, email or text to someone about the case: sent now through GOV.UK Notify, or
    recorded as sent earlier (on a date, and how) by the officer. A copy of the document is kept."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        LETTER = "letter", "Post"
        SMS = "sms", "Text message"
        HAND = "hand", "By hand"

    class How(models.TextChoices):
        SENT = "sent", "Sent through SENDcase"
        RECORDED = "recorded", "Recorded as sent outside SENDcase"

    case = models.ForeignKey(
        "casework.Case", on_delete=models.CASCADE, related_name="correspondence"
    )
    letter = models.CharField(max_length=48, help_text="The letter's key, e.g. draft_plan")
    title = models.CharField(max_length=200)
    template_version = models.PositiveIntegerField(null=True, blank=True)
    recipient = models.CharField(max_length=200)
    address = models.TextField(blank=True, help_text="The postal or email address used")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    how = models.CharField(max_length=8, choices=How.choices)
    sent_on = models.DateField()
    notify_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=32, blank=True)
    document = models.FileField(storage=documents_storage, upload_to="letters/%Y/%m/", blank=True)
    # What went with the letter (the plan as issued), kept as it was sent.
    enclosure = models.FileField(storage=documents_storage, upload_to="letters/%Y/%m/", blank=True)
    plan_version = models.ForeignKey(
        "plans.PlanVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["case", "-sent_on"])]
        verbose_name_plural = "correspondence"

    def __str__(self) -> str:
        return f"{self.title} to {self.recipient} ({self.sent_on})"


class CaseDocument(models.Model):
    """A file uploaded to a case (or to one of its advice requests): advice, a report, the
    family's views, evidence. Its type was checked from its content when it was uploaded."""

    class Kind(models.TextChoices):
        ADVICE = "advice", "Advice"
        REPORT = "report", "Report"
        VIEWS = "views", "Views of the child, young person or family"
        EVIDENCE = "evidence", "Evidence"
        OTHER = "other", "Other"

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="documents")
    advice_request = models.ForeignKey(
        "casework.AdviceRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(storage=documents_storage, upload_to="uploads/%Y/%m/")
    filename = models.CharField(max_length=200, help_text="The sanitised name it was uploaded as")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.title
