"""The statutory clock: events in, deadlines out.

`compute_deadlines` is a pure function of (events, today, calendar, config). It walks
the events once in a canonical order (date, then TYPE_ORDER, then data), collecting the
facts each rule needs and refusing contradictions, then emits one Deadline per rule
instance. Rules and their lengths live in `rules.DEADLINE_RULES`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import itemgetter
from typing import Any, Final, NamedTuple

from sendcase.statutory.dates import GOVUK, Calendar, Remembered, default_calendar
from sendcase.statutory.dates import ISO as _ISO
from sendcase.statutory.events import (
    ADVICE_KINDS,
    EVENT_TYPES,
    REVIEW_OUTCOMES,
    TYPE_ORDER,
    ClockInputError,
    Event,
    event_label,
)
from sendcase.statutory.rules import (
    ALTERNATIVE_STAGES,
    CALENDAR_UNITS,
    DEADLINE_RULES,
    PARTS,
    STAGES,
    Ends,
    Period,
    Rule,
    period_end,
    period_ends,
    transfer_in_review_due,
)

# Names read on every row, bound here as Final: a compiled build (docs/clock.md) reads a
# Final module constant directly instead of looking it up by name.
FD: Final = GOVUK
ISO: Final = _ISO
_ORDER: Final = TYPE_ORDER

__all__ = [
    "STATUSES",
    "ClockConfig",
    "Deadline",
    "LocalTarget",
    "check_events",
    "compute_deadlines",
]

STATUSES: Final = ("open", "due_soon", "overdue", "met", "missed", "exception", "not_applicable")

LOCAL_TARGET_KEYS: Final = frozenset(k for k, r in DEADLINE_RULES.items() if r.local_target)

# Which deadlines each exception reason may excuse (Regs 5(4), 8(2), 10(4), 13(3), 44).
_MAIN: Final = frozenset(
    {"decision_to_assess", "decision_not_to_issue", "final_plan", "advice_due"}
)
_TRIBUNAL: Final = frozenset(
    {
        "tribunal_order_assess",
        "tribunal_order_make_plan",
        "tribunal_order_amend",
        "tribunal_order_setting",
        "tribunal_order_continue",
        "unopposed_appeal",
    }
)
REASON_APPLIES: Final[dict[str, frozenset[str]]] = {
    "institution_closure": _MAIN,
    "exceptional_personal_circumstances": _MAIN | _TRIBUNAL,
    "absence_from_area": _MAIN | _TRIBUNAL,
    "missed_appointment": frozenset({"advice_due"}),
}
_REASON_WORDS: Final = {
    "institution_closure": "closure of the school, college or early years setting",
    "exceptional_personal_circumstances": "exceptional personal circumstances",
    "absence_from_area": "absence from the area",
    "missed_appointment": "a missed appointment",
}
_ONE_DAY: Final = timedelta(days=1)


class Deadline(NamedTuple):
    """One deadline: immutable, and built as a plain tuple (the clock makes millions).

    The due date comes first, then the key and the instance: that is the order the clock
    gives its rows in, so it sorts the dated rows as they are, comparing the tuples
    themselves (no sort key to build for each row). (key, instance) is unique in a case's
    rows, so two rows never compare further than that. Read the fields by name."""

    due: date | None
    key: str
    instance: str
    trigger: date
    completed_on: date | None
    status: str
    source: str
    explanation: str
    advice_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "trigger": self.trigger.isoformat(),
            "due": self.due.isoformat() if self.due else None,
            "completed_on": self.completed_on.isoformat() if self.completed_on else None,
            "status": self.status,
            "source": self.source,
            "explanation": self.explanation,
        }
        if self.instance:
            out["instance"] = self.instance
        if self.advice_id is not None:
            out["advice_id"] = self.advice_id
        return out


@dataclass
class LocalTarget:
    enabled: bool = True
    length_days: int | None = None  # None = the default length of the rule


@dataclass
class ClockConfig:
    warning_days: int = 14
    local_targets: dict[str, LocalTarget] = field(default_factory=dict)

    def target(self, key: str) -> LocalTarget:
        return self.local_targets.get(key) or _DEFAULT_TARGET


_DEFAULT_TARGET: Final = LocalTarget()
_DEFAULT_CONFIG: Final = ClockConfig()


def _plural(n: int, word: str) -> str:
    if word == "day" and 0 <= n < len(_N_DAYS):
        return _N_DAYS[n]
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


_N_DAYS: Final = tuple(f"{n} day" if n == 1 else f"{n} days" for n in range(4000))
# today + warning days, by (today, warning days): the same for every case of one refresh
_SOON: Final[dict[tuple[date, int], date]] = {}


def _days_late(done: date, due: date) -> str:
    """'3 days' from `due` to a later `done`."""
    n = done.toordinal() - due.toordinal()
    return _N_DAYS[n] if n < 4000 else f"{n} days"


# --------------------------------------------------------------------------------------
# Collecting the facts


@dataclass(slots=True)
class _Exc:
    pos: int
    reason: str
    start: date
    end: date | None
    applies_to: str | None


@dataclass(slots=True)
class _Meeting:
    on: date
    pfa: bool
    report: date | None = None
    decision: date | None = None
    outcome: str | None = None


@dataclass(slots=True)
class _Req:
    """A request-like trigger that a later event answers (SAR, FOI, complaint, ...)."""

    on: date
    ident: str | None
    done: date | None = None
    extended: date | None = None
    stage: int = 0


@dataclass(slots=True)
class _Order:
    on: date
    kind: str
    key: str
    done: dict[str, date] = field(default_factory=dict)


class _Bad(Exception):
    """A refusal inside the event pass; the pass adds the event's label."""


