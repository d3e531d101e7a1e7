"""Command line for the statutory clock.

Reads ``{"today": "YYYY-MM-DD", "events": [...], "birth_date"?: ..., "config"?: {...}}``
as JSON on stdin and writes ``{"deadlines": [...]}`` to stdout. Bad input gives one plain
message on stderr and exit status 2, never a traceback. ``sendcase clock`` wraps main().
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import IO, Any

from sendcase.statutory.dates import Calendar, default_calendar
from sendcase.statutory.engine import LOCAL_TARGET_KEYS, ClockConfig, LocalTarget, compute_deadlines
from sendcase.statutory.events import ClockInputError, Event, parse_date
from sendcase.statutory.parsing import parse_events

__all__ = ["main", "parse_config", "run"]

USAGE = """usage: python -m sendcase.statutory < case.json

Reads {"today": "YYYY-MM-DD", "events": [...]} (optional "birth_date", "config") on
stdin and writes {"deadlines": [...]} on stdout. See docs/clock.md."""


def _int(value: Any, what: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ClockInputError(f"config: {what} must be a whole number of at least {minimum}.")
    return value


def parse_config(raw: Any) -> tuple[ClockConfig, Calendar]:
    """`{"warning_days": 14, "local_targets": {key: {"enabled", "length_days"}}, "extra_holidays": [...]}`"""
    if raw is None:
        return ClockConfig(), default_calendar()
    if not isinstance(raw, dict):
        raise ClockInputError("config must be an object.")
    unknown = set(raw) - {"warning_days", "local_targets", "extra_holidays"}
    if unknown:
        raise ClockInputError(f"config: unknown setting {sorted(unknown)[0]!r}.")
    cfg = ClockConfig()
    if "warning_days" in raw:
        cfg.warning_days = _int(raw["warning_days"], "warning_days", 0)
    targets = raw.get("local_targets") or {}
    if not isinstance(targets, dict):
        raise ClockInputError("config: local_targets must be an object.")
    for key, value in targets.items():
        if key not in LOCAL_TARGET_KEYS:
            raise ClockInputError(
                f"config: {key!r} is not a local target. Use one of: {', '.join(sorted(LOCAL_TARGET_KEYS))}."
            )
        if not isinstance(value, dict) or set(value) - {"enabled", "length_days"}:
            raise ClockInputError(
                f"config: local_targets.{key} takes enabled and length_days only."
            )
        enabled = value.get("enabled", True)
        if not isinstance(enabled, bool):
            raise ClockInputError(f"config: local_targets.{key}.enabled must be true or false.")
        length = value.get("length_days")
        if length is not None:
            length = _int(length, f"local_targets.{key}.length_days", 1)
        cfg.local_targets[key] = LocalTarget(enabled=enabled, length_days=length)
    extra = raw.get("extra_holidays") or []
    if not isinstance(extra, list):
        raise ClockInputError("config: extra_holidays must be a list of dates.")
    days = [parse_date(x, "config: extra holiday") for x in extra]
    return cfg, (Calendar(days) if days else default_calendar())


def run(payload: Any) -> dict[str, Any]:
    """The CLI without the I/O: a parsed JSON document in, the output document out."""
    if not isinstance(payload, dict):
        raise ClockInputError("The input must be a JSON object with today and events.")
    if payload.get("today") in (None, ""):
        raise ClockInputError("Enter today's date as today: YYYY-MM-DD.")
    today = parse_date(payload["today"], "today:")
    if "events" not in payload:
        raise ClockInputError("The input has no events list.")
    events = parse_events(payload["events"])
    if payload.get("birth_date") not in (None, ""):
        born = parse_date(payload["birth_date"], "birth_date:")
        events = [*events, Event("child_born", born)]
        if sum(e.type == "child_born" and e.date != born for e in events):
            raise ClockInputError("birth_date does not match the child_born event.")
    config, calendar = parse_config(payload.get("config"))
    deadlines = compute_deadlines(events, today, calendar, config)
    return {"deadlines": [d.to_json() for d in deadlines]}


def main(
    argv: Sequence[str] | None = None,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    stderr = stderr if stderr is not None else sys.stderr
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("-h", "--help"):
        print(USAGE, file=stdout)
        return 0
    if args:
        print(f"Unexpected argument {args[0]!r}.\n{USAGE}", file=stderr)
        return 2
    try:
        payload = json.loads(stdin.read())
    except json.JSONDecodeError as exc:
        print(
            f"The input is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).",
            file=stderr,
        )
        return 2
    try:
        result = run(payload)
    except ClockInputError as exc:
        print(str(exc), file=stderr)
        return 2
    json.dump(result, stdout, indent=2)
    stdout.write("\n")
    return 0
