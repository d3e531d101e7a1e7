"""The statutory clock: pure Python, no Django.

Takes dated facts about a SEND case (events) and returns every statutory deadline they
give rise to, with its status and the rule that produced it. See docs/clock.md.

ENGINE_BUILD says which engine runs: "compiled" (the optional mypyc build of engine.py that
`make setup` makes) or "python" (engine.py itself); see sendcase.statutory.native.
"""

# First, before anything imports the engine: importing native chooses engine.py or its build.
from sendcase.statutory.native import ENGINE_BUILD  # isort: skip
from sendcase.statutory.dates import Calendar, default_calendar
from sendcase.statutory.engine import (
    STATUSES,
    ClockConfig,
    Deadline,
    LocalTarget,
    compute_deadlines,
)
from sendcase.statutory.events import (
    EVENT_TYPES,
    ClockInputError,
    Event,
    stored_events,
)
from sendcase.statutory.parsing import parse_events
from sendcase.statutory.rules import DEADLINE_RULES, EHC_AGE_LIMIT_YEARS, EHC_START, Rule

__all__ = [
    "DEADLINE_RULES",
    "EHC_AGE_LIMIT_YEARS",
    "EHC_START",
    "ENGINE_BUILD",
    "EVENT_TYPES",
    "STATUSES",
    "Calendar",
    "ClockConfig",
    "ClockInputError",
    "Deadline",
    "Event",
    "LocalTarget",
    "Rule",
    "compute_deadlines",
    "default_calendar",
    "parse_events",
    "stored_events",
]
