"""The officers a caseload needs: pure arithmetic on the council's own assumptions.

Officers needed is the larger of two readings: plans over the target caseload per officer,
and the hours the work takes (each new assessment's hours plus each plan's hours a year) over
the hours an officer gives casework in a year. Both are shown, so the assumption that binds is
visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Assumptions:
    caseload_target: int
    hours_per_assessment: Decimal
    hours_per_plan_year: Decimal
    hours_per_officer_year: Decimal


@dataclass(frozen=True)
class Officers:
    year: int
    plans: float
    assessments: float
    by_caseload: float
    by_hours: float

    @property
    def needed(self) -> float:
        return max(self.by_caseload, self.by_hours)


def officers(year: int, plans: float, assessments: float, a: Assumptions) -> Officers:
    hours = float(a.hours_per_assessment) * assessments + float(a.hours_per_plan_year) * plans
    return Officers(
        year=year,
        plans=plans,
        assessments=assessments,
        by_caseload=plans / a.caseload_target if a.caseload_target else 0.0,
        by_hours=hours / float(a.hours_per_officer_year) if a.hours_per_officer_year else 0.0,
    )
