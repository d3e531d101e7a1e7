"""The committee report's money and workforce section, from the same figures as the finance
screens: committed cost, the independent share beside England's, the budget and the forecast
outturn in its parts, the DSG position to the end of the statutory override, and the officers
the caseload needs. Council-wide totals only: no child is named."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sendcase.finance.demand_data import workforce_forecast
from sendcase.finance.forecast import PART_LABELS, PARTS, SCENARIOS, forecast
from sendcase.finance.models import CostLine


def money_section(today: dt.date) -> dict[str, Any] | None:
    """The section's figures, or None for a council that has recorded no costs."""
    if not CostLine.objects.exists():
        return None
    base = forecast(today, scenarios=SCENARIOS[:1])[0]
    council = workforce_forecast(today)[0]
    now = base.assumptions
    return {
        "year": base.year,
        "budget": base.budget,
        "outturn": base.outturn,
        "variance": base.variance,
        "gap": abs(base.variance),
        "parts": [(PART_LABELS[p], base.part(p)) for p in PARTS],
        "years": base.years,
        "independent_pct": _pct(now.independent_share),
        "england_pct": _pct(now.england_share),
        "workforce": council.years,
        "officers_now": council.officers_now,
    }


def _pct(share: float | None) -> str | None:
    return None if share is None else f"{share * 100:.1f}%"
