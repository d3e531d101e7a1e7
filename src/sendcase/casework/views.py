"""Casework screens. Thin: access helpers decide who may see what, forms check input, the
action functions record every change, queries read."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from sendcase.accounts.models import User
from sendcase.accounts.roles import CASEWORKERS, assignable_officers_scope, corrects_any_step
from sendcase.casework import queries
from sendcase.casework import search as search_children
from sendcase.casework.access import (
    get_case_for_user,
    get_contact_entry_for_user,
    get_family_contact_for_user,
    get_plan_version_for_user,
)
from sendcase.casework.domain import contacts as contact_actions
from sendcase.casework.domain import tasks as task_actions
from sendcase.casework.domain.assignment import move_case_to_team, reassign_case, reassign_cases
from sendcase.casework.domain.children import (
    CHILD_DETAILS,
    details_stamp,
    register_child_with_request,
    register_child_with_transfer_in,
    update_child_details,
)
from sendcase.casework.domain.corrections import (
    CEASING_STEPS,
    CLOSABLE_STAGES,
    changeable_ceasing_steps,
    effective_history,
    may_change_step,
)
from sendcase.casework.domain.errors import STALE_MESSAGE, ActionError, StaleCase
from sendcase.casework.domain.placements import find_setting
from sendcase.casework.domain.plan import PlanNotReady
from sendcase.casework.domain.plan_editor import WRITABLE_STAGES
from sendcase.casework.forms import (
    BulkReassignForm,
    ChildDetailsForm,
    ContactForm,
    ContactResponseForm,
    EndFamilyContactForm,
    FamilyContactForm,
    MoveTeamForm,
    NewRequestForm,
    QueueFilterForm,
    ReassignForm,
    SearchForm,
    TaskForm,
    TransferInForm,
)
from sendcase.casework.models import Case, StatutoryEvent, Transfer
from sendcase.casework.plan_views import section_url
from sendcase.casework.steps import STEPS, available_steps, case_state, load_case_state
from sendcase.core.actors import RequestUser
from sendcase.core.audit import audit, audit_each
from sendcase.core.codes import NeedType
from sendcase.core.forms import opened_at
from sendcase.core.models import AuditEntry
from sendcase.information.queries import complaint_deadlines
from sendcase.placements.queries import SEARCH_LIMIT, search_settings
from sendcase.plans.content import section_rows
from sendcase.plans.models import SECTIONS, Plan, PlanVersion
from sendcase.plans.queries import content_of
from sendcase.reporting import exports
from sendcase.statutory.dates import format_date

AUDIT_PAGE_SIZE = 100
# The case page lists what still needs doing first.
STATUS_ORDER = {"overdue": 0, "due_soon": 1, "open": 2, "exception": 3, "missed": 4, "met": 5}


def _apply_error(form: Any, exc: ActionError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def _rebind_after_stale(
    form_class: type, request: HttpRequest, current: Case, exc: StaleCase, **form_kwargs: Any
) -> Any:
    """The same input, now against the latest version, with what the other person changed."""
    seen = opened_at(request.POST.get("seen", ""))
    data: QueryDict = request.POST.copy()
    data["version"] = str(current.version)
    data["seen"] = timezone.now().isoformat()
    form = form_class(data, **form_kwargs)
    form.is_valid()
    form.add_error(None, exc.message)
    for change in _changes_since(current, seen):
        form.add_error(None, change)
    return form


def _changes_since(case: Case, since: dt.datetime | None) -> list[str]:
    entries = AuditEntry.objects.filter(case=case).exclude(action=AuditEntry.Action.VIEW)
    if since is not None:
        entries = entries.filter(at__gt=since)
    changes = []
    for e in entries.select_related("actor").order_by("at", "id")[:20]:
        when = timezone.localtime(e.at)
        changes.append(
            f"{e.actor or 'The system'} at {when:%H:%M} on {format_date(when)}: {e.summary}"
        )
    return changes


def _viewed(request: HttpRequest, case: Case, summary: str, obj: Any = None) -> None:
    """A page that shows the child's data was shown (a form opened, or shown again with errors)."""
    audit(request.user, AuditEntry.Action.VIEW, obj or case, summary, case=case)


