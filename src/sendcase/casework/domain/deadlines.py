"""Keeping a case's stored deadlines equal to what the statutory clock computes.

The clock (sendcase.statutory) is pure; this module feeds it a case's events and the
council's calendar and local targets, and stores its answer as Deadline rows, plus
the case's next due date for the work queue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import transaction
from django.utils import timezone

from sendcase import statutory
from sendcase.casework.domain.buffer import WriteBuffer
from sendcase.casework.models import Case, Deadline, StatutoryEvent
from sendcase.core.bulk import Table
from sendcase.core.models import AuditEntry, ExtraHoliday, LocalTargetSetting

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


def store_deadlines(case: Case, computed: Sequence[statutory.Deadline]) -> None:
    """Replace a case's stored deadlines with the computed ones (idempotent)."""
    from sendcase.casework.domain.refresh import deadline_digest, write_computed

    digest = deadline_digest(computed)
    if digest == case.deadlines_digest and case.deadlines.exists():
        return
    write_computed({case.pk: computed}, {case.pk: digest})
    case.next_due, case.next_key, case.overdue_count = queue_fields(computed)
    case.deadlines_digest = digest


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
        from sendcase.casework.domain.refresh import deadline_digest, deadline_fields

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
    from sendcase.casework.domain.refresh import refresh_cases

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


def recompute_deadlines(case: Case, *, today: dt.date | None = None) -> list[statutory.Deadline]:
    """Compute a case's deadlines from its events and store them. Called by every action."""
    state = _deferred.get()
    if state is not None:
        state.pending[case.pk] = None
        return []
    computed = compute_for_case(case, today=today)
    store_deadlines(case, computed)
    return computed
