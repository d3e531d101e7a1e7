"""The report screens: dashboard, drill-down, committee report, questions, comparators.

Views are thin: the figures come from domain/measures.py through domain/report.py
and queries.py; access comes from rules.py. Every figure on a page links to the
list of cases behind it, and every such list is recorded in the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from sendcase.accounts.models import User
from sendcase.accounts.roles import allowed_scope, drilldown_cases
from sendcase.casework.models import Case
from sendcase.core.actors import RequestUser
from sendcase.core.audit import audit, audit_each
from sendcase.core.codes import CeaseReason
from sendcase.core.locking import StaleRecord
from sendcase.core.models import AuditEntry
from sendcase.plans.checks import CRITERIA
from sendcase.plans.models import PlanVersion
from sendcase.reporting import charts, exports, queries
from sendcase.reporting.domain import measures as m
from sendcase.reporting.domain import report as rpt
from sendcase.reporting.domain.commentary import save_commentary
from sendcase.reporting.domain.periods import (
    Period,
    PeriodError,
    YearKind,
    last_years,
    parse_date,
    with_census,
    year,
)
from sendcase.reporting.forms import (
    DEFAULT_KIND,
    DEFAULT_YEARS,
    CommentaryForm,
    CommitteeForm,
    ComparatorForm,
    DashboardForm,
    QuestionForm,
    ScopeForm,
)
from sendcase.reporting.models import CommitteeCommentary, ComparatorChoice, EESFigure
from sendcase.reporting.presenters import committee_context, drill_url

DASHBOARD_RATIOS = (
    "request_decisions_within_6_weeks",
    "plans_issued_within_20_weeks",
    "plans_issued_within_20_weeks_excluding_exceptions",
    "decisions_not_to_issue_within_16_weeks",
    "reviews_held_within_12_months",
    "review_decisions_within_4_weeks",
    "amended_plans_within_12_weeks",
    "phase_transfers_named_by_15_february",
    "phase_transfers_named_by_31_march",
)
DASHBOARD_COUNTS = ("requests_received", "new_plans", "ceased_plans", "tribunal_appeals")


def _staff(request: HttpRequest) -> User:
    """The signed-in member of staff (views are behind login_required)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise Http404


@dataclass
class Cell:
    result: m.Result
    url_all: str
    url_within: str
    url_outside: str


# A share's figure with, beside it, a count of the rows it cannot count yet (late and pending).
BESIDE = {"request_decisions_within_6_weeks": "requests_undecided_past_6_weeks"}


@dataclass
class Trend:
    definition: m.Definition
    cells: list[Cell]
    chart: str
    # The count beside each period's figure (BESIDE), with its drill-down: (result, url).
    beside: list[tuple[m.Result, str]] = field(default_factory=list)
    beside_definition: m.Definition | None = None

    @property
    def latest(self) -> Cell:
        return self.cells[-1]

    @property
    def rows(self) -> list[tuple[Cell, tuple[m.Result, str] | None]]:
        beside: list[tuple[m.Result, str] | None] = list(self.beside) or [None] * len(self.cells)
        return list(zip(self.cells, beside, strict=True))


def _trend(
    key: str, periods: list[Period], scope: m.Scope, compare: dict[str, float | None] | None = None
) -> Trend:
    defn = m.get(key)
    counted = [Period(p.end, p.end, p.label) for p in periods] if defn.on_date else periods
    results = m.series(defn, counted, scope)
    cells = [
        Cell(
            r,
            drill_url(key, r.period, "all", scope),
            drill_url(key, r.period, "within", scope) if defn.is_ratio else "",
            drill_url(key, r.period, "outside", scope) if defn.is_ratio else "",
        )
        for r in results
    ]
    bars = [
        charts.Bar(
            p.label.split(" (")[0],
            r.pc if defn.is_ratio else float(r.numerator),
            compare=(compare or {}).get(p.label),
        )
        for p, r in zip(periods, results, strict=True)
    ]
    chart = charts.bar_chart(
        bars,
        title=defn.label,
        maximum=100 if defn.is_ratio else None,
        unit="%" if defn.is_ratio else "",
        compare_label="England",
    )
    trend = Trend(defn, cells, chart)
    if key in BESIDE:
        trend.beside_definition = m.get(BESIDE[key])
        trend.beside = [
            (r, drill_url(BESIDE[key], r.period, "all", scope))
            for r in m.series(trend.beside_definition, periods, scope)
        ]
    return trend


