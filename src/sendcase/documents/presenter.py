"""The plan as a document: one presenter that reads a plan version (its sections, needs,
outcomes and provision, the placement for section I and the advice for section K) into plain
data that the PDF, the DOCX and the letters all render. A new field on a row is one more
(label, value) pair in `_need_fields`, `_outcome_fields` or `_provision_fields`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from sendcase.plans.models import SECTIONS, Outcome, Plan, PlanVersion, Provision
from sendcase.statutory.dates import format_date

# Section I of a draft is empty by law: it must not name a school or institution, nor its type.
DRAFT_SECTION_I = (
    "No school or other institution is named in a draft plan (Children and Families Act 2014, "
    "section 38(5)). You may ask for a particular school or institution to be named."
)


@dataclass
class Item:
    """A row in a section (a need, an outcome, a piece of provision): a heading and its fields."""

    heading: str
    fields: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.paragraphs and not self.items


@dataclass
class PlanDocument:
    title: str
    council: str
    child_name: str
    date_of_birth: str
    reference: str
    kind: str
    kind_label: str
    number: int
    issued_on: str
    sections: list[Section]

    @property
    def filename(self) -> str:
        return f"{self.reference}-{self.kind.replace('_', '-')}-v{self.number}"


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


def _need_fields(need: Any) -> list[tuple[str, str]]:
    return [("Description", need.description)] if need.description else []


def _outcome_fields(outcome: Outcome, need_labels: dict[int, str]) -> list[tuple[str, str]]:
    fields = []
    if outcome.by_when:
        fields.append(("By when", outcome.by_when))
    if getattr(outcome, "steps", ""):
        fields.append(("Steps towards it", outcome.steps))
    if getattr(outcome, "preparing_for_adulthood", False):
        fields.append(("Preparing for adulthood", "Yes"))
    served = [need_labels[n.pk] for n in outcome.needs.all() if n.pk in need_labels]
    if served:
        fields.append(("Needs it addresses", "; ".join(served)))
    return fields


def _provision_fields(
    p: Provision, need_labels: dict[int, str], outcome_labels: dict[int, str]
) -> list[tuple[str, str]]:
    fields = [
        ("How often", p.frequency),
        ("For how long", getattr(p, "duration", "")),
        ("Group size", getattr(p, "group_size", "")),
        ("Who provides it", p.provider),
        ("Their role and expertise", getattr(p, "staff_role", "")),
        ("Annual cost", f"£{p.annual_cost:,.2f}" if p.annual_cost is not None else ""),
        (
            "Needs it meets",
            "; ".join(need_labels[n.pk] for n in p.needs.all() if n.pk in need_labels),
        ),
        (
            "Outcomes it serves",
            "; ".join(outcome_labels[o.pk] for o in p.outcomes.all() if o.pk in outcome_labels),
        ),
    ]
    return [(label, value) for label, value in fields if value]


def _plan(version: PlanVersion) -> Plan:
    """The plan an issued version belongs to (a plan still being written has no document)."""
    if version.plan is None:
        raise ValueError("A plan still being written has no document: issue it first")
    return version.plan


def _setting_words(version: PlanVersion) -> str:
    """Section I of a final plan: the setting the plan names from the register (its name and
    type), or the type of setting only; else the current placement's setting, or else what the
    plan's own text says."""
    named = getattr(version, "setting", None)
    if named is not None:
        return f"{named.name} ({named.get_kind_display()})"
    if getattr(version, "setting_type", ""):
        return f"A setting of this type: {version.get_setting_type_display()}"
    placements = sorted(
        _plan(version).placements.select_related("setting").filter(leaving_date__isnull=True),
        key=lambda p: (p.rank, -p.entry_date.toordinal()),
    )
    if placements:
        p = placements[0]
        if p.setting is not None:
            return f"{p.setting.name} ({p.setting.get_kind_display()})"
        return p.get_sen_setting_display() + (
            f": {p.sen_setting_other}" if p.sen_setting_other else ""
        )
    placement: str = (version.sections or {}).get("I", "")
    return placement.strip()


def _advice_rows(version: PlanVersion) -> list[Item]:
    case = _plan(version).case
    return [
        Item(
            a.get_kind_display(),
            [
                ("From", a.provider),
                ("Received", format_date(a.received_on) if a.received_on else ""),
            ],
        )
        for a in case.advice_requests.filter(received_on__isnull=False).order_by("received_on")
    ]


def plan_document(version: PlanVersion, *, today: dt.date | None = None) -> PlanDocument:
    """The version as a document, section by section, A to K with H1 and H2 apart."""
    plan = _plan(version)
    if version.number is None or version.issued_on is None:
        raise ValueError("A plan still being written has no document: issue it first")
    case = plan.case
    child = case.child
    text = version.sections or {}
    needs = list(version.needs.all())
    need_labels = {n.pk: f"{n.get_code_display()}" for n in needs}
    outcomes = list(version.outcomes.prefetch_related("needs").order_by("pk"))
    outcome_labels = {o.pk: f"Outcome {i}" for i, o in enumerate(outcomes, start=1)}
    provision = list(version.provision.prefetch_related("needs", "outcomes").order_by("pk"))
    sections: list[Section] = []
    for key, title in SECTIONS.items():
        s = Section(key, title)
        if key == "I":
            if version.kind == PlanVersion.Kind.DRAFT:
                s.paragraphs = [DRAFT_SECTION_I]
            else:
                s.paragraphs = _paragraphs(_setting_words(version))
            sections.append(s)
            continue
        s.paragraphs = _paragraphs(text.get(key, ""))
        if key == "A":
            # The child's or young person's own words, kept apart from their parents'.
            own = _paragraphs(getattr(version, "child_views", ""))
            parents = _paragraphs(getattr(version, "parent_views", ""))
            s.items = [
                Item(who, [("In their words", "\n\n".join(words))])
                for who, words in (
                    ("The child or young person", own),
                    ("Their parents or carers", parents),
                )
                if words
            ]
        elif key == "B":
            s.items = [
                Item(
                    ("Primary need: " if n.rank == 1 else "")
                    + f"{n.get_code_display()} ({n.code})",
                    _need_fields(n),
                )
                for n in needs
            ]
        elif key == "E":
            s.items = [
                Item(f"{outcome_labels[o.pk]}: {o.text}", _outcome_fields(o, need_labels))
                for o in outcomes
            ]
        elif key in ("F", "G", "H1", "H2"):
            s.items = [
                Item(p.description, _provision_fields(p, need_labels, outcome_labels))
                for p in provision
                if p.section == key
            ]
        elif key == "J" and (plan.personal_budget or plan.direct_payments):
            s.paragraphs = [
                "A personal budget is in place"
                + (" and includes direct payments." if plan.direct_payments else "."),
                *s.paragraphs,
            ]
        elif key == "K":
            s.items = _advice_rows(version)
        sections.append(s)
    kind_label = version.get_kind_display()
    return PlanDocument(
        title=f"{kind_label}: Education, health and care plan for {child.full_name}",
        council=settings.SENDCASE_COUNCIL_NAME,
        child_name=child.full_name,
        date_of_birth=format_date(child.date_of_birth),
        reference=case.reference,
        kind=version.kind,
        kind_label=kind_label,
        number=version.number,
        issued_on=format_date(version.issued_on),
        sections=sections,
    )
