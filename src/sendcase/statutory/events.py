"""Events: the facts the clock counts from, and how raw input becomes them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from sendcase.statutory.rules import DEADLINE_RULES, STAGES

__all__ = [
    "ADVICE_KINDS",
    "EVENT_TYPES",
    "EXCEPTION_REASONS",
    "REVIEW_OUTCOMES",
    "TYPE_ORDER",
    "ClockInputError",
    "Event",
    "EventFieldError",
    "event_label",
    "parse_date",
    "parse_one",
    "stored_events",
]


class ClockInputError(ValueError):
    """Input the clock cannot count from. The message is one plain sentence for a person."""


class EventFieldError(ClockInputError):
    """A bad field in one event; `detail` is the message without the event's label."""

    def __init__(self, type_: str, detail: str) -> None:
        super().__init__(f"Event ({type_}): {detail}")
        self.detail = detail


_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Event:
    """One dated fact. Slotted: one small object, which the clock reads quickly."""

    type: str
    date: date
    data: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    def __post_init__(self) -> None:
        # An Event is valid by construction: the clock never sees a bad one.
        if self.type not in EVENT_TYPES:
            raise EventFieldError(
                str(self.type), "unknown event type. See docs/clock.md for the event types."
            )
        if type(self.date) is not date:
            raise EventFieldError(self.type, "date must be a date (not a date and time).")
        if type(self.data) is not MappingProxyType:
            object.__setattr__(self, "data", MappingProxyType(dict(self.data)))
        check = _CHECKS.get(self.type)
        if check is not None:
            check(self)

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)


# The order of event types on the same day: the natural order of the process. Ties on
# the same date are broken by this order, then by the event's data, so that the same
# events in any input order give the same result.
_ORDER = (
    "child_born",
    "request_received",
    "transfer_in",
    "transfer_in_notice",
    "decision_to_assess",
    "reassessment_notice",
    "advice_requested",
    "advice_received",
    "exception",
    "decision_not_to_issue",
    "draft_issued",
    "setting_consulted",
    "setting_responded",
    "final_issued",
    "review_invitations_sent",
    "review_advice_circulated",
    "review_meeting",
    "review_report",
    "review_decision",
    "amendment_notice",
    "final_amended_plan",
    "phase_transfer_named",
    "phase_transfer",
    "cease_considered",
    "cease_decision",
    "transfer_out_learned",
    "plan_transferred_out",
    "decision_notice",
    "mediation_declined",
    "mediation_requested",
    "mediation_held",
    "mediation_certificate",
    "appeal_lodged",
    "tribunal_order",
    "tribunal_order_complied",
    "unopposed_appeal",
    "unopposed_appeal_complied",
    "sar_received",
    "sar_extended",
    "sar_responded",
    "foi_received",
    "foi_responded",
    "complaint_received",
    "complaint_escalated",
    "complaint_responded",
)
TYPE_ORDER: dict[str, int] = {t: i for i, t in enumerate(_ORDER)}
EVENT_TYPES: frozenset[str] = frozenset(_ORDER)

ADVICE_KINDS = frozenset({"educational_psychology", "health", "social_care", "education", "other"})
EXCEPTION_REASONS = frozenset(
    {
        "institution_closure",
        "exceptional_personal_circumstances",
        "absence_from_area",
        "missed_appointment",
    }
)
_OUTCOMES = {
    "decision_to_assess": ("assess", "not_assess"),
    "review_decision": ("maintain", "amend", "cease"),
}
REVIEW_OUTCOMES: tuple[str, ...] = _OUTCOMES["review_decision"]
# A cease_decision may say it was a decision not to cease (the consultation ended with the plan
# kept); without an outcome it is a decision to cease, as imported and older events are.
CEASE_OUTCOMES: tuple[str, ...] = ("cease", "not_cease")
_KINDS: dict[str, tuple[str, ...]] = {
    "advice_requested": tuple(sorted(ADVICE_KINDS)),
    "phase_transfer": ("school", "post16", "post16_move"),
    "tribunal_order": ("assess", "make_plan", "amend", "setting", "continue"),
    "tribunal_order_complied": ("assess", "make_plan", "amend", "setting", "continue"),
    "unopposed_appeal": ("assess", "amend"),
    "unopposed_appeal_complied": ("assess", "amend"),
}
# data fields that hold dates, by event type
_DATE_FIELDS: dict[str, tuple[str, ...]] = {
    "exception": ("start", "end"),
    "transfer_in": ("last_review",),
    "transfer_out_learned": ("move_date",),
}
_REQUIRED: dict[str, tuple[str, ...]] = {
    "decision_to_assess": ("outcome",),
    "advice_requested": ("advice_id", "kind"),
    "advice_received": ("advice_id",),
    "exception": ("reason",),
    "review_decision": ("outcome",),
    "phase_transfer": ("kind",),
    "transfer_in": ("last_review",),
    "transfer_out_learned": ("move_date",),
    "tribunal_order": ("kind",),
    "tribunal_order_complied": ("kind",),
    "unopposed_appeal": ("kind",),
    "unopposed_appeal_complied": ("kind",),
}

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def event_label(position: int, type_: str) -> str:
    """'Event 3 (final_issued)': positions count from 1, in the order given."""
    return f"Event {position} ({type_})"