def _england_by_year(key: str, periods: list[Period], kind: YearKind) -> dict[str, float | None]:
    """England's published figure for each calendar-year period (calendar years only)."""
    defn = m.get(key)
    if kind is not YearKind.CALENDAR or defn.dfe is None:
        return {}
    dfe = defn.dfe
    column = dfe.pc if defn.is_ratio else dfe.value
    wanted = {queries.dfe_time_period(dfe, p.start.year): p.label for p in periods}
    rows = EESFigure.objects.filter(
        table=dfe.table, area_code=queries.ENGLAND, measure=column, time_period__in=list(wanted)
    ).values_list("time_period", "value")
    return {wanted[tp]: value for tp, value in rows}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _require(request, "reporting.view_dashboard")
    form = DashboardForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    asked = form.scope() if form.is_valid() else m.Scope()
    scope = allowed_scope(request.user, asked)
    if scope is None:
        raise Http404
    today = timezone.localdate()
    kind = YearKind(data.get("kind") or DEFAULT_KIND)
    # Calendar years as DfE counts them, each as known on its SEN2 census date.
    periods = [
        with_census(p, today) for p in last_years(kind, data.get("years") or DEFAULT_YEARS, today)
    ]
    whole_council = request.user.has_perm("reporting.view_reports")
    have_england = whole_council and EESFigure.objects.exists()
    trends = [
        _trend(key, periods, scope, _england_by_year(key, periods, kind) if have_england else None)
        for key in DASHBOARD_RATIOS
    ]
    counts = [_trend(key, periods, scope) for key in (*DASHBOARD_COUNTS, "active_plans")]
    as_at = periods[-1].count_date
    on = Period(as_at, as_at)
    caseload = [
        {
            **row,
            "cases_url": drill_url(
                "open_cases", on, "all", replace(scope, officer_id=row["officer_id"])
            ),
            "plans_url": drill_url(
                "active_plans", on, "all", replace(scope, officer_id=row["officer_id"])
            ),
        }
        for row in rpt.caseload(as_at, scope)
        if row["officer_id"] is not None
    ]
    if not whole_council:
        officer_field = form.fields["officer"]
        if isinstance(officer_field, forms.ModelChoiceField) and officer_field.queryset is not None:
            officer_field.queryset = officer_field.queryset.filter(team_id=scope.team_id)
    comparison = None
    if have_england:
        years = queries.published_years()[-2:]
        areas = queries.comparison_areas(request.user)
        comparison = {"years": years, "areas": areas, "rows": queries.compare(years, areas, scope)}
    return render(
        request,
        "reporting/dashboard.html",
        {
            "form": form,
            "kind": kind,
            "periods": periods,
            "trends": trends,
            "counts": counts,
            "scope": scope,
            "comparison": comparison,
            "whole_council": whole_council,
            "today": today,
            "caseload": caseload,
            "as_at": as_at,
            # Roles that may not see lists of children (finance) get the figures without links.
            "links": drilldown_cases(request.user) is not None,
        },
    )


def _case_url_maker() -> Any:
    """Each case's record URL, if casework has its case page yet; else None (link by reference)."""
    try:
        reverse("casework:case", args=[1])
    except NoReverseMatch:
        return None
    return lambda case_id: reverse("casework:case", args=[case_id])


