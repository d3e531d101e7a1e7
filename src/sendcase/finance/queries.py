"""Reading the money: cost lines as `costing.Line`s, with the banding matrix's rates.

A line stops when its own end date, its placement's leaving date or the plan's cease date
comes first, so a placement that ended costs nothing after it, whoever forgot to end the line.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import QuerySet

from sendcase.finance.costing import Line, council_share, yearly
from sendcase.finance.models import BandRate, CostLine

FIELDS = (
    "pk",
    "plan_id",
    "placement_id",
    "kind",
    "band_id",
    "amount",
    "per",
    "weeks",
    "starts_on",
    "ends_on",
    "health_share",
    "social_care_share",
    "placement__leaving_date",
    "plan__cease_date",
)


def band_rates() -> dict[int, dict[int, Decimal]]:
    """Each band's annual rate (element 2 + element 3) by financial year."""
    rates: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for band_id, year, place, top_up in BandRate.objects.values_list(
        "band_id", "financial_year", "place_funding", "top_up"
    ):
        rates[band_id][year] = place + top_up
    return rates


def _earliest(*days: dt.date | None) -> dt.date | None:
    known = [d for d in days if d is not None]
    return min(known) if known else None


def as_lines(
    rows: QuerySet[CostLine] | Iterable[CostLine],
    rates: dict[int, dict[int, Decimal]] | None = None,
) -> list[Line]:
    """The cost lines as pure `Line`s; each Line's key is (plan id, placement id, line id)."""
    if rates is None:
        rates = band_rates()
    qs = (
        rows if isinstance(rows, QuerySet) else CostLine.objects.filter(pk__in=[r.pk for r in rows])
    )
    out = []
    for r in qs.values(*FIELDS):
        if r["kind"] == CostLine.Kind.BANDED:
            annual = rates.get(r["band_id"], {})
        else:
            amount = yearly(r["amount"], per_week=r["per"] == CostLine.Per.WEEK, weeks=r["weeks"])
            annual = {r["starts_on"].year - 1: amount}  # the same every year (nearest earlier)
        out.append(
            Line(
                starts=r["starts_on"],
                ends=_earliest(r["ends_on"], r["placement__leaving_date"], r["plan__cease_date"]),
                annual=annual,
                share=council_share(r["health_share"], r["social_care_share"]),
                key=(r["plan_id"], r["placement_id"], r["pk"]),
                kind=r["kind"],
            )
        )
    return out
