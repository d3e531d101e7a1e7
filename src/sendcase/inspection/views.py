"""Inspection screens: the deep-dive chronology and the Annex A lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from sendcase.casework.access import children_for_user
from sendcase.casework.models import Child
from sendcase.core.audit import audit, audit_each
from sendcase.core.models import AuditEntry
from sendcase.core.weasy import html_to_pdf
from sendcase.inspection import annex_a
from sendcase.inspection import chronology as chron
from sendcase.inspection.census import CensusError, import_census
from sendcase.inspection.forms import AsAtForm, CensusForm
from sendcase.statutory.dates import format_date

PDF_CSS = Path(__file__).parent / "templates" / "inspection" / "chronology_document.css"


def _child(request: HttpRequest, pk: int) -> Child:
    child = children_for_user(request.user).filter(pk=pk).first()
    if child is None:
        raise Http404("No child found")
    return child


def _viewed(request: HttpRequest, c: chron.Chronology, what: str) -> None:
    latest = c.cases[-1] if c.cases else None
    audit(request.user, AuditEntry.Action.VIEW, c.child, what, case=latest)


@login_required
def chronology(request: HttpRequest, pk: int) -> HttpResponse:
    c = chron.build(_child(request, pk))
    _viewed(request, c, "Viewed the chronology")
    return render(request, "inspection/chronology.html", {"c": c})


@login_required
def chronology_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    c = chron.build(_child(request, pk))
    pdf = html_to_pdf(render_to_string("inspection/chronology_document.html", {"c": c}), PDF_CSS)
    _viewed(request, c, "Downloaded the chronology (PDF)")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="chronology-{c.child.pk}.pdf"'
    return response


# --- Annex A ------------------------------------------------------------------------------------


def _require_annex_a(request: HttpRequest) -> None:
    if not request.user.has_perm("inspection.annex_a"):
        raise Http404


def _as_at(request: HttpRequest) -> tuple[AsAtForm, dt.date | None]:
    today = timezone.localdate()
    data = request.GET if "as_at_year" in request.GET else None
    form = AsAtForm(data, initial={"as_at": today})
    if data is None:
        return form, today
    return form, (form.cleaned_data["as_at"] if form.is_valid() else None)


@login_required
def annex_a_index(request: HttpRequest) -> HttpResponse:
    """Choose the date, see what the checks find, download the workbook."""
    _require_annex_a(request)
    form, as_at = _as_at(request)
    context: dict[str, Any] = {"form": form, "as_at": as_at, "census": annex_a.census_loaded()}
    if as_at is not None:
        rows = annex_a.list_1(as_at)
        problems = annex_a.check(rows, as_at)
        context |= {
            "children": len(rows),
            "errors": sum(1 for p in problems if p.error),
            "queries": sum(1 for p in problems if not p.error),
            "params": f"as_at_day={as_at.day}&as_at_month={as_at.month}&as_at_year={as_at.year}",
        }
    return render(request, "inspection/annex_a.html", context)


@login_required
def annex_a_check(request: HttpRequest) -> HttpResponse:
    """Every row the inspectors' checks would flag, with a link to fix each record (audited per
    child shown)."""
    _require_annex_a(request)
    form, as_at = _as_at(request)
    if as_at is None:
        return render(
            request, "inspection/annex_a.html", {"form": form, "census": annex_a.census_loaded()}
        )
    rows = annex_a.list_1(as_at)
    problems = annex_a.check(rows, as_at)
    by_id = {annex_a.unique_id(r.child_id): r for r in rows if r.child_id}
    shown = {p.unique_id for p in problems}
    audit_each(
        request.user,
        AuditEntry.Action.VIEW,
        "casework.child",
        ((by_id[u].child_id, by_id[u].case_id) for u in sorted(shown) if u in by_id),
        f"Annex A checks as at {format_date(as_at)}",
    )
    return render(request, "inspection/annex_a_check.html", {"problems": problems, "as_at": as_at, "rows": len(rows)})  # fmt: skip


@login_required
def annex_a_download(request: HttpRequest) -> HttpResponse:
    _require_annex_a(request)
    form, as_at = _as_at(request)
    if as_at is None:
        return render(
            request, "inspection/annex_a.html", {"form": form, "census": annex_a.census_loaded()}
        )
    lists = (1, 2) if annex_a.census_loaded() is not None else (1,)
    data, _rows = annex_a.workbook(as_at, lists, actor=request.user)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="annex-a-{as_at.isoformat()}.xlsx"'
    return response


@login_required
def census(request: HttpRequest) -> HttpResponse:
    _require_annex_a(request)
    form = CensusForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = upload.read().decode("utf-8")
            done = import_census(text, census_date=form.cleaned_data["census_date"], file_name=upload.name, actor=request.user)  # fmt: skip
        except UnicodeDecodeError:
            form.add_error("file", "The selected file must be a CSV saved as UTF-8")
        except CensusError as exc:
            problems = exc.problems
            form.add_error("file", "The selected file has problems: see the list below")
        else:
            messages.success(request, f"Imported {done.rows} pupils")
            return redirect("inspection:annex_a")
    return render(request, "inspection/census.html", {"form": form, "problems": problems[:200]})