def _period_from(request: HttpRequest) -> Period:
    try:
        start = parse_date(request.GET.get("from", ""), "The start date")
        end = parse_date(request.GET.get("to", ""), "The end date")
        as_at = request.GET.get("as_at")
        return Period(start, end, as_at=parse_date(as_at, "The count date") if as_at else None)
    except PeriodError:
        raise Http404 from None


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    """The cases behind a figure: click 46% and see the plans that were late."""
    _require(request, "reporting.view_dashboard")
    defn = m.BY_KEY.get(request.GET.get("measure", ""))
    part = request.GET.get("part", "all")
    if defn is None or part not in m.PARTS or (part != "all" and not defn.is_ratio):
        raise Http404
    period = _period_from(request)
    form = ScopeForm(request.GET)
    if not form.is_valid():
        raise Http404
    scope = allowed_scope(request.user, form.scope())
    visible = drilldown_cases(request.user)
    if scope is None or visible is None:
        raise Http404
    all_rows = m.drilldown(defn, period, part, scope)
    shown = all_rows.filter(**{f"{defn.case_id}__in": Case.objects.filter(visible).values("pk")})
    page = Paginator(shown, 100).get_page(request.GET.get("page"))
    # Cases the person may not open are not listed; say how many (none for read-all roles).
    hidden = all_rows.count() - page.paginator.count if visible else 0
    rows = list(page.object_list)
    case_url = _case_url_maker()
    label = (
        defn.label
        if part == "within"
        else (
            f"{defn.denominator_label}: {defn.outside_label}"
            if part == "outside"
            else (defn.denominator_label or defn.label)
        )
    )
    _audit_listing(request.user, defn, period, part, rows, label)
    columns = [(h, lookup) for h, lookup in defn.columns]
    table = [
        {
            "case_id": r["dd_case_id"],
            "reference": r["dd_reference"],
            "url": case_url(r["dd_case_id"]) if case_url else "",
            "child": f"{r['dd_forename']} {r['dd_surname']}",
            "officer": " ".join(x for x in (r["dd_officer_first"], r["dd_officer_last"]) if x)
            or "Not assigned",
            "team": r["dd_team"] or "",
            "cells": [_display(r.get(lookup), lookup) for _h, lookup in columns],
        }
        for r in rows
    ]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "reporting/cases.html",
        {
            "definition": defn,
            "label": label,
            "part": part,
            "period": period,
            "page": page,
            "table": table,
            "headings": [h for h, _l in columns],
            "hidden": hidden,
            "query": params.urlencode(),
            "scope": scope,
            # Plan quality: which criteria fail most, over the same plans as the figure.
            "failing": m.failing_criteria(period, scope)
            if defn.key == "plans_meeting_quality_criteria"
            else [],
        },
    )


def _display(value: Any, lookup: str) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, dt.timedelta):
        return str(value.days)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return f"{value.day} {value:%b %Y}"
    if lookup == "cease_reason":
        return dict(CeaseReason.choices).get(value, str(value))
    if lookup == "quality_failures":
        return "; ".join(CRITERIA.get(code, code) for code in value) or "None: meets them all"
    if lookup == "kind":
        return dict(PlanVersion.Kind.choices).get(value, str(value))
    return str(value)


def _audit_listing(
    user: RequestUser,
    defn: m.Definition,
    period: Period,
    part: str,
    rows: list[dict[str, Any]],
    label: str,
) -> None:
    """Listing children is viewing their records: one audit entry per case shown (one insert)."""
    audit_each(
        user,
        AuditEntry.Action.VIEW,
        "casework.case",
        ((case_id, case_id) for case_id in dict.fromkeys(r["dd_case_id"] for r in rows)),
        f"Listed in a report: {label}, {period.label}",
        payload={"measure": defn.key, "part": part, **period.as_params()},
    )


# --- The committee report -----------------------------------------------------------------


def committee_years(kind: YearKind, first: int, last: int, today: dt.date) -> list[Period]:
    years = [
        year(kind, y).clip(today) for y in range(first, last + 1) if year(kind, y).start <= today
    ]
    if not years:
        raise PeriodError("Choose years that have started")
    return years


def _committee_params(
    request: HttpRequest, today: dt.date
) -> tuple[CommitteeForm, YearKind, int, int]:
    form = CommitteeForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    kind = YearKind(data.get("kind") or DEFAULT_KIND)
    current = (
        year(kind, today.year).start.year
        if year(kind, today.year).start <= today
        else today.year - 1
    )
    last = data.get("last") or current
    first = data.get("first") or last - 4
    return form, kind, first, last


