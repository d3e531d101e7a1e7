"""The kernel every action function is built on: one shape for every change of statutory state.

An action (decorated with `action`) runs in one transaction and:

1. locks the case row and checks nobody saved it since the person opened it (`lock_case`,
   `StaleCase` listing their changes);
2. checks the step against the case's state and dates (`require_stage`, `not_future`,
   `not_before`; `ActionError` with a message for the person and the form field). The stages an
   action accepts are data on the action (`@stages(Stage.PLAN, late=True)` sets
   `allowed_stages`): its body passes itself to `require_stage` rather than restating them, and
   the case page offers its step (`casework.steps`) from the same declaration;
3. writes its records and the clock's events (`write_event`; `decision_notice` for an appealable
   decision), through `buffer` so an import can hold them in memory. The case's events are read
   once per action (`case_events`), and the events it writes are added to that list;
4. ends with `finish`: the case's version moves on, one audit entry, the case's deadlines
   recomputed once from that list (or noted for the enclosing deferred block). Computing them is
   the one check that the history does not contradict itself: a contradiction refuses the step
   with the clock's message, and the transaction keeps nothing;
5. then issues the step's letter (`documents.actions.issue_letter`, from the deadlines just
   stored), which Notify sends only after the transaction commits.

Switches say what they do: `notify=False` sends the family no message; `notify=True` sends it
now; `notify=SentEarlier(on, channel)` records that it was sent outside SENDcase on that date and
how (a copy is kept, nothing is sent); left as None, the message is sent only when the step is
dated today, because a step dated before today never sends a message by itself
(`letter_delivery`); `import_mode=True` relaxes
the checks an import of past records must relax (each action says which) and marks its audit
entry as imported. Every action takes the `actor` (`core.actors.Actor`: a member of staff, or a
`SystemActor` for a run with no one signed in). Dates are checked against `today` (the council's
local date unless a caller such as an import of historical data passes its own).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from sendcase import statutory
from sendcase.casework.domain import buffer
from sendcase.casework.domain.deferred import deferring, recompute_deadlines
from sendcase.casework.domain.errors import STALE_MESSAGE, ActionError, StaleCase
from sendcase.casework.domain.refresh import QUEUE_FIELDS
from sendcase.casework.models import OPEN_STAGES, Case, Child, Stage, StatutoryEvent
from sendcase.core.actors import Actor, user_of
from sendcase.core.audit import audit
from sendcase.core.models import AuditEntry
from sendcase.plans.models import Plan
from sendcase.statutory.dates import format_date
from sendcase.statutory.events import EventFieldError, event_label


@dataclass(frozen=True)
class SentEarlier:
    """The officer records that a step's letter was sent outside SENDcase: on `on`, by `channel`
    (a Correspondence.Channel value: email, letter (post), sms or hand)."""

    on: dt.date
    channel: str


Notify = bool | SentEarlier | None


def letter_delivery(notify: Notify, step_date: dt.date, today: dt.date) -> bool | SentEarlier:
    """What happens to a step's letter: True sends it now, False sends nothing, SentEarlier
    records it as sent. Left unsaid (None), a step dated today sends it; a back-dated step never
    sends a message by itself (reference/ehc-plan.md, "Messages about the past")."""
    if notify is None:
        return step_date >= today
    return notify


def local_today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def not_future(d: dt.date, what: str, today: dt.date, field: str) -> None:
    if d > today:
        raise ActionError(f"{what} must be today or in the past", field=field)


def not_before(
    d: dt.date, earlier: dt.date | None, what: str, earlier_what: str, field: str
) -> None:
    if earlier is not None and d < earlier:
        raise ActionError(
            f"{what} must be the same as or after {earlier_what} ({format_date(earlier)})",
            field=field,
        )


def lock_case(case: Case, expected_version: int | None) -> Case:
    """Lock the case row for this transaction and check nobody saved it since it was opened.

    Inside deferred_deadlines() within one transaction (an import), a case this block created or
    already locked is held until the transaction ends: passed back as the same object an earlier
    action returned, it is current, so it is used as it is, without reading the row again."""
    state = deferring()
    if state is not None and expected_version is None and state.held.get(case.pk) is case:
        return case
    locked = Case.objects.select_for_update().get(pk=case.pk)
    hold(locked)
    if expected_version is not None and locked.version != expected_version:
        changes = [
            f"{e.type.replace('_', ' ')} on {format_date(e.date)} recorded by {e.recorded_by or 'an import'}"
            for e in locked.events.filter(recorded_at__gte=case.updated_at).select_related(
                "recorded_by"
            )
        ]
        raise StaleCase(
            STALE_MESSAGE,
            changes=changes,
        )
    return locked


def hold(case: Case) -> None:
    """Remember a case created or locked inside a deferred block's transaction (see lock_case)."""
    state = deferring()
    if state is not None and state.in_transaction:
        state.held[case.pk] = case


