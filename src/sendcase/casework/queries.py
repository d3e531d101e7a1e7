"""Reading casework: the work queue, caseloads, the case record, its timeline and plan diffs.

Everything here reads stored rows (Case.next_due, Case.overdue_count, Deadline) with a fixed
number of queries per page: nothing calls the clock per row.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from sendcase import statutory
from sendcase.accounts.models import User
from sendcase.accounts.roles import CASEWORKERS
from sendcase.casework.access import cases_for_user
from sendcase.casework.models import (
    OPEN_STAGES,
    AdviceRequest,
    Case,
    CaseTask,
    ContactLogEntry,
    Stage,
)
from sendcase.core.actors import RequestUser
from sendcase.core.codes import AdviceKind, CeaseReason, NeedType
from sendcase.core.models import AuditEntry, LocalTargetSetting
from sendcase.placements.models import Placement
from sendcase.plans import checks
from sendcase.plans.content import PlanContent, section_rows
from sendcase.plans.models import SECTIONS, PlanVersion
from sendcase.plans.queries import content_of
from sendcase.statutory.dates import format_date

PAGE_SIZE = 50
DEFAULT_WARNING_DAYS = 14

# Caseload bands for one officer's open cases (the service's own guide figures).
CASELOAD_TYPICAL = (200, 270)
CASELOAD_UNMANAGEABLE = 500

STATUS_TAGS = {
    "overdue": ("Overdue", "govuk-tag--red"),
    "due_soon": ("Due soon", "govuk-tag--yellow"),
    "open": ("Open", "govuk-tag--blue"),
    "met": ("Met", "govuk-tag--green"),
    "missed": ("Missed", "govuk-tag--orange"),
    "exception": ("Exception", "govuk-tag--grey"),
    "not_applicable": ("Not needed", "govuk-tag--grey"),
}


def deadline_title(key: str) -> str:
    rule = statutory.DEADLINE_RULES.get(key)
    return rule.title if rule is not None else key.replace("_", " ").capitalize()


def warning_days() -> int:
    row = LocalTargetSetting.objects.filter(key="warning_window").first()
    if row is not None and row.warning_days is not None:
        return row.warning_days
    return DEFAULT_WARNING_DAYS


# --- The work queue -----------------------------------------------------------------------


# Open: at an open stage, or with a live appeal (a case closed by a decision stays on the queue
# while the family disputes it, so its mediation and tribunal deadlines are seen).
OPEN_Q = Q(stage__in=OPEN_STAGES) | Q(disputed=True)


@dataclass
class QueueFilters:
    stage: str = "open"  # "open", "closed", "all" or a Stage value
    key: str = ""
    setting: str = ""
    need: str = ""
    officer: str = ""  # "", "me", "none" or a user id


def filtered_cases(user: RequestUser, filters: QueueFilters) -> QuerySet[Case]:
    qs = cases_for_user(user)
    if filters.stage == "open":
        qs = qs.filter(OPEN_Q)
    elif filters.stage == "closed":
        qs = qs.exclude(OPEN_Q)
    elif filters.stage in Stage.values:
        qs = qs.filter(stage=filters.stage)
    if filters.key:
        qs = qs.filter(next_key=filters.key)
    if filters.need:
        qs = qs.filter(plan__primary_need=filters.need)
    if filters.setting:
        qs = qs.filter(
            Exists(
                Placement.objects.filter(
                    plan__case=OuterRef("pk"), leaving_date=None, setting_type=filters.setting
                )
            )
        )
    if filters.officer == "me":
        qs = qs.filter(officer_id=user.pk)
    elif filters.officer == "none":
        qs = qs.filter(officer__isnull=True)
    elif filters.officer.isdigit():
        qs = qs.filter(officer_id=int(filters.officer))
    return qs


@dataclass(frozen=True)
class Cursor:
    """A keyset position in the queue order (next_due ascending, nulls last, then id)."""

    due: dt.date | None
    pk: int

    def encode(self) -> str:
        return f"{self.due.isoformat() if self.due else 'none'}.{self.pk}"

    @classmethod
    def decode(cls, raw: str | None) -> Cursor | None:
        if not raw or "." not in raw:
            return None
        due_s, _, pk_s = raw.partition(".")
        if not pk_s.isdigit():
            return None
        try:
            due = None if due_s == "none" else dt.date.fromisoformat(due_s)
        except ValueError:
            return None
        return cls(due, int(pk_s))


def _after(c: Cursor) -> Q:
    if c.due is None:
        return Q(next_due__isnull=True, pk__gt=c.pk)
    return Q(next_due__gt=c.due) | Q(next_due=c.due, pk__gt=c.pk) | Q(next_due__isnull=True)


def _before(c: Cursor) -> Q:
    if c.due is None:
        return Q(next_due__isnull=False) | Q(next_due__isnull=True, pk__lt=c.pk)
    return Q(next_due__lt=c.due) | Q(next_due=c.due, pk__lt=c.pk)


@dataclass
class QueueRow:
    case: Case
    status: str
    days: int | None

    @property
    def tag(self) -> tuple[str, str]:
        if self.status == "open":
            return "On track", "govuk-tag--blue"
        return STATUS_TAGS.get(self.status, ("Nothing due", "govuk-tag--grey"))

    @property
    def key_title(self) -> str:
        return deadline_title(self.case.next_key) if self.case.next_key else ""

    @property
    def days_text(self) -> str:
        if self.days is None:
            return ""
        if self.days == 0:
            return "Due today"
        if self.days < 0:
            n = -self.days
            return f"{n} day{'s' if n != 1 else ''} overdue"
        return f"{self.days} day{'s' if self.days != 1 else ''} left"


@dataclass
class QueuePage:
    rows: list[QueueRow]
    next_cursor: str | None
    prev_cursor: str | None
    first: bool


def row_status(next_due: dt.date | None, today: dt.date, warn: int) -> tuple[str, int | None]:
    if next_due is None:
        return "none", None
    days = (next_due - today).days
    if days < 0:
        return "overdue", days
    if days <= warn:
        return "due_soon", days
    return "open", days


def queue_page(
    qs: QuerySet[Case],
    *,
    today: dt.date,
    warn: int,
    after: Cursor | None = None,
    before: Cursor | None = None,
    size: int = PAGE_SIZE,
) -> QueuePage:
    """One page of the queue, ranked by statutory risk: overdue first (the earliest due
    dates), then due soonest; cases with nothing due come last. Keyset-paginated on the
    indexed (next_due, id) so page 400 costs what page 1 costs."""
    base = with_tasks(qs.select_related("child", "officer", "plan"), today)
    forward = F("next_due").asc(nulls_last=True), "pk"
    backward = F("next_due").desc(nulls_first=True), "-pk"
    if before is not None:
        got = list(base.filter(_before(before)).order_by(*backward)[: size + 1])
        more_before = len(got) > size
        cases = list(reversed(got[:size]))
        more_after = True
    else:
        if after is not None:
            base = base.filter(_after(after))
        got = list(base.order_by(*forward)[: size + 1])
        more_after = len(got) > size
        cases = got[:size]
        more_before = after is not None
    rows = [QueueRow(c, *row_status(c.next_due, today, warn)) for c in cases]
    return QueuePage(
        rows=rows,
        next_cursor=Cursor(cases[-1].next_due, cases[-1].pk).encode()
        if cases and more_after
        else None,
        prev_cursor=Cursor(cases[0].next_due, cases[0].pk).encode()
        if cases and more_before
        else None,
        first=not more_before,
    )


def with_tasks(qs: QuerySet[Case], today: dt.date) -> QuerySet[Case]:
    """Each case with its next open task (title and due date) and its open tasks already overdue:
    three indexed subqueries per row of a page, not a query per row."""
    open_tasks = CaseTask.objects.filter(case=OuterRef("pk"), done_on=None).order_by("due_on", "pk")
    overdue = (
        CaseTask.objects.filter(case=OuterRef("pk"), done_on=None, due_on__lt=today)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        next_task=Subquery(open_tasks.values("title")[:1]),
        next_task_due=Subquery(open_tasks.values("due_on")[:1]),
        overdue_tasks=Coalesce(Subquery(overdue, output_field=IntegerField()), 0),
    )


def queue_counts(qs: QuerySet[Case], *, today: dt.date, warn: int) -> dict[str, int]:
    """Cases by deadline status (from the stored next due date), in one query; and the open tasks
    on those cases already overdue, in one more."""
    soon = today + dt.timedelta(days=warn)
    counts: dict[str, int] = qs.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(next_due__lt=today)),
        due_soon=Count("pk", filter=Q(next_due__gte=today, next_due__lte=soon)),
        on_track=Count("pk", filter=Q(next_due__gt=soon)),
        nothing_due=Count("pk", filter=Q(next_due__isnull=True)),
    )
    counts["overdue_tasks"] = CaseTask.objects.filter(
        case__in=qs.values("pk"), done_on=None, due_on__lt=today
    ).count()
    return counts


def stage_counts(user: RequestUser) -> dict[str, int]:
    rows = cases_for_user(user).values("stage").annotate(n=Count("pk")).order_by()
    return {r["stage"]: r["n"] for r in rows}


def officers_in_scope(user: RequestUser) -> QuerySet[User]:
    """The officers whose cases this person may see (for the officer filter)."""
    qs = User.objects.filter(role__in=CASEWORKERS, is_active=True)
    if isinstance(user, User) and user.role in CASEWORKERS:
        if user.team_id is None:
            return qs.filter(pk=user.pk)
        return qs.filter(team_id=user.team_id)
    return qs


# --- Caseloads ----------------------------------------------------------------------------


@dataclass
class Caseload:
    officer: User
    open_cases: int
    overdue: int

    @property
    def band(self) -> tuple[str, str]:
        low, high = CASELOAD_TYPICAL
        if self.open_cases >= CASELOAD_UNMANAGEABLE:
            return "Unmanageable", "govuk-tag--red"
        if self.open_cases > high:
            return "Above typical", "govuk-tag--orange"
        if self.open_cases >= low:
            return "Typical", "govuk-tag--green"
        return "Below typical", "govuk-tag--blue"

    @property
    def percent_of_limit(self) -> int:
        return min(100, round(100 * self.open_cases / CASELOAD_UNMANAGEABLE))


def caseloads(user: RequestUser, *, today: dt.date) -> list[Caseload]:
    """The open caseload and overdue cases of each officer who holds an open case this person may
    see (a manager's team; everyone for the head of service). Only people holding cases are
    counted: no rows of zeros for staff who never hold one. Two queries."""
    held = (
        cases_for_user(user)
        .filter(OPEN_Q, officer__isnull=False)
        .values("officer_id")
        .annotate(open_cases=Count("pk"), overdue=Count("pk", filter=Q(next_due__lt=today)))
        .order_by()
    )
    counts = {r["officer_id"]: r for r in held}
    officers = User.objects.filter(pk__in=list(counts)).select_related("team")
    officers = officers.order_by("team__name", "last_name", "first_name")
    return [Caseload(o, counts[o.pk]["open_cases"], counts[o.pk]["overdue"]) for o in officers]


# --- The case record ------------------------------------------------------------------------


@dataclass
class TimelineItem:
    at: dt.datetime
    date: dt.date | None
    title: str
    who: str
    detail: str = ""
    kind: str = "event"
    # A statutory step: its row, whether it still stands, what replaced it, and whether the
    # person looking may correct or strike it out.
    event_id: int | None = None
    note: str = ""
    replaced: bool = False
    can_correct: bool = False
    can_strike: bool = False


EVENT_TITLES = {
    "request_received": "Request for an EHC needs assessment received",
    "decision_to_assess": "Decision whether to assess",
    "advice_requested": "Advice requested",
    "advice_received": "Advice received",
    "exception": "Exception to the time limits",
    "decision_not_to_issue": "Decision not to issue a plan notified",
    "draft_issued": "Draft plan issued",
    "final_issued": "Final plan issued",
    "review_meeting": "Annual review meeting held",
    "review_decision": "Review decision sent",
    "amendment_notice": "Proposed amendments sent",
    "final_amended_plan": "Final amended plan issued",
    "phase_transfer": "Phase transfer noted",
    "phase_transfer_named": "New setting named for the phase transfer",
    "plan_ceased": "Plan ceased",
    "transfer_in": "Plan transferred in",
    "transfer_out_learned": "Told of a move to another council",
    "plan_transferred_out": "Plan transferred to another council",
    "decision_notice": "Decision letter with appeal rights sent",
    "mediation_requested": "Family asked for mediation",
    "mediation_declined": "Family declined mediation",
    "mediation_held": "Mediation held",
    "mediation_certificate": "Mediation certificate issued",
    "appeal_lodged": "Appeal registered with the tribunal",
    "tribunal_order": "Tribunal order",
    "tribunal_order_complied": "Tribunal order complied with",
    "unopposed_appeal": "Appeal conceded by the council",
    "unopposed_appeal_complied": "Conceded appeal complied with",
}


# Codes in an event's data, in words (anything not listed is shown as recorded; an advice id
# is read as the advice it names, see advice_words).
_DETAIL_WORDS: dict[str, dict[str, str]] = {
    "outcome": {
        "assess": "assess",
        "not_assess": "not to assess",
        "maintain": "maintain the plan",
        "amend": "amend the plan",
        "cease": "cease the plan",
    },
    "kind": {
        "assess": "carry out an assessment",
        "make_plan": "make a plan",
        "amend": "amend the plan",
        "setting": "change the school or college named",
        "continue": "continue the plan",
        "school": "school",
        "post16": "post-16",
        "post16_move": "post-16 move",
        "educational_psychology": "educational psychology",
        "social_care": "social care",
    },
    "stage": {
        "notify": "notify the decision to assess",
        "decision_not_to_issue": "decision not to issue",
        "final_plan": "final plan",
        "draft": "draft plan",
        "final": "final plan",
        "amended_plan": "amended plan",
    },
}


ADVICE_ID = re.compile(r"^(?P<kind>[a-z_]+)-(?P<number>\d+)$")


def advice_words(advice_id: str, advice: dict[str, AdviceRequest] | None = None) -> str:
    """An advice id ("educational_psychology-1", the clock's name for one request for advice) as
    the advice it names: "educational psychology advice from Hereford EP service". Never the id."""
    request = (advice or {}).get(advice_id)
    if request is not None:
        return f"{request.get_kind_display().lower()} advice from {request.provider}"
    m = ADVICE_ID.match(advice_id)
    kind = dict(AdviceKind.choices).get(m["kind"]) if m else None
    return f"{str(kind).lower()} advice" if kind else "advice"


def instance_words(instance: str, advice: dict[str, AdviceRequest] | None = None) -> str:
    """A deadline's instance as words for a screen reader: "2026-09-26/notify" reads
    "26 September 2026, notify the decision to assess"; an advice id reads as the advice."""
    parts = []
    for part in instance.split("/") if instance else []:
        try:
            d = dt.date.fromisoformat(part)
        except ValueError:
            if part in (advice or {}) or ADVICE_ID.match(part):
                parts.append(advice_words(part, advice))
            else:
                parts.append(_DETAIL_WORDS["stage"].get(part, part))
        else:
            parts.append(format_date(d))
    return ", ".join(parts)


def event_detail(data: dict[str, Any], advice: dict[str, AdviceRequest] | None = None) -> str:
    parts = []
    for k, v in data.items():
        if k == "advice_id" and isinstance(v, str):
            parts.append(f"advice: {advice_words(v, advice)}")
            continue
        if k == "kind" and "advice_id" in data:
            continue  # the advice's words above say its kind
        if k == "reason" and isinstance(v, int | str) and str(v).isdigit():
            v = _cease_reason(int(v))
        elif isinstance(v, str):
            v = _DETAIL_WORDS.get(k, {}).get(v, v)
        parts.append(f"{k.replace('_', ' ')}: {v}")
    return "; ".join(parts)


def _cease_reason(code: int) -> str:
    try:
        return str(CeaseReason(code).label)
    except ValueError:
        return str(code)


# Changes recorded in the audit log that are not statutory events (those are listed from
# StatutoryEvent, with the date they happened, so their audit entries would repeat them).
NON_STATUTORY_TYPES = frozenset(
    {"casework.contactlogentry", "placements.placement", "casework.child", "casework.familycontact"}
)


def _outside_the_clock(entry: AuditEntry) -> bool:
    if entry.object_type in NON_STATUTORY_TYPES:
        return True
    return entry.object_type == "casework.case" and "before" in (entry.payload or {})


def timeline(
    case: Case,
    events: list[Any],
    entries: list[AuditEntry],
    advice: dict[str, AdviceRequest] | None = None,
    may_change: Callable[[Any, str], bool] | None = None,
) -> list[TimelineItem]:
    """Every statutory event (dated, with who recorded it and when) and every change in the audit
    log that is not itself a statutory event (reassignments, contacts, placements), newest first.

    `events` may be the whole log (`StatutoryEvent.log`): a step that was corrected or struck out
    is shown with what replaced it and why; strike-out rows are not shown on their own.
    `may_change(event)` says whether the person may correct or strike out a step that stands."""
    replacing = {e.corrects_id: e for e in events if getattr(e, "corrects_id", None)}
    items = []
    for e in events:
        if getattr(e, "struck_out", False):
            continue
        later = replacing.get(e.pk)
        note = ""
        if later is not None:
            by = later.recorded_by or "the system"
            when = f"{timezone.localtime(later.recorded_at):%H:%M} on {format_date(timezone.localtime(later.recorded_at).date())}"
            if later.struck_out:
                note = f"Struck out by {by} at {when}. Why: {later.reason}"
            else:
                note = (
                    f"Corrected by {by} at {when} to {format_date(later.date)}. Why: {later.reason}"
                )
        elif getattr(e, "corrects_id", None):
            note = f"A correction. Why: {e.reason}"
        stands = later is None
        items.append(
            TimelineItem(
                at=e.recorded_at,
                date=e.date,
                title=EVENT_TITLES.get(e.type, e.type.replace("_", " ").capitalize()),
                who=str(e.recorded_by) if e.recorded_by else "an import",
                detail=event_detail(e.data, advice),
                event_id=e.pk,
                note=note,
                replaced=not stands,
                can_correct=stands and may_change is not None and may_change(e, "correct"),
                can_strike=stands and may_change is not None and may_change(e, "strike"),
            )
        )
    for a in entries:
        if a.action == AuditEntry.Action.VIEW or not _outside_the_clock(a):
            continue
        items.append(
            TimelineItem(
                at=a.at,
                date=None,
                title=a.summary,
                who=str(a.actor) if a.actor else "the system",
                kind="change",
            )
        )
    items.sort(key=lambda i: (i.date or i.at.date(), i.at), reverse=True)
    return items


@functools.cache
def record_words(object_type: str) -> str:
    """What an audit entry was about, in words ("casework.advicerequest" reads "Advice request"),
    never a model label or a database id."""
    if not object_type:
        return ""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return "Other record"
    name = str(model._meta.verbose_name)
    return name[0].upper() + name[1:]


def contact_log(case: Case) -> QuerySet[ContactLogEntry]:
    return case.contact_log.select_related("recorded_by").order_by("-at")


# --- Plan versions and the section-by-section diff ---------------------------------------------


@dataclass
class SectionChange:
    key: str
    title: str
    status: str  # unchanged, changed, added, removed
    before: str
    after: str
    diff_html: SafeString = field(default_factory=lambda: mark_safe(""))  # noqa: S308


def _word_diff(a: str, b: str) -> SafeString:
    aw, bw = a.split(), b.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=aw, b=bw, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(html.escape(" ".join(aw[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(
                f'<del class="app-diff-del"><span class="govuk-visually-hidden">removed: </span>{html.escape(" ".join(aw[i1:i2]))}</del>'
            )
        if op in ("insert", "replace"):
            out.append(
                f'<ins class="app-diff-ins"><span class="govuk-visually-hidden">added: </span>{html.escape(" ".join(bw[j1:j2]))}</ins>'
            )
    return mark_safe(" ".join(out))  # noqa: S308 - every piece of text is escaped above


def _row_diff(before: list[str], after: list[str]) -> SafeString:
    """Row by row: rows added, removed, and changed (word by word); unchanged rows left out."""
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(
        a=before, b=after, autojunk=False
    ).get_opcodes():
        if op == "equal":
            continue
        pairs = list(zip(before[i1:i2], after[j1:j2], strict=False)) if op == "replace" else []
        for a, b in pairs:
            out.append(f'<li class="app-diff-row" data-row="changed">{_word_diff(a, b)}</li>')
        for a in before[i1 + len(pairs) : i2]:
            out.append(
                f'<li class="app-diff-row" data-row="removed"><del class="app-diff-del"><span class="govuk-visually-hidden">removed: </span>{html.escape(a)}</del></li>'
            )
        for b in after[j1 + len(pairs) : j2]:
            out.append(
                f'<li class="app-diff-row" data-row="added"><ins class="app-diff-ins"><span class="govuk-visually-hidden">added: </span>{html.escape(b)}</ins></li>'
            )
    return mark_safe(f'<ul class="govuk-list">{"".join(out)}</ul>')  # noqa: S308 - escaped above


def plan_diff(a: PlanVersion, b: PlanVersion) -> list[SectionChange]:
    """What changed from version a to version b, section by section (A to K, H1 and H2), and
    within a section row by row (needs, outcomes, provision, advice)."""
    labels = dict(NeedType.choices)
    rows_a = section_rows(content_of(a), labels)
    rows_b = section_rows(content_of(b), labels)
    changes = []
    for key, title in SECTIONS.items():
        before, after = rows_a[key], rows_b[key]
        if before == after:
            status = "unchanged"
        elif not before:
            status = "added"
        elif not after:
            status = "removed"
        else:
            status = "changed"
        changes.append(
            SectionChange(
                key, title, status, "\n".join(before), "\n".join(after), _row_diff(before, after)
            )
        )
    return changes


def need_changes(a: PlanVersion, b: PlanVersion) -> tuple[list[str], list[str]]:
    before = [f"{n.rank}. {n.get_code_display()}" for n in a.needs.all()]
    after = [f"{n.rank}. {n.get_code_display()}" for n in b.needs.all()]
    return before, after


@dataclass(frozen=True)
class OutOfStep:
    """Section I of the plan in force names another setting than the child's current placement."""

    version: int
    named: str
    placed: str


def section_i_out_of_step(
    versions: list[PlanVersion], placements: list[Placement]
) -> OutOfStep | None:
    """Whether section I of the plan in force (its latest final or final amended version) names
    another setting than the child's current main placement: the issued version is a record
    and is not rewritten when the child moves, so the case page says so, and the next amended
    plan takes the current placement (casework.domain.plan.in_step_with_case). None when the
    version names no setting (an import) or no placement is current. `versions` and
    `placements` as the case page loads them (settings selected with them)."""
    in_force = [v for v in versions if v.kind in (PlanVersion.Kind.FINAL, PlanVersion.Kind.AMENDED)]
    current = [p for p in placements if p.rank == 1 and p.leaving_date is None]
    if not in_force or not current:
        return None
    version = max(in_force, key=lambda v: v.number or 0)
    if version.setting_id is None and not version.setting_type:
        return None
    placement = max(current, key=lambda p: (p.entry_date, p.pk))
    placed = str(placement.setting) if placement.setting_id else placement.get_sen_setting_display()
    named = checks.Placement(placement.setting_id, placed, placement.setting_type)
    content = PlanContent(setting_id=version.setting_id, setting_type=version.setting_type)
    if checks.same_setting(content, named):
        return None
    return OutOfStep(
        version.number or 0,
        str(version.setting)
        if version.setting_id
        else f"only a type of setting ({version.get_setting_type_display()})",
        placed,
    )