def _current_version(report_key: str) -> int:
    row = CommitteeCommentary.objects.filter(report_key=report_key).first()
    return row.version if row else 0


@login_required
@require_http_methods(["GET", "POST"])
def committee(request: HttpRequest) -> HttpResponse:
    _require(request, "reporting.view_reports")
    today = timezone.localdate()
    form, kind, first, last = _committee_params(request, today)
    try:
        context = committee_context(
            request.user, kind, committee_years(kind, first, last, today), today
        )
    except PeriodError as exc:
        form.add_error(None, str(exc))
        return render(request, "reporting/committee.html", {"form": form, "report": None})
    report = context["report"]
    commentary = context["commentary"]
    version = commentary.version if commentary else 0
    commentary_form = CommentaryForm(initial={"text": report.commentary, "version": version})
    if request.method == "POST":
        if not request.user.has_perm("reporting.change_commentary"):
            raise Http404
        commentary_form = CommentaryForm(request.POST)
        if commentary_form.is_valid():
            try:
                save_commentary(
                    report.report_key,
                    text=commentary_form.cleaned_data["text"],
                    actor=_staff(request),
                    expected_version=commentary_form.cleaned_data["version"],
                )
            except StaleRecord as exc:
                # Their text in the error summary, this person's still in the box, and the
                # form now at the latest version so the next save goes through.
                commentary_form = CommentaryForm(
                    {**request.POST.dict(), "version": str(_current_version(report.report_key))}
                )
                commentary_form.is_valid()
                for message in (exc.message, *exc.changes):
                    commentary_form.add_error(None, message)
            else:
                messages.success(
                    request, "Commentary saved. It now appears in the report and its PDF."
                )
                return redirect(f"{reverse('reporting:committee')}?{request.GET.urlencode()}")
    return render(
        request,
        "reporting/committee.html",
        {
            **context,
            "form": form,
            "commentary_form": commentary_form,
            "may_comment": request.user.has_perm("reporting.change_commentary"),
            "query": request.GET.urlencode(),
            # Roles that may not see lists of children (finance) get the figures without links.
            "links": drilldown_cases(request.user) is not None,
        },
    )


@login_required
def committee_pdf(request: HttpRequest) -> HttpResponse:
    _require(request, "reporting.view_reports")
    from sendcase.reporting.pdf import (
        committee_pdf as render_pdf,  # slow import (WeasyPrint): only for a PDF
    )

    today = timezone.localdate()
    _form, kind, first, last = _committee_params(request, today)
    try:
        context = committee_context(
            request.user, kind, committee_years(kind, first, last, today), today
        )
    except PeriodError:
        raise Http404 from None
    audit(request.user, "export", None, f"Committee report PDF ({context['report'].report_key})")
    response = HttpResponse(render_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="committee-report-{kind.value}-{first}-{last}.pdf"'
    )
    return response


# --- Questions in seconds -------------------------------------------------------------------


def question_table(
    count: str, by: str, kind: YearKind, first: int, last: int, today: dt.date
) -> dict[str, Any]:
    """Counts by year (rows) and by need, setting, age or team (columns)."""
    defn = m.get(count)
    periods = [
        year(kind, y).clip(today) for y in range(first, last + 1) if year(kind, y).start <= today
    ]
    counted = [Period(p.end, p.end, p.label) for p in periods] if defn.on_date else periods
    heading = defn.denominator_label if defn.is_ratio else defn.label
    if not by:
        results = m.series(defn, counted)
        headings = ["Year", heading]
        if defn.is_ratio:
            headings += [defn.label, "%"]
        rows: list[list[Any]] = [
            [r.period.label, r.denominator if defn.is_ratio else r.numerator]
            + ([r.numerator, r.pc] if defn.is_ratio else [])
            for r in results
        ]
        return {"headings": headings, "rows": rows, "definition": defn}
    per_year = [m.breakdown(defn, p, by) for p in counted]
    labels: dict[str, str] = {}
    for rows_ in per_year:
        for r in rows_:
            labels.setdefault(r.value, r.label)
    natural = m.dimension_order(by)
    order = sorted(
        labels, key=lambda v: (natural.index(v) if v in natural else len(natural), labels[v])
    )
    table = []
    for p, rows_ in zip(counted, per_year, strict=True):
        got = {r.value: (r.denominator if defn.is_ratio else r.numerator) for r in rows_}
        values = [got.get(v, 0) or 0 for v in order]
        table.append([p.label, *values, sum(values)])
    return {
        "headings": ["Year", *(labels[v] for v in order), "Total"],
        "rows": table,
        "definition": defn,
    }


