"""Assembling reports from the measures: the figures for a period, and the committee report.

`summary()` is what `sendcase report --format json` prints; its keys are documented
in docs/reporting.md. `committee()` gathers what the committee report shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings

from sendcase.core.codes import CeaseReason, NeedType
from sendcase.reporting.domain import measures as m
from sendcase.reporting.domain.periods import Period, YearKind, sen2_census, with_census

# The committee report's performance table: Rutland's columns, in Rutland's order.
PERFORMANCE_KEYS = (
    "request_decisions_within_6_weeks",
    "plans_issued_within_20_weeks",
    "plans_issued_within_20_weeks_excluding_exceptions",
    "reviews_held_within_12_months",
    "review_decisions_within_4_weeks",
    "amended_plans_within_12_weeks",
)


def summary(
    period: Period, as_at: dt.date | None = None, scope: m.Scope = m.WHOLE_COUNCIL
) -> dict[str, Any]:
    """Every figure for a period, under the documented keys, as known on `as_at`: by default the
    SEN2 census date for a calendar year (as DfE counts it), else the period's last day."""
    as_at = as_at or period.as_at or sen2_census(period) or period.end
    period = replace(period, as_at=as_at)
    on = Period(as_at, as_at)
    out: dict[str, Any] = {
        "council": settings.SENDCASE_COUNCIL_NAME,
        "la_code": settings.SENDCASE_LA_CODE,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "as_at": as_at.isoformat(),
    }
    for defn in m.DEFINITIONS:
        (result,) = m.series(defn, [on if defn.on_date else period], scope)
        if defn.is_ratio:
            out[defn.denominator_key] = result.denominator
            out[defn.key] = result.numerator
            out[defn.pc_key] = result.pc
        else:
            out[defn.key] = result.numerator
    needs = m.breakdown("active_plans", on, "primary_need", scope)
    out["active_plans_by_primary_need"] = {
        code: next((r.numerator for r in needs if r.value == code), 0) for code in NeedType.values
    }
    not_recorded = sum(r.numerator for r in needs if r.value not in NeedType.values)
    if not_recorded:
        out["active_plans_by_primary_need"]["not_recorded"] = not_recorded
    settings_rows = m.breakdown("active_plans", on, "setting", scope)
    out["active_plans_by_setting_type"] = {
        key: next((r.numerator for r in settings_rows if r.value == key), 0)
        for key in [*m.SETTING_GROUPS, m.NO_PLACEMENT]
    }
    area_rows = m.breakdown("active_plans", on, "area", scope)
    out["active_plans_by_area"] = {
        key: next((r.numerator for r in area_rows if r.value == key), 0) for key in m.AREAS
    }
    ceased = m.breakdown("ceased_plans", period, "cease_reason", scope)
    out["ceased_plans_by_reason"] = {
        str(code): next((r.numerator for r in ceased if r.value == str(code)), 0)
        for code in CeaseReason.values
    }
    out["caseload_per_officer"] = caseload(as_at, scope)
    officers = [row for row in out["caseload_per_officer"] if row["officer_id"] is not None]
    out["open_cases_per_officer"] = (
        round(sum(r["open_cases"] for r in officers) / len(officers), 1) if officers else None
    )
    return out


def caseload(as_at: dt.date, scope: m.Scope = m.WHOLE_COUNCIL) -> list[dict[str, Any]]:
    """Open cases and maintained plans per officer on a date (two grouped queries)."""
    on = Period(as_at, as_at)
    cases = {r.value: r for r in m.breakdown("open_cases", on, "officer", scope)}
    plans = {r.value: r for r in m.breakdown("active_plans", on, "officer", scope)}
    rows = []
    for value in sorted(
        set(cases) | set(plans), key=lambda v: (v == "", (cases.get(v) or plans[v]).label)
    ):
        label = (cases.get(value) or plans[value]).label
        rows.append(
            {
                "officer_id": int(value) if value else None,
                "officer": label if value else "No officer assigned",
                "open_cases": cases[value].numerator if value in cases else 0,
                "active_plans": plans[value].numerator if value in plans else 0,
            }
        )
    return rows