class _Case:
    """All the facts of one case, collected in one pass over the sorted events."""

    def __init__(self, events: Sequence[Event], exact: bool = True) -> None:
        idx, keys = _canonical_order(events, exact)

        self.birth: date | None = None
        self.request: date | None = None
        self.transfer_in: date | None = None
        self.last_review: date | None = None
        self.transfer_in_notice: date | None = None
        self.dta: date | None = None
        self.dta_outcome: str | None = None
        self.dnti: date | None = None
        self.advice: dict[str, list[Any]] = {}  # id -> [requested, kind, received]
        self.exceptions: tuple[_Exc, ...] = ()
        self.reassessments: tuple[date, ...] = ()
        self.drafts: list[date] = []
        self.finals: list[date] = []
        self.consults: tuple[_Req, ...] = ()
        self.invitations: tuple[date, ...] = ()
        self.circulated: tuple[date, ...] = ()
        self.meetings: list[_Meeting] = []
        self.amendments: tuple[date, ...] = ()
        self.amended_plans: tuple[date, ...] = ()
        self.transfers: tuple[tuple[date, str], ...] = ()
        self.named: tuple[date, ...] = ()
        self.cease_considered: tuple[date, ...] = ()
        self.ceases: tuple[date, ...] = ()
        self.kept: tuple[date, ...] = ()  # decisions not to cease, after considering it
        self.outs: tuple[tuple[date, date], ...] = ()
        self.transferred_out: tuple[date, ...] = ()
        self.notices: tuple[date, ...] = ()
        self.lodged: tuple[date, ...] = ()
        self.declined: tuple[date, ...] = ()
        self.med_requests: tuple[_Req, ...] = ()
        self.certificates: tuple[date, ...] = ()
        self.orders: tuple[_Order, ...] = ()
        self.sars: tuple[_Req, ...] = ()
        self.fois: tuple[_Req, ...] = ()
        self.complaints: tuple[_Req, ...] = ()
        self._seen: set[tuple[Any, ...]] = set()
        self._events = events

        # The request (or transfer in) starts the case: find it first, so that an event
        # dated before it is the one refused.
        starts = [events[i] for i, k in enumerate(keys) if k & _TYPE_MASK in _STARTS]
        if len(starts) > 1:  # in canonical order, so that the later one is refused
            starts = [events[i] for i in idx if keys[i] & _TYPE_MASK in _STARTS]
        if starts:
            first = starts[0]
            if first.type == "request_received":
                self.request = first.date
            for ev in starts[1:]:
                raise ClockInputError(
                    f"{event_label(_position(events, ev), ev.type)}: a case has one request or one transfer in; "
                    f"a new request starts a new case."
                )

        handlers = _HANDLERS
        i = 0
        try:
            for i in idx:
                ev = events[i]
                handlers[keys[i] & _TYPE_MASK](self, ev, ev.date, ev.data)
        except _Bad as bad:
            raise ClockInputError(f"{event_label(i + 1, events[i].type)}: {bad}") from None
        self._check_whole(events)

    def _check_whole(self, events: Sequence[Event]) -> None:
        """The checks that need the whole history."""
        if self.drafts and self.finals and self.finals[0] < self.drafts[0]:
            pos = next(
                i
                for i, e in enumerate(events, 1)
                if e.type == "final_issued" and e.date == self.finals[0]
            )
            raise ClockInputError(
                f"{event_label(pos, 'final_issued')}: the final plan ({self.finals[0].isoformat()}) is "
                f"before the first draft ({self.drafts[0].isoformat()})."
            )
        if self.finals and self.meetings and self.meetings[0].on < self.finals[0]:
            if self.transfer_in is None:
                pos = next(
                    i
                    for i, e in enumerate(events, 1)
                    if e.type == "review_meeting" and e.date == self.meetings[0].on
                )
                raise ClockInputError(
                    f"{event_label(pos, 'review_meeting')}: it is before the plan was first issued "
                    f"({self.finals[0].isoformat()})."
                )
        if self.named and not self.transfers:
            pos = next(i for i, e in enumerate(events, 1) if e.type == "phase_transfer_named")
            raise ClockInputError(
                f"{event_label(pos, 'phase_transfer_named')}: there is no phase_transfer for it."
            )
        for ex in self.exceptions:
            if (
                ex.applies_to is not None
                and ex.applies_to not in DEADLINE_RULES
                and ex.applies_to not in self.advice
            ):
                raise ClockInputError(
                    f"{event_label(ex.pos, 'exception')}: applies_to {ex.applies_to!r} is neither a "
                    f"deadline key nor a requested advice_id."
                )

    # -- one handler per event type (see _HANDLERS) ------------------------------------

    def _once(self, t: str, d: date, data: Mapping[str, Any]) -> None:
        if data:
            marker = (t, d, data.get("kind"), data.get("request_id") or data.get("complaint_id"))
        else:
            marker = (t, d, None, None)
        if marker in self._seen:
            raise _Bad(f"the same event is already recorded on {d.isoformat()}.")
        self._seen.add(marker)

    def _before_request(self, d: date) -> _Bad:
        """The refusal of an event dated before the request (the callers check the date, which
        is cheaper than a call for every event)."""
        return _Bad(
            f"{d.isoformat()} is before the request received on {self.request.isoformat()}."  # type: ignore[union-attr]
        )

    def on_request_received(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        pass  # found before the pass

    def on_transfer_in(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self.transfer_in = d
        self.last_review = data["last_review"]

    def on_transfer_in_notice(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        if self.transfer_in is None:
            raise _Bad("there is no transfer_in before it.")
        if self.transfer_in_notice is None:
            self.transfer_in_notice = d

    def on_child_born(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        if self.birth is not None and self.birth != d:
            raise _Bad("a different date of birth is already recorded.")
        self.birth = d

    def on_decision_to_assess(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        if self.request is None:
            raise _Bad("there is no request_received before it.")
        if self.request is not None and d < self.request:
            raise self._before_request(d)
        outcome = data["outcome"]
        if self.dta is not None:
            if outcome != self.dta_outcome:
                raise _Bad(
                    f"a decision to assess with outcome {self.dta_outcome} is already recorded "
                    f"on {self.dta.isoformat()}."
                )
            return
        self.dta, self.dta_outcome = d, outcome

    def on_advice_requested(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        if self.request is not None and d < self.request:
            raise self._before_request(d)
        aid = data["advice_id"]
        if aid in self.advice:
            raise _Bad(f"advice_id {aid!r} is already requested.")
        self.advice[aid] = [d, data["kind"], None]

    def on_advice_received(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        aid = data["advice_id"]
        rec = self.advice.get(aid)
        if rec is None:
            raise _Bad(f"advice_id {aid!r} was not requested on or before {d.isoformat()}.")
        if rec[2] is not None:
            raise _Bad(f"advice {aid!r} is already received on {rec[2].isoformat()}.")
        rec[2] = d

    def on_exception(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self.exceptions += (
            _Exc(
                _position(self._events, ev),
                data["reason"],
                data.get("start", d),
                data.get("end"),
                data.get("applies_to"),
            ),
        )

    def on_decision_not_to_issue(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        if self.request is not None and d < self.request:
            raise self._before_request(d)
        if self.dnti is None:
            self.dnti = d

    def on_reassessment_notice(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self._once(ev.type, d, data)
        self.reassessments += (d,)

    def on_draft_issued(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        if self.request is not None and d < self.request:
            raise self._before_request(d)
        self._once(ev.type, d, data)
        self.drafts.append(d)

    def on_final_issued(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        if self.request is not None and d < self.request:
            raise self._before_request(d)
        self.finals.append(d)

    def on_setting_consulted(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self._once(ev.type, d, data)
        self.consults += (_Req(d, _ident(data, "consultation_id")),)

    def on_setting_responded(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        _answer(self.consults, d, _ident(data, "consultation_id"), "setting_consulted")

    def on_review_invitations_sent(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self.invitations += (d,)

    def on_review_advice_circulated(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self.circulated += (d,)

    def on_review_meeting(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self._once(ev.type, d, data)
        self.meetings.append(_Meeting(d, bool(data.get("preparing_for_adulthood"))))

    def on_review_report(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        if not self.meetings:
            raise _Bad("there is no review_meeting before it.")
        m = self.meetings[-1]
        if m.report is None:
            m.report = d

    def on_review_decision(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        if not self.meetings:
            raise _Bad("there is no review_meeting before it.")
        m = self.meetings[-1]
        outcome = data["outcome"]
        if m.decision is not None:
            if outcome != m.outcome:
                raise _Bad(
                    f"the review on {m.on.isoformat()} already has the decision {m.outcome}."
                )
            return
        m.decision, m.outcome = d, outcome
        if outcome == "cease":
            self.ceases += (d,)

    def on_amendment_notice(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self._once(ev.type, d, data)
        self.amendments += (d,)

    def on_final_amended_plan(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self.amended_plans += (d,)

    def on_phase_transfer(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self._once(ev.type, d, data)
        self.transfers += ((d, data["kind"]),)

    def on_phase_transfer_named(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self.named += (d,)

    def on_cease_considered(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self._once(ev.type, d, data)
        self.cease_considered += (d,)

    def on_cease_decision(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        if data.get("outcome") == "not_cease":
            self.kept += (d,)
            return
        if not self.ceases or self.ceases[-1] != d:
            self.ceases += (d,)

    def on_transfer_out_learned(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self._once(ev.type, d, data)
        self.outs += ((d, data["move_date"]),)

    def on_plan_transferred_out(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        if not self.outs:
            raise _Bad("there is no transfer_out_learned before it.")
        self.transferred_out += (d,)

    def on_decision_notice(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self._once(ev.type, d, data)
        self.notices += (d,)

    def on_appeal_lodged(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self.lodged += (d,)

    def on_mediation_declined(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self._once(ev.type, d, data)
        self.declined += (d,)

    def on_mediation_requested(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self._once(ev.type, d, data)
        self.med_requests += (_Req(d, None),)

    def on_mediation_held(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        _answer(self.med_requests, d, None, "mediation_requested")

    def on_mediation_certificate(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self.certificates += (d,)

    def on_tribunal_order(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self._once(ev.type, d, data)
        self.orders += (_Order(d, data["kind"], f"tribunal_order_{data['kind']}"),)

    def on_unopposed_appeal(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self._once(ev.type, d, data)
        self.orders += (_Order(d, data["kind"], "unopposed_appeal"),)

    def on_complied(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        kind = data["kind"]
        if ev.type == "tribunal_order_complied":
            key, stages = f"tribunal_order_{kind}", STAGES[f"tribunal_order_{kind}"]
        else:
            key, stages = "unopposed_appeal", STAGES[f"unopposed_appeal/{kind}"]
        stage = data.get("stage") or stages[-1][0]
        for order in self.orders:
            if order.key == key and order.kind == kind and stage not in order.done:
                order.done[stage] = d
                return
        what = "tribunal_order" if key != "unopposed_appeal" else "unopposed_appeal"
        raise _Bad(f"there is no open {what} of kind {kind} before it.")

    def on_sar_received(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self._once(ev.type, d, data)
        self.sars += (_Req(d, _ident(data, "request_id")),)

    def on_sar_extended(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        req = _find_open(self.sars, _ident(data, "request_id"), "sar_received")
        if req.extended is None:
            req.extended = d

    def on_sar_responded(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        _answer(self.sars, d, _ident(data, "request_id"), "sar_received")

    def on_foi_received(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self._once(ev.type, d, data)
        self.fois += (_Req(d, _ident(data, "request_id")),)

    def on_foi_responded(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        _answer(self.fois, d, _ident(data, "request_id"), "foi_received")

    def on_complaint_received(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self._once(ev.type, d, data)
        self.complaints += (_Req(d, _ident(data, "complaint_id"), stage=1),)

    def on_complaint_escalated(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        self._once(ev.type, d, data)
        self.complaints += (_Req(d, _ident(data, "complaint_id"), stage=2),)

    def on_complaint_responded(self, ev: Event, d: date, data: Mapping[str, Any]) -> None:
        stage = data.get("stage")
        open_ = [
            c
            for c in self.complaints
            if c.done is None and (stage is None or c.stage == int(stage))
        ]
        what = "complaint_received or complaint_escalated"
        _answer(open_, d, _ident(data, "complaint_id"), what)


# The handler of each event type, by its place in TYPE_ORDER (the low bits of the order's keys)
# (TYPE_ORDER numbers the types 0, 1, 2, ...: a gap would fail here, at import)
_TYPE_AT: Final = {n: t for t, n in _ORDER.items()}
_HANDLERS: Final[list[Any]] = [
    getattr(_Case, f"on_{_TYPE_AT[n]}", None) or _Case.on_complied for n in range(len(EVENT_TYPES))
]


def _canonical_order(events: Sequence[Event], exact: bool = True) -> tuple[list[int], list[int]]:
    """Positions of the events by date, then TYPE_ORDER, then data (for runs of same-type,
    same-day events), then position: so input order never matters. With them, each event's
    (date, type) as one number (its type is `key & _TYPE_MASK`).

    Not `exact`: runs of the types in _COMMUTING keep their positions (see _case)."""
    order = _ORDER
    # (date, type) as one number, so the sort compares small ints (much cheaper than tuples)
    keys = [ev.date.toordinal() << _TYPE_BITS | order[ev.type] for ev in events]
    idx = sorted(range(len(keys)), key=keys.__getitem__)  # stable: ties keep their positions
    if len(set(keys)) == len(keys):  # no ties
        return idx, keys
    if not exact:
        rest = [k for k in keys if k & _TYPE_MASK not in _COMMUTING]
        if len(set(rest)) == len(rest):  # ties only between events that commute
            return idx, keys
    ranked = [keys[i] for i in idx]
    for key, n in Counter(keys).items():
        if n > 1 and (exact or key & _TYPE_MASK not in _COMMUTING):  # order the run by its data
            lo = bisect_left(ranked, key)
            idx[lo : lo + n] = sorted(idx[lo : lo + n], key=lambda i: (_data_key(events[i]), i))
    return idx, keys


_TYPE_BITS: Final = max(TYPE_ORDER.values()).bit_length()
_TYPE_MASK: Final = (1 << _TYPE_BITS) - 1


_STARTS: Final = frozenset({_ORDER["request_received"], _ORDER["transfer_in"]})


def _position(events: Sequence[Event], ev: Event) -> int:
    """The position (from 1) of this very event in the input."""
    return next(n for n, e in enumerate(events, 1) if e is ev)


def _data_key(ev: Event) -> str:
    data = ev.data
    if set(map(type, data)) | set(map(type, data.values())) <= _TEXT:
        # text only (the usual case, and the same for many cases: remembered)
        items = tuple(data.items())
        found = _DATA_KEYS.get(items)
        if found is None:
            if len(_DATA_KEYS) >= 65536:
                _DATA_KEYS.clear()
            found = _DATA_KEYS[items] = repr(sorted(items))
        return found
    return repr(sorted((str(k), str(v)) for k, v in data.items()))


_TEXT: Final = frozenset({str})
_DATA_KEYS: Final[dict[tuple[tuple[str, str], ...], str]] = {}


def _ident(data: Mapping[str, Any], name: str) -> str | None:
    v = data.get(name)
    return None if v is None or v == "" else str(v)


def _find_open(reqs: Sequence[_Req], ident: str | None, what: str) -> _Req:
    for r in reqs:
        if r.done is None and (ident is None or r.ident == ident):
            return r
    which = f" with id {ident!r}" if ident else ""
    raise _Bad(f"there is no open {what}{which} on or before it.")


def _answer(reqs: Sequence[_Req], d: date, ident: str | None, what: str) -> None:
    _find_open(reqs, ident, what).done = d


def _first_on_or_after(dates: Sequence[date], d: date, before: date | None = None) -> date | None:
    for x in dates:
        if x >= d:
            return x if before is None or x < before else None
    return None


def _first_between(dates: Sequence[date], after: date | None, until: date) -> date | None:
    """The first of (sorted) `dates` in (after, until]."""
    for x in dates:
        if (after is None or x > after) and x <= until:
            return x
    return None


# Event types whose same-day runs give the same facts in any order when the pass succeeds:
# each event of the run names its own advice_id, kept in a dict that is only looked up (the
# advice rows are then sorted by their id). A refusal can name a different event, so a
# pass that refuses is run again in the exact order.
_COMMUTING: Final = frozenset({TYPE_ORDER["advice_requested"], TYPE_ORDER["advice_received"]})


def _case(events: Sequence[Event]) -> _Case:
    """The facts of the events, collected without ordering same-day advice by its data where
    that cannot change them; a refusal comes from the exact canonical order."""
    try:
        return _Case(events, exact=False)
    except ClockInputError:
        return _Case(events, exact=True)


def check_events(events: Sequence[Event]) -> None:
    """Raise ClockInputError if the events contradict each other (used by parse_events)."""
    _case(events)


# --------------------------------------------------------------------------------------
# Emitting deadlines


class _Rule:
    """The parts of a rule that the rows read: the engine's own record of each row of the
    rules table (a compiled build reads its fields directly, not by name)."""

    __slots__ = ("key", "length", "period", "source", "title", "unit")

    def __init__(self, rule: Rule) -> None:
        self.key: str = rule.key
        self.title: str = rule.title
        self.source: str = rule.source
        self.unit: str = rule.unit
        self.length: int | None = rule.length
        self.period: Period = rule.period


R: Final = {key: _Rule(rule) for key, rule in DEADLINE_RULES.items()}
R_DTA: Final = R["decision_to_assess"]
R_ADVICE: Final = R["advice_due"]
R_DNTI: Final = R["decision_not_to_issue"]
R_DRAFT_WINDOW: Final = R["draft_comments_window"]
R_SETTING: Final = R["setting_consultation"]
R_FINAL: Final = R["final_plan"]
R_REASSESS: Final = R["final_plan_reassessment"]
R_ANNUAL: Final = R["annual_review_meeting"]
R_EY: Final = R["early_years_review"]
R_NOTICE: Final = R["review_meeting_notice"]
R_CIRC: Final = R["review_advice_circulated"]
R_REPORT: Final = R["review_report"]
R_DECISION: Final = R["review_decision"]
R_AMEND_WINDOW: Final = R["amendment_comments_window"]
R_AMENDED: Final = R["final_amended_plan"]
R_AFTER_REVIEW: Final = R["final_amended_plan_after_review"]
R_PHASE: Final = R["phase_transfer"]
R_POST16: Final = R["post16_transfer"]
R_POST16_MOVE: Final = R["post16_institution_move"]
R_PFA: Final = R["preparing_for_adulthood"]
R_CEASE_CONSULT: Final = R["cease_consultation"]
R_PENDING: Final = R["plan_maintained_pending_appeal"]
R_OUT: Final = R["transfer_out"]
R_TI_NOTICE: Final = R["transfer_in_notice"]
R_TI_REVIEW: Final = R["transfer_in_review"]
R_APPEAL: Final = R["appeal_window"]
R_CERT: Final = R["mediation_certificate"]
R_MED: Final = R["mediation_arranged"]
R_CERT_AFTER: Final = R["mediation_certificate_after"]
R_SAR: Final = R["subject_access_request"]
R_FOI: Final = R["foi_request"]
R_C1: Final = R["complaint_stage_1"]
R_C2: Final = R["complaint_stage_2"]

# Every period is counted by the rules table (rules.period_end); its functions are bound
# once here, and the words for each period ("6 weeks") come from the table too.
END: Final = {
    k: period_ends(k)
    for k, r in R.items()
    if r.unit not in ("none", "later_of") and r.unit not in CALENDAR_UNITS
}
END_AFTER_CERTIFICATE: Final = period_ends("appeal_window/after_certificate")
END_UNTIL_AGE: Final = period_ends("early_years_review/until_age")
END_CLOSURE_LEAD: Final = period_ends("exception/closure_lead")
END_LEAST_SPAN: Final = period_ends("exception/least_span")
END_LEAST_SPAN_TRIBUNAL: Final = period_ends("exception/least_span_tribunal")
W: Final = {k: r.period.words for k, r in R.items()}
W_AFTER_CERTIFICATE: Final = PARTS["appeal_window/after_certificate"].words
W_SAR_MORE = Period("months", PARTS["subject_access_request/extended"].length - R_SAR.length).words  # type: ignore[operator]
W_SAR_EXTENDED: Final = PARTS["subject_access_request/extended"].words
W_TI_LAST: Final = PARTS["transfer_in_review/after_last_review"].words
W_TI_MOVE: Final = PARTS["transfer_in_review/after_transfer"].words
W_LEAST_SPAN: Final = PARTS["exception/least_span"].words
W_LEAST_SPAN_TRIBUNAL: Final = PARTS["exception/least_span_tribunal"].words
AGE_EY = PARTS["early_years_review/until_age"].length // 12  # type: ignore[operator]
FINAL_PLAN_DAYS: Final = R_FINAL.period.days

# Stages of orders: (stage, end, words, instance suffix) per STAGES key.
_STAGE_ENDS: Final[dict[str, tuple[tuple[str, Ends, str], ...]]] = {
    key: tuple((name, period_ends(key, name), words) for name, _weeks, words in stages)
    for key, stages in STAGES.items()
}
_STAGE_WEEKS: Final = {
    (key, name): weeks for key, stages in STAGES.items() for name, weeks, _w in stages
}


class _Emitter:
    def __init__(self, case: _Case, today: date, calendar: Calendar, config: ClockConfig) -> None:
        self.case = case
        self.today = today
        self.cal = calendar
        self.cfg = config
        soon = _SOON.get((today, config.warning_days))
        if soon is None:
            if len(_SOON) >= 4096:
                _SOON.clear()
            soon = _SOON[(today, config.warning_days)] = today + timedelta(days=config.warning_days)
        self.soon = soon  # due by then: due_soon
        self.has_exceptions = bool(case.exceptions)
        self.out: list[Deadline] = []
        self.undated = False  # a row with no due date (they come last, by trigger)

    # -- one row ---------------------------------------------------------------------

    def row(
        self,
        rule: _Rule,
        instance: str,
        trigger: date,
        due: date | None,
        done: date | None,
        head: str,
        did: str,
        advice_id: str | None = None,
        na: str | None = None,
    ) -> None:
        """Add a Deadline. `head` is the first sentence; `did` names what completes it
        ('decision notified'); `na` (a sentence) makes the row not_applicable."""
        if self.has_exceptions:
            excepted, notes = self.exceptions(rule.key, advice_id, trigger, due)
        else:
            excepted, notes = False, ""
        # The explanation is the head, then one sentence for the status, then any notes
        # about exceptions; each branch builds it in one go.
        if na is not None:
            if due is None:
                self.undated = True
            status, text = "not_applicable", f"{head} {na}{notes}"
        elif due is None:
            self.undated = True
            if done is not None:
                status, text = "met", f"{head} Done: {did} on {FD[done]}.{notes}"
            else:
                status, text = "open", f"{head} Not recorded as done yet.{notes}"
        elif done is not None:
            if done <= due:
                status, text = "met", f"{head} Met: {did} on {FD[done]}.{notes}"
            elif excepted:
                status = "exception"
                text = (
                    f"{head} Exception: {did} on {FD[done]}, {_plural((done - due).days, 'day')} "
                    f"after the due date, with a valid exception recorded.{notes}"
                )
            else:
                status = "missed"
                text = f"{head} Missed: {did} on {FD[done]}, {_days_late(done, due)} late.{notes}"
        # The words below do not count days from today: a stored explanation changes only
        # when the deadline's status does (screens show the days left or overdue live).
        elif due < self.today:
            if excepted:
                status, text = "exception", f"{head} {_EXCEPTION_OPEN}{notes}"
            else:
                status = "overdue"
                text = f"{head} Overdue: not recorded as done by the due date.{notes}"
        elif due <= self.soon:
            status, text = "due_soon", f"{head} Due soon: not recorded as done yet.{notes}"
        else:
            status, text = "open", f"{head} Open: not recorded as done yet.{notes}"
        self.out.append(
            _new(
                Deadline,
                (due, rule.key, instance, trigger, done, status, rule.source, text, advice_id),
            )
        )

    def window(
        self,
        rule: _Rule,
        instance: str,
        trigger: date,
        end: date,
        head: str,
        breach: date | None,
        breach_words: str,
    ) -> None:
        """A period that must be allowed to run (comments windows, the appeal window).

        completed_on is the end of the window once it has ended; `breach` is the date of
        a step taken inside it that the law says must wait (the row is then `missed`)."""
        if breach is not None:
            status = "missed"
            tail = f"Breach: {breach_words} on {FD[breach]}, inside the window."
            done: date | None = end
        elif self.today > end:
            status, tail, done = "met", "The window has ended.", end
        else:
            status = "due_soon" if end <= self.soon else "open"
            tail = "Window open."
            done = None
        self.out.append(
            _new(
                Deadline,
                (
                    end,
                    rule.key,
                    instance,
                    trigger,
                    done,
                    status,
                    rule.source,
                    f"{head} {tail}",
                    None,
                ),
            )
        )

    def exceptions(
        self, key: str, advice_id: str | None, trigger: date, due: date | None
    ) -> tuple[bool, str]:
        if due is None:
            return False, ""
        lo, hi = (trigger, due) if trigger <= due else (due, trigger)
        valid = False
        notes: list[str] = []
        for ex in self.case.exceptions:
            named = ex.applies_to is not None
            if named and ex.applies_to != key and ex.applies_to != advice_id:
                continue
            words = _REASON_WORDS[ex.reason]
            end = ex.end if ex.end is not None else max(self.today, ex.start)
            span = (
                f"{FD[ex.start]} to {FD[ex.end]}" if ex.end is not None else f"from {FD[ex.start]}"
            )
            if key not in REASON_APPLIES[ex.reason]:
                if named:
                    notes.append(
                        f" The exception recorded for {words} ({span}) does not apply to this deadline: "
                        f"the law does not allow that reason here."
                    )
                continue
            eff_start, eff_end = ex.start, end
            if ex.reason == "institution_closure":
                # from one week before it closed until one week before it reopened (end + 1)
                eff_start = END_CLOSURE_LEAD[ex.start]
                eff_end = END_CLOSURE_LEAD[end + _ONE_DAY]
            if eff_start > hi or eff_end < lo:
                if named:
                    notes.append(
                        f" The exception recorded for {words} ({span}) does not overlap this deadline."
                    )
                continue
            tribunal = key in _TRIBUNAL
            least = (END_LEAST_SPAN_TRIBUNAL if tribunal else END_LEAST_SPAN)[ex.start]
            if ex.reason in ("absence_from_area", "institution_closure") and end + _ONE_DAY < least:
                notes.append(
                    f" The exception recorded for {words} ({span}) does not count: it must last at least "
                    f"{W_LEAST_SPAN_TRIBUNAL if tribunal else W_LEAST_SPAN}."
                )
                continue
            valid = True
            notes.append(f" Exception recorded: {words}, {span}.")
        return valid, "".join(notes)

    # -- the rules -------------------------------------------------------------------

    def run(self) -> list[Deadline]:
        c = self.case
        if c.request is not None:
            self.new_plan(c.request)
        advice = _H_ADVICE
        for aid, (req, kind, got) in c.advice.items():
            # The advice id is the row's instance, for machines; people read the kind and date.
            due, head = advice[kind][req]
            self.row(R_ADVICE, aid, req, due, got, head, "advice received", aid)
        for d in c.drafts:
            close, head, after = _H_DRAFT_WINDOW[d]
            breach = _first_on_or_after(c.finals, d, after)
            self.window(R_DRAFT_WINDOW, ISO[d], d, close, head, breach, "the final plan was issued")
        if c.consults:
            self.consultations()
        end = END["final_plan_reassessment"]
        for r in c.reassessments:
            due = end[r]
            done = _first_on_or_after(sorted([*c.finals, *c.amended_plans]), r)
            head = (
                f"Final plan after re-assessment due {FD[due]}: {_T_REASSESS}{FD[r]}{_S_REASSESS}"
            )
            self.row(R_REASSESS, ISO[r], r, due, done, head, "final plan issued")
        self.reviews()
        # each part only when the case has its events (most cases have few of them)
        if c.amendments:
            self.amendments()
        if c.transfers:
            self.phase_transfers()
        if c.cease_considered or c.ceases:
            self.ceasing()
        if c.outs or c.transfer_in is not None:
            self.transfers()
        if c.notices or c.declined or c.med_requests:
            self.appeals()
        if c.orders:
            self.orders()
        if c.sars or c.fois or c.complaints:
            self.information()
        # sorted by due date (undated rows last, by trigger), then key, then instance: a
        # Deadline begins with (due, key, instance), so the dated rows sort as they are
        out = self.out
        if not self.undated:
            out.sort()
            return out
        dated = [d for d in out if d.due is not None]
        dated.sort()
        undated = [d for d in out if d.due is None]
        undated.sort(key=_BY_TRIGGER)
        dated += undated
        return dated

    def new_plan(self, req: date) -> None:
        c = self.case
        dta_due, dta_head, dnti_due, dnti_head, final_due, final_head = _H_REQUEST[req]
        self.row(R_DTA, "", req, dta_due, c.dta, dta_head, "decision notified")

        refused = (
            _H_NOT_ASSESSED[c.dta] if c.dta is not None and c.dta_outcome == "not_assess" else None
        )

        na = refused
        drafts, finals = c.drafts, c.finals
        if na is None and (drafts or finals) and c.dnti is None:
            if drafts and not (finals and finals[0] < drafts[0]):
                na = _H_DRAFT_BEING_ISSUED[drafts[0]]
            else:
                na = _H_FINAL_BEING_ISSUED[finals[0]]
        self.row(
            R_DNTI, "", req, dnti_due, c.dnti, dnti_head, "decision not to issue notified", None, na
        )

        final = finals[0] if finals else None
        na = refused
        if na is None and final is None and c.dnti is not None:
            na = f"Not applicable: the decision on {FD[c.dnti]} was not to issue a plan."
        if final is not None and na is None:
            final_head = f"{final_head} Issued on day {(final - req).days}{_DFE_DAY}"
        self.row(R_FINAL, "", req, final_due, final, final_head, "final plan issued", None, na)

    def consultations(self) -> None:
        target = self.cfg.target("setting_consultation")
        if not target.enabled:
            return
        if target.length_days:
            days = target.length_days
            end = Period(R_SETTING.unit, days).ends()
        else:
            days, end = R_SETTING.length or 0, END["setting_consultation"]
        for r in self.case.consults:
            due = end[r.on]
            head = (
                f"Setting's response to consultation due {FD[due]} (local target): {days} days beginning with the "
                f"day the setting was consulted, {FD[r.on]}{_S_SETTING}"
            )
            self.row(
                R_SETTING,
                r.ident or ISO[r.on],
                r.on,
                due,
                r.done,
                head,
                "setting responded",
            )

    def reviews(self) -> None:
        c = self.case
        ceased = c.ceases[-1] if c.ceases else None
        continued = bool(c.orders) and any(
            o.kind == "continue" and ceased and o.on >= ceased for o in c.orders
        )
        meetings = c.meetings
        # What each meeting's rows say, looked up once by its date (the rows below, and the
        # annual review it is the anchor of); and the anchors of the annual reviews.
        held = _H_MEETING
        rows: list[_MeetingRows] = []
        anchors: list[tuple[date, _Annual]] = []
        if c.finals and c.transfer_in is None and (not meetings or meetings[0].on != c.finals[0]):
            # A review meeting held on the day the plan was issued starts the next year itself:
            # one anchor per date, so each annual review row has its own instance.
            first = c.finals[0]
            anchors.append((first, _H_FIRST_ANNUAL[first]))
        after = c.transfer_in  # a plan transferred in: its reviews from the transfer on
        for m in meetings:
            r = held[m.on]
            rows.append(r)
            if after is None or m.on >= after:
                anchors.append((m.on, r.annual))
        if c.transfer_in is not None:
            ti, last = c.transfer_in, c.last_review
            last = last if last is not None else ti
            due = transfer_in_review_due(ti, last)
            done = next((m.on for m in meetings if m.on >= ti), None)
            head = (
                f"Review after transfer in due {FD[due]}: the later of {W_TI_LAST} from the last review or making of "
                f"the plan ({FD[last]}) and {W_TI_MOVE} from the transfer on {FD[ti]} ({R_TI_REVIEW.source})."
            )
            # As for an annual review: a plan that ceases before its review was held needs none.
            na = (
                f"Not applicable: the decision on {FD[ceased]} was to cease the plan."
                if done is None and ceased is not None and ceased >= ti and not continued
                else None
            )
            self.row(R_TI_REVIEW, "", ti, due, done, head, "review meeting held", None, na)

        ey = self.cfg.target("early_years_review")
        under5 = END_UNTIL_AGE[c.birth] if c.birth is not None else None
        last_anchor = len(anchors) - 1
        for n, (a, annual) in enumerate(anchors):
            nxt = anchors[n + 1][0] if n < last_anchor else None
            na = None
            if nxt is None and ceased is not None and ceased >= a and not continued:
                na = f"Not applicable: the decision on {FD[ceased]} was to cease the plan."
            inst, on, due, head, what = annual
            self.row(R_ANNUAL, inst, a, due, nxt, head, "review meeting held", None, na)
            if under5 is not None and a < under5 and ey.enabled:
                if ey.length_days:
                    due = Period("calendar_days", ey.length_days).end(a)
                    span = _plural(ey.length_days, "day")
                else:
                    due, span = END["early_years_review"][a], W["early_years_review"]
                head = (
                    f"Early years review due {FD[due]} (local target): {span} from the {what} on {on}, "
                    f"for a child under {AGE_EY}{_S_EY}"
                )
                self.row(R_EY, inst, a, due, nxt, head, "review meeting held", None, na)

        prev: date | None = None
        invitations, circulated, birth = c.invitations, c.circulated, c.birth
        for m, r in zip(meetings, rows, strict=True):
            md = m.on
            (
                inst,
                on,
                before,
                notice,
                circulated_head,
                report_due,
                report,
                decision_due,
                decided,
                amended_due,
                amended,
                _annual_row,
            ) = r
            sent = _first_between(invitations, prev, md) if invitations else None
            self.row(R_NOTICE, inst, md, before, sent, notice, "invitations sent")
            circ = _first_between(circulated, prev, md) if circulated else None
            self.row(R_CIRC, inst, md, before, circ, circulated_head, "advice circulated")
            self.row(R_REPORT, inst, md, report_due, m.report, report, "report sent")
            outcome = m.outcome
            self.row(
                R_DECISION,
                inst,
                md,
                decision_due,
                m.decision,
                decided[outcome],
                "decision notified",
            )
            if outcome is not None:
                if outcome == "amend":
                    done = _first_on_or_after(c.amended_plans, md)
                    na = None
                else:
                    done, na = None, _NOT_AMENDED[outcome]
                self.row(
                    R_AFTER_REVIEW,
                    inst,
                    md,
                    amended_due,
                    done,
                    amended,
                    "final amended plan issued",
                    None,
                    na,
                )
            if birth is not None:
                start = md.year if md.month >= 9 else md.year - 1
                age = start - birth.year - (1 if (birth.month, birth.day) > (8, 31) else 0)
                if age - 4 >= 9:
                    head = (
                        f"Preparing for adulthood: the review on {on} (Year {age - 4}) must cover preparation for "
                        f"adulthood and independent living ({R_PFA.source})."
                    )
                    self.row(
                        R_PFA,
                        inst,
                        md,
                        None,
                        md if m.pfa else None,
                        head,
                        "review covered preparing for adulthood",
                    )
            prev = md

    def amendments(self) -> None:
        c = self.case
        amended = END["final_amended_plan"]
        for a in c.amendments:
            inst = ISO[a]
            end, head = _H_AMEND_WINDOW[a]
            breach = _first_on_or_after(c.amended_plans, a, end + _ONE_DAY)
            self.window(
                R_AMEND_WINDOW, inst, a, end, head, breach, "the final amended plan was issued"
            )
            due = amended[a]
            head = f"Final amended plan due {FD[due]}: {_T_AMENDED}{FD[a]}{_S_AMENDED}"
            self.row(
                R_AMENDED,
                inst,
                a,
                due,
                _first_on_or_after(c.amended_plans, a),
                head,
                "final amended plan issued",
            )

    def phase_transfers(self) -> None:
        c = self.case
        used: set[int] = set()
        prev: date | None = None
        for move, kind in sorted(c.transfers):
            done = None
            for j, x in enumerate(c.named):
                if j not in used and (prev is None or x > prev):
                    used.add(j)
                    done = x
                    break
            rule = R_PHASE if kind == "school" else R_POST16 if kind == "post16" else R_POST16_MOVE
            due = END[rule.key][move]
            if rule is R_POST16_MOVE:
                span = f"at least {W[rule.key]} before the move"
            else:
                span = f"{W[rule.key]} of the year of the move"
            head = f"{rule.title} due {FD[due]}: {span} on {FD[move]} ({rule.source})."
            self.row(rule, ISO[move], move, due, done, head, "amended plan naming the new setting")
            prev = move

    def appeal_end(self, d: date, before: date | None) -> tuple[date, str]:
        due = END["appeal_window"][d]
        cert = _first_on_or_after(self.case.certificates, d + _ONE_DAY, before)
        if cert is not None:
            later = END_AFTER_CERTIFICATE[cert]
            if later > due:
                return later, f"{W_AFTER_CERTIFICATE} from the mediation certificate on {FD[cert]}"
        return due, f"{W['appeal_window']} from the decision on {FD[d]}"

    def ceasing(self) -> None:
        c = self.case
        for d in c.cease_considered:
            done = _first_on_or_after(
                sorted([*c.ceases, *c.kept, *(m.decision for m in c.meetings if m.decision)]), d
            )
            head = (
                f"Consultation before ceasing: the LA began to consider ceasing the plan on {FD[d]}; it must consult "
                f"the family and the setting before deciding, and has no fixed time limit ({R_CEASE_CONSULT.source})."
            )
            self.row(R_CEASE_CONSULT, ISO[d], d, None, done, head, "decision made")
        for n, d in enumerate(c.ceases):
            nxt = c.ceases[n + 1] if n + 1 < len(c.ceases) else None
            end, why = self.appeal_end(d, nxt)
            lodged = _first_on_or_after(c.lodged, d, nxt)
            appealed = (
                f" An appeal was registered on {FD[lodged]}: the plan stays maintained until the "
                "tribunal decides it."
                if lodged is not None and lodged <= end
                else ""
            )
            head = (
                f"Plan maintained pending appeal until {FD[end]}: the decision on {FD[d]} to cease the plan cannot "
                f"take effect before the appeal window ends ({why}), or until any appeal is decided "
                f"({R_PENDING.source}).{appealed}"
            )
            self.window(R_PENDING, ISO[d], d, end, head, None, "")

    def transfers(self) -> None:
        c = self.case
        for learned, move in c.outs:
            wd = period_end("transfer_out", learned, self.cal)
            if wd <= move:
                due, why = move, f"the day of the move ({FD[move]}), learned on {FD[learned]}"
            else:
                due, why = (
                    wd,
                    f"{W['transfer_out']} from learning of the move on {FD[learned]} (the move on {FD[move]} was sooner)",
                )
            head = (
                f"Transfer of the plan to the new authority due {FD[due]}: {why} ({R_OUT.source})."
            )
            self.row(
                R_OUT,
                ISO[learned],
                learned,
                due,
                _first_on_or_after(c.transferred_out, learned),
                head,
                "plan transferred",
            )
        if c.transfer_in is not None:
            ti = c.transfer_in
            due = END["transfer_in_notice"][ti]
            head = f"Notice after transfer in due {FD[due]}: {_T_TI_NOTICE}{FD[ti]}{_S_TI_NOTICE}"
            self.row(
                R_TI_NOTICE,
                "",
                ti,
                due,
                c.transfer_in_notice,
                head,
                "notice whether the LA will reassess or review",
            )

    def appeals(self) -> None:
        c, cal = self.case, self.cal
        for n, d in enumerate(c.notices):
            nxt = c.notices[n + 1] if n + 1 < len(c.notices) else None
            end, why = self.appeal_end(d, nxt)
            lodged = _first_on_or_after(c.lodged, d, nxt)
            head = f"Appeal window ends {FD[end]}: {why} ({R_APPEAL.source})."
            if lodged is not None:
                self.row(R_APPEAL, ISO[d], d, end, lodged, head, "appeal lodged")
            else:
                self.window(R_APPEAL, ISO[d], d, end, head, None, "")
        for d in c.declined:
            due = period_end("mediation_certificate", d, cal)
            head = f"Mediation certificate due {FD[due]}: {W['mediation_certificate']} from the parent saying on {FD[d]} that they do not want mediation ({R_CERT.source})."
            self.row(
                R_CERT,
                ISO[d],
                d,
                due,
                _first_on_or_after(c.certificates, d),
                head,
                "certificate issued",
            )
        days = R_MED.length
        for r in c.med_requests:
            d = r.on
            due = period_end("mediation_arranged", d, cal)
            head = f"Mediation due {FD[due]}: within {W['mediation_arranged']} of the request for mediation on {FD[d]} ({R_MED.source})."
            self.row(R_MED, ISO[d], d, due, r.done, head, "mediation held")
            if r.done is not None and r.done <= due:
                trig, why = r.done, f"the mediation on {FD[r.done]}"
            elif r.done is not None or self.today > due:
                trig, why = (
                    due,
                    f"day {days} after the request on {FD[d]}, with no mediation arranged by then",
                )
            else:
                continue
            cdue = period_end("mediation_certificate_after", trig, cal)
            head = f"Mediation certificate due {FD[cdue]}: {W['mediation_certificate_after']} from {why} ({R_CERT_AFTER.source})."
            self.row(
                R_CERT_AFTER,
                ISO[d],
                trig,
                cdue,
                _first_on_or_after(c.certificates, trig),
                head,
                "certificate issued",
            )

    def orders(self) -> None:
        for o in self.case.orders:
            rule = R[o.key]
            table = o.key if o.key != "unopposed_appeal" else f"unopposed_appeal/{o.kind}"
            stages = _STAGE_ENDS[table]
            what = "order" if o.key != "unopposed_appeal" else "concession of the appeal"
            day = ISO[o.on]
            for stage, end, words in stages:
                due = end[o.on]
                weeks = _STAGE_WEEKS[(table, stage)]
                inst = f"{day}/{stage}" if len(stages) > 1 or o.key == "unopposed_appeal" else day
                span = "immediately" if weeks == 0 else f"{weeks} weeks from the {what}"
                head = (
                    f"{rule.title}: {words}, due {FD[due]}: {span} on {FD[o.on]} ({rule.source})."
                )
                na = None
                alt = ALTERNATIVE_STAGES.get(stage)
                if stage not in o.done and alt is not None and alt in o.done:
                    na = f"Not applicable: the other outcome ({alt.replace('_', ' ')}) was complied with on {FD[o.done[alt]]}."
                elif stage == "decision_not_to_issue" and stage not in o.done:
                    plan = _first_on_or_after(sorted(self.case.drafts + self.case.finals), o.on)
                    if plan is not None:
                        na = f"Not applicable: a plan is being issued ({FD[plan]})."
                self.row(rule, inst, o.on, due, o.done.get(stage), head, "complied with", None, na)

    def information(self) -> None:
        c, cal = self.case, self.cal
        for r in c.sars:
            d = r.on
            due = period_end("subject_access_request", d, cal)
            head = f"Subject access request due {FD[due]}: {W['subject_access_request']} from the request received on {FD[d]}, moved to a working day if needed ({R_SAR.source})."
            if r.extended is not None:
                if r.extended <= due:
                    first = due
                    due = period_end("subject_access_request/extended", d, cal)
                    head = (
                        f"Subject access request due {FD[due]}: extended on {FD[r.extended]} by {W_SAR_MORE.replace('months', 'further months')} "
                        f"(within the first month, which ended {FD[first]}) for a complex or numerous request; "
                        f"{W_SAR_EXTENDED} from the request received on {FD[d]} ({R_SAR.source})."
                    )
                else:
                    head += f" The extension recorded on {FD[r.extended]} does not count: the requester must be told within the first month."
            self.row(R_SAR, r.ident or ISO[d], d, due, r.done, head, "responded")
        for r in c.fois:
            d = r.on
            due = period_end("foi_request", d, cal)
            head = f"Freedom of information request due {FD[due]}: {W['foi_request']} from the request received on {FD[d]} ({R_FOI.source})."
            self.row(R_FOI, r.ident or ISO[d], d, due, r.done, head, "responded")
        for r in c.complaints:
            rule = R_C1 if r.stage == 1 else R_C2
            target = self.cfg.target(rule.key)
            if not target.enabled:
                continue
            n = target.length_days or (rule.length or 0)
            due = (
                Period(rule.unit, n).end(r.on, cal)
                if target.length_days
                else period_end(rule.key, r.on, cal)
            )
            what = "complaint received" if r.stage == 1 else "complaint escalated"
            head = f"{rule.title} due {FD[due]} (local target): {n} working days from the {what} on {FD[r.on]} ({rule.source})."
            self.row(rule, r.ident or ISO[r.on], r.on, due, r.done, head, "responded")


_new: Final = tuple.__new__
_EXCEPTION_OPEN: Final = (
    "Exception: past the due date with a valid exception recorded; "
    "the duty is now to act as soon as practicable. Not recorded as done yet."
)


def _fixed(rule: _Rule, middle: str) -> tuple[str, str]:
    """The fixed words of a row's first sentence: '<period> from the <trigger> on ' and
    ' (<source>).', so each row only adds its dates."""
    return f"{W[rule.key]} {middle} ", f" ({rule.source})."


_T_ADVICE, _S_ADVICE = _fixed(R_ADVICE, "from the request for advice on")
_S_DRAFT_WINDOW: Final = f" ({R_DRAFT_WINDOW.source})."
_T_REASSESS, _S_REASSESS = _fixed(R_REASSESS, "from the notice of re-assessment on")
_T_DTA, _S_DTA = _fixed(R_DTA, "from the request received on")
_T_DNTI, _S_DNTI = _fixed(R_DNTI, "from the request received on")
_T_FINAL, _S_FINAL = _fixed(R_FINAL, "from the request received on")
_S_SETTING: Final = f" ({R_SETTING.source})."
_T_ANNUAL, _S_ANNUAL = _fixed(R_ANNUAL, "from the")
_S_EY: Final = f" ({R_EY.source})."
_T_NOTICE, _S_NOTICE = _fixed(R_NOTICE, "before the review meeting on")
_T_NOTICE = "at least " + _T_NOTICE
_T_CIRC, _S_CIRC = _fixed(R_CIRC, "before the review meeting on")
_T_CIRC = "at least " + _T_CIRC
_T_REPORT, _S_REPORT = _fixed(R_REPORT, "from the review meeting on")
_T_DECISION, _S_DECISION = _fixed(R_DECISION, "from the review meeting on")
_T_AFTER_REVIEW, _S_AFTER_REVIEW = _fixed(R_AFTER_REVIEW, "from the review meeting on")
_S_AMEND_WINDOW: Final = f" ({R_AMEND_WINDOW.source})."
_T_AMENDED, _S_AMENDED = _fixed(R_AMENDED, "from the proposed amendments served on")
_T_TI_NOTICE, _S_TI_NOTICE = _fixed(R_TI_NOTICE, "from the plan transferred in on")


# The first sentence of a row whose words depend only on its trigger, remembered by trigger
# date like the dates themselves: many cases share a day.


class _RequestRows(NamedTuple):
    """What the rows counted from a request say, by the request's date."""

    dta_due: date
    dta: str
    dnti_due: date
    dnti: str
    final_due: date
    final: str


def _request(req: date) -> _RequestRows:
    dta = END["decision_to_assess"][req]
    dnti = END["decision_not_to_issue"][req]
    final = END["final_plan"][req]
    on = FD[req]
    return _RequestRows(
        dta,
        f"Decision whether to assess due {FD[dta]}: {_T_DTA}{on}{_S_DTA}",
        dnti,
        f"Decision whether to issue a plan: a decision not to issue one must be notified by "
        f"{FD[dnti]}, {_T_DNTI}{on}{_S_DNTI}",
        final,
        f"Final plan due {FD[final]}: {_T_FINAL}{on}{_S_FINAL}",
    )


def _advice(kind: str) -> Remembered[tuple[date, str]]:
    """Advice of one kind: the due date and the first sentence, by the day it was requested."""
    words = kind.replace("_", " ")

    def make(req: date) -> tuple[date, str]:
        due = END["advice_due"][req]
        return due, f"Advice ({words}) due {FD[due]}: {_T_ADVICE}{FD[req]}{_S_ADVICE}"

    return Remembered(make)


def _draft_window(d: date) -> tuple[date, str, date]:
    """The window's last day, its first sentence, and the first day after it."""
    close = END["draft_comments_window"][d]
    after = close + _ONE_DAY
    return (
        close,
        f"Comments on the draft plan: the window of {W['draft_comments_window']} beginning with the day "
        f"the draft was served ({FD[d]}) ends {FD[close]}; the final plan may not be issued before "
        f"{FD[after]}{_S_DRAFT_WINDOW}",
        after,
    )


def _amend_window(a: date) -> tuple[date, str]:
    end = END["amendment_comments_window"][a]
    return end, (
        f"Comments on proposed amendments: the window of {W['amendment_comments_window']} beginning with "
        f"the day they were served ({FD[a]}) ends {FD[end]}{_S_AMEND_WINDOW}"
    )


_Annual = tuple[str, str, date, str, str]  # instance, date in words, due, head, what


def _annual(a: date, what: str) -> _Annual:
    due = END["annual_review_meeting"][a]
    on = FD[a]
    return (
        ISO[a],
        on,
        due,
        f"Annual review meeting due {FD[due]}: {_T_ANNUAL}{what} on {on}{_S_ANNUAL}",
        what,
    )


class _MeetingRows(NamedTuple):
    """What the rows of one review meeting say, by the meeting's date, and the annual review
    it is the anchor of."""

    inst: str
    on: str
    before: date
    notice: str
    circulated: str
    report_due: date
    report: str
    decision_due: date
    decided: dict[str | None, str]  # the decision row's first sentence, by outcome
    amended_due: date
    amended: str
    annual: _Annual


def _meeting(md: date) -> _MeetingRows:
    inst, on = ISO[md], FD[md]
    before = END["review_meeting_notice"][md]
    report = END["review_report"][md]
    decision = END["review_decision"][md]
    amended = END["final_amended_plan_after_review"][md]
    decided = f"Review decision due {FD[decision]}: {_T_DECISION}{on}{_S_DECISION}"
    return _MeetingRows(
        inst,
        on,
        before,
        f"Review meeting invitations due {FD[before]}: {_T_NOTICE}{on}{_S_NOTICE}",
        f"Review advice circulated due {FD[before]}: {_T_CIRC}{on}{_S_CIRC}",
        report,
        f"Review report due {FD[report]}: {_T_REPORT}{on}{_S_REPORT}",
        decision,
        {None: decided, **{o: decided + words for o, words in _DECIDED.items()}},
        amended,
        f"Final amended plan after review due {FD[amended]}: {_T_AFTER_REVIEW}{on}{_S_AFTER_REVIEW}",
        _annual(md, "previous review meeting"),
    )


_H_REQUEST: Final = Remembered(_request)
_H_NOT_ASSESSED: Final = Remembered(
    lambda d: f"Not applicable: the decision on {FD[d]} was not to assess."
)
_H_DRAFT_BEING_ISSUED: Final = Remembered(
    lambda d: f"Not applicable: a plan is being issued (first draft on {FD[d]})."
)
_H_FINAL_BEING_ISSUED: Final = Remembered(
    lambda d: f"Not applicable: a plan is being issued (first final plan on {FD[d]})."
)
_H_ADVICE: Final = {kind: _advice(kind) for kind in ADVICE_KINDS}
_H_DRAFT_WINDOW: Final = Remembered(_draft_window)
_H_AMEND_WINDOW: Final = Remembered(_amend_window)
_H_FIRST_ANNUAL: Final = Remembered(lambda a: _annual(a, "plan first issued"))
_H_MEETING: Final = Remembered(_meeting)
_NOT_AMENDED: Final = {
    o: f"Not applicable: the review decision was to {o} the plan." for o in REVIEW_OUTCOMES
}
_DECIDED: Final = {o: f" Decision: {o}." for o in REVIEW_OUTCOMES}
_DFE_DAY: Final = f"; DfE counts day {FINAL_PLAN_DAYS} or earlier as within {W['final_plan']}."

_BY_TRIGGER: Final = itemgetter(3, 1, 2)  # trigger, key, instance


def compute_deadlines(
    events: Sequence[Event],
    today: date,
    calendar: Calendar | None = None,
    config: ClockConfig | None = None,
) -> list[Deadline]:
    """Every deadline the events give rise to, with its status on `today`.

    Pure: the same events (in any order), today, calendar and config always give the
    same list, sorted by due date (undated rows last), then key, then instance.
    Raises ClockInputError for contradictory events.
    """
    case = _case(events)
    return _Emitter(case, today, calendar or default_calendar(), config or _DEFAULT_CONFIG).run()
