"""Recomputing many cases' deadlines at once: the daily refresh, and after a bulk load.

Reads events in batches and writes only what changed, so a 20,000-plan council
takes seconds, not minutes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from sendcase import statutory
from sendcase.casework.domain.deadlines import (
    council_calendar,
    council_config,
    deadline_rows,
    queue_fields,
)
from sendcase.casework.models import OPEN_STAGES, Case, Deadline, StatutoryEvent

BATCH = 2000
_FIELDS = ("trigger", "due", "completed_on", "status", "source", "explanation", "advice_id")


def refresh_all(
    *, today: dt.date | None = None, include_closed: bool = False, batch: int = BATCH
) -> int:
    """Recompute and store deadlines for every open case (or every case). Returns the number of cases."""
    today = today or timezone.localdate()
    calendar, config = council_calendar(), council_config()
    cases = Case.objects.all() if include_closed else Case.objects.filter(stage__in=OPEN_STAGES)
    ids = list(cases.order_by("pk").values_list("pk", flat=True))
    refresh_cases(ids, today=today, batch=batch, calendar=calendar, config=config)
    return len(ids)


def refresh_cases(
    ids: list[int],
    *,
    today: dt.date | None = None,
    batch: int = BATCH,
    calendar: statutory.Calendar | None = None,
    config: statutory.ClockConfig | None = None,
) -> None:
    """Recompute and store the deadlines of the given cases, in batches."""
    today = today or timezone.localdate()
    calendar = calendar or council_calendar()
    config = config or council_config()
    for start in range(0, len(ids), batch):
        _refresh_batch(ids[start : start + batch], today, calendar, config)


@transaction.atomic
def _refresh_batch(
    ids: list[int], today: dt.date, calendar: statutory.Calendar, config: statutory.ClockConfig
) -> None:
    events: dict[int, list[dict[str, object]]] = defaultdict(list)
    for case_id, type_, date, data in (
        StatutoryEvent.objects.filter(case_id__in=ids)
        .order_by("case_id", "date", "id")
        .values_list("case_id", "type", "date", "data")
    ):
        events[case_id].append({"type": type_, "date": date.isoformat(), **data})
    existing: dict[int, dict[tuple[str, str], Deadline]] = defaultdict(dict)
    for d in Deadline.objects.filter(case_id__in=ids):
        existing[d.case_id][(d.key, d.instance)] = d
    cases = {
        c.pk: c
        for c in Case.objects.filter(pk__in=ids).only("pk", "next_due", "next_key", "overdue_count")
    }
    to_create: list[Deadline] = []
    to_update: list[Deadline] = []
    to_delete: list[int] = []
    case_updates: list[Case] = []
    for case_id in ids:
        case = cases[case_id]
        computed = statutory.compute_deadlines(
            statutory.parse_events(events[case_id]), today, calendar, config
        )
        wanted = {(r.key, r.instance): r for r in deadline_rows(case, computed)}
        old_rows = existing[case_id]
        to_delete.extend(d.pk for k, d in old_rows.items() if k not in wanted)
        for k, row in wanted.items():
            old = old_rows.get(k)
            if old is None:
                to_create.append(row)
            elif any(getattr(old, f) != getattr(row, f) for f in _FIELDS):
                for f in _FIELDS:
                    setattr(old, f, getattr(row, f))
                to_update.append(old)
        fields = queue_fields(computed)
        if (case.next_due, case.next_key, case.overdue_count) != fields:
            case.next_due, case.next_key, case.overdue_count = fields
            case_updates.append(case)
    if to_delete:
        Deadline.objects.filter(pk__in=to_delete).delete()
    Deadline.objects.bulk_create(to_create, batch_size=1000)
    Deadline.objects.bulk_update(to_update, _FIELDS, batch_size=1000)
    Case.objects.bulk_update(
        case_updates, ["next_due", "next_key", "overdue_count"], batch_size=1000
    )
