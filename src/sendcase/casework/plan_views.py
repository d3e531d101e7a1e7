"""The plan editor: GOV.UK's task list, one task per section (A to K, H1 and H2 apart), each
section saved to the case's working copy as the officer goes. Thin: the forms edit the content,
`domain.plan_editor` saves it (locked, audited), `plans.checks` says what stops it being issued."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from sendcase.casework.access import get_case_for_user
from sendcase.casework.domain import plan_editor
from sendcase.casework.domain.errors import STALE_MESSAGE, ActionError, StaleCase
from sendcase.casework.domain.plan import (
    NO_SETTING_KINDS,
    current_placement,
    facts_for,
    in_step_with_case,
    working_copy,
)
from sendcase.casework.models import Case
from sendcase.casework.plan_forms import (
    SECTION_FORMS,
    NeedForm,
    OutcomeForm,
    ProvisionForm,
    RowForm,
    SectionForm,
)
from sendcase.core.audit import audit
from sendcase.plans import checks
from sendcase.plans.content import (
    PROVISION_SECTIONS,
    SECTION_KEYS,
    PlanContent,
    keep_needs,
    keep_outcomes,
    section_started,
)
from sendcase.plans.models import SECTIONS, Plan, PlanVersion
from sendcase.plans.queries import content_of

ROW_SECTIONS = ("B", "E", *PROVISION_SECTIONS)
STATUS_WORDS = {
    plan_editor.COMPLETED: ("Completed", ""),
    plan_editor.IN_PROGRESS: ("In progress", "govuk-tag--light-blue"),
    "": ("Not started", "govuk-tag--blue"),
}


def section_url(case: Case, key: str, anchor: str = "") -> str:
    url = reverse("casework:plan_section", args=[case.pk, key])
    return f"{url}#{anchor}" if anchor else url


def problems_for(case: Case, copy: PlanVersion, content: PlanContent) -> list[dict[str, str]]:
    """What stops the working copy being issued as what it will become, each with its link."""
    plan = Plan.objects.filter(case=case).first()
    kind = copy.kind
    facts = facts_for(case, plan, kind, timezone.localdate())
    checked = in_step_with_case(content, case, plan, kind)
    return [
        {"message": p.message, "href": section_url(case, p.section, p.anchor), "section": p.section}
        for p in checks.problems(checked, facts)
    ]


def _tasks(case: Case, copy: PlanVersion, content: PlanContent) -> list[dict[str, Any]]:
    status = copy.section_status or {}
    out = []
    for key in SECTION_KEYS:
        state = status.get(key, "")
        if not state and section_started(content, key):
            state = plan_editor.IN_PROGRESS
        words, tag = STATUS_WORDS[state]
        out.append(
            {
                "key": key,
                "title": SECTIONS[key],
                "href": section_url(case, key),
                "status": words,
                "tag": tag,
            }
        )
    return out


@login_required
@require_http_methods(["GET", "POST"])
def editor(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            plan_editor.start_working_copy(
                case, actor=request.user, expected_version=_posted_version(request)
            )
        except StaleCase:
            messages.error(request, STALE_MESSAGE)
        except ActionError as exc:
            messages.error(request, exc.message)
            return redirect("casework:case", pk=case.pk)
        return redirect("casework:plan_editor", pk=case.pk)
    copy = working_copy(case)
    context: dict[str, Any] = {"case": case, "copy": copy}
    if copy is not None:
        content = content_of(copy)
        context["tasks"] = _tasks(case, copy, content)
        context["problems"] = problems_for(case, copy, content)
        context["completed"] = sum(1 for t in context["tasks"] if t["status"] == "Completed")
    audit(request.user, "view", copy or case, "Opened the plan editor", case=case)
    return render(request, "casework/plan_editor.html", context)


def _posted_version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def _save(
    request: HttpRequest,
    case: Case,
    form: Any,
    section: str,
    content: PlanContent,
    completed: bool | None,
) -> bool:
    try:
        plan_editor.save_working_copy(
            case,
            section=section,
            content=content,
            completed=completed,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except StaleCase as exc:
        form.add_error(None, exc.message)
        return False
    except ActionError as exc:
        form.add_error(None, exc.message)
        return False
    return True


def _the_copy(request: HttpRequest, pk: int, section: str) -> tuple[Case, PlanVersion, PlanContent]:
    if section not in SECTION_KEYS:
        raise Http404("No such section")
    case = get_case_for_user(request.user, pk, write=True)
    copy = working_copy(case)
    if copy is None:
        raise Http404("No plan is being written")
    return case, copy, content_of(copy)


@login_required
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    case, copy, content = _the_copy(request, pk, key)
    form_class = SECTION_FORMS.get(key, SectionForm)
    state = (copy.section_status or {}).get(key, "")
    initial = {
        **form_class.initial_for(content),
        "version": case.version,
        "completed": {"completed": "yes", "in_progress": "no"}.get(state, ""),
    }
    if request.method == "POST":
        form = form_class(request.POST, content=content)
        if form.is_valid() and _save(
            request, case, form, key, form.apply(content), form.is_completed()
        ):
            messages.success(request, f"Section {key} saved")
            return redirect("casework:plan_editor", pk=case.pk)
    else:
        form = form_class(initial=initial, content=content)
    audit(request.user, "view", copy, f"Opened plan section {key}", case=case)
    codes = [n.code for n in content.needs]

    def linked(needs: list[int]) -> str:
        return ", ".join(codes[n] for n in needs if 0 <= n < len(codes))

    rows: list[tuple[int, Any, str]] = []
    if key == "B":
        rows = [(i, n, "") for i, n in enumerate(content.needs)]
    elif key == "E":
        rows = [(i, o, linked(o.needs)) for i, o in enumerate(content.outcomes)]
    elif key in PROVISION_SECTIONS:
        rows = [
            (i, p, linked(p.needs)) for i, p in enumerate(content.provision) if p.section == key
        ]
    return render(
        request,
        "casework/plan_section.html",
        {
            "case": case,
            "copy": copy,
            "key": key,
            "title": SECTIONS[key],
            "form": form,
            "rows": rows,
            "row_section": key in ROW_SECTIONS,
            "content": content,
            "draft": copy.kind in NO_SETTING_KINDS,
            "placement": (
                current_placement(Plan.objects.filter(case=case).first())
                if key == "I" and copy.kind not in NO_SETTING_KINDS
                else None
            ),
        },
        status=400 if form.errors else 200,
    )


def _row_form(key: str) -> Any:
    if key == "B":
        return NeedForm
    if key == "E":
        return OutcomeForm
    if key in PROVISION_SECTIONS:
        return ProvisionForm
    raise Http404("This section has no rows")


def _row_count(content: PlanContent, key: str) -> int:
    return len(
        content.needs if key == "B" else content.outcomes if key == "E" else content.provision
    )


@login_required
@require_http_methods(["GET", "POST"])
def row(request: HttpRequest, pk: int, key: str, index: int | None = None) -> HttpResponse:
    case, copy, content = _the_copy(request, pk, key)
    form_class = _row_form(key)
    if index is not None and not (0 <= index < _row_count(content, key)):
        raise Http404("No such row")
    if index is not None and key in PROVISION_SECTIONS and content.provision[index].section != key:
        raise Http404("No such row")
    extra = {"section": key} if key in PROVISION_SECTIONS else {}
    if request.method == "POST":
        form: RowForm = form_class(request.POST, content=content, **extra)
        if form.is_valid() and _save(
            request,
            case,
            form,
            key,
            form.put(content, index),
            None,
        ):
            messages.success(request, f"Section {key} saved")
            return redirect("casework:plan_section", pk=case.pk, key=key)
    else:
        initial = form_class.initial_row(content, index) if index is not None else {}
        form = form_class(initial={**initial, "version": case.version}, content=content, **extra)
    audit(request.user, "view", copy, f"Opened a row of plan section {key}", case=case)
    return render(
        request,
        "casework/plan_row.html",
        {"case": case, "key": key, "title": SECTIONS[key], "form": form, "index": index},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def row_remove(request: HttpRequest, pk: int, key: str, index: int) -> HttpResponse:
    case, copy, content = _the_copy(request, pk, key)
    _row_form(key)
    if not (0 <= index < _row_count(content, key)):
        raise Http404("No such row")
    if key == "B":
        content = keep_needs(content, [i for i in range(len(content.needs)) if i != index])
    elif key == "E":
        content = keep_outcomes(content, [i for i in range(len(content.outcomes)) if i != index])
    else:
        content = replace(
            content, provision=[p for i, p in enumerate(content.provision) if i != index]
        )
    try:
        plan_editor.save_working_copy(
            case,
            section=key,
            content=content,
            completed=None,
            actor=request.user,
            expected_version=_posted_version(request),
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Row removed from section {key}")
    return redirect("casework:plan_section", pk=case.pk, key=key)