_F = TypeVar("_F", bound=Callable[..., Any])


# The events of each case an action has read, by case id, while the action runs (see case_events).
_histories: ContextVar[dict[int, list[StatutoryEvent]] | None] = ContextVar(
    "action_histories", default=None
)


@contextmanager
def _one_history_read() -> Iterator[None]:
    """Within one action (and the actions it calls), a case's events are read once. An action
    that fails forgets what was read: its savepoint took back the events it wrote, so an outer
    action that carries on reads them again."""
    histories = _histories.get()
    if histories is not None:
        try:
            yield
        except BaseException:
            histories.clear()
            raise
        return
    token = _histories.set({})
    try:
        yield
    finally:
        _histories.reset(token)


def action(fn: _F) -> _F:
    """An action runs atomically. Inside a deferred block's transaction it takes no savepoint of
    its own (a failure rolls back to the caller's savepoint or transaction), and a failed action
    marks the block failed: its buffered audit entries cannot be undone by a savepoint, so the
    block must not be committed."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        state = deferring()
        try:
            with (
                transaction.atomic(savepoint=state is None or not state.in_transaction),
                _one_history_read(),
            ):
                return fn(*args, **kwargs)
        except BaseException:
            state = deferring()
            if state is not None:
                state.failed = True
            raise

    return run  # type: ignore[return-value]


def case_events(case: Case) -> list[StatutoryEvent]:
    """The case's statutory events, as the clock counts them (by date, then as recorded), with
    those this action wrote last. Read once per action: the events it writes are added to what
    it read, and its deadlines are computed from the same list.

    Inside a deferred block the events come from the write buffer as well as the table
    (`buffer.related`), and are not kept: the block computes the deadlines itself."""
    if deferring() is not None:
        return buffer.related(case, StatutoryEvent, "case")
    return list(_history(case))


def _history(case: Case) -> list[StatutoryEvent]:
    """The list this action keeps of the case's events (read on first use)."""
    histories = _histories.get()
    if histories is None:  # outside an action: nothing to keep
        return list(case.events.all())
    if case.pk not in histories:
        histories[case.pk] = list(case.events.all())
    return histories[case.pk]


def audit_action(
    actor: Actor,
    action: str,
    obj: Model,
    summary: str,
    *,
    case: Case | None,
    payload: dict[str, Any] | None = None,
) -> None:
    """audit(), or inside a deferred block's transaction the same entry kept for one bulk insert
    when the block ends (before the deadlines are recomputed)."""
    state = deferring()
    if state is None or not state.in_transaction:
        audit(actor, action, obj, summary, case=case, payload=payload)
        return
    state.audits.append(
        AuditEntry(
            actor=user_of(actor),
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            case=case,
            summary=summary[:255],
            payload=payload or {},
        )
    )


def write_event(case: Case, type_: str, date: dt.date, actor: Actor, **data: Any) -> StatutoryEvent:
    """Append a statutory event after checking its own type and fields.

    The whole history is checked once, when the action finishes: computing the deadlines refuses
    a history that contradicts itself, and the action fails with the clock's message (naming the
    event by its place in the history, as here). Inside deferred_deadlines() the block checks
    every changed case's whole history when it ends, and fails if any contradicts itself
    (HistoryContradiction), so nothing unchecked is kept."""
    clean = {
        k: (v.isoformat() if isinstance(v, dt.date) else v)
        for k, v in data.items()
        if v not in (None, "")
    }
    deferred = deferring() is not None
    try:
        statutory.stored_events([(type_, date, clean)])
    except EventFieldError as exc:
        if deferred:
            raise ActionError(str(exc)) from exc
        position = len(_history(case)) + 1
        raise ActionError(f"{event_label(position, type_)}: {exc.detail}") from exc
    except statutory.ClockInputError as exc:
        raise ActionError(str(exc)) from exc
    history = None if deferred else _history(case)
    event = buffer.create(
        StatutoryEvent,
        case=case,
        type=type_,
        date=date,
        data=clean,
        recorded_by=user_of(actor),
    )
    if history is not None:
        history.append(event)
    return event