def _version_initial(case: Case) -> dict[str, Any]:
    return {"version": case.version, "seen": timezone.now().isoformat()}


# --- The work queue and caseloads --------------------------------------------------------------


def _queue_filters(request: HttpRequest, user: User) -> tuple[QueueFilterForm, Any]:
    officers = list(queries.officers_in_scope(user).order_by("last_name", "first_name"))
    default_officer = "me" if user.role == "case_officer" else ""
    data = request.GET.copy()
    data.setdefault("stage", "open")
    data.setdefault("officer", default_officer)
    form = QueueFilterForm(data, officers=officers, user=user)
    filters = queries.QueueFilters()
    if form.is_valid():
        filters = queries.QueueFilters(**form.cleaned_data)
    return form, queries.filtered_cases(user, filters)


def _queue_context(
    request: HttpRequest, user: User, bulk: BulkReassignForm | None
) -> dict[str, Any]:
    form, qs = _queue_filters(request, user)
    today = timezone.localdate()
    warn = queries.warning_days()
    page = queries.queue_page(
        qs,
        today=today,
        warn=warn,
        after=queries.Cursor.decode(request.GET.get("after")),
        before=queries.Cursor.decode(request.GET.get("before")),
    )
    params = request.GET.copy()
    page_params = params.urlencode()
    params.pop("after", None)
    params.pop("before", None)
    # Listing a child is viewing their record: one entry per case shown, on that case, so each
    # case's audit log (and a subject access request) finds it with the indexed (case, at).
    filters_seen = {k: v for k, v in form.data.items() if k not in ("after", "before")}
    audit_each(
        user,
        AuditEntry.Action.VIEW,
        "casework.case",
        ((row.case.pk, row.case.pk) for row in page.rows),
        "Listed in the work queue",
        payload={"filters": filters_seen},
    )
    can_bulk = user.has_perm("casework.bulk_reassign")
    if can_bulk and bulk is None:
        bulk = BulkReassignForm(officers=_officer_choices(user))
    return {
        "form": form,
        "page": page,
        "counts": queries.queue_counts(qs, today=today, warn=warn),
        "today": today,
        "warn": warn,
        "params": params.urlencode(),
        "page_params": page_params,
        "can_add": user.has_perm("casework.add_case"),
        "sees_teams": user.has_perm("casework.view_caseloads"),
        "bulk": bulk if can_bulk else None,
        "ticked": bulk.ticked() if bulk is not None and bulk.is_bound else set(),
    }


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if not user.has_perm("casework.view_queue"):
        return render(request, "casework/no_case_access.html", {})
    return render(request, "casework/queue.html", _queue_context(request, user, None))


@login_required
@require_http_methods(["POST"])
def bulk_reassign(request: HttpRequest) -> HttpResponse:
    """Give the cases ticked in the queue to one officer, all or nothing. The queue's filters
    and page ride in the query string, so a refusal shows the same page with the boxes still
    ticked."""
    user = cast(User, request.user)
    if not user.has_perm("casework.bulk_reassign"):
        raise Http404("No page here")
    form = BulkReassignForm(request.POST, officers=_officer_choices(user))
    if form.is_valid():
        try:
            done = reassign_cases(
                form.cleaned_data["cases"], officer=form.cleaned_data["officer"], actor=user
            )
        except ActionError as exc:
            form.add_error("cases", exc.message)
        else:
            officer = form.cleaned_data["officer"]
            n = len(done.moved)
            text = f"{n} case{'s' if n != 1 else ''} given to {officer}"
            if done.already:
                text += f" ({len(done.already)} already with them)"
            messages.success(request, text)
            return redirect(reverse("casework:queue") + "?" + request.GET.urlencode())
    return render(request, "casework/queue.html", _queue_context(request, user, form), status=400)


QUEUE_EXPORT_HEADER = [
    "Case reference",
    "Child",
    "Date of birth",
    "Stage",
    "Next deadline",
    "Due",
    "Deadlines overdue",
    "Next task",
    "Task due by",
    "Tasks overdue",
    "Officer",
    "Team",
]


