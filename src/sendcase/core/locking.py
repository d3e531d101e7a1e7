"""Optimistic locking for records edited on a screen (the case has its own, `StaleCase`).

A form carries the record's `version` from when it was opened (`core.forms.VersionField`); the
action locks the row, and if the version moved on it raises `StaleRecord` with what the other
person saved, so the screen can show it and keep what this person typed.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sendcase.core.actors import Actor
from sendcase.statutory.dates import format_date


class StaleRecord(Exception):
    """Someone else saved the record after this person opened the form."""

    def __init__(self, message: str, *, changes: list[str]) -> None:
        super().__init__(message)
        self.message = message
        self.changes = changes


def saved_by(actor: Actor | None, at: dt.datetime) -> str:
    """'Sam Jones at 14:05 on 3 March 2026' (who saved, and when, in local time)."""
    when = timezone.localtime(at)
    return f"{actor or 'An import'} at {when:%H:%M} on {format_date(when.date())}"
