"""Storing the clock's answers for many cases at once: the daily refresh, imports, one action.

The clock computes; this module writes. For each case it computes the deadlines, and
compares a digest of them with the one stored on the case: a case whose deadlines did
not change costs no reads of its deadline rows and no writes. Changed rows are
replaced (delete and insert), which is far cheaper than row-by-row UPDATEs on a whole
council. With `workers` > 1, batches run in parallel processes, each with its own
database connection (PostgreSQL; SQLite serialises writers, so it stays at 1).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from django.db import connection, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from sendcase import statutory
from sendcase.casework.domain import refresh_worker
from sendcase.casework.domain.deadlines import council_calendar, council_config, queue_fields
from sendcase.casework.models import OPEN_STAGES, Case, Deadline, StatutoryEvent

BATCH = 2000


def refresh_all(
    *,
    today: dt.date | None = None,
    include_closed: bool = False,
    batch: int = BATCH,
    workers: int = 1,
) -> int:
    """Recompute and store deadlines for every open case (or every case). Returns the number of cases.

    Open includes a case with a live appeal (`disputed`), whatever its stage."""
    cases = (
        Case.objects.all()
        if include_closed
        else Case.objects.filter(Q(stage__in=OPEN_STAGES) | Q(disputed=True))
    )
    ids = list(cases.order_by("pk").values_list("pk", flat=True))
    refresh_cases(ids, today=today, batch=batch, workers=workers)
    return len(ids)


def default_workers() -> int:
    """Parallel processes for a whole-council refresh: the cores, on PostgreSQL only."""
    if connection.vendor != "postgresql":
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def refresh_cases(
    ids: list[int],
    *,
    today: dt.date | None = None,
    batch: int = BATCH,
    calendar: statutory.Calendar | None = None,
    config: statutory.ClockConfig | None = None,
    workers: int = 1,
) -> None:
    """Recompute and store the deadlines of the given cases, in batches."""
    today = today or timezone.localdate()
    calendar = calendar or council_calendar()
    config = config or council_config()
    batches = [ids[start : start + batch] for start in range(0, len(ids), batch)]
    if workers <= 1 or len(batches) <= 1 or connection.in_atomic_block:
        for chunk in batches:
            refresh_batch(chunk, today, calendar, config)
        return
    # Fresh interpreters ("spawn"), not forks: a forked child would share this process's
    # open database sockets. Each worker sets Django up and opens its own connection to
    # the same database.
    database = connection.settings_dict["NAME"]
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=get_context("spawn"),
        initializer=refresh_worker.start,
        initargs=(os.environ.get("DJANGO_SETTINGS_MODULE", "sendcase.settings"), database),
    ) as pool:
        list(pool.map(refresh_worker.run, [(chunk, today, calendar, config) for chunk in batches]))


# The stored fields of a Deadline, in the order they are compared.
_FIELDS = ("trigger", "due", "completed_on", "status", "source", "explanation", "advice_id")


# Part of every digest: change it when what is stored for a case changes while its deadlines do
# not (as when the queue stopped ranking cases by the family's appeal window), so the next
# refresh rewrites every case once.
DIGEST_VERSION = "2"


def deadline_digest(computed: Sequence[statutory.Deadline]) -> str:
    """A digest of everything stored for a case's deadlines (same rows, same digest)."""
    text = (
        DIGEST_VERSION
        + "\x1d"
        + "\x1f".join(
            f"{d.key}\x1e{d.instance}\x1e{d.trigger.toordinal()}\x1e{d.due.toordinal() if d.due else ''}"
            f"\x1e{d.completed_on.toordinal() if d.completed_on else ''}\x1e{d.status}\x1e{d.source}"
            f"\x1e{d.explanation}\x1e{d.advice_id or ''}"
            for d in computed
        )
    )
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def deadline_fields(case_id: int, d: statutory.Deadline) -> dict[str, object]:
    """The stored row of one computed deadline, by field name."""
    return {
        "case_id": case_id,
        "key": d.key,
        "instance": d.instance,
        "trigger": d.trigger,
        "due": d.due,
        "completed_on": d.completed_on,
        "status": d.status,
        "source": d.source,
        "explanation": d.explanation,
        "advice_id": d.advice_id or "",
    }


def _row(case_id: int, d: statutory.Deadline) -> Deadline:
    return Deadline(**deadline_fields(case_id, d))


def _values(d: statutory.Deadline) -> tuple[object, ...]:
    return (d.trigger, d.due, d.completed_on, d.status, d.source, d.explanation, d.advice_id or "")


