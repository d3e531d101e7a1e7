"""Inspection screens: the deep-dive chronology and the Annex A lists."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from sendcase.casework.access import children_for_user
from sendcase.casework.models import Child
from sendcase.core.audit import audit
from sendcase.core.models import AuditEntry
from sendcase.core.weasy import html_to_pdf
from sendcase.inspection import chronology as chron


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
    pdf = html_to_pdf(render_to_string("inspection/chronology_document.html", {"c": c}))
    _viewed(request, c, "Downloaded the chronology (PDF)")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="chronology-{c.child.pk}.pdf"'
    return response