@login_required
def queue_export(request: HttpRequest) -> HttpResponse:
    """Every case the queue shows with these filters, as CSV (safe to open in a spreadsheet).
    Listing children is viewing their records: one audit entry per case listed."""
    user = cast(User, request.user)
    if not user.has_perm("casework.view_queue"):
        raise Http404("No page here")
    _, qs = _queue_filters(request, user)
    cases = list(
        queries.with_tasks(
            qs.select_related("child", "officer", "team"), timezone.localdate()
        ).order_by(F("next_due").asc(nulls_last=True), "pk")
    )
    rows: list[list[Any]] = [QUEUE_EXPORT_HEADER]
    c: Any  # a Case with its tasks annotated (queries.with_tasks)
    for c in cases:
        rows.append(
            [
                c.reference,
                c.child.full_name,
                c.child.date_of_birth.isoformat() if c.child.date_of_birth else "",
                c.get_stage_display(),
                queries.deadline_title(c.next_key) if c.next_key else "Nothing due",
                c.next_due.isoformat() if c.next_due else "",
                c.overdue_count,
                c.next_task or "",
                c.next_task_due.isoformat() if c.next_task_due else "",
                c.overdue_tasks,
                str(c.officer) if c.officer else "Not assigned",
                str(c.team) if c.team else "",
            ]
        )
    audit_each(
        user,
        AuditEntry.Action.EXPORT,
        "casework.case",
        ((c.pk, c.pk) for c in cases),
        "Listed in a work queue export",
        payload={"filters": request.GET.dict()},
    )
    response = HttpResponse(exports.csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="work-queue-{timezone.localdate().isoformat()}.csv"'
    )
    return response


