"""The block an import runs its actions in: deadlines recomputed once at the end, rows buffered.

`deferred_deadlines()` wraps many actions (the SEN2 import, bulk loads): each action notes the
case it changed instead of recomputing it, and the block recomputes them all, in batches, when
it ends. Inside a transaction the block also holds the cases it locked, keeps the audit entries
for one insert, and counts case references on; with `buffered=True` the rows the actions create
wait in a `buffer.WriteBuffer` and are written together (see buffer.py).

`recompute_deadlines` is the one call every action makes at its end: now, or noted for the
block. This module sits above `deadlines` (the clock's inputs), `refresh` (storing its answers)
and `buffer` (the write buffer), none of which imports it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from sendcase import statutory
from sendcase.casework.domain.buffer import WriteBuffer, buffering
from sendcase.casework.domain.deadlines import (
    clock_events,
    compute_for_case,
    council_calendar,
    council_config,
    queue_fields,
)
from sendcase.casework.domain.refresh import (
    deadline_digest,
    deadline_fields,
    refresh_cases,
    store_deadlines,
)
from sendcase.casework.models import Case, Deadline, StatutoryEvent
from sendcase.core.bulk import Table
from sendcase.core.models import AuditEntry


class HistoryContradiction(Exception):
    """Raised when a deferred block ends and the clock rejects some changed cases' histories.

    `problems` maps each such case's id to the clock's message. Nothing of the block is kept
    when the caller lets this propagate out of its transaction."""

    def __init__(self, problems: dict[int, str]) -> None:
        super().__init__("; ".join(f"case {pk}: {msg}" for pk, msg in problems.items()))
        self.problems = problems


@dataclass
class Deferred:
    """What a deferred block gathers: the cases to recompute, the cases it created or locked (held
    by its transaction until it ends), audit entries to insert at once, and reference counters."""

    pending: dict[int, None] = field(default_factory=dict)  # an ordered set of case ids
    in_transaction: bool = False
    held: dict[int, Case] = field(default_factory=dict)
    audits: list[AuditEntry] = field(default_factory=list)
    references: dict[str, int] = field(default_factory=dict)
    failed: bool = False
    buffer: WriteBuffer | None = None

    today: dt.date | None = None
    # Cases whose whole history the clock refused when their buffered rows were written.
    contradictions: dict[int, str] = field(default_factory=dict)

    def flush_audits(self) -> None:
        if self.audits:
            Table(AuditEntry, timezone.now()).write_objects(self.audits)
            self.audits = []

    def flush(self) -> None:
        """Write what the block holds so far: buffered rows with their deadlines (computed here
        from the buffered events, so they are not read back), then audit entries. Cases it held
        are read again (and locked, which they already are) by the next action on them."""
        if self.buffer is not None:
            deadlines = self._settle_buffered_cases(self.buffer)
            self.buffer.flush()
            Table(Deadline, timezone.now()).write(deadlines)
            self.held.clear()
        self.flush_audits()

    def _settle_buffered_cases(self, buffer: WriteBuffer) -> list[dict[str, object]]:
        """Compute the deadlines of the changed cases that are still buffered (all their events
        are in the buffer too), set their queue fields, and return their deadline rows."""
        today = self.today or timezone.localdate()
        calendar, config = council_calendar(), council_config()
        rows: list[dict[str, object]] = []
        cases: list[Case] = buffer.rows.get(Case, [])  # type: ignore[assignment]
        for case in cases:
            if case.pk not in self.pending:
                continue
            del self.pending[case.pk]
            events: list[StatutoryEvent] = sorted(
                buffer.related(StatutoryEvent, "case_id", case.pk),  # type: ignore[arg-type]
                key=lambda e: (e.date, e.pk),
            )
            try:
                computed = statutory.compute_deadlines(
                    clock_events(events),
                    today,
                    calendar,
                    config,
                )
            except statutory.ClockInputError:
                self.contradictions[case.pk] = (
                    _contradiction(events) or "the statutory clock cannot count from these events"
                )
                continue
            case.next_due, case.next_key, case.overdue_count = queue_fields(computed)
            case.deadlines_digest = deadline_digest(computed)
            rows.extend(deadline_fields(case.pk, d) for d in computed)
        return rows


_deferred: ContextVar[Deferred | None] = ContextVar("deferred_deadlines", default=None)


def deferring() -> Deferred | None:
    """The enclosing deferred block's state, or None outside one."""
    return _deferred.get()