def write_computed(
    computed_by_case: dict[int, Sequence[statutory.Deadline]],
    digests: dict[int, str],
    *,
    cases_too: bool = True,
) -> None:
    """Make the stored rows of these cases equal the computed ones, and store their digests
    and queue fields (unless `cases_too` is False: the caller saves the case itself, in the one
    UPDATE an action makes). Unchanged rows are left alone; changed and stale rows are
    replaced."""
    if not computed_by_case:
        return
    existing: dict[int, dict[tuple[str, str], tuple[int, tuple[object, ...]]]] = defaultdict(dict)
    for pk, case_id, key, instance, *values in Deadline.objects.filter(
        case_id__in=list(computed_by_case)
    ).values_list("pk", "case_id", "key", "instance", *_FIELDS):
        existing[case_id][(key, instance)] = (pk, tuple(values))
    to_delete: list[int] = []
    to_create: list[Deadline] = []
    case_updates: list[Case] = []
    for case_id, computed in computed_by_case.items():
        old_rows = existing.get(case_id, {})
        seen = set()
        for d in computed:
            k = (d.key, d.instance)
            seen.add(k)
            old = old_rows.get(k)
            if old is None or old[1] != _values(d):
                if old is not None:
                    to_delete.append(old[0])
                to_create.append(_row(case_id, d))
        to_delete.extend(pk for k, (pk, _) in old_rows.items() if k not in seen)
        next_due, next_key, overdue = queue_fields(computed)
        case_updates.append(
            Case(
                pk=case_id,
                next_due=next_due,
                next_key=next_key,
                overdue_count=overdue,
                deadlines_digest=digests[case_id],
            )
        )
    for start in range(0, len(to_delete), 5000):
        # A plain DELETE: nothing refers to a deadline row, and no receiver needs the rows
        # (Django's delete() would read every row first, for the post_delete signal).
        rows = Deadline.objects.filter(pk__in=to_delete[start : start + 5000])
        rows._raw_delete(rows.db)
    Deadline.objects.bulk_create(to_create, batch_size=1000)
    if not cases_too:
        return
    Case.objects.bulk_update(
        case_updates, ["next_due", "next_key", "overdue_count", "deadlines_digest"], batch_size=1000
    )


# The case fields store_deadlines sets, for a caller that saves the case itself.
QUEUE_FIELDS = ["next_due", "next_key", "overdue_count", "deadlines_digest"]


def store_deadlines(
    case: Case, computed: Sequence[statutory.Deadline], *, save_case: bool = True
) -> None:
    """Replace a case's stored deadlines with the computed ones (idempotent), and set its queue
    fields (QUEUE_FIELDS). With save_case=False the case row is not written: the caller saves
    those fields with its own (an action's one UPDATE of the case)."""
    digest = deadline_digest(computed)
    if digest == case.deadlines_digest and case.deadlines.exists():
        return
    write_computed({case.pk: computed}, {case.pk: digest}, cases_too=save_case)
    case.next_due, case.next_key, case.overdue_count = queue_fields(computed)
    case.deadlines_digest = digest


def _events_by_case(ids: list[int]) -> dict[int, list[tuple[str, dt.date, object]]]:
    events: dict[int, list[tuple[str, dt.date, object]]] = defaultdict(list)
    # The data as text: most events carry none, and decoding "{}" a million times is not free.
    rows = (
        StatutoryEvent.objects.filter(case_id__in=ids)
        .order_by("case_id", "date", "id")
        .values_list("case_id", "type", "date", Cast("data", output_field=TextField()))
    )
    for case_id, type_, date, data in rows:
        events[case_id].append((type_, date, json.loads(data) if data and data != "{}" else None))
    return events


@transaction.atomic
def refresh_batch(
    ids: list[int], today: dt.date, calendar: statutory.Calendar, config: statutory.ClockConfig
) -> None:
    """Compute a batch of cases and write only the cases whose deadlines changed."""
    events = _events_by_case(ids)
    stored = dict(Case.objects.filter(pk__in=ids).values_list("pk", "deadlines_digest"))
    changed: dict[int, Sequence[statutory.Deadline]] = {}
    digests: dict[int, str] = {}
    for case_id in ids:
        computed = statutory.compute_deadlines(
            statutory.stored_events(events.get(case_id, ())), today, calendar, config
        )
        digest = deadline_digest(computed)
        if stored.get(case_id) != digest:
            changed[case_id] = computed
            digests[case_id] = digest
    write_computed(changed, digests)
