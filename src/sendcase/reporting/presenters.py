"""What the report screens, the `sendcase report` command and the template tags show: the
committee report's context and the drill-down link of a figure. Views, commands and tags import
from here; nothing here imports a view.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from sendcase.core.actors import Actor
from sendcase.finance.committee import money_section
from sendcase.reporting import charts, queries
from sendcase.reporting.domain import measures as m
from sendcase.reporting.domain import report as rpt
from sendcase.reporting.domain.periods import Period, YearKind
from sendcase.reporting.models import CommitteeCommentary

__all__ = ["committee_context", "drill_url"]


def drill_url(key: str, period: Period, part: str = "all", scope: m.Scope = m.WHOLE_COUNCIL) -> str:
    params = {"measure": key, "part": part, **period.as_params(), **scope.as_params()}
    return f"{reverse('reporting:cases')}?{urlencode(params)}"


def committee_context(
    user: Actor | None,
    kind: YearKind,
    years: list[Period],
    today: dt.date,
    as_at: dt.date | None = None,
) -> dict[str, Any]:
    report = rpt.committee(kind, years, today, as_at=as_at)
    commentary = CommitteeCommentary.objects.filter(report_key=report.report_key).first()
    report.commentary = commentary.text if commentary else ""
    published = queries.published_years()
    comparison = None
    if published:
        areas = queries.comparison_areas(user)
        years_shown = published[-3:]
        census_year = published[-1]
        codes = [a.code for a in areas]
        comparison = {
            "years": years_shown,
            "areas": areas,
            "rows": queries.compare(years_shown, areas),
            "census_year": census_year,
            "needs": queries.need_shares(codes, census_year),
            "settings": queries.setting_shares(codes, census_year),
        }
    perf_chart = charts.bar_chart(
        [
            charts.Bar(r.period.label.split(" (")[0], r.results["plans_issued_within_20_weeks"].pc)
            for r in report.rows
        ],
        title="Plans issued within 20 weeks (%)",
        maximum=100,
        unit="%",
    )
    plans_chart = charts.bar_chart(
        [charts.Bar(r.period.label.split(" (")[0], float(r.total_plans)) for r in report.rows],
        title="Plans maintained at the end of each year",
    )
    return {
        "report": report,
        "comparison": comparison,
        "perf_chart": perf_chart,
        "plans_chart": plans_chart,
        "performance_keys": rpt.PERFORMANCE_KEYS,
        "performance_labels": [m.get(k).label for k in rpt.PERFORMANCE_KEYS],
        "commentary": commentary,
        "money": money_section(today),  # finance: the money and workforce section
    }