@contextmanager
def deferred_deadlines(*, today: dt.date | None = None, buffered: bool = False) -> Iterator[None]:
    """Within this block, actions note which cases changed; their deadlines are recomputed once, in
    batches, when the block ends (for imports and bulk loads). Use it inside the import's transaction:
    then a case an action created or locked stays locked to this block and is not re-read, and the
    audit entries are inserted together when the block ends (before the recompute).

    In the block, each new statutory event is checked on its own; the whole history of every
    changed case is checked by the clock at the end, and a contradiction raises
    HistoryContradiction naming the cases (roll the transaction back).

    `buffered=True` (inside a transaction only) also buffers the rows the actions create and
    inserts them together (see buffer.py); call deferring().flush() between independent pieces
    of work to bound memory."""
    if _deferred.get() is not None:
        yield
        return
    in_transaction = transaction.get_connection().in_atomic_block
    if buffered and not in_transaction:
        raise RuntimeError("deferred_deadlines(buffered=True) must run inside a transaction")
    state = Deferred(
        in_transaction=in_transaction, buffer=WriteBuffer() if buffered else None, today=today
    )
    token = _deferred.set(state)
    try:
        with buffering(state.buffer):
            yield
    finally:
        _deferred.reset(token)
    if state.failed and state.in_transaction:
        raise RuntimeError(
            "An action failed inside deferred_deadlines(): roll the transaction back "
            "(its buffered audit entries and changes cannot be partly kept)."
        )
    state.flush()
    if state.pending:
        ids = list(state.pending)
        try:
            refresh_cases(ids, today=today)
        except statutory.ClockInputError:
            raise HistoryContradiction({**state.contradictions, **_contradictions(ids)}) from None
    if state.contradictions:
        raise HistoryContradiction(state.contradictions)


def _contradictions(ids: list[int]) -> dict[int, str]:
    """Which of these cases' histories the clock rejects, and why (only after a refresh failed)."""
    problems: dict[int, str] = {}
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        rows: dict[int, list[StatutoryEvent]] = {pk: [] for pk in chunk}
        for event in StatutoryEvent.objects.filter(case_id__in=chunk).order_by("date", "id"):
            rows[event.case_id].append(event)
        for pk, events in rows.items():
            message = _contradiction(events)
            if message:
                problems[pk] = message
    return problems


def _contradiction(events: list[StatutoryEvent]) -> str:
    """Why the clock refuses this history ("" if it does not); parse_events names the
    offending event by its position in the history."""
    try:
        statutory.parse_events([e.as_clock_dict() for e in events])
    except statutory.ClockInputError as exc:
        return str(exc)
    return ""


def recompute_deadlines(
    case: Case,
    *,
    today: dt.date | None = None,
    events: Sequence[StatutoryEvent] | None = None,
    save_case: bool = True,
) -> list[statutory.Deadline]:
    """Compute a case's deadlines from its events and store them; inside a deferred block, note
    the case for the block's end instead. Called by every action (through kernel.finish), which
    passes the case's `events` it already holds so they are not read again, and saves the
    case's queue fields itself (`save_case=False`, refresh.QUEUE_FIELDS) with its own UPDATE.

    Raises statutory.ClockInputError if the events contradict each other."""
    state = _deferred.get()
    if state is not None:
        state.pending[case.pk] = None
        return []
    computed = compute_for_case(case, today=today, events=events)
    store_deadlines(case, computed, save_case=save_case)
    return computed