def parse_date(value: Any, what: str) -> date:
    """Parse 'YYYY-MM-DD' (or pass a date through); `what` starts the error message."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO.match(value):
        raise ClockInputError(f"{what} {value!r} is not a date. Use YYYY-MM-DD.")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ClockInputError(f"{what} {value} is not a real date. Use YYYY-MM-DD.") from None


def _one_of(type_: str, name: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise EventFieldError(
            type_, f"{name} {value!r} is not allowed. Use one of: {', '.join(allowed)}."
        )


def parse_one(position: int, raw: Any) -> Event:
    """One raw event (a dict) at `position` (from 1), checked on its own: see parse_events."""
    if not isinstance(raw, Mapping):
        raise ClockInputError(f"Event {position}: is not an object with a type and a date.")
    type_ = raw.get("type")
    if not isinstance(type_, str) or not type_:
        raise ClockInputError(f"Event {position}: has no type.")
    label = event_label(position, type_)
    if type_ not in EVENT_TYPES:
        raise ClockInputError(
            f"{label}: unknown event type. See docs/clock.md for the event types."
        )
    raw_date = raw.get("date")
    if raw_date in (None, "") and type_ == "exception":
        raw_date = _exception_start(raw)  # an exception's date is its start
    if raw_date in (None, ""):
        raise ClockInputError(f"{label}: has no date. Use YYYY-MM-DD.")
    when = parse_date(raw_date, f"{label}: date")
    data: dict[str, Any] = {}
    for name, value in raw.items():
        if name in ("type", "date"):
            continue
        if isinstance(value, Mapping) and name == "data":
            # accept {"type", "date", "data": {...}} as well as flat fields
            data.update(value)
        else:
            data[name] = value
    for name in _REQUIRED.get(type_, ()):
        if data.get(name) in (None, ""):
            raise ClockInputError(f"{label}: needs a {name}.")
    for name in _DATE_FIELDS.get(type_, ()):
        if data.get(name) not in (None, ""):
            data[name] = parse_date(data[name], f"{label}: {name}")
        else:
            data.pop(name, None)
    try:
        return Event(type_, when, MappingProxyType(data))
    except EventFieldError as exc:
        raise ClockInputError(f"{label}: {exc.detail}") from None


def _exception_start(raw: Mapping[str, Any]) -> Any:
    """The start of an exception given as flat fields or inside "data"."""
    data = raw.get("data")
    if raw.get("start") in (None, "") and isinstance(data, Mapping):
        return data.get("start")
    return raw.get("start")


def _check_fields(ev: Event) -> None:
    """Checks of one event's own fields: required fields, outcomes, kinds, stages, reasons."""
    t = ev.type
    data = ev.data

    def bad(detail: str) -> EventFieldError:
        return EventFieldError(t, detail)

    for name in _REQUIRED.get(t, ()):
        if data.get(name) in (None, ""):
            raise bad(f"needs a {name}.")
    if t in _OUTCOMES:
        _one_of(t, "outcome", data.get("outcome"), _OUTCOMES[t])
    if t == "cease_decision" and "outcome" in data:
        _one_of(t, "outcome", data["outcome"], CEASE_OUTCOMES)
    if t in _KINDS:
        _one_of(t, "kind", data.get("kind"), _KINDS[t])
    if t in ("advice_requested", "advice_received") and not isinstance(data.get("advice_id"), str):
        raise bad("advice_id must be text.")
    for name in _DATE_FIELDS.get(t, ()):
        if name in data and type(data[name]) is not date:
            raise bad(f"{name} must be a date.")
    if t == "exception":
        reason = data.get("reason")
        if reason not in EXCEPTION_REASONS:
            raise bad(
                f"reason {reason!r} is not a statutory exception. Use one of: "
                f"{', '.join(sorted(EXCEPTION_REASONS))}."
            )
        start = data.get("start", ev.date)
        end = data.get("end")
        if end is not None and end < start:
            raise bad(f"end {end.isoformat()} is before start {start.isoformat()}.")
        applies_to = data.get("applies_to")
        if applies_to is not None and not isinstance(applies_to, str):
            raise bad("applies_to must be a deadline key or an advice_id.")
    if t in ("tribunal_order_complied", "unopposed_appeal_complied"):
        kind = data["kind"]
        if t == "tribunal_order_complied":
            stages = STAGES[f"tribunal_order_{kind}"]
        else:
            stages = STAGES[f"unopposed_appeal/{kind}"]
        stage = data.get("stage")
        names = tuple(s[0] for s in stages)
        if stage is None:
            if len(stages) > 1:
                raise bad(f"needs a stage for kind {kind}. Use one of: {', '.join(names)}.")
        else:
            _one_of(t, "stage", stage, names)
    if t == "complaint_responded" and data.get("stage") not in (None, 1, 2, "1", "2"):
        raise bad("stage must be 1 or 2.")


_CHECKS = {
    t: _check_fields
    for t in _ORDER
    if t in _REQUIRED
    or t in _DATE_FIELDS
    or t in _OUTCOMES
    or t in _KINDS
    or t in ("complaint_responded", "cease_decision")
}


def stored_events(rows: Any) -> list[Event]:
    """Events from stored rows of (type, date, data) whose date is already a date, as the
    database gives them back: date fields inside `data` (ISO strings in JSON) become dates.

    Each Event still checks its own fields; contradictions between events are checked by
    compute_deadlines. For input from people or files use parse_events, whose messages
    name the offending event by position.
    """
    out = []
    for type_, when, data in rows:
        fields = _DATE_FIELDS.get(type_)
        if fields and data:
            data = dict(data)
            for name in fields:
                value = data.get(name)
                if value in (None, ""):
                    data.pop(name, None)
                elif type(value) is not date:
                    data[name] = parse_date(value, f"{type_}: {name}")
        out.append(Event(type_, when, data or _EMPTY))
    return out


def known_applies_to(value: str, advice_ids: set[str]) -> bool:
    return value in DEADLINE_RULES or value in advice_ids
