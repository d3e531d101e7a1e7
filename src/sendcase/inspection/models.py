"""The school census and attendance extract, imported for Annex A (columns 15 to 18, and List 2).

One extract at a time: an import replaces the last. The CSV's shape is in docs/inspection.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CensusImport(models.Model):
    census_date = models.DateField()
    file_name = models.CharField(max_length=200)
    rows = models.PositiveIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-imported_at"]


class CensusPupil(models.Model):
    """One pupil's row from the extract. SEN provision K (SEN support) rows make List 2."""

    upn = models.CharField("UPN", max_length=13, blank=True, db_index=True)
    uln = models.CharField("ULN", max_length=10, blank=True)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=20, blank=True)
    ethnicity = models.CharField(max_length=4, blank=True)
    sen_provision = models.CharField(max_length=1, blank=True)  # E, K or N
    primary_need = models.CharField(max_length=4, blank=True)
    urn = models.CharField("URN", max_length=8, blank=True)
    phase = models.CharField(max_length=20, blank=True)
    subsidiary_phase = models.CharField(max_length=20, blank=True)
    elective_home_education = models.CharField(max_length=1, blank=True)
    suspensions = models.PositiveIntegerField(null=True, blank=True)
    permanent_exclusions = models.PositiveIntegerField(null=True, blank=True)
    absence = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    pupil_premium = models.CharField(max_length=1, blank=True)
    known_to_social_care = models.CharField(max_length=1, blank=True)
    social_care_team = models.CharField(max_length=120, blank=True)
    disability = models.CharField(max_length=1, blank=True)

    class Meta:
        ordering = ["pk"]


# --- The strategy tracker and the self-evaluation bulletin ------------------------------------
#
# The council's SEND strategy: its outcomes (priorities), the workstreams that deliver them and
# each workstream's actions, with an owner, a due date and a red/amber/green status. Outcomes and
# actions may name measures from reporting's registry (reporting.domain.measures keys), which the
# bulletin reports. No child's data is held here. Rules in inspection/strategy.py.


class Rag(models.TextChoices):
    RED = "red", "Red: off track"
    AMBER = "amber", "Amber: at risk"
    GREEN = "green", "Green: on track"
    DONE = "done", "Complete"


RAG_TAGS = {
    Rag.RED: "govuk-tag--red",
    Rag.AMBER: "govuk-tag--orange",
    Rag.GREEN: "govuk-tag--green",
    Rag.DONE: "govuk-tag--grey",
}


def rag_tag(status: str) -> tuple[str, str]:
    """The short word ("Red", "Complete") and the GOV.UK tag class for a status."""
    rag = Rag(status)
    return rag.label.split(":")[0], RAG_TAGS[rag]


class Tracked(models.Model):
    """Who saved a strategy record last, when, and its version (optimistic locking: a form
    opened at an older version is refused, inspection/strategy.py)."""

    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Strategy(Tracked):
    """The council's current SEND strategy (one row)."""

    title = models.CharField(max_length=200)
    vision = models.TextField(blank=True)
    # The statistical neighbours the bulletin compares with (DfE area codes, EESArea.code).
    neighbours = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return self.title


class StrategyOutcome(Tracked):
    """One of the strategy's outcomes, e.g. "Your needs are identified and assessed in a timely
    and effective way", with the measures that show progress towards it."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="outcomes")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    measures = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="strategy_outcome_number")
        ]

    def __str__(self) -> str:
        return f"Outcome {self.number}: {self.title}"


class Workstream(Tracked):
    """A workstream delivering the strategy, led by someone, serving one outcome above all."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="workstreams")
    outcome = models.ForeignKey(
        StrategyOutcome, on_delete=models.PROTECT, related_name="workstreams"
    )
    title = models.CharField(max_length=200)
    lead = models.CharField(max_length=120)

    class Meta:
        ordering = ["outcome__number", "title", "pk"]

    def __str__(self) -> str:
        return self.title


class StrategyAction(Tracked):
    """An action in a workstream: who owns it, when it is due, and how it is going."""

    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300)
    owner = models.CharField(max_length=120)
    due_on = models.DateField()
    status = models.CharField(max_length=5, choices=Rag.choices)
    measures = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def tag(self) -> tuple[str, str]:
        return rag_tag(self.status)


class BulletinCommentary(Tracked):
    """The council's commentary for the self-evaluation bulletin of one period: an overall
    summary and a note per workstream (keyed by the workstream's id)."""

    start = models.DateField()
    end = models.DateField()
    summary = models.TextField(blank=True)
    notes = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = "bulletin commentaries"
        constraints = [
            models.UniqueConstraint(fields=["start", "end"], name="bulletin_commentary_period")
        ]

    def __str__(self) -> str:
        return f"bulletin commentary {self.start.isoformat()} to {self.end.isoformat()}"
