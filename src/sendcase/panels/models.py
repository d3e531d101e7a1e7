"""Multi-agency decision panels: a meeting, who attended, and its agenda of cases, each with the
case officer's recommendation, the panel's decision and its rationale.

A decision on whether to assess (or not to issue a plan) feeds the case's statutory step with
the panel's date (panels.actions). `agreed` (the panel decided as the officer recommended) and
the case's primary need, setting type and officer are kept with the decision, as they were that
day, for the consistency figures (panels.queries)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sendcase.statutory.dates import format_date


class Kind(models.TextChoices):
    ASSESS = "assess", "Whether to assess"
    ISSUE = "issue", "Whether to issue a plan"
    PLACEMENT = "placement", "Placement"
    FUNDING = "funding", "Funding"


# The decisions open to the panel for each kind (the officer recommends one of the same).
OUTCOMES: dict[str, tuple[tuple[str, str], ...]] = {
    Kind.ASSESS: (("assess", "Assess"), ("not_assess", "Do not assess")),
    Kind.ISSUE: (("issue", "Issue a plan"), ("not_issue", "Do not issue a plan")),
    Kind.PLACEMENT: (("agree", "Agree the placement"), ("not_agree", "Do not agree it")),
    Kind.FUNDING: (("agree", "Agree the funding"), ("not_agree", "Do not agree it")),
}


class Agency(models.TextChoices):
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social_care", "Social care"
    EDUCATIONAL_PSYCHOLOGY = "ep", "Educational psychology"
    PARENT_CARER_FORUM = "parent_carers", "Parent carer forum"
    SEND_SERVICE = "send", "SEND service"
    OTHER = "other", "Other"


class PanelMeeting(models.Model):
    name = models.CharField(max_length=120, help_text="For example, the SEND decision-making panel")
    held_on = models.DateField()
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="panels"
    )
    kinds = models.JSONField(default=list, help_text="The kinds of decision it makes (Kind)")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.name}, {format_date(self.held_on)}"

    def kind_labels(self) -> list[str]:
        return [Kind(k).label for k in self.kinds if k in Kind.values]


class PanelMember(models.Model):
    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=120)
    agency = models.CharField(max_length=16, choices=Agency.choices)
    attended = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]


class PanelItem(models.Model):
    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="panel_items")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    recommendation = models.CharField(max_length=12, blank=True)
    decision = models.CharField(max_length=12, blank=True)
    rationale = models.TextField(blank=True)
    agreed = models.BooleanField(null=True)
    # As they were on the day of the decision, for the consistency figures.
    need = models.CharField(max_length=4, blank=True)
    setting_type = models.CharField(max_length=24, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    step = models.CharField(max_length=64, blank=True, help_text="The case step it fed, if any")

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case", "kind"], name="panel_item_once")
        ]

    def outcome_label(self, value: str) -> str:
        return dict(OUTCOMES[self.kind]).get(value, value)

    @property
    def recommendation_label(self) -> str:
        return self.outcome_label(self.recommendation)

    @property
    def decision_label(self) -> str:
        return self.outcome_label(self.decision)
