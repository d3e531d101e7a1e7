"""What the statutory clock says for a case: its inputs from the database, and the queue's view.

The clock (sendcase.statutory) is pure; this module feeds it a case's events and the council's
calendar and local targets, and picks the case's next due deadline for the work queue. Storing
the answer is `refresh.py`'s; recomputing after an action, or at the end of an import's block,
is `deferred.py`'s. This module imports neither (they import it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import lru_cache

from django.utils import timezone

from sendcase import statutory
from sendcase.casework.models import Case, StatutoryEvent
from sendcase.core.models import ExtraHoliday, LocalTargetSetting

# Statuses that still ask something of an officer, in the order the queue ranks them.
ACTIVE_STATUSES = ("overdue", "due_soon", "open")


def council_calendar() -> statutory.Calendar:
    extra = tuple(ExtraHoliday.objects.values_list("date", flat=True))
    return _calendar(extra)


@lru_cache(maxsize=8)
def _calendar(extra: tuple[dt.date, ...]) -> statutory.Calendar:
    return statutory.Calendar(extra_holidays=extra)


def council_config() -> statutory.ClockConfig:
    config = statutory.ClockConfig()
    for row in LocalTargetSetting.objects.all():
        if row.key == "warning_window" and row.warning_days is not None:
            config.warning_days = row.warning_days
            continue
        config.local_targets[row.key] = statutory.LocalTarget(
            enabled=row.enabled, length_days=row.length_days
        )
    return config


def clock_events(events: Iterable[StatutoryEvent]) -> list[statutory.Event]:
    """A case's stored events for the clock. Contradictions between them are refused by
    compute_deadlines itself, so they are not checked twice here."""
    return statutory.stored_events((e.type, e.date, e.data) for e in events)


def compute_for_case(
    case: Case,
    *,
    today: dt.date | None = None,
    events: Sequence[StatutoryEvent] | None = None,
    calendar: statutory.Calendar | None = None,
    config: statutory.ClockConfig | None = None,
) -> list[statutory.Deadline]:
    """What the clock says for a case today (nothing is written)."""
    if events is None:
        events = list(case.events.all())
    return statutory.compute_deadlines(
        clock_events(events),
        today or timezone.localdate(),
        calendar or council_calendar(),
        config or council_config(),
    )


# The family's time, not a step for the council: shown on the case page, never the case's next
# deadline in the work queue (a plan just issued is next due for its annual review, not for
# the end of the family's appeal window).
NOT_QUEUED = frozenset({"appeal_window", "plan_maintained_pending_appeal"})


def queue_fields(computed: Sequence[statutory.Deadline]) -> tuple[dt.date | None, str, int]:
    """The case's next due date and key (overdue first, then soonest), and its overdue count."""
    active = [
        d
        for d in computed
        if d.status in ACTIVE_STATUSES and d.due is not None and d.key not in NOT_QUEUED
    ]
    overdue = sum(1 for d in active if d.status == "overdue")
    if not active:
        return None, "", overdue
    first = min(active, key=lambda d: (d.due, d.key, d.instance))
    return first.due, first.key, overdue