def replace_event(
    case: Case,
    original: StatutoryEvent,
    actor: Actor,
    reason: str,
    *,
    date: dt.date | None = None,
    data: dict[str, Any] | None = None,
    struck_out: bool = False,
) -> StatutoryEvent:
    """Append the row that corrects `original` (a new date or data) or strikes it out. The log
    stays append-only: `original` is unchanged, and this action's history swaps it for the
    correction (or drops it), as `StatutoryEvent.objects` will read it from now on."""
    new_data = original.data if data is None else data
    if not struck_out:
        try:
            statutory.stored_events([(original.type, date or original.date, new_data)])
        except statutory.ClockInputError as exc:
            raise ActionError(str(exc)) from exc
    row = buffer.create(
        StatutoryEvent,
        case=case,
        type=original.type,
        date=date or original.date,
        data=new_data,
        recorded_by=user_of(actor),
        corrects=original,
        struck_out=struck_out,
        reason=reason,
    )
    history = _history(case)
    history[:] = [e for e in history if e.pk != original.pk]
    if not struck_out:
        history.append(row)
    return row


def decision_notice(case: Case, d: dt.date, actor: Actor) -> None:
    """The written notice of an appealable decision, which starts the appeal window. One a day:
    every decision notified on a day has the same window, so one row covers them."""
    if any(e.type == "decision_notice" and e.date == d for e in case_events(case)):
        return
    write_event(case, "decision_notice", d, actor)


def finish(
    case: Case,
    actor: Actor,
    summary: str,
    obj: Model | None,
    today: dt.date,
    payload: dict[str, Any],
) -> None:
    """The end of every action: the case's version moves on (with its stage and closed date), one
    audit entry ("create" for the case itself when `obj` is None, else "update" of `obj`), and
    the case's deadlines recomputed from the events this action holds - the one check that its
    history does not contradict itself."""
    case.version += 1
    deferred = deferring() is not None
    events = None if deferred else _history(case)
    try:
        recompute_deadlines(case, today=today, events=events, save_case=deferred)
    except statutory.ClockInputError as exc:  # the history contradicts itself
        raise ActionError(str(exc)) from exc
    # One UPDATE of the case: its version, stage and closing, and (outside a deferred block,
    # which sets them when it ends) the queue's fields from the deadlines just stored.
    buffer.save(
        case, ["version", "stage", "closed_on", "updated_at", *([] if deferred else QUEUE_FIELDS)]
    )
    audit_action(
        actor,
        "update" if obj is not None else "create",
        obj or case,
        summary,
        case=case,
        payload=payload,
    )


def stages(*allowed: str, late: bool = False) -> Callable[[_F], _F]:
    """Declare the stages at which an action may be recorded, as data on it (`allowed_stages`).

    `late=True`: the action judges the stage on the step's date (`require_stage(..., on=)`), so
    a step that happened at one of these stages can be recorded after the case moved on (the
    case page offers such steps later too: `casework.steps.Step.late`). Put it under
    `@action` (functools.wraps carries the attributes to the wrapper) or over it."""

    def declare(fn: _F) -> _F:
        fn.allowed_stages = tuple(allowed)  # type: ignore[attr-defined]
        fn.stages_late = late  # type: ignore[attr-defined]
        return fn

    return declare


def stages_of(action: Callable[..., Any]) -> tuple[str, ...] | None:
    """The stages an action declared with `stages`, or None if it checks no stage."""
    allowed: tuple[str, ...] | None = getattr(action, "allowed_stages", None)
    return allowed


def judges_stage_late(action: Callable[..., Any]) -> bool:
    """Whether the action judges the stage on the step's date (`stages(..., late=True)`)."""
    return bool(getattr(action, "stages_late", False))


