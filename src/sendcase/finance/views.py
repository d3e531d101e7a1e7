"""The finance screens: the finance view, its drill-down, the banding matrix and a plan's costs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from sendcase.accounts.roles import may_keep_money, may_see_names
from sendcase.casework.domain.errors import ActionError
from sendcase.core.audit import audit, audit_each
from sendcase.core.locking import StaleRecord
from sendcase.core.models import AuditEntry
from sendcase.finance import actions, dsg
from sendcase.finance.access import keeper_access, money_access
from sendcase.finance.costing import (
    Totals,
    annual_cost_on,
    financial_year,
    fy_cost,
    fy_label,
)
from sendcase.finance.demand_data import demand_forecast, workforce_forecast
from sendcase.finance.forecast import OVERRIDE_ENDS, PART_LABELS, PARTS, forecast
from sendcase.finance.forms import BandRateForm, BudgetLineForm, CostLineForm, WorkforceForm
from sendcase.finance.models import Band, BandRate, BudgetLine, CostLine
from sendcase.finance.placing import uncosted
from sendcase.finance.queries import as_lines
from sendcase.finance.summary import committed, cost_by_year, plans_under
from sendcase.finance.summary import overview as overview_of
from sendcase.plans.models import Plan

PAGE_SIZE = 50
DIMENSIONS = {
    "setting_type": "Setting type",
    "need": "Primary need",
    "age_group": "Age group",
    "area": "In or out of area",
    "setting": "Setting",
}


@money_access
def overview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    result = overview_of(today)
    audit(
        request.user,
        AuditEntry.Action.VIEW,
        None,
        "Finance view viewed",
        payload={"on": today.isoformat()},
    )
    count, cost = result.independent
    tables = [(key, label, _rows(result.by[key])) for key, label in DIMENSIONS.items()]
    tables[-1] = (
        "setting",
        "The 20 settings costing most",
        sorted(tables[-1][2], key=lambda row: row[2], reverse=True)[:20],
    )
    return render(
        request,
        "finance/overview.html",
        {
            "today": today,
            "result": result,
            "total": result.total,
            "plans": result.plans,
            "tables": tables,
            "top_children": result.top,
            "independent_count": count,
            "independent_cost": cost,
            "independent_pct": _pct(result.independent_share),
            "england_pct": _pct(result.england_independent_share),
            "independent_average": (cost / count).quantize(Decimal("1")) if count else None,
            "new_plans": result.new_plans,
            "names": may_see_names(request.user),
            "can_keep": may_keep_money(request.user),
            "uncosted": len(uncosted(today)),
        },
    )


def _rows(totals: Totals) -> list[tuple[str, int, Decimal]]:
    return [(name, totals.counts[name], amount) for name, amount in totals.amounts.items()]


def _pct(share: float | None) -> str | None:
    return None if share is None else f"{share * 100:.1f}%"


@money_access
def uncosted_view(request: HttpRequest) -> HttpResponse:
    """Main placements the council pays for that have no cost yet: fees and other arrangements
    finance sets, and placements with no band (`placing.uncosted`)."""
    rows = uncosted(timezone.localdate())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    audit_each(
        request.user,
        AuditEntry.Action.VIEW,
        "placements.placement",
        ((u.placement_id, u.case_id) for u in shown),
        "Placements without a cost viewed",
    )
    return render(
        request,
        "finance/uncosted.html",
        {
            "page": page,
            "rows": shown,
            "count": len(rows),
            "names": may_see_names(request.user),
            "can_keep": may_keep_money(request.user),
        },
    )


@money_access
def history(request: HttpRequest) -> HttpResponse:
    """Cost over time: the council's cost of every plan's lines in each financial year."""
    return render(
        request, "finance/history.html", {"by_year": cost_by_year(timezone.localdate(), 8)}
    )


@money_access
def placements(request: HttpRequest) -> HttpResponse:
    """The plans behind one figure of the finance view (?by=setting_type&value=...)."""
    by, value = request.GET.get("by", ""), request.GET.get("value", "")
    if by not in DIMENSIONS:
        raise Http404("No such figure")
    today = timezone.localdate()
    rows = sorted(plans_under(today, by, value), key=lambda p: -p.annual)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    audit_each(
        request.user,
        AuditEntry.Action.VIEW,
        "plans.plan",
        ((p.plan_id, p.case_id) for p in shown),
        f"Finance drill-down viewed: {DIMENSIONS[by].lower()} {value}"[:255],
    )
    return render(
        request,
        "finance/placements.html",
        {
            "by": by,
            "by_label": DIMENSIONS[by],
            "value": value,
            "page": page,
            "rows": shown,
            "count": len(rows),
            "total": sum((p.annual for p in rows), Decimal(0)),
            "names": may_see_names(request.user),
            "can_keep": may_keep_money(request.user),
        },
    )


@money_access
def bands(request: HttpRequest) -> HttpResponse:
    this_year = financial_year(timezone.localdate())
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    if not this_year - 10 <= year <= this_year + 5:
        year = this_year
    rates = {r.band_id: r for r in BandRate.objects.filter(financial_year=year)}
    rows = [(band, rates.get(band.pk)) for band in Band.objects.all()]
    return render(
        request,
        "finance/bands.html",
        {
            "rows": rows,
            "year": year,
            "label": fy_label(year),
            "years": [(y, fy_label(y)) for y in range(this_year - 2, this_year + 2)],
            "can_keep": may_keep_money(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@keeper_access
def band_rate(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    band = Band.objects.filter(pk=pk).first()
    this_year = financial_year(timezone.localdate())
    if band is None or not this_year - 10 <= year <= this_year + 5:
        raise Http404("No such band")
    rate = BandRate.objects.filter(band=band, financial_year=year).first()
    if request.method == "POST":
        form = BandRateForm(request.POST)
        if form.is_valid():
            try:
                actions.set_band_rate(
                    band,
                    financial_year=year,
                    place_funding=form.cleaned_data["place_funding"],
                    top_up=form.cleaned_data["top_up"],
                    actor=request.user,
                    expected_version=form.cleaned_data["version"] if rate else None,
                )
            except (StaleRecord, ActionError) as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Rate for {band} in {fy_label(year)} saved")
                return redirect(f"{reverse('finance:bands')}?year={year}")
    else:
        initial: dict[str, Any] = {"version": rate.version if rate else 0}
        if rate:
            initial.update(place_funding=rate.place_funding, top_up=rate.top_up)
        form = BandRateForm(initial=initial)
    return render(
        request,
        "finance/band_rate.html",
        {"band": band, "year": year, "label": fy_label(year), "form": form},
        status=400 if form.errors else 200,
    )


def _plan_for(request: HttpRequest, pk: int) -> Plan:
    plan = Plan.objects.select_related("case__child").filter(pk=pk).first()
    if plan is None:
        raise Http404("No such plan")
    return plan


@require_http_methods(["GET", "POST"])
@money_access
def plan_costs(request: HttpRequest, pk: int) -> HttpResponse:
    """A child's cost lines, what they come to, and (for finance officers) a form to add one."""
    plan = _plan_for(request, pk)
    can_keep = may_keep_money(request.user)
    if request.method == "POST":
        if not can_keep:
            raise Http404("No such page")
        form = CostLineForm(request.POST, plan=plan)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                actions.add_cost_line(plan, actor=request.user, **data)
            except ActionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Cost recorded")
                return redirect("finance:plan_costs", pk=plan.pk)
    else:
        form = CostLineForm(plan=plan, initial={"per": CostLine.Per.YEAR})
    today = timezone.localdate()
    year = financial_year(today)
    rows = list(CostLine.objects.filter(plan=plan).select_related("placement__setting", "band"))
    lines = {x.key[2]: x for x in as_lines(CostLine.objects.filter(plan=plan))}
    table: list[dict[str, Any]] = [
        {
            "line": r,
            "annual": annual_cost_on([lines[r.pk]], today) if lines[r.pk].runs_on(today) else None,
            "this_year": fy_cost([lines[r.pk]], year),
        }
        for r in rows
    ]
    audit(
        request.user,
        AuditEntry.Action.VIEW,
        plan,
        "Costs of a plan viewed",
        case=plan.case,
    )
    return render(
        request,
        "finance/plan_costs.html",
        {
            "plan": plan,
            "table": table,
            "annual": annual_cost_on(list(lines.values()), today),
            "this_year": fy_cost(list(lines.values()), year),
            "label": fy_label(year),
            "form": form,
            "can_keep": can_keep,
            "names": may_see_names(request.user),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@money_access
def budget(request: HttpRequest) -> HttpResponse:
    """This financial year's High Needs budget, the forecast outturn in its parts, the months,
    the scenarios side by side and five years of the DSG position."""
    today = timezone.localdate()
    year = financial_year(today)
    can_keep = may_keep_money(request.user)
    if request.method == "POST":
        if not can_keep:
            raise Http404("No such page")
        form = BudgetLineForm(request.POST)
        if form.is_valid():
            try:
                actions.add_budget_line(
                    financial_year=year, actor=request.user, **form.cleaned_data
                )
            except ActionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Budget line added")
                return redirect("finance:budget")
    else:
        form = BudgetLineForm()
    forecasts = forecast(today)
    base = forecasts[0]
    audit(request.user, AuditEntry.Action.VIEW, None, "High Needs budget and forecast viewed")
    return render(
        request,
        "finance/budget.html",
        {
            "label": fy_label(year),
            "lines": BudgetLine.objects.filter(financial_year=year),
            "base": base,
            "gap": abs(base.variance),
            "parts": [(PART_LABELS[p], base.part(p), base.count(p)) for p in PARTS],
            "months": base.months(),
            "forecasts": forecasts,
            "years": [(row, [f.years[i] for f in forecasts]) for i, row in enumerate(base.years)],
            "a": base.assumptions,
            "conversion_pct": _pct(base.assumptions.conversion),
            "growth_pct": _pct(base.assumptions.demand_growth),
            "cease_pct": _pct(base.assumptions.cease_rate),
            "override_ends": fy_label(OVERRIDE_ENDS),
            "form": form,
            "can_keep": can_keep,
            "uncosted": len(uncosted(today)),
        },
        status=400 if form.errors else 200,
    )


@money_access
def budget_export(request: HttpRequest) -> HttpResponse:
    """The DSG management plan layout as an XLSX file."""
    today = timezone.localdate()
    forecasts = forecast(today)
    now = forecasts[0].now if forecasts else None
    body = dsg.workbook(now if now is not None else committed(today), forecasts)
    audit(
        request.user,
        AuditEntry.Action.EXPORT,
        None,
        "DSG management plan figures exported (XLSX)",
        payload={"on": today.isoformat()},
    )
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"dsg-management-plan-{fy_label(financial_year(today))}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@money_access
def demand_view(request: HttpRequest) -> HttpResponse:
    """Requests and plans forecast from the council's history, each beside its backtest."""
    result = demand_forecast(timezone.localdate())
    return render(
        request,
        "finance/demand.html",
        {
            "d": result,
            "backtests": [
                (name, points, _pct(result.mean_error(name)))
                for name, points in result.backtests.items()
            ],
            "plans_error": _pct(result.mean_error("Plans maintained (growth)")),
            "need_rows": [
                (need, [needs.get(need, 0.0) for _year, needs in result.by_need])
                for need in (result.by_need[0][1] if result.by_need else {})
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@money_access
def workforce_view(request: HttpRequest) -> HttpResponse:
    """Officers needed for the forecast caseload, this year and the next three, by team."""
    today = timezone.localdate()
    if request.method == "POST":
        form = WorkforceForm(request.POST)
        if form.is_valid():
            try:
                actions.set_workforce_assumption(actor=request.user, **form.cleaned_data)
            except ActionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Workforce assumptions saved")
                return redirect("finance:workforce")
    else:
        form = WorkforceForm()
    return render(
        request,
        "finance/workforce.html",
        {"teams": workforce_forecast(today), "form": form},
        status=400 if form.errors else 200,
    )