@login_required
def questions(request: HttpRequest) -> HttpResponseBase:
    _require(request, "reporting.view_reports")
    today = timezone.localdate()
    form = QuestionForm(request.GET or None, initial=QuestionForm.defaults(today))
    result = None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        result = question_table(
            d["count"], d["by"], YearKind(d["kind"]), d["first"], d["last"], today
        )
        fmt = request.GET.get("format", "")
        if fmt in ("csv", "xlsx"):
            audit(
                request.user,
                "export",
                None,
                f"Report figures exported: {result['definition'].label} ({fmt})",
                payload=dict(request.GET.items()),
            )
            rows = [result["headings"], *result["rows"]]
            name = f"{d['count']}-{d['first']}-{d['last']}"
            if fmt == "csv":
                response = HttpResponse(
                    exports.csv_text(rows), content_type="text/csv; charset=utf-8"
                )
                response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            else:
                response = HttpResponse(
                    exports.xlsx_bytes({"Figures": rows}),
                    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
                response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
    return render(
        request,
        "reporting/questions.html",
        {"form": form, "result": result, "query": request.GET.urlencode()},
    )


@login_required
def summary(request: HttpRequest) -> HttpResponseBase:
    """Every figure for a span of dates as CSV, Excel or JSON (the `report` command's output)."""
    _require(request, "reporting.view_reports")
    try:
        period = Period(
            parse_date(request.GET.get("from", ""), "The start date"),
            parse_date(request.GET.get("to", ""), "The end date"),
        )
        as_at = (
            parse_date(request.GET["as_at"], "The count date") if request.GET.get("as_at") else None
        )
    except PeriodError as exc:
        return render(request, "reporting/bad_query.html", {"message": str(exc)}, status=400)
    fmt = request.GET.get("format", "json")
    if fmt not in ("json", "csv", "xlsx"):
        message = f"The format must be json, csv or xlsx, not {fmt[:20]!r}."
        return render(request, "reporting/bad_query.html", {"message": message}, status=400)
    data = rpt.summary(period, as_at)
    audit(request.user, "export", None, f"Report figures exported {period.label} ({fmt})")
    if fmt == "json":
        return JsonResponse(data)
    rows = [["key", "measure", "value"], *rpt.flat_rows(data)]
    if fmt == "xlsx":
        response = HttpResponse(
            exports.xlsx_bytes({"Figures": rows}),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="sendcase-report.xlsx"'
        return response
    response = HttpResponse(exports.csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sendcase-report.csv"'
    return response


# --- Comparators ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def comparators(request: HttpRequest) -> HttpResponse:
    _require(request, "reporting.view_reports")
    choices = queries.area_choices()
    choice = ComparatorChoice.objects.filter(user=_staff(request)).first()
    initial = {"region": choice.region_code, "councils": choice.area_codes} if choice else {}
    form = ComparatorForm(
        request.POST or None,
        initial=initial,
        regions=choices["regions"],
        councils=choices["councils"],
    )
    if request.method == "POST" and form.is_valid():
        ComparatorChoice.objects.update_or_create(
            user=_staff(request),
            defaults={
                "region_code": form.cleaned_data["region"],
                "area_codes": form.cleaned_data["councils"],
            },
        )
        messages.success(
            request, "Comparators saved. The dashboard and the committee report now show them."
        )
        return redirect("reporting:comparators")
    return render(
        request,
        "reporting/comparators.html",
        {"form": form, "has_figures": bool(choices["councils"]), "council": queries.council_area()},
    )
