"""The self-evaluation bulletin for a period (Herefordshire's tri-annual bulletin is the model):
for each outcome of the strategy, its measures' headlines against the previous period, England
and the statistical neighbours, then each workstream's progress (its actions by red, amber and
green) and the council's commentary.

Figures come from reporting's measure registry (one `Definition` per measure), so a headline
here and the same figure on the dashboard cannot disagree. England's and the neighbours' figures
are DfE's published ones (reporting's EES import) for the latest calendar year published up to
the period's end; they are shown for percentages only (a count is not comparable between
councils of different sizes). The neighbours' figure is the mean of those DfE published.

Periods are terms of four months, as the model bulletin: September to December, January to
April, May to August. Aggregate figures only: no child is named, so nothing is audited as a view.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from sendcase.inspection.models import (
    BulletinCommentary,
    Rag,
    Strategy,
    StrategyAction,
    StrategyOutcome,
    Workstream,
    rag_tag,
)
from sendcase.inspection.strategy import commentary_for, current_strategy
from sendcase.reporting import queries as ees
from sendcase.reporting.domain import measures as m
from sendcase.reporting.domain.periods import Period
from sendcase.reporting.models import EESArea
from sendcase.statutory.dates import MONTH_NAMES


def rag_counts(actions: list[StrategyAction]) -> list[tuple[str, str, int]]:
    """(word, tag class, how many) for red, amber, green and complete, in that order."""
    got = Counter(a.status for a in actions)
    return [(*rag_tag(s), got[s.value]) for s in Rag]


# The first month of each of the three terms.
TERM_STARTS = (1, 5, 9)


def term_containing(day: dt.date) -> Period:
    first = max(s for s in TERM_STARTS if s <= day.month)
    start = dt.date(day.year, first, 1)
    after = dt.date(day.year + 1, 1, 1) if first == 9 else dt.date(day.year, first + 4, 1)
    end = after - dt.timedelta(days=1)
    return Period(start, end, f"{MONTH_NAMES[first]} to {MONTH_NAMES[end.month]} {day.year}")


def term_before(period: Period) -> Period:
    return term_containing(period.start - dt.timedelta(days=1))


def recent_terms(today: dt.date, count: int = 6) -> list[Period]:
    """The term containing today and the ones before it, newest first."""
    out = [term_containing(today)]
    while len(out) < count:
        out.append(term_before(out[-1]))
    return out


@dataclass(frozen=True)
class Headline:
    definition: m.Definition
    now: m.Result
    before: m.Result
    year: int | None = None  # the published calendar year England and the neighbours are for
    england: float | None = None
    neighbours: float | None = None
    neighbours_published: int = 0

    @property
    def is_pc(self) -> bool:
        return self.definition.is_ratio

    @staticmethod
    def _value(r: m.Result) -> float | None:
        return r.pc if r.definition.is_ratio else float(r.numerator)

    @property
    def value(self) -> float | None:
        return self._value(self.now)

    @property
    def previous(self) -> float | None:
        return self._value(self.before)

    @property
    def change(self) -> str:
        """'up 4.2 points', 'down 12', 'no change' or '' where either figure is missing."""
        if self.value is None or self.previous is None:
            return ""
        diff = self.value - self.previous
        if abs(diff) < 0.05:
            return "no change"
        unit = " points" if self.is_pc else ""
        size = f"{abs(diff):.1f}" if self.is_pc else f"{abs(diff):,.0f}"
        return f"{'up' if diff > 0 else 'down'} {size}{unit}"


@dataclass
class Progress:
    workstream: Workstream
    actions: list[StrategyAction]
    note: str
    period_end: dt.date

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(word, tag class, how many) for red, amber, green and complete, in that order."""
        return rag_counts(self.actions)

    @property
    def overdue(self) -> list[StrategyAction]:
        return [a for a in self.actions if a.status != Rag.DONE and a.due_on <= self.period_end]


@dataclass
class Section:
    outcome: StrategyOutcome
    headlines: list[Headline]
    progress: list[Progress]


@dataclass
class Bulletin:
    strategy: Strategy
    period: Period
    previous: Period
    sections: list[Section]
    commentary: BulletinCommentary
    year: int | None
    neighbour_names: list[str]
    made: dt.datetime = field(default_factory=timezone.now)


def _published_year(end: dt.date) -> int | None:
    years = [y for y in ees.published_years() if y <= end.year]
    return max(years) if years else None


def headlines(
    keys: list[str], period: Period, previous: Period, year: int | None, neighbours: list[str]
) -> list[Headline]:
    """Each measure for the period and the one before (one query per measure), with DfE's
    published figures for England and the neighbours (one query for all)."""
    defs = [m.BY_KEY[k] for k in dict.fromkeys(keys) if k in m.BY_KEY]
    published: dict[tuple[str, str, str, str], float | None] = {}
    if year is not None:
        tps = {ees.dfe_time_period(d.dfe, year) for d in defs if d.dfe is not None}
        if tps:
            published = ees.figures([ees.ENGLAND, *neighbours], tps)
    out = []
    for defn in defs:
        before, now = m.series(defn, [previous, period])
        england = None
        theirs: list[float] = []
        if defn.dfe is not None and defn.is_ratio and year is not None:
            tp = ees.dfe_time_period(defn.dfe, year)

            def got(code: str, d: m.DfE = defn.dfe, tp: str = tp) -> float | None:
                return published.get((code, d.table, tp, d.pc))

            england = got(ees.ENGLAND)
            theirs = [v for v in (got(c) for c in neighbours) if v is not None]
        out.append(
            Headline(
                defn,
                now,
                before,
                year if england is not None or theirs else None,
                england,
                round(sum(theirs) / len(theirs), 1) if theirs else None,
                len(theirs),
            )
        )
    return out


def build(period: Period, strategy: Strategy | None = None) -> Bulletin | None:
    """The bulletin for `period`, or None if the council has no strategy yet."""
    strategy = strategy or current_strategy()
    if strategy is None:
        return None
    previous = term_before(period)
    year = _published_year(period.end)
    neighbours = [str(c) for c in strategy.neighbours]
    names = dict(EESArea.objects.filter(code__in=neighbours).values_list("code", "name"))
    outcomes = list(strategy.outcomes.all())
    streams = list(strategy.workstreams.all())
    actions: dict[int, list[StrategyAction]] = {}
    for a in StrategyAction.objects.filter(workstream__strategy=strategy):
        actions.setdefault(a.workstream_id, []).append(a)
    commentary = commentary_for(period.start, period.end)
    notes = commentary.notes or {}
    sections = []
    for outcome in outcomes:
        keys = list(outcome.measures)
        progress = []
        for w in (w for w in streams if w.outcome_id == outcome.pk):
            mine = actions.get(w.pk, [])
            keys += [k for a in mine for k in a.measures]
            progress.append(Progress(w, mine, str(notes.get(str(w.pk), "")), period.end))
        sections.append(
            Section(outcome, headlines(keys, period, previous, year, neighbours), progress)
        )
    return Bulletin(
        strategy,
        period,
        previous,
        sections,
        commentary,
        year,
        [names[c] for c in neighbours if c in names],
    )
