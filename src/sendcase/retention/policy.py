"""The retention policy: when a child's record becomes due for erasure, and which records are.

A record is due `years` years after the later of the child's birthday of `age` and the last
activity on it (a statutory step, a case opened or closed, a plan ceased, a logged contact).
Nothing is due while one of the child's cases is open or has an appeal running. The council's
data protection officer sets `age` and `years` (SENDCASE_RETENTION_AGE, SENDCASE_RETENTION_YEARS;
docs/operations.md says why the defaults are 25 and 6).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Model, Q
from django.utils import timezone

from sendcase.casework.models import OPEN_STAGES, Case, Child, ContactLogEntry, StatutoryEvent
from sendcase.plans.models import Plan
from sendcase.retention.models import LegalHold
from sendcase.statutory.dates import add_months, format_date

CHUNK = 500  # children per grouped query (well inside SQLite's limit on parameters)


@dataclass(frozen=True)
class Policy:
    age: int
    years: int

    @classmethod
    def from_settings(cls) -> Policy:
        return cls(settings.SENDCASE_RETENTION_AGE, settings.SENDCASE_RETENTION_YEARS)

    def describe(self) -> str:
        return (
            f"{self.years} year{'s' if self.years != 1 else ''} after the later of the child's "
            f"{_ordinal(self.age)} birthday and the last activity on their record"
        )

    def birthday(self, born: dt.date) -> dt.date:
        return add_months(born, 12 * self.age)

    def due_on(self, born: dt.date, last_activity: dt.date | None) -> dt.date:
        birthday = self.birthday(born)
        start = max(birthday, last_activity) if last_activity else birthday
        return add_months(start, 12 * self.years)

    def earliest_birth_due(self, today: dt.date) -> dt.date:
        """Children born after this date cannot be due on `today` (a bound for the query)."""
        return add_months(today, -12 * (self.age + self.years))


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True)
class Retention:
    """Where one child's record stands against the policy."""

    child: Child
    policy: Policy
    last_activity: dt.date | None
    last_activity_what: str
    open_case: bool
    held: bool

    @property
    def birthday(self) -> dt.date:
        return self.policy.birthday(self.child.date_of_birth)

    @property
    def due_on(self) -> dt.date | None:
        """The date the record becomes due for erasure; None while a case is open."""
        if self.open_case:
            return None
        return self.policy.due_on(self.child.date_of_birth, self.last_activity)

    def is_due(self, today: dt.date) -> bool:
        due = self.due_on
        return due is not None and due <= today

    @property
    def why(self) -> str:
        """Why it is due when it is (or, while a case is open, why it is not)."""
        if self.open_case:
            return "A case is open or has an appeal running, so the record is kept"
        years = f"{self.policy.years} year{'s' if self.policy.years != 1 else ''}"
        birthday = f"{_ordinal(self.policy.age)} birthday ({format_date(self.birthday)})"
        if self.last_activity is None or self.last_activity <= self.birthday:
            later = f"their {birthday}"
            if self.last_activity is not None:
                later += (
                    f", which is after the last activity ({self.last_activity_what}, "
                    f"{format_date(self.last_activity)})"
                )
        else:
            later = (
                f"the last activity ({self.last_activity_what}, "
                f"{format_date(self.last_activity)}), which is after their {birthday}"
            )
        return f"{years} after {later}"


# Where activity is recorded, in the order ties are settled (the first noted is shown):
# (model, its path to the child, the dated field, what it is called).
ACTIVITY: tuple[tuple[type[Model], str, str, str], ...] = (
    (Case, "child_id", "closed_on", "a case closed"),
    (Case, "child_id", "opened_on", "a case opened"),
    (Plan, "case__child_id", "cease_date", "a plan ceased"),
    (ContactLogEntry, "case__child_id", "at", "a contact logged"),
    (StatutoryEvent, "case__child_id", "date", "a statutory step"),
)


def _latest(child_ids: list[int]) -> dict[int, tuple[dt.date, str]]:
    """Each child's last activity and what it was (one grouped query per kind of record)."""
    latest: dict[int, tuple[dt.date, str]] = {}
    for model, child_path, field, what in ACTIVITY:
        rows = (
            model._default_manager.filter(**{f"{child_path}__in": child_ids})
            .values_list(child_path)
            .annotate(last=Max(field))
            .order_by()
        )
        for child_id, day in rows:
            if day is None:
                continue
            if isinstance(day, dt.datetime):
                day = timezone.localtime(day).date()
            if child_id not in latest or day > latest[child_id][0]:
                latest[child_id] = (day, what)
    return latest


def _open_children(child_ids: list[int]) -> set[int]:
    return set(
        Case.objects.filter(child_id__in=child_ids)
        .filter(Q(stage__in=OPEN_STAGES) | Q(disputed=True))
        .values_list("child_id", flat=True)
    )


def retentions(children: Iterable[Child], policy: Policy | None = None) -> Iterator[Retention]:
    """Each child's standing against the policy (a few grouped queries per 500 children)."""
    policy = policy or Policy.from_settings()
    batch: list[Child] = []
    for child in children:
        batch.append(child)
        if len(batch) == CHUNK:
            yield from _batch(batch, policy)
            batch = []
    if batch:
        yield from _batch(batch, policy)


def _batch(children: list[Child], policy: Policy) -> Iterator[Retention]:
    ids = [c.pk for c in children]
    latest = _latest(ids)
    open_ = _open_children(ids)
    held = set(LegalHold.objects.filter(child_id__in=ids).values_list("child_id", flat=True))
    for child in children:
        day, what = latest.get(child.pk, (None, ""))
        yield Retention(child, policy, day, what, child.pk in open_, child.pk in held)


def retention_of(child: Child, policy: Policy | None = None) -> Retention:
    (one,) = retentions([child], policy)
    return one


@dataclass(frozen=True)
class DueReport:
    as_at: dt.date
    policy: Policy
    due: list[Retention]
    held: int  # due by the policy, but under a legal hold (not listed)


def due_for_deletion(today: dt.date, policy: Policy | None = None) -> DueReport:
    """The records due for erasure on `today`, oldest first, leaving out those under legal hold."""
    policy = policy or Policy.from_settings()
    candidates = Child.objects.filter(
        date_of_birth__lte=policy.earliest_birth_due(today), erasure__isnull=True
    ).order_by("date_of_birth", "pk")
    due = [r for r in retentions(candidates.iterator(chunk_size=CHUNK), policy) if r.is_due(today)]
    listed = [r for r in due if not r.held]
    listed.sort(key=lambda r: (r.due_on, r.child.pk))
    return DueReport(today, policy, listed, len(due) - len(listed))
