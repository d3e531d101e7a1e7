"""A plan's content as plain data: what the checks read, what the actions write.

Pure Python (no Django), so `plans.checks` can judge a plan without a database and the tests,
the demo and the importer can say what a plan holds in one value. `plans.store` reads and
writes these to and from the models.

Rows point at each other by position: an outcome's `needs` and a provision row's `needs` are
indexes into `PlanContent.needs`, a provision row's `outcomes` indexes into
`PlanContent.outcomes`. Needs are in rank order: the first is the primary need (rank 1), the
second the secondary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

PROVISION_SECTIONS = ("F", "G", "H1", "H2")
# Every section of the task list, in the plan's order (H1 and H2 apart).
SECTION_KEYS = ("A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K")


# The fields a row has of its own (besides its links), named as on the models.
OUTCOME_FIELDS = ("text", "by_when", "steps", "preparing_for_adulthood")
PROVISION_FIELDS = (
    "section",
    "description",
    "staff_role",
    "frequency",
    "duration",
    "group_size",
    "provider",
    "annual_cost",
    "preparing_for_adulthood",
)


def own_fields(row: object, names: tuple[str, ...]) -> dict[str, object]:
    """A row's own fields by name (an OutcomeRow or ProvisionRow, or a model row)."""
    return {name: getattr(row, name) for name in names}


@dataclass
class NeedRow:
    code: str  # SEN2 need type (core.codes.NeedType)
    description: str = ""


@dataclass
class OutcomeRow:
    text: str
    needs: list[int] = field(default_factory=list)
    by_when: str = ""
    steps: str = ""
    preparing_for_adulthood: bool = False


@dataclass
class ProvisionRow:
    section: str  # F, G, H1 or H2
    description: str
    staff_role: str = ""
    frequency: str = ""
    duration: str = ""
    group_size: str = ""
    provider: str = ""
    annual_cost: Decimal | None = None
    preparing_for_adulthood: bool = False
    needs: list[int] = field(default_factory=list)
    outcomes: list[int] = field(default_factory=list)


@dataclass
class AdviceRow:
    """Section K: one piece of advice received (who gave it, what it was, when)."""

    kind: str
    provider: str
    requested_on: dt.date | None
    received_on: dt.date | None

    def as_json(self) -> dict[str, str | None]:
        return {
            "kind": self.kind,
            "provider": self.provider,
            "requested_on": self.requested_on.isoformat() if self.requested_on else None,
            "received_on": self.received_on.isoformat() if self.received_on else None,
        }

    @classmethod
    def from_json(cls, d: dict[str, str | None]) -> AdviceRow:
        def day(v: str | None) -> dt.date | None:
            return dt.date.fromisoformat(v) if v else None

        return cls(
            str(d.get("kind") or ""),
            str(d.get("provider") or ""),
            day(d.get("requested_on")),
            day(d.get("received_on")),
        )


@dataclass
class PlanContent:
    """Everything in sections A to K of one version of a plan."""

    child_views: str = ""
    parent_views: str = ""
    needs: list[NeedRow] = field(default_factory=list)
    health_needs: str = ""
    no_health_needs: bool = False
    social_care_needs: str = ""
    no_social_care_needs: bool = False
    outcomes: list[OutcomeRow] = field(default_factory=list)
    provision: list[ProvisionRow] = field(default_factory=list)
    setting_id: int | None = None
    setting_name: str = ""
    setting_type: str = ""
    personal_budget: str = ""
    personal_budget_amount: Decimal | None = None
    advice: list[AdviceRow] = field(default_factory=list)
    # Anything else in the narrative sections (free text of older versions).
    other_sections: dict[str, str] = field(default_factory=dict)

    def without_setting(self) -> PlanContent:
        """The same content with section I empty (a draft names no setting, CFA s38(5))."""
        return replace(self, setting_id=None, setting_name="", setting_type="")


