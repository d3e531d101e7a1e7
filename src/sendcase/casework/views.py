"""Casework screens. Thin: access helpers decide who may see what, forms check input, the
action functions record every change, queries read."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from sendcase.accounts.models import User
from sendcase.casework import queries
from sendcase.casework.access import (
    get_case_for_user,
    get_contact_entry_for_user,
    get_plan_version_for_user,
)
from sendcase.casework.domain import contacts as contact_actions
from sendcase.casework.domain.assignment import reassign_case
from sendcase.casework.domain.children import (
    CHILD_DETAILS,
    details_stamp,
    register_child_with_request,
    register_child_with_transfer_in,
    update_child_details,
)
from sendcase.casework.domain.errors import STALE_MESSAGE, ActionError, StaleCase
from sendcase.casework.forms import (
    ChildDetailsForm,
    ContactForm,
    ContactResponseForm,
    NewRequestForm,
    QueueFilterForm,
    ReassignForm,
    TransferInForm,
)
from sendcase.casework.models import Case
from sendcase.casework.rules import assignable_officers_scope
from sendcase.casework.steps import STEPS, available_steps, case_state, load_case_state
from sendcase.core.audit import audit, audit_each
from sendcase.core.forms import opened_at
from sendcase.core.models import AuditEntry
from sendcase.plans.models import Plan, PlanVersion

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
            f"{e.actor or 'The system'} at {when:%H:%M} on {when.day} {when:%B %Y}: {e.summary}"
        )
    return changes


def _viewed(request: HttpRequest, case: Case, summary: str, obj: Any = None) -> None:
    """A page that shows the child's data was shown (a form opened, or shown again with errors)."""
    audit(request.user, AuditEntry.Action.VIEW, obj or case, summary, case=case)


def _version_initial(case: Case) -> dict[str, Any]:
    return {"version": case.version, "seen": timezone.now().isoformat()}


# --- The work queue and caseloads --------------------------------------------------------------


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if not user.has_perm("casework.view_queue"):
        return render(request, "casework/no_case_access.html", {})
    officers = list(queries.officers_in_scope(user).order_by("last_name", "first_name"))
    default_officer = "me" if user.role == "case_officer" else ""
    data = request.GET.copy()
    data.setdefault("stage", "open")
    data.setdefault("officer", default_officer)
    form = QueueFilterForm(data, officers=officers, user=user)
    filters = queries.QueueFilters()
    if form.is_valid():
        filters = queries.QueueFilters(**form.cleaned_data)
    today = timezone.localdate()
    warn = queries.warning_days()
    qs = queries.filtered_cases(user, filters)
    page = queries.queue_page(
        qs,
        today=today,
        warn=warn,
        after=queries.Cursor.decode(request.GET.get("after")),
        before=queries.Cursor.decode(request.GET.get("before")),
    )
    params = request.GET.copy()
    params.pop("after", None)
    params.pop("before", None)
    # Listing a child is viewing their record: one entry per case shown, on that case, so each
    # case's audit log (and a subject access request) finds it with the indexed (case, at).
    audit_each(
        user,
        AuditEntry.Action.VIEW,
        "casework.case",
        ((row.case.pk, row.case.pk) for row in page.rows),
        "Listed in the work queue",
        payload={"filters": {k: v for k, v in data.items() if k not in ("after", "before")}},
    )
    context = {
        "form": form,
        "page": page,
        "counts": queries.queue_counts(qs, today=today, warn=warn),
        "today": today,
        "warn": warn,
        "params": params.urlencode(),
        "can_add": user.has_perm("casework.add_case"),
        "sees_teams": user.has_perm("casework.view_caseloads"),
    }
    return render(request, "casework/queue.html", context)


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


# --- New cases ---------------------------------------------------------------------------------