def flat_rows(data: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """The summary as (key, label, value) rows for CSV and Excel."""
    labels: dict[str, str] = {}
    for defn in m.DEFINITIONS:
        labels[defn.key] = defn.label
        if defn.is_ratio:
            labels[defn.denominator_key] = defn.denominator_label
            labels[defn.pc_key] = f"{defn.label} (%)"
    need_labels = dict(NeedType.choices)
    setting_labels = {k: v[0] for k, v in m.SETTING_GROUPS.items()} | {
        m.NO_PLACEMENT: m.AREAS[m.NO_PLACEMENT]
    }
    cease_labels = {str(k): v for k, v in CeaseReason.choices}
    rows: list[tuple[str, str, Any]] = []
    for key, value in data.items():
        if key == "caseload_per_officer":
            for row in value:
                rows.append(
                    (
                        f"open_cases.{row['officer_id'] or 'none'}",
                        f"Open cases: {row['officer']}",
                        row["open_cases"],
                    )
                )
                rows.append(
                    (
                        f"active_plans.{row['officer_id'] or 'none'}",
                        f"Plans maintained: {row['officer']}",
                        row["active_plans"],
                    )
                )
        elif isinstance(value, dict):
            names = {
                "active_plans_by_primary_need": ("Plans maintained by primary need", need_labels),
                "active_plans_by_setting_type": (
                    "Plans maintained by setting type",
                    setting_labels,
                ),
                "active_plans_by_area": ("Plans maintained in or out of area", m.AREAS),
                "ceased_plans_by_reason": ("Plans ceased by reason", cease_labels),
            }
            title, sub = names.get(key, (key, {}))
            for k, v in value.items():
                rows.append((f"{key}.{k}", f"{title}: {sub.get(k, k)}", v))
        else:
            rows.append((key, labels.get(key, key.replace("_", " ").capitalize()), value))
    return rows


# --- The committee report ------------------------------------------------------------------


@dataclass
class YearRow:
    period: Period
    results: dict[str, m.Result]
    requests: int
    new_plans: int
    total_plans: int


@dataclass
class Committee:
    kind: YearKind
    years: list[Period]
    as_at: dt.date
    produced_on: dt.date
    rows: list[YearRow]
    needs: list[m.BreakdownRow]
    settings: list[m.BreakdownRow]
    areas: list[m.BreakdownRow]
    ceased: list[m.BreakdownRow]
    caseload: list[dict[str, Any]]
    extra: dict[str, m.Result] = field(default_factory=dict)
    commentary: str = ""

    @property
    def report_key(self) -> str:
        return committee_key(self.kind, self.years)

    @property
    def total_plans(self) -> int:
        return sum(r.numerator for r in self.needs)


def committee_key(kind: YearKind | str, years: Sequence[Period]) -> str:
    return f"{YearKind(kind).value}:{years[0].start.year}-{years[-1].start.year}"


def committee(
    kind: YearKind | str,
    years: Sequence[Period],
    produced_on: dt.date,
    scope: m.Scope = m.WHOLE_COUNCIL,
    as_at: dt.date | None = None,
) -> Committee:
    """The committee report's figures: a handful of grouped queries, whatever the council's size.

    Plans are counted on `as_at` (default: the last day of the last year).
    """
    kind = YearKind(kind)
    # Calendar years as DfE counts them: each as known on its SEN2 census date.
    years = [with_census(p, produced_on) for p in years]
    as_at = as_at or years[-1].count_date
    series = {key: m.series(key, years, scope) for key in PERFORMANCE_KEYS}
    requests = m.series("requests_received", years, scope)
    new_plans = m.series("new_plans", years, scope)
    totals = m.series("active_plans", [Period(p.end, p.end) for p in years], scope)
    rows = [
        YearRow(
            period=p,
            results={key: series[key][i] for key in PERFORMANCE_KEYS},
            requests=requests[i].numerator,
            new_plans=new_plans[i].numerator,
            total_plans=totals[i].numerator,
        )
        for i, p in enumerate(years)
    ]
    on = Period(as_at, as_at)
    last = years[-1]
    extra = {
        key: m.series(key, [last], scope)[0]
        for key in (
            "plans_issued_20_to_52_weeks",
            "plans_issued_after_52_weeks",
            "decisions_not_to_issue_within_16_weeks",
            "phase_transfers_named_by_15_february",
            "phase_transfers_named_by_31_march",
            "mediations",
            "tribunal_appeals",
            "complaints_received",
            "complaint_responses_on_time",
            "complaints_escalated",
            "ombudsman_referrals",
        )
    }
    return Committee(
        kind=kind,
        years=years,
        as_at=as_at,
        produced_on=produced_on,
        rows=rows,
        needs=m.breakdown("active_plans", on, "primary_need", scope),
        settings=m.breakdown("active_plans", on, "setting", scope),
        areas=m.breakdown("active_plans", on, "area", scope),
        ceased=m.breakdown("ceased_plans", last, "cease_reason", scope),
        caseload=caseload(as_at, scope),
        extra=extra,
    )