def keep_needs(content: PlanContent, order: list[int]) -> PlanContent:
    """The needs at the indexes `order`, in that order (the first is the primary need), with the
    outcomes' and provision's links following them; a need left out loses its links."""
    new_at = {old: new for new, old in enumerate(order)}
    return replace(
        content,
        needs=[content.needs[i] for i in order],
        outcomes=[
            replace(o, needs=sorted(new_at[n] for n in o.needs if n in new_at))
            for o in content.outcomes
        ],
        provision=[
            replace(p, needs=sorted(new_at[n] for n in p.needs if n in new_at))
            for p in content.provision
        ],
    )


def keep_outcomes(content: PlanContent, order: list[int]) -> PlanContent:
    """The outcomes at the indexes `order`, with the provision's links following them."""
    new_at = {old: new for new, old in enumerate(order)}
    return replace(
        content,
        outcomes=[content.outcomes[i] for i in order],
        provision=[
            replace(p, outcomes=sorted(new_at[o] for o in p.outcomes if o in new_at))
            for p in content.provision
        ],
    )


def section_started(content: PlanContent, key: str) -> bool:
    """Whether anything has been written in a section yet (for the task list's Not started)."""
    match key:
        case "A":
            return bool(content.child_views or content.parent_views)
        case "B":
            return bool(content.needs)
        case "C":
            return bool(content.health_needs or content.no_health_needs)
        case "D":
            return bool(content.social_care_needs or content.no_social_care_needs)
        case "E":
            return bool(content.outcomes)
        case "I":
            return content.setting_id is not None or bool(content.setting_type)
        case "J":
            return bool(content.personal_budget or content.personal_budget_amount is not None)
        case "K":
            return bool(content.advice)
    return any(p.section == key for p in content.provision)


def section_rows(
    content: PlanContent, need_labels: dict[str, str] | None = None
) -> dict[str, list[str]]:
    """Each section as lines of text, one per row (a need, an outcome, a piece of provision),
    for the "What changed" view: sections compared row by row."""
    labels = need_labels or {}
    names = [labels.get(n.code, n.code) for n in content.needs]

    def linked(indexes: list[int]) -> str:
        return ", ".join(names[i] for i in indexes if 0 <= i < len(names)) or "none"

    out: dict[str, list[str]] = {key: [] for key in SECTION_KEYS}
    if content.child_views:
        out["A"].append(f"In their own words: {content.child_views}")
    if content.parent_views:
        out["A"].append(f"Parents: {content.parent_views}")
    for i, n in enumerate(content.needs):
        rank = "Primary need" if i == 0 else "Secondary need" if i == 1 else f"Need {i + 1}"
        out["B"].append(f"{rank}: {names[i]}. {n.description}".strip())
    out["C"].append(
        "No health needs identified" if content.no_health_needs else content.health_needs
    )
    out["D"].append(
        "No social care needs identified"
        if content.no_social_care_needs
        else content.social_care_needs
    )
    for o in content.outcomes:
        out["E"].append(
            f"{o.text} (by {o.by_when or 'no date'}; needs: {linked(o.needs)}; steps: {o.steps or 'none'})"
            + (" Prepares for adulthood." if o.preparing_for_adulthood else "")
        )
    for p in content.provision:
        cost = f"; £{p.annual_cost} a year" if p.annual_cost is not None else ""
        out[p.section].append(
            f"{p.description} (who: {p.staff_role or 'not said'}; how often: {p.frequency or 'not said'}; "
            f"how long: {p.duration or 'not said'}; group: {p.group_size or 'not said'}; "
            f"needs: {linked(p.needs)}{cost})"
            + (" Prepares for adulthood." if p.preparing_for_adulthood else "")
        )
    setting = content.setting_name or content.setting_type
    if setting:
        out["I"].append(setting)
    if content.personal_budget or content.personal_budget_amount is not None:
        amount = (
            f" (£{content.personal_budget_amount} a year)"
            if content.personal_budget_amount is not None
            else ""
        )
        out["J"].append(f"{content.personal_budget}{amount}")
    for a in content.advice:
        out["K"].append(f"{a.kind} advice from {a.provider}, received {a.received_on or 'not yet'}")
    for key, text in content.other_sections.items():
        if key in out and text and not out[key]:
            out[key].append(text)  # an older version's free text, where nothing structured is
    return {key: [r for r in rows if r] for key, rows in out.items()}
