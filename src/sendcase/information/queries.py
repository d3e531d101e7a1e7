"""Complaints' response deadlines as the case page shows them, beside the statutory ones.

The due dates are the ones stored on the complaint when it was logged or escalated (the clock's
`complaint_stage_1` and `complaint_stage_2`, by the council's local targets); the status words
and tags are the case page's own (`casework.queries.STATUS_TAGS`), due soon within the council's
warning days as for every other deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sendcase.casework.domain.deadlines import council_config
from sendcase.casework.models import Case
from sendcase.casework.queries import STATUS_TAGS
from sendcase.information.models import Complaint


@dataclass(frozen=True)
class ComplaintDeadline:
    complaint: Complaint
    title: str
    due: dt.date
    done: dt.date | None
    status: str

    @property
    def tag(self) -> tuple[str, str]:
        return STATUS_TAGS.get(self.status, (self.status, "govuk-tag--grey"))


def _status(due: dt.date, done: dt.date | None, today: dt.date, warn: int) -> str:
    if done is not None:
        return "met" if done <= due else "missed"
    if today > due:
        return "overdue"
    return "due_soon" if (due - today).days <= warn else "open"


def complaint_deadlines(case: Case, today: dt.date) -> list[ComplaintDeadline]:
    """Each complaint's stage 1 response and, once escalated, its stage 2 response (one query)."""
    warn = council_config().warning_days
    out = []
    for c in Complaint.objects.filter(case=case).order_by("received_on", "pk"):
        out.append(ComplaintDeadline(c, f"Complaint {c.reference}: stage 1 response", c.stage_1_due, c.stage_1_responded_on, _status(c.stage_1_due, c.stage_1_responded_on, today, warn)))  # fmt: skip
        if c.stage_2_due is not None:
            out.append(ComplaintDeadline(c, f"Complaint {c.reference}: stage 2 response", c.stage_2_due, c.stage_2_responded_on, _status(c.stage_2_due, c.stage_2_responded_on, today, warn)))  # fmt: skip
    return out
