"""EHC plans and their versions, with sections A to K as structured data.

A plan has versions: the draft, the final plan, then proposed amendments and final
amended plans after reviews. Each version holds the narrative sections (A to K,
with H1 and H2 separate) and, as rows, the needs (section B, ranked with SEN2
need codes), the outcomes (section E) and the provision (F, G, H1, H2), each
provision linked to the needs and outcomes it serves.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sendcase.core.codes import CeaseReason, NeedType, PlanResidential

SECTIONS = {
    "A": "The views, interests and aspirations of the child and their parents, or of the young person",
    "B": "Special educational needs",
    "C": "Health needs related to their SEN",
    "D": "Social care needs related to their SEN or disability",
    "E": "Outcomes",
    "F": "Special educational provision",
    "G": "Health provision",
    "H1": "Social care provision under section 2 of the Chronically Sick and Disabled Persons Act 1970",
    "H2": "Other social care provision",
    "I": "Placement: the name and type of the school or other institution",
    "J": "Personal budget",
    "K": "Advice and information gathered during the assessment",
}


class Plan(models.Model):
    """An EHC plan for a child, from the draft until it ceases."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Maintained"
        CEASED = "ceased", "Ceased"

    case = models.OneToOneField("casework.Case", on_delete=models.CASCADE, related_name="plan")
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    draft_issued_on = models.DateField(null=True, blank=True)
    first_issued_on = models.DateField(
        null=True, blank=True, help_text="The date the first final plan was issued"
    )
    residential = models.CharField(max_length=1, choices=PlanResidential.choices, blank=True)
    work_based = models.BooleanField(default=False, help_text="Work-based learning (SEN2 PlanWBP)")
    personal_budget = models.BooleanField(default=False)
    organised_arrangements = models.BooleanField(default=False)
    direct_payments = models.BooleanField(default=False)
    cease_date = models.DateField(
        null=True, blank=True, help_text="The date the plan actually ended"
    )
    cease_reason = models.PositiveSmallIntegerField(
        choices=CeaseReason.choices, null=True, blank=True
    )
    primary_need = models.CharField(
        max_length=4, choices=NeedType.choices, blank=True, db_index=True
    )

    class Meta:
        indexes = [models.Index(fields=["first_issued_on"]), models.Index(fields=["cease_date"])]

    def __str__(self) -> str:
        return f"EHC plan for {self.case.child}"


class PlanVersion(models.Model):
    class Kind(models.TextChoices):
        DRAFT = "draft", "Draft plan"
        FINAL = "final", "Final plan"
        PROPOSED_AMENDMENT = "proposed_amendment", "Proposed amendments"
        AMENDED = "amended", "Final amended plan"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    issued_on = models.DateField()
    # Narrative text of each section keyed "A".."K" with "H1" and "H2" separate.
    sections = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.number} ({self.issued_on})"


class Need(models.Model):
    """Section B: a special educational need, ranked (1 = primary), with its SEN2 code."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="needs")
    rank = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=4, choices=NeedType.choices)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "rank"]
        constraints = [models.UniqueConstraint(fields=["version", "rank"], name="need_rank_unique")]


class Outcome(models.Model):
    """Section E: an outcome sought, linked to the needs it addresses."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="outcomes")
    text = models.TextField()
    needs = models.ManyToManyField(Need, blank=True, related_name="outcomes")
    by_when = models.CharField(max_length=60, blank=True)


class Provision(models.Model):
    """Sections F, G, H1, H2: provision, linked to the needs and outcomes it serves."""

    class Section(models.TextChoices):
        F = "F", "Special educational provision"
        G = "G", "Health provision"
        H1 = "H1", "Social care provision (CSDPA 1970 s2)"
        H2 = "H2", "Other social care provision"

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="provision")
    section = models.CharField(max_length=2, choices=Section.choices)
    description = models.TextField()
    frequency = models.CharField(max_length=120, blank=True)
    provider = models.CharField(max_length=200, blank=True)
    annual_cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    needs = models.ManyToManyField(Need, blank=True, related_name="provision")
    outcomes = models.ManyToManyField(Outcome, blank=True, related_name="provision")