def _officer_choices(user: Any) -> Any:
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
    case = Case.objects.select_related("child", "officer", "team", "request", "plan").get(
        pk=case.pk
    )
    plan: Plan | None = getattr(case, "plan", None) if hasattr(case, "plan") else None
    deadlines = list(case.deadlines.all())
    events = list(case.events.select_related("recorded_by"))
    changes = list(
        AuditEntry.objects.filter(case=case)
        .exclude(action=AuditEntry.Action.VIEW)
        .select_related("actor")
    )
    versions = list(plan.versions.select_related("created_by").order_by("number")) if plan else []
    reviews = list(plan.reviews.all()) if plan else []
    phase_transfers = list(plan.phase_transfers.select_related("new_setting")) if plan else []
    placements = (
        list(plan.placements.select_related("setting").order_by("-entry_date")) if plan else []
    )
    advice = list(case.advice_requests.all())
    transfers = list(case.transfers.all())
    appeals = list(case.appeals.all())
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
    )
    advice_kinds = {a.advice_id: a.get_kind_display() for a in advice}
    writable = request.user.has_perm("casework.change_case", case)
    today = timezone.localdate()
    audit(request.user, "view", case, "Viewed the case record", case=case)
    context = {
        "case": case,
        "child": case.child,
        "family": list(case.child.contacts.all()),
        "appeals": appeals,
        "request_row": getattr(case, "request", None) if hasattr(case, "request") else None,
        "plan": plan,
        "deadlines": [
            {
                "row": d,
                "title": queries.deadline_title(d.key)
                + (
                    f" ({advice_kinds[d.advice_id].lower()})" if d.advice_id in advice_kinds else ""
                ),
                "tag": queries.STATUS_TAGS.get(d.status, (d.status, "govuk-tag--grey")),
                "instance": queries.instance_words(d.instance),
            }
            for d in sorted(
                deadlines,
                key=lambda d: (STATUS_ORDER.get(d.status, 9), d.due or dt.date.max, d.key),
            )
        ],
        "timeline": queries.timeline(case, events, changes),
        "versions": versions,
        "latest_version": versions[-1] if versions else None,
        "reviews": reviews,
        "phase_transfers": phase_transfers,
        "placements": placements,
        "advice": advice,
        "exceptions": list(case.exceptions.all()),
        "transfers": transfers,
        "contact_log": list(queries.contact_log(case)),
        "steps": available_steps(state) if writable else [],
        "writable": writable,
        "can_reassign": request.user.has_perm("casework.reassign_case", case),
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
    if request.method == "GET":
        if not the_step.available(load_case_state(case)):
            messages.info(
                request,
                f"You cannot {the_step.title[0].lower()}{the_step.title[1:]} at this stage.",
            )
            return redirect("casework:case", pk=case.pk)
        form = the_step.form(initial=_version_initial(case), case=case)
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
            except ActionError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, message)
                return redirect("casework:case", pk=case.pk)
    _viewed(request, case, f"Opened the form: {the_step.title}")
    return render(request, "casework/step.html", {"case": case, "step": the_step, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, reassign=True)
    officers = _officer_choices(request.user)
    if request.method == "POST":
        form = ReassignForm(request.POST, officers=officers)
        if form.is_valid():
            try:
                reassign_case(
                    case,
                    officer=form.cleaned_data["officer"],
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                )
            except StaleCase as exc:
                case.refresh_from_db()
                form = _rebind_after_stale(ReassignForm, request, case, exc, officers=officers)
            except ActionError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, f"Case given to {form.cleaned_data['officer']}")
                return redirect("casework:case", pk=case.pk)
    else:
        form = ReassignForm(initial=_version_initial(case), officers=officers)
    _viewed(request, case, "Opened the form: Give the case to another officer")
    return render(request, "casework/reassign.html", {"case": case, "form": form})


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
    if request.method == "POST" and form.is_valid():
        try:
            contact_actions.record_contact(case, actor=request.user, **form.cleaned_data)
        except ActionError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, "Contact added to the log")
            return redirect(reverse("casework:case", args=[case.pk]) + "#contact-log")
    _viewed(request, case, "Opened the form: Add to the contact log")
    return render(request, "casework/contact.html", {"case": case, "form": form})


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
    sections = [(k, t, (version.sections or {}).get(k, "")) for k, t in queries.SECTIONS.items()]
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
    a = pick("from", by_number.get(b.number - 1, versions[0]))
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
    audit(request.user, "view", case, "Viewed the case's audit log", case=case)
    return render(request, "casework/audit.html", {"case": case, "page": page})
