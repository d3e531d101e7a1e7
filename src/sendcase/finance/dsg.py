"""The XLSX export in the layout of DfE's DSG management plan (template version 5): plans and
committed cost by placement category and age group, then by primary need, then the forecast."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sendcase.finance.costing import AGE_GROUPS, ZERO, fy_label
from sendcase.finance.forecast import CATEGORY_BY_TYPE, PART_LABELS, PARTS, Forecast
from sendcase.finance.models import BudgetLine
from sendcase.finance.summary import Committed
from sendcase.reporting.exports import xlsx_bytes

CATEGORIES = [c for c in BudgetLine.Category if c != BudgetLine.Category.BROUGHT_FORWARD]


def category_of(setting_type: str) -> str:
    return CATEGORY_BY_TYPE.get(setting_type, BudgetLine.Category.OTHER)


def by_category_and_age(now: Committed) -> dict[tuple[str, str], tuple[int, Decimal]]:
    cells: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [0, ZERO])
    for p in now.plans:
        cell = cells[(category_of(p.setting_type), p.age_group)]
        cell[0] += 1
        cell[1] += p.annual
    return {k: (v[0], v[1]) for k, v in cells.items()}


def workbook(now: Committed, forecasts: list[Forecast]) -> bytes:
    cells = by_category_and_age(now)
    ages = list(AGE_GROUPS)
    header = ["Placement category", *(f"{AGE_GROUPS[a]}: plans" for a in ages)]
    header += [f"{AGE_GROUPS[a]}: committed cost (£)" for a in ages]
    header += ["Total plans", "Total committed cost (£)"]
    placements: list[list[Any]] = [header]
    for c in CATEGORIES:
        counts = [cells.get((c.value, a), (0, ZERO))[0] for a in ages]
        costs = [float(cells.get((c.value, a), (0, ZERO))[1]) for a in ages]
        placements.append([f"{c.value}. {c.label}", *counts, *costs, sum(counts), sum(costs)])
    needs: dict[str, list[Any]] = defaultdict(lambda: [0, ZERO])
    for p in now.plans:
        needs[p.need][0] += 1
        needs[p.need][1] += p.annual
    by_need: list[list[Any]] = [["Primary need", "Plans", "Committed cost (£)"]]
    by_need += [[n, v[0], float(v[1])] for n, v in sorted(needs.items())]
    sheet: list[list[Any]] = [["", *(f.scenario.name for f in forecasts)]]
    if forecasts:
        sheet.append(["Financial year", *(fy_label(f.year) for f in forecasts)])
        sheet.append(["Budget (£)", *(float(f.budget) for f in forecasts)])
        for part in PARTS:
            sheet.append([f"{PART_LABELS[part]} (£)", *(float(f.part(part)) for f in forecasts)])
        sheet.append(["Forecast outturn (£)", *(float(f.outturn) for f in forecasts)])
        sheet.append(["Under (over) spend (£)", *(float(f.variance) for f in forecasts)])
        for k in range(len(forecasts[0].years)):
            row = forecasts[0].years[k]
            label = f"Cumulative DSG position at 31 March, {row['label']} (£)"
            sheet.append([label, *(float(str(f.years[k]["position"])) for f in forecasts)])
    return xlsx_bytes(
        {
            "Placements by age": placements,
            "By primary need": by_need,
            "Forecast and scenarios": sheet,
        }
    )
