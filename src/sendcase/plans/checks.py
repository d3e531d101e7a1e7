"""The checks a plan must pass before it is issued, and its quality criteria.

Pure Python: `problems(content, facts)` takes a plan's content (`plans.content`) and the facts
about the child and case it is judged against, and returns every problem, each naming its
section, the place in the editor to fix it, and what to do, in GOV.UK error wording. The
draft and final plan actions refuse to issue a plan with any problem (SEND Regulations 2014
reg 12, CFA 2014 s38(5); `docs/reference/ehc-plan.md` lists what each section must hold), and
so do the proposed amendments and the final amended plan after a review: a proposed amendment
is judged as a draft (section I empty), a final amended plan as a final plan (section I names
the setting of the child's current placement, and there must be one).

`quality(content, facts)` judges an issued version against the quality criteria: every rule
below, plus specific and quantified provision (SEND Code of Practice 9.69: no vague words such
as "access to" or "as required", and a duration for every item). Each criterion failed is one
code of `CRITERIA`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sendcase.plans.content import PROVISION_SECTIONS, AdviceRow, PlanContent

# kinds of version (plans.models.PlanVersion.Kind values)
DRAFT = "draft"
FINAL = "final"
PROPOSED_AMENDMENT = "proposed_amendment"
AMENDED = "amended"

# The kinds of version whose section I is empty, and how a message names them.
NAMES_NO_SETTING = {DRAFT: "a draft plan", PROPOSED_AMENDMENT: "proposed amendments"}

# The quality criteria, in the order reports list them: code -> what it means.
CRITERIA = {
    "views": "Section A has the child's or young person's own views",
    "needs": "Section B has needs, each described, with exactly one primary need",
    "health_care": "Sections C and D are filled in or record that there are no needs",
    "outcomes_linked": "Every outcome is linked to a need",
    "outcomes_timed": "Every outcome has a date to be achieved by and shorter-term steps",
    "needs_provided": "Every need has provision",
    "provision_quantified": "Every provision says who gives it, how often and for how long",
    "provision_linked": "Every provision is linked to the needs and outcomes it serves",
    "specific_wording": "Provision has no vague wording ('access to', 'regular', 'as required')",
    "adulthood": "From Year 9, outcomes and provision prepare for adulthood",
    "setting": "Section I is empty in a draft, and names the setting of the current placement in a "
    "final plan",
    "budget": "Section J is filled in when there is a personal budget",
    "advice": "Section K lists all the advice received",
}

# Words tribunals and advice services treat as making provision unspecific (ehc-plan.md).
VAGUE = re.compile(
    r"\b(access to|opportunit(?:y|ies) (?:to|for)|regular(?:ly)?|as required|as appropriate"
    r"|as needed|when needed|where possible|up to|should|could)\b|\bmay\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Placement:
    """The child's current placement (the setting the final plan's section I must name)."""

    setting_id: int | None
    name: str
    setting_type: str


@dataclass
class Facts:
    """What a plan is judged against, besides its own content."""

    kind: str
    from_year_9: bool = False
    personal_budget: bool = False  # a personal budget or direct payment is recorded on the plan
    advice_received: list[AdviceRow] = field(default_factory=list)
    placement: Placement | None = None


@dataclass(frozen=True)
class Problem:
    rule: str  # the criterion it fails (CRITERIA)
    section: str  # A..K, H1, H2
    anchor: str  # the id of the place to fix it in the editor
    message: str


def in_year_9_or_above(date_of_birth: dt.date | None, on: dt.date) -> bool:
    """Year 9 or above on `on`: aged 13 or more on the 31 August before that school year."""
    if date_of_birth is None:
        return False
    start_year = on.year if on.month >= 9 else on.year - 1
    cutoff = dt.date(start_year, 8, 31)
    age = (
        cutoff.year
        - date_of_birth.year
        - ((cutoff.month, cutoff.day) < (date_of_birth.month, date_of_birth.day))
    )
    return age >= 13


def short(text: str, length: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 3].rstrip() + "..."


def problems(content: PlanContent, facts: Facts) -> list[Problem]:
    """Every reason this content cannot be issued as a plan of `facts.kind`."""
    out: list[Problem] = []

    def add(rule: str, section: str, anchor: str, message: str) -> None:
        out.append(Problem(rule, section, anchor, message))

    # A: the child's or young person's own words, kept apart from the parents'.
    if not content.child_views.strip():
        add(
            "views",
            "A",
            "child_views",
            "Enter the child's or young person's own views in section A",
        )

    # B: needs, each described; exactly one primary (the first), at most one secondary.
    if not content.needs:
        add("needs", "B", "needs", "Add the child's special educational needs in section B")
    for i, need in enumerate(content.needs):
        if not need.code:
            add("needs", "B", f"need-{i}", f"Select the type of need {i + 1} in section B")
        if not need.description.strip():
            add("needs", "B", f"need-{i}", f"Describe need {i + 1} in section B")

    # C and D: present, or none identified recorded as a choice.
    if not content.health_needs.strip() and not content.no_health_needs:
        add(
            "health_care",
            "C",
            "health_needs",
            "Enter the health needs in section C, or record that there are none",
        )
    if not content.social_care_needs.strip() and not content.no_social_care_needs:
        add(
            "health_care",
            "D",
            "social_care_needs",
            "Enter the social care needs in section D, or record that there are none",
        )

    # E: outcomes, each linked to a need, by when, with steps; from Year 9, adulthood.
    if not content.outcomes:
        add("outcomes_linked", "E", "outcomes", "Add the outcomes sought in section E")
    for i, o in enumerate(content.outcomes):
        name = f"outcome {i + 1} ('{short(o.text)}')"
        if not [n for n in o.needs if 0 <= n < len(content.needs)]:
            add("outcomes_linked", "E", f"outcome-{i}", f"Link {name} to the needs it addresses")
        if not o.by_when.strip():
            add("outcomes_timed", "E", f"outcome-{i}", f"Enter when {name} should be achieved by")
        if not o.steps.strip():
            add(
                "outcomes_timed",
                "E",
                f"outcome-{i}",
                f"Enter the shorter-term steps towards {name}",
            )
    if facts.from_year_9 and not any(o.preparing_for_adulthood for o in content.outcomes):
        add(
            "adulthood",
            "E",
            "outcomes",
            "Add an outcome that prepares for adulthood in section E: the child is in Year 9 or above",
        )

    # F, G, H1, H2: every need has provision; each item who, how often, linked.
    provided = {n for p in content.provision for n in p.needs}
    for i, need in enumerate(content.needs):
        if i not in provided:
            add(
                "needs_provided",
                "F",
                "provision-F",
                f"Add provision for need {i + 1} ({need.code}) in section F",
            )
    for i, p in enumerate(content.provision):
        name = f"the provision '{short(p.description)}' in section {p.section}"
        anchor = f"provision-{i}"
        if p.section not in PROVISION_SECTIONS:
            add("provision_linked", "F", anchor, f"Choose the section of {name}")
        if not p.frequency.strip():
            add("provision_quantified", p.section, anchor, f"Enter how often {name} is given")
        if not p.staff_role.strip():
            add(
                "provision_quantified",
                p.section,
                anchor,
                f"Enter who gives {name} (their role and expertise)",
            )
        if not [n for n in p.needs if 0 <= n < len(content.needs)]:
            add("provision_linked", p.section, anchor, f"Link {name} to the needs it serves")
        if not [o for o in p.outcomes if 0 <= o < len(content.outcomes)]:
            add("provision_linked", p.section, anchor, f"Link {name} to the outcomes it serves")
    if facts.from_year_9 and not any(p.preparing_for_adulthood for p in content.provision):
        add(
            "adulthood",
            "F",
            "provision-F",
            "Add provision that prepares for adulthood in section F, G, H1 or H2: "
            "the child is in Year 9 or above",
        )

    # I: empty in a draft (CFA s38(5)) and in proposed amendments; in a final plan or a final
    # amended plan, named and matching the child's current placement.
    named = content.setting_id is not None or bool(content.setting_type)
    if facts.kind in NAMES_NO_SETTING:
        if named:
            add(
                "setting",
                "I",
                "setting",
                f"Remove the setting from section I: {NAMES_NO_SETTING[facts.kind]} must not name "
                "a school or other institution, or a type of one (Children and Families Act 2014, "
                "section 38(5))",
            )
    elif facts.placement is None:
        add(
            "setting",
            "I",
            "setting",
            "Record the child's current placement before issuing the plan: section I names the "
            "setting of the current placement",
        )
    else:
        if not named:
            add("setting", "I", "setting", "Name the setting, or the type of setting, in section I")
        if named and not same_setting(content, facts.placement):
            add(
                "setting",
                "I",
                "setting",
                f"Section I must name the setting of the current placement ({facts.placement.name})",
            )

    # J: present whenever a personal budget or direct payment is recorded.
    if facts.personal_budget and not (
        content.personal_budget.strip() and content.personal_budget_amount is not None
    ):
        add(
            "budget",
            "J",
            "personal_budget",
            "Enter the personal budget in section J: what it secures and the amount",
        )

    # K: every piece of advice received, who gave it and when.
    listed = {(a.kind, a.provider, a.received_on) for a in content.advice}
    for a in facts.advice_received:
        if (a.kind, a.provider, a.received_on) not in listed:
            add(
                "advice",
                "K",
                "advice",
                f"Section K does not list the advice received from {a.provider}",
            )
    return out


def same_setting(content: PlanContent, placement: Placement) -> bool:
    if content.setting_id is not None:
        return content.setting_id == placement.setting_id
    return content.setting_type == placement.setting_type


def vague_words(text: str) -> list[str]:
    """The vague words in a piece of provision, as written ('access to', 'regular', ...)."""
    return [m.group(0) for m in VAGUE.finditer(text)]


def quality(content: PlanContent, facts: Facts) -> list[str]:
    """The quality criteria an issued version fails (codes of CRITERIA, in CRITERIA's order)."""
    failed = {p.rule for p in problems(content, facts)}
    for p in content.provision:
        if vague_words(f"{p.description} {p.frequency} {p.duration}"):
            failed.add("specific_wording")
        if not p.duration.strip():
            failed.add("provision_quantified")
    return [code for code in CRITERIA if code in failed]
