"""The administration screens: GOV.UK pages for an administrator's everyday jobs.

Only administrators reach them (anyone else gets a 404, as for any record they may not see).
Every change goes through administration/actions.py, which audits it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sendcase.accounts import actions as accounts
from sendcase.accounts.models import Team, User
from sendcase.accounts.roles import is_administrator, role_guard
from sendcase.administration import actions
from sendcase.administration.forms import (
    HolidayForm,
    LocalTargetForm,
    StaffForm,
    TeamForm,
    WarningForm,
)
from sendcase.casework.queries import warning_days
from sendcase.core.models import ExtraHoliday, LocalTargetSetting
from sendcase.statutory import DEADLINE_RULES

View = Callable[..., HttpResponse]


administrators_only = role_guard(is_administrator)


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], form: Any = None
) -> HttpResponse:
    status = 400 if form is not None and form.errors else 200
    return render(request, f"administration/{template}", context, status=status)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


@administrators_only
def index(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "index.html",
        {
            "staff": User.objects.filter(is_active=True).count(),
            "teams": Team.objects.count(),
            "holidays": ExtraHoliday.objects.count(),
        },
    )


# --- Staff ---------------------------------------------------------------------------------


@administrators_only
def staff_list(request: HttpRequest) -> HttpResponse:
    people = User.objects.select_related("team").order_by("-is_active", "last_name", "first_name")
    return _page(request, "staff_list.html", {"people": people})


@administrators_only
@require_http_methods(["GET", "POST"])
def staff_add(request: HttpRequest) -> HttpResponse:
    form = StaffForm(request.POST or None, adding=True)
    if request.method == "POST" and form.is_valid():
        try:
            person = actions.add_staff(actor=request.user, **form.cleaned_data)
        except actions.AdminRefused as exc:
            form.add_error("username", str(exc))
        else:
            messages.success(request, f"{person.get_full_name()} added")
            return redirect("administration:staff", pk=person.pk)
    return _page(request, "staff_form.html", {"form": form, "person": None}, form)


@administrators_only
@require_http_methods(["GET", "POST"])
def staff(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User.objects.select_related("team"), pk=pk)
    initial = {name: getattr(person, name) for name in actions.STAFF_FIELDS}
    form = StaffForm(request.POST or None, initial=initial, adding=False)
    if request.method == "POST" and form.is_valid():
        try:
            changed = actions.change_staff(person, actor=request.user, **form.cleaned_data)
        except actions.AdminRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"{person.get_full_name()} saved" if changed else "Nothing was changed",
            )
            return redirect("administration:staff_list")
    context = {"form": form, "person": person, "hours": settings.SENDCASE_ENROLMENT_CODE_HOURS}
    return _page(request, "staff_form.html", context, form)


@administrators_only
@require_POST
def staff_code(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk, is_active=True)
    code = accounts.issue_enrolment_code(person, actor=request.user)
    response = _page(
        request,
        "staff_code.html",
        {
            "person": person,
            "code": accounts.grouped(code),
            "hours": settings.SENDCASE_ENROLMENT_CODE_HOURS,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@administrators_only
@require_POST
def staff_reset(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk)
    accounts.reset_second_factor(person, actor=request.user)
    messages.success(
        request,
        f"{person.get_full_name()}'s second factor was reset: they need a new enrolment code",
    )
    return redirect("administration:staff", pk=person.pk)


# --- Teams ---------------------------------------------------------------------------------


@administrators_only
def team_list(request: HttpRequest) -> HttpResponse:
    teams = Team.objects.order_by("name").annotate(
        staff=Count("members", filter=Q(members__is_active=True))
    )
    return _page(request, "team_list.html", {"teams": teams})


@administrators_only
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    existing = get_object_or_404(Team, pk=pk) if pk is not None else None
    initial = {"name": existing.name, "area": existing.area} if existing else None
    form = TeamForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_team(existing, actor=request.user, **form.cleaned_data)
        except actions.AdminRefused as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"{saved.name} saved")
            return redirect("administration:team_list")
    return _page(request, "team_form.html", {"form": form, "team": existing}, form)


# --- Extra holidays ------------------------------------------------------------------------


@administrators_only
@require_http_methods(["GET", "POST"])
def holidays(request: HttpRequest) -> HttpResponse:
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            holiday, cases = actions.add_holiday(actor=request.user, **form.cleaned_data)
        except actions.AdminRefused as exc:
            form.add_error("date", str(exc))
        else:
            messages.success(
                request,
                f"{holiday.name} added: deadlines of {_plural(cases, 'open case')} counted again",
            )
            return redirect("administration:holidays")
    return _page(
        request, "holidays.html", {"form": form, "holidays": ExtraHoliday.objects.all()}, form
    )


@administrators_only
@require_POST
def holiday_remove(request: HttpRequest, pk: int) -> HttpResponse:
    holiday = get_object_or_404(ExtraHoliday, pk=pk)
    name = holiday.name
    cases = actions.remove_holiday(holiday, actor=request.user)
    messages.success(
        request, f"{name} removed: deadlines of {_plural(cases, 'open case')} counted again"
    )
    return redirect("administration:holidays")


# --- Local targets -------------------------------------------------------------------------


def _local_rules() -> list[Any]:
    return [rule for rule in DEADLINE_RULES.values() if rule.local_target]


@administrators_only
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
    rows = {row.key: row for row in LocalTargetSetting.objects.all()}
    form = WarningForm(request.POST or None, initial={"days": warning_days()})
    if request.method == "POST" and form.is_valid():
        cases = actions.set_warning_window(form.cleaned_data["days"], actor=request.user)
        messages.success(
            request,
            f"Due-soon warning saved: deadlines of {_plural(cases, 'open case')} counted again",
        )
        return redirect("administration:targets")
    listed = [(rule, rows.get(rule.key)) for rule in _local_rules()]
    return _page(request, "targets.html", {"form": form, "targets": listed}, form)


@administrators_only
@require_http_methods(["GET", "POST"])
def target(request: HttpRequest, key: str) -> HttpResponse:
    rule = next((r for r in _local_rules() if r.key == key), None)
    if rule is None:
        raise Http404
    row = LocalTargetSetting.objects.filter(key=key).first()
    initial = {
        "enabled": "yes" if row is None or row.enabled else "no",
        "length_days": row.length_days if row else None,
    }
    form = LocalTargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        cases = actions.set_local_target(key, actor=request.user, **form.cleaned_data)
        messages.success(
            request, f"{rule.title} saved: deadlines of {_plural(cases, 'open case')} counted again"
        )
        return redirect("administration:targets")
    return _page(request, "target_form.html", {"form": form, "rule": rule}, form)