def require_stage(
    case: Case,
    allowed: tuple[str, ...] | Callable[..., Any],
    doing: str,
    *,
    on: dt.date | None = None,
) -> None:
    """Refuse a step the case's stage does not allow: `allowed` is the stages, or the action
    itself, whose declared stages (`stages`) are used. With `on` (the step's date) the stage is
    judged on that date from the history: a step that happened while the plan was maintained can
    be recorded after it ceased, and advice requested during the assessment after the plan was
    issued (officers record the world late and in any order)."""
    if callable(allowed):
        declared = stages_of(allowed)
        if declared is None:
            raise TypeError(f"{allowed.__name__} declares no stages (kernel.stages)")
        allowed = declared
    if case.stage in allowed or (on is not None and _was_at(case, on, allowed)):
        return
    if on is not None and Stage.PLAN in allowed:
        plan = _plan_of(case)
        if plan is not None and plan.cease_date is not None and on > plan.cease_date:
            raise ActionError(
                f"You cannot {doing} on {format_date(on)}: the plan ended on "
                f"{format_date(plan.cease_date)}."
            )
    raise ActionError(f"You cannot {doing} while the case is at ‘{case.get_stage_display()}’.")


def _plan_of(case: Case) -> Plan | None:
    plan: Plan | None = getattr(case, "plan", None)
    return plan


def _was_at(case: Case, d: dt.date, allowed: tuple[str, ...]) -> bool:
    """Whether the case was at one of the `allowed` stages on `d`, by its records' dates."""
    plan = _plan_of(case)
    issued = plan.first_issued_on if plan is not None else None
    if Stage.PLAN in allowed and plan is not None and issued is not None:
        if issued <= d and (plan.cease_date is None or d <= plan.cease_date):
            return True
    if Stage.ASSESSING in allowed or Stage.DRAFT in allowed:
        request = getattr(case, "request", None)
        return (
            request is not None
            and request.decision == "assess"
            and request.decision_on is not None
            and request.decision_on <= d
            and (issued is None or d < issued)
            and (case.closed_on is None or d <= case.closed_on)
        )
    return False


_R = TypeVar("_R")


def has_open_case(child: Child) -> bool:
    return any(c.stage in OPEN_STAGES for c in buffer.related(child, Case, "child"))


def one_plan_at_a_time(child: Child, case: Case | None, on: dt.date) -> None:
    """Refuse a plan for a child who has another plan maintained on or after `on` (a child has one
    EHC plan at a time: CFA s37; SEN2 returns one active plan per child). Read through the write
    buffer, so an import checks the plans it has made too."""
    for other in buffer.related(child, Case, "child"):
        if case is not None and other.pk == case.pk:
            continue
        for plan in buffer.related(other, Plan, "case"):
            if plan.first_issued_on is None:
                continue
            if plan.cease_date is None or plan.cease_date > on:
                raise ActionError(
                    f"{child} already has an EHC plan, maintained since "
                    f"{format_date(plan.first_issued_on)} (case {other.reference}). A child has one "
                    "plan at a time: record that plan's ceasing, or its transfer, first"
                )


def plan_for(case: Case) -> Plan:
    """The case's plan, made if it has none yet."""
    if buffer.is_buffered(case):  # its plan, if any, was made in this block and is cached on it
        plan: Plan | None = Case.plan.related.get_cached_value(case, default=None)  # type: ignore[assignment]
    else:
        plan = Plan.objects.filter(case=case).first()
    return plan or buffer.create(Plan, case=case)


def next_case_reference(received_on: dt.date) -> str:
    """The next reference for the year, EHC-25-00001. Inside a deferred block's transaction the
    last number is read once per year and counted on (the block's cases are its own)."""
    prefix = f"EHC-{received_on:%y}-"
    state = deferring()
    if state is not None and state.in_transaction and prefix in state.references:
        state.references[prefix] += 1
        return f"{prefix}{state.references[prefix]:05d}"
    last = (
        Case.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    if state is not None and state.in_transaction:
        state.references[prefix] = number
    return f"{prefix}{number:05d}"


def first_by(rows: list[_R], key: Callable[[_R], Any], *, latest: bool = False) -> _R | None:
    """The row with the smallest key (the largest with latest=True); the oldest row on a tie."""
    if not rows:
        return None
    if latest:
        return max(reversed(rows), key=key)
    return min(rows, key=key)
