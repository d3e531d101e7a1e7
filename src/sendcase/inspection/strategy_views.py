"""The strategy tracker and the self-evaluation bulletin screens. Thin: every change goes through
`strategy.save_record`. Those who may not see them, and records that do not exist, get 404."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from sendcase.core.locking import StaleRecord
from sendcase.core.weasy import html_to_pdf
from sendcase.inspection import bulletin as b
from sendcase.inspection import forms as f
from sendcase.inspection.models import (
    Strategy,
    StrategyAction,
    StrategyOutcome,
    Workstream,
)
from sendcase.inspection.strategy import (
    commentary_for,
    current_strategy,
    measure_choices,
    save_record,
)
from sendcase.reporting.domain.periods import Period
from sendcase.reporting.models import EESArea

BULLETIN_CSS = Path(__file__).parent / "templates" / "inspection" / "bulletin_document.css"


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise Http404


def _get(model: type[models.Model], pk: int, **where: Any) -> Any:
    obj = model._default_manager.filter(pk=pk, **where).first()
    if obj is None:
        raise Http404
    return obj


def _strategy_or_404() -> Strategy:
    strategy = current_strategy()
    if strategy is None:
        raise Http404
    return strategy


@login_required
def tracker(request: HttpRequest) -> HttpResponse:
    _require(request, "inspection.view_strategy")
    strategy = current_strategy()
    context: dict[str, Any] = {"strategy": strategy, "today": timezone.localdate()}
    if strategy is not None:
        streams = list(strategy.workstreams.select_related("outcome"))
        acts: dict[int, list[StrategyAction]] = {}
        for a in StrategyAction.objects.filter(workstream__strategy=strategy):
            acts.setdefault(a.workstream_id, []).append(a)
        outcomes = list(strategy.outcomes.all())
        labels = dict(measure_choices())
        context["outcomes"] = [
            (
                o,
                [labels[k] for k in o.measures if k in labels],
                [(w, acts.get(w.pk, [])) for w in streams if w.outcome_id == o.pk],
            )
            for o in outcomes
        ]
        context["totals"] = b.rag_counts([a for v in acts.values() for a in v])
    context["can_edit"] = request.user.has_perm("inspection.change_strategy")
    return render(request, "inspection/strategy.html", context)


def _edit(
    request: HttpRequest,
    *,
    obj: models.Model,
    form: forms.Form,
    title: str,
    extra: dict[str, Any] | None = None,
    back: str | None = None,
) -> HttpResponse:
    """One form, one record: save through the action, or show the form with its errors."""
    stale: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            saved = save_record(
                obj,
                data | (extra or {}),
                actor=request.user,
                expected_version=form.cleaned_data["version"],  # fmt: skip
            )
        except StaleRecord as exc:
            form.add_error(None, exc.message)
            stale = exc.changes
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"Saved: {saved}")
            return redirect(back or reverse("inspection:strategy"))
    return render(
        request,
        "inspection/strategy_form.html",
        {
            "form": form,
            "title": title,
            "stale": stale,
            "back": back or reverse("inspection:strategy"),
        },
    )


def _initial(obj: models.Model, names: list[str]) -> dict[str, Any]:
    return {n: getattr(obj, n) for n in names} | {"version": getattr(obj, "version", 0)}


@login_required
def strategy_edit(request: HttpRequest) -> HttpResponse:
    _require(request, "inspection.change_strategy")
    strategy = current_strategy() or Strategy()
    councils = list(
        EESArea.objects.filter(level=EESArea.Level.LOCAL)
        .order_by("name")
        .values_list("code", "name")  # fmt: skip
    )
    form = f.StrategyForm(
        request.POST or None,
        initial=_initial(strategy, ["title", "vision", "neighbours"]),
        councils=councils,
    )
    return _edit(request, obj=strategy, form=form, title="The strategy")


@login_required
def outcome_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require(request, "inspection.change_strategy")
    strategy = _strategy_or_404()
    outcome = _get(StrategyOutcome, pk, strategy=strategy) if pk else StrategyOutcome(strategy=strategy)  # fmt: skip
    if pk is None:
        last = strategy.outcomes.aggregate(n=models.Max("number"))["n"] or 0
        outcome.number = last + 1
    form = f.OutcomeForm(request.POST or None, initial=_initial(outcome, ["number", "title", "measures"]), outcome=outcome)  # fmt: skip
    return _edit(request, obj=outcome, form=form, title="Change the outcome" if pk else "Add an outcome")  # fmt: skip


@login_required
def workstream_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require(request, "inspection.change_strategy")
    strategy = _strategy_or_404()
    stream = _get(Workstream, pk, strategy=strategy) if pk else Workstream(strategy=strategy)
    initial = _initial(stream, ["title", "lead"]) | {"outcome": stream.outcome_id}
    form = f.WorkstreamForm(request.POST or None, initial=initial, strategy=strategy)
    return _edit(request, obj=stream, form=form, title="Change the workstream" if pk else "Add a workstream")  # fmt: skip


@login_required
def action_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require(request, "inspection.change_strategy")
    strategy = _strategy_or_404()
    if pk:
        action = _get(StrategyAction, pk, workstream__strategy=strategy)
    else:
        ws = request.GET.get("workstream", "")
        stream = _get(Workstream, int(ws), strategy=strategy) if ws.isdigit() else None
        if stream is None:
            raise Http404
        action = StrategyAction(workstream=stream)
    form = f.ActionForm(
        request.POST or None,
        initial=_initial(action, ["title", "owner", "due_on", "status", "measures", "note"]),
    )
    title = f"{'Change the action' if pk else 'Add an action'}: {action.workstream.title}"
    return _edit(request, obj=action, form=form, title=title)


# --- The bulletin -------------------------------------------------------------------------------


def _terms() -> list[Period]:
    return b.recent_terms(timezone.localdate())


def _term(request: HttpRequest, source: Any) -> tuple[f.TermForm, Period | None]:
    terms = _terms()
    form = f.TermForm(
        source if "term" in source else None,
        initial={"term": terms[1].start.isoformat()},
        terms=[(t.start.isoformat(), t.label) for t in terms],
    )
    if "term" not in source:
        return form, terms[1]  # the last whole term
    if not form.is_valid():
        return form, None
    return form, b.term_containing(dt.date.fromisoformat(form.cleaned_data["term"]))


@login_required
def bulletin(request: HttpRequest) -> HttpResponse:
    _require(request, "inspection.view_strategy")
    form, period = _term(request, request.GET)
    made = b.build(period) if period is not None else None
    return render(
        request,
        "inspection/bulletin.html",
        {
            "form": form,
            "b": made,
            "strategy": current_strategy(),
            "can_edit": request.user.has_perm("inspection.change_strategy"),
        },
    )


@login_required
def bulletin_pdf(request: HttpRequest) -> HttpResponse:
    _require(request, "inspection.view_strategy")
    _form, period = _term(request, request.GET)
    made = b.build(period) if period is not None else None
    if made is None:
        raise Http404
    html = render_to_string("inspection/bulletin_document.html", {"b": made})
    response = HttpResponse(html_to_pdf(html, BULLETIN_CSS), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="self-evaluation-{made.period.start.isoformat()}.pdf"'
    )
    return response


@login_required
def bulletin_commentary(request: HttpRequest) -> HttpResponse:
    _require(request, "inspection.change_strategy")
    strategy = _strategy_or_404()
    _form, period = _term(request, request.GET)
    if period is None:
        raise Http404
    row = commentary_for(period.start, period.end)
    streams = list(strategy.workstreams.select_related("outcome"))
    initial: dict[str, Any] = {"summary": row.summary, "version": row.version}
    initial |= {f"ws_{w.pk}": (row.notes or {}).get(str(w.pk), "") for w in streams}
    form = f.CommentaryForm(request.POST or None, initial=initial, workstreams=streams)
    stale: list[str] = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        notes = {str(w.pk): d[f"ws_{w.pk}"] for w in streams if d.get(f"ws_{w.pk}")}
        try:
            save_record(row, {"summary": d["summary"], "notes": notes}, actor=request.user, expected_version=d["version"])  # fmt: skip
        except StaleRecord as exc:
            form.add_error(None, exc.message)
            stale = exc.changes
        else:
            messages.success(request, f"Commentary saved for {period.label}")
            return redirect(f"{reverse('inspection:bulletin')}?term={period.start.isoformat()}")
    return render(
        request,
        "inspection/strategy_form.html",
        {
            "form": form,
            "title": f"Commentary: {period.label}",
            "stale": stale,
            "back": f"{reverse('inspection:bulletin')}?term={period.start.isoformat()}",
        },
    )
