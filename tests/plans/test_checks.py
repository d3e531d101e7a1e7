"""One test per rule of the shared reference ehc-plan.md: a lawful plan passes, and each way of
breaking a rule is refused with a message naming the thing to put right and its section."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest

from sendcase.demo.plan_content import lawful_content
from sendcase.plans import checks
from sendcase.plans.content import AdviceRow, NeedRow, OutcomeRow, PlanContent, ProvisionRow

D = dt.date
ADVICE = AdviceRow("psychology", "Educational psychology service", D(2025, 3, 1), D(2025, 4, 1))


# The child's current placement: a final plan's section I names its setting.
MAINSTREAM = checks.Placement(None, "A mainstream school", "mainstream")


def facts(kind: str = checks.FINAL, **kw: object) -> checks.Facts:
    if kind in (checks.FINAL, checks.AMENDED):
        kw.setdefault("placement", MAINSTREAM)
    return checks.Facts(kind=kind, **kw)  # type: ignore[arg-type]


def lawful(kind: str = checks.FINAL) -> PlanContent:
    c = lawful_content(("ASD", "SLCN"), from_year_9=False)
    return c if kind in checks.NAMES_NO_SETTING else replace(c, setting_type="mainstream")


def test_a_lawful_draft_and_final_pass() -> None:
    assert checks.problems(lawful(checks.DRAFT), facts(checks.DRAFT)) == []
    assert checks.problems(lawful(), facts()) == []
    assert checks.quality(lawful(), facts()) == []


def _outcomes(c: PlanContent, **kw: object) -> PlanContent:
    return replace(c, outcomes=[replace(c.outcomes[0], **kw), *c.outcomes[1:]])  # type: ignore[arg-type]


def _provision(c: PlanContent, **kw: object) -> PlanContent:
    return replace(c, provision=[replace(c.provision[0], **kw), *c.provision[1:]])  # type: ignore[arg-type]


# (id, how the lawful final plan is broken, the facts, section, words in the message)
RULES: list[tuple[str, Callable[[PlanContent], PlanContent], checks.Facts, str, str]] = [
    ("A: the child's own words", lambda c: replace(c, child_views=""), facts(), "A", "own views"),
    (
        "B: at least one need",
        lambda c: replace(c, needs=[], outcomes=[], provision=[]),
        facts(),
        "B",
        "special educational needs",
    ),
    (
        "B: each need described",
        lambda c: replace(c, needs=[NeedRow("ASD", ""), c.needs[1]]),
        facts(),
        "B",
        "Describe need 1",
    ),
    (
        "B: each need has its SEN2 type",
        lambda c: replace(c, needs=[NeedRow("", "x"), c.needs[1]]),
        facts(),
        "B",
        "type of need 1",
    ),
    (
        "C: present or none recorded",
        lambda c: replace(c, health_needs="", no_health_needs=False),
        facts(),
        "C",
        "health needs",
    ),
    (
        "D: present or none recorded",
        lambda c: replace(c, social_care_needs="", no_social_care_needs=False),
        facts(),
        "D",
        "social care needs",
    ),
    (
        "E: at least one outcome",
        lambda c: replace(c, outcomes=[], provision=[replace(p, outcomes=[]) for p in c.provision]),
        facts(),
        "E",
        "outcomes sought",
    ),
    (
        "E: outcome linked to a need",
        lambda c: _outcomes(c, needs=[]),
        facts(),
        "E",
        "to the needs it addresses",
    ),
    (
        "E: outcome time-bound",
        lambda c: _outcomes(c, by_when=""),
        facts(),
        "E",
        "should be achieved by",
    ),
    ("E: outcome has steps", lambda c: _outcomes(c, steps=""), facts(), "E", "shorter-term steps"),
    (
        "E: preparing for adulthood from Year 9",
        lambda c: c,
        facts(from_year_9=True),
        "E",
        "prepares for adulthood in section E",
    ),
    (
        "F: every need has provision",
        lambda c: replace(c, provision=[replace(p, needs=[0]) for p in c.provision]),
        facts(),
        "F",
        "Add provision for need 2",
    ),
    (
        "F: provision says how often",
        lambda c: _provision(c, frequency=""),
        facts(),
        "F",
        "how often",
    ),
    ("F: provision says who", lambda c: _provision(c, staff_role=""), facts(), "F", "who gives"),
    (
        "F: provision linked to needs",
        lambda c: _provision(c, needs=[]),
        facts(),
        "F",
        "to the needs it serves",
    ),
    (
        "F: provision linked to outcomes",
        lambda c: _provision(c, outcomes=[]),
        facts(),
        "F",
        "to the outcomes it serves",
    ),
    (
        "G: health provision checked as F",
        lambda c: replace(
            c,
            provision=[
                *c.provision,
                ProvisionRow(
                    "G", "Physiotherapy", needs=[0], outcomes=[0], staff_role="Physiotherapist"
                ),
            ],
        ),
        facts(),
        "G",
        "how often",
    ),
    (
        "H1: checked as F",
        lambda c: replace(
            c,
            provision=[
                *c.provision,
                ProvisionRow("H1", "Adaptations", frequency="Once", needs=[0], outcomes=[0]),
            ],
        ),
        facts(),
        "H1",
        "who gives",
    ),
    (
        "H2: checked as F",
        lambda c: replace(
            c,
            provision=[
                *c.provision,
                ProvisionRow(
                    "H2", "Short breaks", frequency="Monthly", staff_role="Carer", outcomes=[0]
                ),
            ],
        ),
        facts(),
        "H2",
        "to the needs it serves",
    ),
    (
        "F-H2: preparing-for-adulthood provision from Year 9",
        lambda c: replace(
            c, outcomes=[*c.outcomes, OutcomeRow("Travel", [0], "2030", "Steps", True)]
        ),
        facts(from_year_9=True),
        "F",
        "prepares for adulthood in section F, G, H1 or H2",
    ),
    (
        "I: a draft names no setting (CFA s38(5))",
        lambda c: c,
        facts(checks.DRAFT),
        "I",
        "section 38(5)",
    ),
    (
        "I: a final plan names a setting or type",
        lambda c: replace(c, setting_type=""),
        facts(),
        "I",
        "Name the setting",
    ),
    (
        "I: a final plan matches the current placement",
        lambda c: c,
        facts(placement=checks.Placement(7, "Brook Special", "maintained_special")),
        "I",
        "Brook Special",
    ),
    (
        "I: a final plan needs a current placement",
        lambda c: c,
        facts(placement=None),
        "I",
        "Record the child's current placement",
    ),
    (
        "J: personal budget when recorded",
        lambda c: c,
        facts(personal_budget=True),
        "J",
        "personal budget",
    ),
    (
        "K: every advice received listed",
        lambda c: c,
        facts(advice_received=[ADVICE]),
        "K",
        "Educational psychology service",
    ),
]


@pytest.mark.parametrize(
    ("break_it", "the_facts", "section", "words"), [r[1:] for r in RULES], ids=[r[0] for r in RULES]
)
def test_each_rule_refuses(break_it, the_facts, section, words) -> None:
    found = checks.problems(break_it(lawful()), the_facts)
    named = [p for p in found if words in p.message]
    assert len(named) == 1, found
    assert named[0].section == section
    assert named[0].rule in checks.CRITERIA
    assert named[0].anchor  # the editor has a place to fix it
    # and the same plan fails the matching quality criterion
    assert named[0].rule in checks.quality(break_it(lawful()), the_facts)


# The same rules for the versions after a review: proposed amendments are judged as a draft
# (section I empty), the final amended plan as a final plan (the current placement's setting).
AMENDMENT_RULES = [
    (kind, r)
    for kind in (checks.PROPOSED_AMENDMENT, checks.AMENDED)
    for r in RULES
    if not r[0].startswith("I:")
]


@pytest.mark.parametrize(
    ("kind", "rule"), AMENDMENT_RULES, ids=[f"{k}-{r[0]}" for k, r in AMENDMENT_RULES]
)
def test_each_rule_refuses_amendments_too(kind: str, rule: tuple) -> None:
    _id, break_it, the_facts, section, words = rule
    the_facts = replace(
        the_facts,
        kind=kind,
        placement=MAINSTREAM if kind == checks.AMENDED else None,
    )
    found = checks.problems(break_it(lawful(kind)), the_facts)
    named = [p for p in found if words in p.message]
    assert len(named) == 1, found
    assert named[0].section == section
    assert checks.problems(lawful(kind), replace(the_facts, **_met(the_facts))) == []


def _met(f: checks.Facts) -> dict[str, object]:
    """Facts under which the lawful plan passes (no Year 9, budget or advice to answer for)."""
    return {"from_year_9": False, "personal_budget": False, "advice_received": []}


@pytest.mark.parametrize(
    ("kind", "placement", "setting_type", "words"),
    [
        (checks.PROPOSED_AMENDMENT, None, "mainstream", "proposed amendments must not name"),
        (checks.AMENDED, None, "mainstream", "Record the child's current placement"),
        (checks.AMENDED, MAINSTREAM, "", "Name the setting"),
        (
            checks.AMENDED,
            checks.Placement(7, "Brook Special", "maintained_special"),
            "mainstream",
            "Brook Special",
        ),
    ],
    ids=["proposed-names-none", "amended-needs-placement", "amended-names-one", "amended-matches"],
)
def test_section_i_of_amendments(
    kind: str, placement: checks.Placement | None, setting_type: str, words: str
) -> None:
    c = replace(lawful(checks.DRAFT), setting_type=setting_type)
    found = checks.problems(c, facts(kind, placement=placement))
    assert [(p.section, p.anchor) for p in found] == [("I", "setting")], found
    assert words in found[0].message
    assert "setting" in checks.quality(c, facts(kind, placement=placement))


def test_adulthood_is_asked_of_amendments_from_year_9() -> None:
    """A child who reaches Year 9 after the final plan: the amendments must add outcomes and
    provision that prepare for adulthood."""
    young = lawful_content(("ASD",), from_year_9=False)
    for kind, c in (
        (checks.PROPOSED_AMENDMENT, young),
        (checks.AMENDED, replace(young, setting_type="mainstream")),
    ):
        found = checks.problems(c, facts(kind, from_year_9=True))
        assert {(p.rule, p.section) for p in found} == {("adulthood", "E"), ("adulthood", "F")}
        grown = lawful_content(("ASD",), from_year_9=True, setting_type=c.setting_type)
        assert checks.problems(grown, facts(kind, from_year_9=True)) == []


def test_what_is_put_right_passes() -> None:
    """The facts that made the rules above bite are met by the content they ask for."""
    c = lawful_content(("ASD",), from_year_9=True, personal_budget=True, setting_type="mainstream")
    c = replace(c, advice=[ADVICE])
    placement = checks.Placement(None, "A mainstream school", "mainstream")
    f = facts(from_year_9=True, personal_budget=True, advice_received=[ADVICE], placement=placement)
    assert checks.problems(c, f) == []


def test_an_empty_plan_names_every_missing_thing() -> None:
    found = checks.problems(PlanContent(), facts())
    assert {p.section for p in found} == {"A", "B", "C", "D", "E", "I"}


def test_a_setting_matching_the_placement_by_register_entry() -> None:
    c = replace(lawful(), setting_id=7, setting_type="maintained_special")
    assert (
        checks.problems(c, facts(placement=checks.Placement(7, "Brook", "maintained_special")))
        == []
    )
    assert checks.problems(c, facts(placement=checks.Placement(8, "Hill", "maintained_special")))


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        ("Access to a speech therapist", True),
        ("Regular sessions", True),
        ("Support as required", True),
        ("Up to 10 hours", True),
        ("Opportunities for group work", True),
        ("Support should be given", True),
        ("Speech therapy, 45 minutes, fortnightly, 1:1", False),
        ("Daily 20-minute reading with a trained assistant", False),
    ],
)
def test_vague_wording_fails_the_specific_wording_criterion(text: str, vague: bool) -> None:
    c = _provision(lawful(), description=text)
    assert checks.problems(c, facts()) == []  # vague wording is a quality defect, not unlawful
    assert ("specific_wording" in checks.quality(c, facts())) is vague


def test_no_duration_fails_the_quantified_criterion() -> None:
    assert checks.quality(_provision(lawful(), duration=""), facts()) == ["provision_quantified"]


@pytest.mark.parametrize(
    ("born", "on", "year_9"),
    [
        (D(2012, 8, 31), D(2025, 9, 1), True),  # 13 on 31 August 2025: Year 9 from September
        (D(2012, 9, 1), D(2025, 9, 1), False),  # 12 on that 31 August: Year 8
        (D(2012, 9, 1), D(2026, 8, 31), False),  # still Year 8 until the school year ends
        (D(2012, 9, 1), D(2026, 9, 1), True),
        (D(2008, 2, 29), D(2025, 1, 1), True),
        (None, D(2025, 1, 1), False),
    ],
    ids=["13-on-31-Aug", "12-on-31-Aug", "end-of-Y8", "start-of-Y9", "leap-day-older", "no-dob"],
)
def test_year_9(born: dt.date | None, on: dt.date, year_9: bool) -> None:
    assert checks.in_year_9_or_above(born, on) is year_9


def test_budget_needs_text_and_amount() -> None:
    c = replace(lawful(), personal_budget="Short breaks", personal_budget_amount=None)
    assert [p.section for p in checks.problems(c, facts(personal_budget=True))] == ["J"]
    c = replace(c, personal_budget_amount=Decimal("100"))
    assert checks.problems(c, facts(personal_budget=True)) == []
