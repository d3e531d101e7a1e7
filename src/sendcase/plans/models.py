"""EHC plans and their versions, with sections A to K as structured data.

A plan has versions: the draft, the final plan, then proposed amendments and final
amended plans after reviews. Each version holds the narrative sections (A to K,
with H1 and H2 separate) and, as rows, the needs (section B, ranked with SEN2
need codes), the outcomes (section E) and the provision (F, G, H1, H2), each
provision linked to the needs and outcomes it serves.

The officer writes the next version in a *working copy*: a PlanVersion with no plan and no
issue date, held on the case (`working_copy_of`), saved as they go. Issuing copies it into a
new numbered version of the plan (`casework.domain.plan`) and deletes it, so a working copy
never appears among a plan's versions.

Where each section lives on a version:

* A: `child_views` (the child's or young person's own words) and `parent_views`, kept apart;
* B: `needs` rows (rank 1 = the primary need, 2 = the secondary, SEN2 codes);
* C, D: `sections["C"]`, `sections["D"]`, or `no_health_needs` / `no_social_care_needs`
  recorded as a choice;
* E: `outcomes` rows (needs linked, `by_when`, `steps`, `preparing_for_adulthood`);
* F, G, H1, H2: `provision` rows (`section`; what, `staff_role`, `frequency`, `duration`,
  `group_size`, `provider`, `annual_cost`, `preparing_for_adulthood`; needs and outcomes linked);
* I: `setting` (from the register) or `setting_type` only; empty in every draft (CFA s38(5));
* J: `sections["J"]` (what the personal budget or direct payment secures) and
  `personal_budget_amount`;
* K: `advice` - a list of {"kind", "provider", "requested_on", "received_on"} copied from the
  case's advice received (casework.AdviceRequest), never typed.

`section_status` holds the officer's "in progress" / "completed" per section key of the
working copy; `quality_failures` the quality criteria an issued version fails
(`plans.checks`), computed when it is issued.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from sendcase.core.codes import CeaseReason, NeedType, PlanResidential, SettingType

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

    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="versions"
    )
    # A working copy (not issued): the case it is being written for; no plan, number or date.
    working_copy_of = models.OneToOneField(
        "casework.Case",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="plan_working_copy",
    )
    number = models.PositiveIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    issued_on = models.DateField(null=True, blank=True)
    # Narrative text of each section keyed "A".."K" with "H1" and "H2" separate.
    sections = models.JSONField(default=dict, blank=True)
    child_views = models.TextField(blank=True, help_text="Section A: in the child's own words")
    parent_views = models.TextField(blank=True, help_text="Section A: the parents' views")
    no_health_needs = models.BooleanField(default=False, help_text="Section C: none identified")
    no_social_care_needs = models.BooleanField(
        default=False, help_text="Section D: none identified"
    )
    setting = models.ForeignKey(
        "placements.Setting", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    setting_type = models.CharField(
        max_length=24, choices=SettingType.choices, blank=True, help_text="Section I"
    )
    personal_budget_amount = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, help_text="Section J"
    )
    advice = models.JSONField(default=list, blank=True, help_text="Section K, from the case")
    section_status = models.JSONField(default=dict, blank=True)
    quality_failures = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique"),
            models.CheckConstraint(
                condition=(
                    models.Q(working_copy_of__isnull=True)
                    & models.Q(plan__isnull=False)
                    & models.Q(number__isnull=False)
                    & models.Q(issued_on__isnull=False)
                )
                | (models.Q(working_copy_of__isnull=False) & models.Q(plan__isnull=True)),
                name="plan_version_issued_or_working_copy",
            ),
        ]
        indexes = [models.Index(fields=["kind", "issued_on"])]

    def __str__(self) -> str:
        if self.issued_on is None:
            return f"{self.get_kind_display()} (working copy)"
        return f"{self.get_kind_display()} v{self.number} ({self.issued_on})"

    @property
    def issued(self) -> dt.date:
        """The issue date of an issued version (a working copy has none)."""
        if self.issued_on is None:
            raise ValueError("A working copy has not been issued")
        return self.issued_on

    @property
    def position(self) -> int:
        """The number of an issued version (0 for a working copy, which has none)."""
        return self.number or 0


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
    by_when = models.CharField(
        max_length=60, blank=True, help_text="When it should be achieved, e.g. July 2028"
    )
    steps = models.TextField(blank=True, help_text="Shorter-term steps towards the outcome")
    preparing_for_adulthood = models.BooleanField(default=False)

    class Meta:
        ordering = ["version", "id"]


class Provision(models.Model):
    """Sections F, G, H1, H2: provision, linked to the needs and outcomes it serves."""

    class Section(models.TextChoices):
        F = "F", "Special educational provision"
        G = "G", "Health provision"
        H1 = "H1", "Social care provision (CSDPA 1970 s2)"
        H2 = "H2", "Other social care provision"

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="provision")
    section = models.CharField(max_length=2, choices=Section.choices)
    description = models.TextField(help_text="What is done")
    staff_role = models.CharField(
        max_length=200, blank=True, help_text="Who: their role and expertise or qualification"
    )
    frequency = models.CharField(max_length=120, blank=True, help_text="How often")
    duration = models.CharField(max_length=120, blank=True, help_text="For how long each time")
    group_size = models.CharField(max_length=60, blank=True, help_text="1:1, small group of 4")
    provider = models.CharField(max_length=200, blank=True, help_text="The service providing it")
    annual_cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    preparing_for_adulthood = models.BooleanField(default=False)
    needs = models.ManyToManyField(Need, blank=True, related_name="provision")
    outcomes = models.ManyToManyField(Outcome, blank=True, related_name="provision")

    class Meta:
        ordering = ["version", "section", "id"]
