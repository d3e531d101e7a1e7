"""Reading DfE's published figures for England, a region and comparator councils."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings

from sendcase.core.actors import Actor
from sendcase.reporting.domain import measures as m
from sendcase.reporting.domain.ees_import import NEED_COLUMNS, RESOURCED_COLUMNS
from sendcase.reporting.domain.periods import Period, year
from sendcase.reporting.models import ComparatorChoice, EESArea, EESFigure

ENGLAND = "E92000001"


def census_date(year_: int) -> dt.date:
    """SEN2's reference date: the third Thursday of January."""
    first = dt.date(year_, 1, 1)
    first_thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + dt.timedelta(days=14)


def dfe_time_period(dfe: m.DfE, calendar_year: int) -> str:
    """DfE's time_period for a calendar year: "2024", or the census after it ("202425")."""
    if dfe.census:
        return f"{calendar_year}{(calendar_year + 1) % 100:02d}"
    return str(calendar_year)


def council_area() -> EESArea | None:
    return EESArea.objects.filter(
        level=EESArea.Level.LOCAL, la_code=settings.SENDCASE_LA_CODE
    ).first()


def published_years() -> list[int]:
    """The calendar years DfE has published timeliness for, oldest first."""
    periods = (
        EESFigure.objects.filter(table="timeliness_20_week", area_code=ENGLAND)
        .values_list("time_period", flat=True)
        .distinct()
    )
    return sorted(int(p) for p in periods if len(p) == 4)


def comparison_areas(user: Actor | None) -> list[EESArea]:
    """England, the region, then the comparators the user picked (two queries)."""
    pk = getattr(user, "pk", None)
    choice = ComparatorChoice.objects.filter(user_id=pk).first() if pk is not None else None
    own = council_area()
    region = (choice.region_code if choice and choice.region_code else "") or (
        own.region_code if own else ""
    )
    wanted = [ENGLAND, region, *(choice.area_codes if choice else [])]
    if own is not None:
        wanted.append(own.code)
    found = {a.code: a for a in EESArea.objects.filter(code__in=[w for w in wanted if w])}
    ordered: list[EESArea] = []
    for code in wanted:
        if code in found and found[code] not in ordered:
            ordered.append(found[code])
    return ordered


def figures(
    area_codes: Iterable[str], periods: Iterable[str], tables: Iterable[str] | None = None
) -> dict[tuple[str, str, str, str], float | None]:
    """Published figures keyed (area, table, time_period, measure), in one query."""
    qs = EESFigure.objects.filter(area_code__in=list(area_codes), time_period__in=list(periods))
    if tables is not None:
        qs = qs.filter(table__in=list(tables))
    return {
        (f.area_code, f.table, f.time_period, f.measure): f.value
        for f in qs.only("area_code", "table", "time_period", "measure", "value")
    }


@dataclass(frozen=True)
class Comparison:
    definition: m.Definition
    year: int
    council: float | None
    council_count: int | None
    others: tuple[tuple[EESArea, float | None], ...]

    @property
    def is_pc(self) -> bool:
        return self.definition.is_ratio


def _council_period(defn: m.Definition, calendar_year: int) -> Period:
    if defn.dfe is not None and defn.dfe.census:
        day = census_date(calendar_year + 1)
        return Period(day, day, f"January {calendar_year + 1}")
    return year("calendar", calendar_year)


def compare(
    years: Sequence[int], areas: Sequence[EESArea], scope: m.Scope = m.WHOLE_COUNCIL
) -> list[Comparison]:
    """Every measure DfE publishes, for each year: this council beside each area."""
    defs = [d for d in m.DEFINITIONS if d.dfe is not None]
    periods = {dfe_time_period(d.dfe, y) for d in defs for y in years if d.dfe is not None}
    published = figures([a.code for a in areas], periods)
    out = []
    for defn in defs:
        assert_dfe = defn.dfe
        if assert_dfe is None:  # pragma: no cover - filtered above
            continue
        ours = m.series(defn, [_council_period(defn, y) for y in years], scope)
        for y, result in zip(years, ours, strict=True):
            column = assert_dfe.pc if defn.is_ratio else assert_dfe.value
            tp = dfe_time_period(assert_dfe, y)
            others = tuple(
                (a, published.get((a.code, assert_dfe.table, tp, column))) for a in areas
            )
            out.append(
                Comparison(
                    defn,
                    y,
                    result.pc if defn.is_ratio else float(result.numerator),
                    result.numerator,
                    others,
                )
            )
    return out


def _share(part: float | None, whole: float | None) -> float | None:
    if part is None or not whole:
        return None
    return round(100.0 * part / whole, 1)


def need_shares(
    area_codes: Sequence[str], calendar_year: int
) -> dict[str, dict[str, float | None]]:
    """Per area, the % of plans with each primary need at the census after the year."""
    tp = f"{calendar_year}{(calendar_year + 1) % 100:02d}"
    got = figures(area_codes, [tp], ["sen_needs_all_plans"])
    out: dict[str, dict[str, float | None]] = {}
    for code in area_codes:
        total = got.get((code, "sen_needs_all_plans", tp, "ehc_plans"))
        out[code] = {
            col.removeprefix("number_").upper(): _share(
                got.get((code, "sen_needs_all_plans", tp, col)), total
            )
            for col in NEED_COLUMNS
            if col != "number_need_unknown"
        }
    return out


def setting_shares(
    area_codes: Sequence[str], calendar_year: int
) -> dict[str, dict[str, float | None]]:
    """Per area, the % of plans in each of our six setting groups at the census after the year."""
    tp = f"{calendar_year}{(calendar_year + 1) % 100:02d}"
    got = figures(area_codes, [tp], ["caseload"])
    out: dict[str, dict[str, float | None]] = {}
    for code in area_codes:

        def v(col: str, code: str = code) -> float | None:
            return got.get((code, "caseload", tp, col))

        def total(cols: Iterable[str]) -> float | None:
            values = [v(c) for c in cols]
            return None if any(x is None for x in values) else sum(x for x in values if x)

        plans = v("ehcplans")
        resourced = total(RESOURCED_COLUMNS)
        mainstream_all = v("mainstream_total")
        groups = {
            "mainstream": None
            if mainstream_all is None or resourced is None
            else mainstream_all - resourced,
            "resourced": resourced,
            "maintained_special": total(("special_la_maintained", "special_academy_free")),
            "independent_special": total(("special_independent", "special_non_maintained")),
            "further_education": v("fe_total"),
        }
        known = [g for g in groups.values() if g is not None]
        groups["other"] = (
            plans - sum(known) if plans is not None and len(known) == len(groups) else None
        )
        out[code] = {k: _share(val, plans) for k, val in groups.items()}
    return out


def area_choices() -> dict[str, list[EESArea]]:
    areas = list(EESArea.objects.exclude(level=EESArea.Level.NATIONAL).order_by("name"))
    return {
        "regions": [a for a in areas if a.level == EESArea.Level.REGIONAL],
        "councils": [a for a in areas if a.level == EESArea.Level.LOCAL],
    }
