"""What families and young people send through the portal: a request for an EHC needs
assessment (with its evidence while an officer checks who the child is), comments on a draft
plan, their views, and secure messages with the case officer. Imported by `portal.models`."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sendcase.documents.models import documents_storage


class AssessmentAsk(models.Model):
    """A request for an EHC needs assessment made online. It opens a case at once (dated the day
    it was received) unless the child may already be known, when it waits for an officer to say
    which child it is; the case it then opens is still dated the day it was received."""

    class Status(models.TextChoices):
        OPENED = "opened", "Case opened"
        CHECK = "check", "Waiting for an officer to check who the child is"
        REFUSED = "refused", "Not opened"
        ATTACHED = "attached", "Added to the child's existing case"

    person = models.ForeignKey(
        "portal.ExternalPerson", on_delete=models.PROTECT, related_name="assessment_asks"
    )
    relationship = models.CharField(max_length=16)
    received_on = models.DateField()
    forename = models.CharField(max_length=100)
    surname = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    upn = models.CharField(max_length=13, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    school = models.CharField(max_length=200, blank=True)
    why = models.TextField()
    consent = models.BooleanField(default=False)
    # The requester's answer (None: they are the young person, or did not say).
    parental_responsibility = models.BooleanField(null=True, blank=True)
    # A school's or college's request (relationship "setting"): the parent (or the young person)
    # it has told, who becomes the case's family contact.
    parent_name = models.CharField(max_length=200, blank=True)
    parent_email = models.EmailField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices)
    possible_matches = models.JSONField(default=list, blank=True)
    case = models.ForeignKey(
        "casework.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["received_on", "pk"]
        indexes = [models.Index(fields=["status", "received_on"])]

    def __str__(self) -> str:
        return f"Online request for {self.forename} {self.surname}"


class AskEvidence(models.Model):
    """A file sent with an online request that waits for an officer's check; it moves to the
    case's documents when the case opens."""

    ask = models.ForeignKey(AssessmentAsk, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(storage=documents_storage, upload_to="portal/%Y/%m/")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.filename


class DraftComment(models.Model):
    """A family's response to a draft plan: a comment on one section, a setting they ask to be
    named, or a request for a meeting."""

    class Kind(models.TextChoices):
        COMMENT = "comment", "Comment on a section"
        SETTING = "setting", "Setting asked to be named"
        MEETING = "meeting", "Meeting asked for"

    case = models.ForeignKey(
        "casework.Case", on_delete=models.CASCADE, related_name="draft_comments"
    )
    plan_version = models.ForeignKey(
        "plans.PlanVersion", on_delete=models.CASCADE, related_name="family_comments"
    )
    person = models.ForeignKey(
        "portal.ExternalPerson", on_delete=models.PROTECT, related_name="draft_comments"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    section = models.CharField(max_length=4, blank=True)
    text = models.TextField()
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["made_at", "pk"]
        indexes = [models.Index(fields=["plan_version", "section"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.plan_version_id}"


class FamilyViews(models.Model):
    """The family's or young person's views: for section A of the plan, or before an annual
    review."""

    class Kind(models.TextChoices):
        SECTION_A = "section_a", "Views for section A of the plan"
        REVIEW = "review", "Views before the annual review"

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="family_views")
    person = models.ForeignKey(
        "portal.ExternalPerson", on_delete=models.PROTECT, related_name="views_given"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField()
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.case_id})"


class CaseMessage(models.Model):
    """A secure message between a family (or young person) and the council about a case. A
    message from the family waits until a member of staff answers it (`answered_at`)."""

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="messages")
    person = models.ForeignKey(
        "portal.ExternalPerson",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages_sent",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        indexes = [models.Index(fields=["case", "sent_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(person__isnull=False) & models.Q(staff__isnull=True))
                | (models.Q(person__isnull=True) & models.Q(staff__isnull=False)),
                name="case_message_from_one_side",
            )
        ]

    def __str__(self) -> str:
        return f"Message on case {self.case_id}"

    @property
    def from_family(self) -> bool:
        return self.person_id is not None
