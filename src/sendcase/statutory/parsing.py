"""Raw input (a list of dicts, as `sendcase clock` reads it) into checked Events.

Apart from events.py so that neither events.py nor the engine imports the other back: each
event's own fields are checked by events.py, contradictions between events by the engine.
"""

from __future__ import annotations

from typing import Any

from sendcase.statutory.engine import check_events
from sendcase.statutory.events import ClockInputError, Event, parse_one

__all__ = ["parse_events"]


def parse_events(raw_events: Any) -> list[Event]:
    """Turn a list of dicts (``{"type", "date", ...fields}``) into Events, in the order given.

    Raises ClockInputError naming the offending event (position from 1, and type) for an
    unknown type, a missing or impossible date, a bad outcome, kind, stage or reason, and
    for contradictory events (see docs/clock.md).
    """
    if not isinstance(raw_events, list):
        raise ClockInputError("events must be a list.")
    events = [parse_one(i, raw) for i, raw in enumerate(raw_events, start=1)]
    check_events(events)  # the engine owns the contradiction rules
    return events
