"""The deep-dive chronology: everything that happened for a child, in date order, each
statutory step marked on time or late against its stored deadline, and the current plan.

A handful of queries per child whatever the size of the council (one per kind of record).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from sendcase.casework.models import Case, Child, ContactLogEntry, Deadline, StatutoryEvent
from sendcase.casework.queries import EVENT_TITLES, deadline_title, event_detail
from sendcase.information.models import Complaint
from sendcase.placements.models import Placement
from sendcase.plans.models import SECTIONS, Plan, PlanVersion

VERDICTS = {
    "met": ("On time", "govuk-tag--green"),
    "missed": ("Late", "govuk-tag--red"),
    "overdue": ("Late: not done yet", "govuk-tag--red"),
    "open": ("Not due yet", "govuk-tag--blue"),
    "due_soon": ("Not due yet", "govuk-tag--blue"),
    "exception": ("Exception to the time limit", "govuk-tag--grey"),
    "not_applicable": ("Not needed", "govuk-tag--grey"),
}


@dataclass(frozen=True)
class Entry:
    date: dt.date
    kind: str
    title: str
    detail: str
    case: str


@dataclass(frozen=True)
class Step:
    title: str
    case: str
    trigger: dt.date
    due: dt.date | None
    completed_on: dt.date | None
    status: str
    explanation: str

    @property
    def verdict(self) -> tuple[str, str]:
        return VERDICTS.get(self.status, (self.status, "govuk-tag--grey"))


@dataclass
class Chronology:
    child: Child
    cases: list[Case]
    entries: list[Entry]
    steps: list[Step]
    plan: Plan | None = None
    version: PlanVersion | None = None
    sections: list[tuple[str, str, str]] = field(default_factory=list)
    made: dt.datetime = field(default_factory=timezone.now)

    @property
    def late(self) -> int:
        return sum(1 for s in self.steps if s.status in ("missed", "overdue"))


def build(child: Child) -> Chronology:
    cases = list(Case.objects.filter(child=child).order_by("opened_on", "pk"))
    ref = {c.pk: c.reference for c in cases}
    entries: list[Entry] = []
    for e in StatutoryEvent.objects.filter(case__in=cases).order_by("date", "pk"):
        title = EVENT_TITLES.get(e.type, e.type.replace("_", " ").capitalize())
        entries.append(Entry(e.date, "Statutory step", title, event_detail(e.data), ref[e.case_id]))
    versions = list(
        PlanVersion.objects.filter(plan__case__in=cases, issued_on__isnull=False)
        .select_related("plan")
        .order_by("issued_on", "number")
    )
    for v in versions:
        if v.plan is None or v.issued_on is None:  # a plan still being written: not yet history
            continue
        entries.append(
            Entry(
                v.issued_on,
                "Plan",
                f"{v.get_kind_display()} (version {v.number})",
                "",
                ref[v.plan.case_id],
            )
        )
    for p in Placement.objects.filter(plan__case__in=cases).select_related("setting", "plan"):
        where = (
            str(p.setting) if p.setting else (p.sen_setting_other or p.get_sen_setting_display())
        )
        entries.append(Entry(p.entry_date, "Placement", f"Started at {where}", p.get_setting_type_display(), ref[p.plan.case_id]))  # fmt: skip
        if p.leaving_date:
            entries.append(
                Entry(p.leaving_date, "Placement", f"Left {where}", "", ref[p.plan.case_id])
            )
    for c in ContactLogEntry.objects.filter(case__in=cases).order_by("at", "pk"):
        when = timezone.localtime(c.at).date()
        title = f"{c.get_channel_display()} {c.get_direction_display().lower()}: {c.party}"
        entries.append(Entry(when, "Contact", title, c.summary, ref[c.case_id]))
    for k in Complaint.objects.filter(case__in=cases):
        entries.append(Entry(k.received_on, "Complaint", f"Complaint {k.reference} received", k.summary, ref[k.case_id]))  # fmt: skip
        if k.escalated_on:
            entries.append(Entry(k.escalated_on, "Complaint", f"Complaint {k.reference} escalated to stage 2", "", ref[k.case_id]))  # fmt: skip
        if k.ombudsman_referred_on:
            entries.append(Entry(k.ombudsman_referred_on, "Complaint", f"Complaint {k.reference} referred to the Ombudsman", "", ref[k.case_id]))  # fmt: skip
    entries.sort(key=lambda e: e.date)
    steps = [
        Step(
            deadline_title(d.key),
            ref[d.case_id],
            d.trigger,
            d.due,
            d.completed_on,
            d.status,
            d.explanation,
        )
        for d in Deadline.objects.filter(case__in=cases).order_by("due", "key", "pk")
    ]
    out = Chronology(child, cases, entries, steps)
    current = [v for v in versions if v.kind != PlanVersion.Kind.PROPOSED_AMENDMENT]
    if current:
        out.version = current[-1]
        out.plan = out.version.plan
        text = out.version.sections or {}
        out.sections = [(k, t, text.get(k, "")) for k, t in SECTIONS.items() if text.get(k)]
    return out