@login_required
def caseloads(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("casework.view_caseloads"):
        raise Http404("No page here")
    rows = queries.caseloads(request.user, today=timezone.localdate())
    context = {
        "rows": rows,
        "typical": queries.CASELOAD_TYPICAL,
        "unmanageable": queries.CASELOAD_UNMANAGEABLE,
    }
    return render(request, "casework/caseloads.html", context)


# --- Finding a child ---------------------------------------------------------------------------


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Find a child by name, UPN, ULN, date of birth or case reference, within what this person
    may see; a match outside it is only said to be known to the council. Audited."""
    if not request.user.has_perm("casework.view_queue"):
        raise Http404("No page here")
    asked = any(k in request.GET for k in ("q", "date_of_birth_day", "date_of_birth_year"))
    form = SearchForm(request.GET if asked else None)
    outcome = None
    if asked and form.is_valid():
        text = form.cleaned_data["q"]
        born = form.cleaned_data["date_of_birth"]
        outcome = search_children.search(request.user, text, born)
        search_children.audit_search(request.user, text, born, outcome)
    return render(
        request,
        "casework/search.html",
        {"form": form, "outcome": outcome},
        status=400 if form.errors else 200,
    )


# --- New cases ---------------------------------------------------------------------------------


def _officer_choices(user: RequestUser) -> Any:
    scope = assignable_officers_scope(user)
    if scope is None:
        return User.objects.none()
    return User.objects.filter(scope).order_by("last_name", "first_name")


@login_required
@require_http_methods(["GET", "POST"])
def new_request(request: HttpRequest) -> HttpResponse:
    return _register(request, NewRequestForm, "casework/new_request.html")


@login_required
@require_http_methods(["GET", "POST"])
def transfer_in(request: HttpRequest) -> HttpResponse:
    return _register(request, TransferInForm, "casework/transfer_in.html")


def _register(request: HttpRequest, form_class: type, template: str) -> HttpResponse:
    if not request.user.has_perm("casework.add_case"):
        raise Http404("No page here")
    kwargs = {"officers": _officer_choices(request.user), "user": request.user}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        known = {
            "known_child": form.known_child,
            "not_duplicate_of": [c.pk for c in form.possible_duplicates]
            if form.known_child is None
            else None,
        }
        try:
            if form_class is NewRequestForm:
                case = register_child_with_request(
                    **known,
                    child_fields=form.child_fields(),
                    contact_fields=form.contact_fields(),
                    received_on=d["received_on"],
                    source=d["source"],
                    requester_name=d["requester_name"],
                    young_person_request=d["young_person_request"],
                    officer=d["officer"],
                    actor=request.user,
                    notify=form.notify_choice(),
                )
                messages.success(request, f"Request recorded: case {case.reference} opened")
            else:
                case = register_child_with_transfer_in(
                    **known,
                    child_fields=form.child_fields(),
                    contact_fields=form.contact_fields(),
                    transferred_on=d["transferred_on"],
                    last_review=d["last_review"],
                    from_la_code=d["from_la_code"],
                    from_la_name=d["from_la_name"],
                    officer=d["officer"],
                    actor=request.user,
                )
                messages.success(request, f"Plan transferred in: case {case.reference} opened")
            return redirect("casework:case", pk=case.pk)
        except ActionError as exc:
            _apply_error(form, exc)
    return render(request, template, {"form": form})


# --- The case record -----------------------------------------------------------------------------


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    case = Case.objects.select_related(
        "child", "officer", "team", "request", "plan", "plan_working_copy"
    ).get(pk=case.pk)
    plan: Plan | None = getattr(case, "plan", None) if hasattr(case, "plan") else None
    deadlines = list(case.deadlines.all())
    log = list(StatutoryEvent.log.filter(case=case).select_related("recorded_by"))
    events = effective_history(log)
    changes = list(
        AuditEntry.objects.filter(case=case)
        .exclude(action=AuditEntry.Action.VIEW)
        .select_related("actor")
    )
    versions = (
        list(plan.versions.select_related("created_by", "setting").order_by("number"))
        if plan
        else []
    )
    reviews = list(plan.reviews.all()) if plan else []
    phase_transfers = list(plan.phase_transfers.select_related("new_setting")) if plan else []
    placements = (
        list(plan.placements.select_related("setting").order_by("-entry_date")) if plan else []
    )
    advice = list(case.advice_requests.all())
    transfers = list(case.transfers.all())
    appeals = list(case.appeals.all())
    ceasings = list(case.ceasings.all())
    state = case_state(
        case,
        plan=plan,
        reviews=reviews,
        versions=versions,
        advice=advice,
        transfers_=transfers,
        phase_transfers=phase_transfers,
        appeals=appeals,
        notices=[e for e in events if e.type == "decision_notice"],
        ceasings=ceasings,
    )
    advice_by_id = {a.advice_id: a for a in advice}
    writable = request.user.has_perm("casework.change_case", case)
    # The ceasing route's steps this person may correct or strike out (as the history's).
    if ceasings and (writable or corrects_any_step(request.user)):
        changeable = changeable_ceasing_steps(request.user, case, ceasings, changes)
        for c in ceasings:
            c.changeable_steps = [(s, CEASING_STEPS[s]) for s in changeable[c.pk]]  # type: ignore[attr-defined]
    today = timezone.localdate()
    audit(request.user, "view", case, "Viewed the case record", case=case)
    context = {
        "case": case,
        "child": case.child,
        "family": list(case.child.contacts.order_by(F("ended_on").desc(nulls_first=True), "pk")),
        "appeals": appeals,
        "ceasings": ceasings,
        "request_row": getattr(case, "request", None) if hasattr(case, "request") else None,
        "plan": plan,
        "deadlines": [
            {
                "row": d,
                "title": queries.deadline_title(d.key)
                + (
                    f" ({advice_by_id[d.advice_id].get_kind_display().lower()})"
                    if d.advice_id in advice_by_id
                    else ""
                ),
                "tag": queries.STATUS_TAGS.get(d.status, (d.status, "govuk-tag--grey")),
                "instance": queries.instance_words(d.instance, advice_by_id),
            }
            for d in sorted(
                deadlines,
                key=lambda d: (STATUS_ORDER.get(d.status, 9), d.due or dt.date.max, d.key),
            )
        ],
        "complaint_deadlines": complaint_deadlines(case, today),
        "timeline": queries.timeline(
            case,
            log,
            changes,
            advice_by_id,
            # Managers (a head of service too) may correct any step; others, what they recorded.
            may_change=may_change_step(request.user)
            if writable or corrects_any_step(request.user)
            else None,
        ),
        "can_close": writable and case.stage in CLOSABLE_STAGES,
        "versions": versions,
        "latest_version": versions[-1] if versions else None,
        "reviews": reviews,
        "phase_transfers": phase_transfers,
        "placements": placements,
        "out_of_step": queries.section_i_out_of_step(versions, placements),
        "advice": advice,
        "exceptions": list(case.exceptions.all()),
        "transfers": transfers,
        # A plan transferred in was made by another council: the date it started here is the
        # transfer, not its first issue.
        "transferred_in": any(t.direction == Transfer.Direction.IN for t in transfers),
        "contact_log": list(queries.contact_log(case)),
        "tasks": list(case.tasks.all()),
        "steps": available_steps(state) if writable else [],
        "can_write_plan": writable and case.stage in WRITABLE_STAGES,
        "plan_working_copy": getattr(case, "plan_working_copy", None)
        if hasattr(case, "plan_working_copy")
        else None,
        "writable": writable,
        "can_reassign": request.user.has_perm("casework.reassign_case", case),
        "can_move_team": request.user.has_perm("casework.move_case_team", case),
        "can_audit": request.user.has_perm("casework.view_case_audit", case),
        "today": today,
    }
    return render(request, "casework/case.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    the_step = STEPS.get(slug)
    if the_step is None:
        raise Http404("No such step")
    case = get_case_for_user(request.user, pk, write=True)
    finder = _setting_finder(request, the_step)
    plan_problems: list[dict[str, str]] = []
    if request.method == "GET":
        if not the_step.available(load_case_state(case)):
            messages.info(
                request,
                f"You cannot {the_step.title[0].lower()}{the_step.title[1:]} at this stage.",
            )
            return redirect("casework:case", pk=case.pk)
        initial = _version_initial(case)
        chosen = finder.get("chosen")
        if chosen is not None:
            initial["setting"] = chosen.urn or chosen.ukprn
        form = the_step.form(initial=initial, case=case)
    else:
        form = the_step.form(request.POST, case=case)
        posted = request.POST.get("version", "")
        if not form.is_valid() and posted.isdigit() and int(posted) != case.version:
            # Someone saved the case since this form was opened, and the form no longer fits it
            # (its choices may have gone with their change): say so first, with their change.
            form = _rebind_after_stale(
                the_step.form, request, case, StaleCase(STALE_MESSAGE, changes=[]), case=case
            )
        elif form.is_valid():
            try:
                message = the_step.run(
                    case, form.action_kwargs(), request.user, form.cleaned_data["version"]
                )
            except StaleCase as exc:
                case.refresh_from_db()
                form = _rebind_after_stale(the_step.form, request, case, exc, case=case)
            except PlanNotReady as exc:
                plan_problems = [
                    {"message": p.message, "href": section_url(case, p.section, p.anchor)}
                    for p in exc.problems
                ]
                form.add_error(None, exc.message)
            except ActionError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, message)
                return redirect("casework:case", pk=case.pk)
    _viewed(request, case, f"Opened the form: {the_step.title}")
    return render(
        request,
        "casework/step.html",
        {
            "case": case,
            "step": the_step,
            "form": form,
            "finder": finder,
            "plan_problems": plan_problems,
            "issues_plan": slug
            in ("draft-plan", "final-plan", "amendment-notice", "final-amended-plan"),
        },
    )


def _setting_finder(request: HttpRequest, the_step: Any) -> dict[str, Any]:
    """For the placement step: the settings in the register matching what was typed in the
    search box (by name, URN, UKPRN or postcode), and the one chosen from them. Plain links and
    a GET form, so it works without JavaScript."""
    if not the_step.finds_setting:
        return {}
    text = request.GET.get("q", "").strip()[:100]
    identifier = request.GET.get("setting", "").strip()[:8]
    return {
        "q": text,
        "results": search_settings(text) if text else [],
        "limit": SEARCH_LIMIT,
        "chosen": find_setting(identifier) if identifier else None,
    }


def case_form(
    request: HttpRequest,
    case: Case,
    form_class: type,
    template: str,
    change: Any,
    viewing: str,
    *,
    page: dict[str, Any] | None = None,
    initial: dict[str, Any] | None = None,
    **form_kwargs: Any,
) -> HttpResponse:
    """A form that changes the case as a whole (who holds it, its record): `change(cleaned_data,
    version)` runs the action and says what it did; a stale form comes back with the other
    person's changes. `page` adds to the template's context, `initial` to the form's."""
    if request.method == "POST":
        form = form_class(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                message = change(form.cleaned_data, form.cleaned_data["version"])
            except StaleCase as exc:
                case.refresh_from_db()
                form = _rebind_after_stale(form_class, request, case, exc, **form_kwargs)
            except ActionError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, message)
                return redirect("casework:case", pk=case.pk)
    else:
        form = form_class(initial={**(initial or {}), **_version_initial(case)}, **form_kwargs)
    _viewed(request, case, f"Opened the form: {viewing}")
    return render(
        request,
        template,
        {"case": case, "form": form, **(page or {})},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, reassign=True)

    def change(data: dict[str, Any], version: int) -> str:
        reassign_case(case, officer=data["officer"], actor=request.user, expected_version=version)
        return f"Case given to {data['officer']}"

    return case_form(
        request,
        case,
        ReassignForm,
        "casework/reassign.html",
        change,
        "Give the case to another officer",
        officers=_officer_choices(request.user),
    )


@login_required
@require_http_methods(["GET", "POST"])
def move_team(request: HttpRequest, pk: int) -> HttpResponse:
    """A head of service (or an administrator) moves a case to another team; audited."""
    case = get_case_for_user(request.user, pk)
    if not request.user.has_perm("casework.move_case_team", case):
        raise Http404("No case found")
    officers = User.objects.filter(role__in=CASEWORKERS, is_active=True, team__isnull=False)
    officers = officers.select_related("team").order_by("team__name", "last_name", "first_name")

    def change(data: dict[str, Any], version: int) -> str:
        moved = move_case_to_team(
            case,
            team=data["team"],
            officer=data["officer"],
            actor=request.user,
            expected_version=version,
        )
        return f"Case moved to {moved.team}"

    return case_form(
        request,
        case,
        MoveTeamForm,
        "casework/move_team.html",
        change,
        "Move the case to another team",
        officers=officers,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    days = contact_actions.response_working_days()
    form = ContactForm(
        request.POST or None,
        default_days=days,
        initial={
            "contact_on": timezone.localdate(),
            "at_time": timezone.localtime().strftime("%H:%M"),
        },
    )
    return _add_to_case(
        request,
        case,
        form,
        contact_actions.record_contact,
        "Contact added to the log",
        "#contact-log",
        "casework/contact.html",
        "Add to the contact log",
    )


def _add_to_case(
    request: HttpRequest,
    case: Case,
    form: Any,
    add: Any,
    done: str,
    anchor: str,
    template: str,
    viewing: str,
) -> HttpResponse:
    """A form that adds a record to the case (not a statutory step): `add(case, actor=...,
    **cleaned_data)` on a valid POST, then back to the case's section."""
    if request.method == "POST" and form.is_valid():
        try:
            add(case, actor=request.user, **form.cleaned_data)
        except ActionError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(reverse("casework:case", args=[case.pk]) + anchor)
    _viewed(request, case, f"Opened the form: {viewing}")
    return render(
        request, template, {"case": case, "form": form}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    form = TaskForm(request.POST or None)
    return _add_to_case(
        request,
        case,
        form,
        task_actions.add_task,
        "Task added",
        "#tasks",
        "casework/task.html",
        "Add a task",
    )


@login_required
@require_http_methods(["POST"])
def task_done(request: HttpRequest, pk: int, task_id: int) -> HttpResponse:
    """Mark a task done, or not done again (a button on the case page: no JavaScript needed)."""
    case = get_case_for_user(request.user, pk, write=True)
    task = case.tasks.filter(pk=task_id).first()
    if task is None:
        raise Http404("No task found")
    done = request.POST.get("done") == "yes"
    try:
        task_actions.set_task_done(task, done=done, actor=request.user)
    except ActionError as exc:
        messages.info(request, exc.message)
    else:
        messages.success(request, f"Task {'done' if done else 'marked as not done'}: {task.title}")
    return redirect(reverse("casework:case", args=[case.pk]) + "#tasks")


@login_required
@require_http_methods(["GET", "POST"])
def child_details(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the child's details (e.g. a UPN the SEN2 check found wrong), audited."""
    case = get_case_for_user(request.user, pk, write=True)
    child = case.child
    if request.method == "POST":
        form = ChildDetailsForm(request.POST, opened_on=case.opened_on)
        if form.is_valid():
            data = dict(form.cleaned_data)
            seen = data.pop("seen")
            try:
                changed = update_child_details(
                    child, actor=request.user, case=case, seen=seen, **data
                )
            except ActionError as exc:
                _apply_error(form, exc)
                if exc.field is None:  # someone else changed them: show theirs, keep the input
                    child.refresh_from_db()
                    fresh = request.POST.copy()
                    fresh["seen"] = details_stamp(child)
                    form = ChildDetailsForm(fresh, opened_on=case.opened_on)
                    form.is_valid()
                    form.add_error(None, exc.message)
            else:
                messages.success(
                    request, "Child's details saved" if changed else "Nothing was changed"
                )
                return redirect("casework:case", pk=case.pk)
    else:
        form = ChildDetailsForm(
            opened_on=case.opened_on,
            initial={
                **{f: getattr(child, f) for f in CHILD_DETAILS},
                "seen": details_stamp(child),
            },
        )
    _viewed(request, case, "Opened the child's details to change them", child)
    return render(
        request,
        "casework/child_details.html",
        {"case": case, "child": child, "form": form},
        status=400 if form.errors else 200,
    )


def _family_page(
    request: HttpRequest, case: Case, form: Any, template: str, viewing: str, **extra: Any
) -> HttpResponse:
    _viewed(request, case, f"Opened the form: {viewing}", extra.get("contact"))
    return render(
        request,
        template,
        {"case": case, "form": form, **extra},
        status=400 if form.errors else 200,
    )


def _to_family(request: HttpRequest, case: Case, done: str) -> HttpResponse:
    messages.success(request, done)
    return redirect(reverse("casework:case", args=[case.pk]) + "#family")


@login_required
@require_http_methods(["GET", "POST"])
def family_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a family contact for the child."""
    case = get_case_for_user(request.user, pk, write=True)
    form = FamilyContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("seen", None)
        try:
            contact = contact_actions.add_family_contact(
                case.child, actor=request.user, case=case, **data
            )
        except ActionError as exc:
            _apply_error(form, exc)
        else:
            return _to_family(request, case, f"{contact.name} added to the family contacts")
    return _family_page(request, case, form, "casework/family_contact.html", "Add a family contact")


@login_required
@require_http_methods(["GET", "POST"])
def family_edit(request: HttpRequest, pk: int, contact_id: int) -> HttpResponse:
    """Change a family contact's details (not one that has ended)."""
    case, contact = get_family_contact_for_user(request.user, pk, contact_id, write=True)
    if contact.ended_on is not None:
        raise Http404("No current family contact found")
    if request.method == "POST":
        form = FamilyContactForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            seen = data.pop("seen")
            try:
                changed = contact_actions.update_family_contact(
                    contact, actor=request.user, case=case, seen=seen, **data
                )
            except ActionError as exc:
                if exc.field is None:  # someone else changed it: show theirs, keep the input
                    contact.refresh_from_db()
                    fresh = request.POST.copy()
                    fresh["seen"] = contact_actions.contact_stamp(contact)
                    form = FamilyContactForm(fresh)
                    form.is_valid()
                    form.add_error(None, exc.message)
                else:
                    _apply_error(form, exc)
            else:
                return _to_family(
                    request, case, "Contact's details saved" if changed else "Nothing was changed"
                )
    else:
        initial = {f: getattr(contact, f) for f in contact_actions.FAMILY_CONTACT_FIELDS}
        pr = contact.parental_responsibility
        initial["parental_responsibility"] = "" if pr is None else ("yes" if pr else "no")
        form = FamilyContactForm(
            initial={**initial, "seen": contact_actions.contact_stamp(contact)}
        )
    return _family_page(
        request,
        case,
        form,
        "casework/family_contact.html",
        "Change a family contact",
        contact=contact,
    )


@login_required
@require_http_methods(["GET", "POST"])
def family_end(request: HttpRequest, pk: int, contact_id: int) -> HttpResponse:
    """Record that a family contact is no longer one (kept for the history)."""
    case, contact = get_family_contact_for_user(request.user, pk, contact_id, write=True)
    if contact.ended_on is not None:
        raise Http404("No current family contact found")
    form = EndFamilyContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact_actions.end_family_contact(
                contact, actor=request.user, case=case, **form.cleaned_data
            )
        except ActionError as exc:
            _apply_error(form, exc)
        else:
            return _to_family(request, case, f"{contact.name} is no longer a current contact")
    return _family_page(
        request,
        case,
        form,
        "casework/family_contact_end.html",
        "End a family contact",
        contact=contact,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_response(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    entry = get_contact_entry_for_user(request.user, pk, entry_id, write=True)
    form = ContactResponseForm(request.POST or None, initial={"responded_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            contact_actions.record_contact_response(
                entry, responded_on=form.cleaned_data["responded_on"], actor=request.user
            )
        except ActionError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, "Response recorded")
            return redirect(reverse("casework:case", args=[pk]) + "#contact-log")
    _viewed(request, entry.case, "Opened the form: Record a response", entry)
    return render(
        request,
        "casework/contact_response.html",
        {"case": entry.case, "entry": entry, "form": form},
    )


# --- The plan ----------------------------------------------------------------------------------


@login_required
def plan_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = get_plan_version_for_user(request.user, pk, number)
    case = get_case_for_user(request.user, pk)
    audit(request.user, "view", version, f"Viewed plan version {number}", case=case)
    rows = section_rows(content_of(version), dict(NeedType.choices))
    sections = [(k, t, "\n".join(rows[k])) for k, t in SECTIONS.items()]
    return render(
        request,
        "casework/plan_version.html",
        {
            "case": case,
            "version": version,
            "sections": sections,
            "needs": list(version.needs.all()),
        },
    )


@login_required
def plan_compare(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    versions = list(PlanVersion.objects.filter(plan__case=case).order_by("number"))
    if len(versions) < 2:
        raise Http404("This plan has only one version")
    by_number = {v.number: v for v in versions}

    def pick(name: str, default: PlanVersion) -> PlanVersion:
        raw = request.GET.get(name, "")
        return by_number.get(int(raw), default) if raw.isdigit() else default

    b = pick("to", versions[-1])
    a = pick("from", by_number.get(b.position - 1, versions[0]))
    audit(
        request.user, "view", case, f"Compared plan versions {a.number} and {b.number}", case=case
    )
    needs_before, needs_after = queries.need_changes(a, b)
    return render(
        request,
        "casework/plan_compare.html",
        {
            "case": case,
            "versions": versions,
            "a": a,
            "b": b,
            "changes": queries.plan_diff(a, b),
            "needs_before": needs_before,
            "needs_after": needs_after,
        },
    )


# --- The audit log of a case ------------------------------------------------------------------------


@login_required
def case_audit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, audit_log=True)
    entries = AuditEntry.objects.filter(Q(case=case)).select_related("actor").order_by("-at", "-id")
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(e, queries.record_words(e.object_type)) for e in page]
    audit(request.user, "view", case, "Viewed the case's audit log", case=case)
    return render(request, "casework/audit.html", {"case": case, "page": page, "rows": rows})
