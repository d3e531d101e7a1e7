"""Small builders shared by the clock tests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sendcase.statutory import ClockConfig, Deadline, Event, compute_deadlines


def D(iso: str) -> date:
    return date.fromisoformat(iso)


def ev(type_: str, iso: str, **data: Any) -> Event:
    return Event(
        type_,
        D(iso),
        {
            k: D(v) if k in ("start", "end", "last_review", "move_date") else v
            for k, v in data.items()
        },
    )


def run(events: Sequence[Event], today: str, config: ClockConfig | None = None) -> list[Deadline]:
    return compute_deadlines(events, D(today), config=config)


def by_key(deadlines: Iterable[Deadline]) -> dict[tuple[str, str], Deadline]:
    out = {(d.key, d.instance): d for d in deadlines}
    return out


def one(deadlines: Iterable[Deadline], key: str, instance: str | None = None) -> Deadline:
    rows = [d for d in deadlines if d.key == key and (instance is None or d.instance == instance)]
    assert len(rows) == 1, (
        f"expected one {key} {instance or ''}, got {[(d.key, d.instance) for d in rows]}"
    )
    return rows[0]
