"""Real-looking plan content for each SEN2 need type: needs, outcomes and provision with who,
how often, for how long and in what group, as a good plan states them (SEND Code 9.69).

The demo council's plans are written from these, and the tests use `lawful_content` for a plan
that passes every check in `plans.checks` (the checks are what a plan must pass to be issued).
"""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

from sendcase.casework.domain import plan_editor
from sendcase.casework.models import Case, Stage
from sendcase.core.actors import Actor
from sendcase.plans.content import SECTION_KEYS, NeedRow, OutcomeRow, PlanContent, ProvisionRow

# need type -> (description, outcome, provision: (section, what, who, how often, how long, group))
BY_NEED: dict[str, tuple[str, str, tuple[str, str, str, str, str, str]]] = {
    "SPLD": (
        "Reads about two years below age; spelling and written work are slow and effortful.",
        "Read age-appropriate texts with 90% accuracy and write a paragraph independently",
        (
            "F",
            "Structured phonics and reading programme (e.g. Toe by Toe)",
            "Specialist dyslexia teacher (AMBDA)",
            "3 times a week",
            "30 minutes",
            "1:1",
        ),
    ),
    "MLD": (
        "Learns new concepts slowly and needs repetition across literacy and numeracy.",
        "Use number facts to 20 and read simple instructions independently",
        (
            "F",
            "Pre-teaching of key vocabulary and maths concepts",
            "Teaching assistant trained in precision teaching",
            "Daily",
            "20 minutes",
            "Group of 4",
        ),
    ),
    "SLD": (
        "Needs adult support for most learning and self-care; communicates with single words and signs.",
        "Make choices using symbols and signs across the school day",
        (
            "F",
            "Total communication approach with Makaton and a symbol timetable",
            "Class teacher and assistant trained in Makaton",
            "Throughout each day",
            "The whole school day",
            "Class of 8",
        ),
    ),
    "PMLD": (
        "Profound learning difficulties with physical and sensory needs; communicates through body language.",
        "Show anticipation and choice in familiar routines using objects of reference",
        (
            "F",
            "Sensory learning programme with objects of reference",
            "Teacher of PMLD pupils with a trained assistant",
            "Daily",
            "45 minutes",
            "1:1",
        ),
    ),
    "SEMH": (
        "Finds it hard to manage strong feelings; has been excluded twice this year after incidents.",
        "Use agreed strategies to calm down and return to learning within 10 minutes",
        (
            "F",
            "Emotional literacy support sessions (ELSA programme)",
            "Emotional literacy support assistant (ELSA trained)",
            "Weekly",
            "45 minutes",
            "1:1",
        ),
    ),
    "SLCN": (
        "Understands short instructions only; expressive language is at the level of a much younger child.",
        "Follow 3-part instructions in class and retell a short story in sequence",
        (
            "G",
            "Speech and language therapy programme",
            "Speech and language therapist (HCPC registered)",
            "Fortnightly",
            "45 minutes",
            "1:1",
        ),
    ),
    "HI": (
        "Moderate bilateral hearing loss; uses hearing aids and a radio aid.",
        "Take part in whole-class discussion using the radio aid and check understanding",
        (
            "F",
            "Teaching and audiology support, with radio aid checks",
            "Qualified teacher of the deaf",
            "Twice a term",
            "1 hour",
            "1:1",
        ),
    ),
    "VI": (
        "Severe vision impairment; reads enlarged print (N24) with a magnifier.",
        "Access all class materials independently using enlarged print and a tablet",
        (
            "F",
            "Mobility and habilitation training and adapted materials",
            "Qualified teacher of the vision impaired",
            "Weekly",
            "1 hour",
            "1:1",
        ),
    ),
    "MSI": (
        "Combined hearing and vision loss; relies on touch cues and a familiar adult.",
        "Use tactile signs to request help and move around school with a guide",
        (
            "F",
            "Intervenor support and tactile communication programme",
            "Intervenor trained in multi-sensory impairment",
            "Daily",
            "The whole school day",
            "1:1",
        ),
    ),
    "PD": (
        "Cerebral palsy affecting both legs; uses a walking frame and tires quickly.",
        "Move between lessons independently and take part in adapted PE",
        (
            "G",
            "Physiotherapy programme, carried out daily by trained staff",
            "Physiotherapist (HCPC registered), programme set each term",
            "Daily",
            "20 minutes",
            "1:1",
        ),
    ),
    "ASD": (
        "Autistic; finds changes of routine and busy spaces very hard, and has limited social communication.",
        "Manage changes in the day using a visual timetable, with no more than one incident a week",
        (
            "F",
            "Visual timetable, social stories and a quiet base for regulation",
            "Teaching assistant trained in autism (AET level 2)",
            "Daily",
            "30 minutes",
            "1:1",
        ),
    ),
    "DS": (
        "Down syndrome: a learning difficulty, with speech that is hard for others to understand.",
        "Read and understand 50 key words and use 3-word phrases with peers",
        (
            "F",
            "See and Learn reading and language programme",
            "Teaching assistant trained in the programme",
            "Daily",
            "20 minutes",
            "1:1",
        ),
    ),
    "OTH": (
        "A rare condition affecting attention and memory; needs frequent repetition and movement breaks.",
        "Complete a 20-minute task with one reminder",
        (
            "F",
            "Working memory programme with movement breaks",
            "Teaching assistant under the SENCo's direction",
            "4 times a week",
            "20 minutes",
            "Group of 3",
        ),
    ),
}
BUDGET_TEXT = (
    "A direct payment for the short breaks in section H2 and the travel training in section F."
)
BUDGET_AMOUNT = Decimal("2400.00")
ADULTHOOD_OUTCOME = "Travel to college on public transport independently"
ADULTHOOD_PROVISION = (
    "F",
    "Independent travel training, then a supported work experience placement",
    "Travel trainer and careers adviser (level 6 qualified)",
    "Weekly",
    "2 hours",
    "1:1",
)


def lawful_content(
    needs: tuple[str, ...] | list[str] = ("ASD",),
    *,
    name: str = "the child",
    child_views: str = "",
    from_year_9: bool = True,
    setting_type: str = "",
    setting_id: int | None = None,
    personal_budget: bool = False,
    rng: random.Random | None = None,
) -> PlanContent:
    """A plan that passes every check: needs of these types (the first primary), an outcome and
    provision for each, and, from Year 9, preparation for adulthood. Section I is filled only when
    `setting_type` or `setting_id` is given (a draft names no setting)."""
    rng = rng or random.Random(0)  # noqa: S311 - demo text, not security
    content = PlanContent(
        child_views=child_views
        or f"{name.capitalize()} said: I like {rng.choice(('drawing', 'football', 'music', 'animals'))}, "
        "and I want to have friends and learn to read better.",
        parent_views="We want them to be happy at school and to become as independent as they can.",
        no_health_needs=rng.random() < 0.6,
        health_needs="",
        no_social_care_needs=rng.random() < 0.8,
        setting_type=setting_type,
        setting_id=setting_id,
    )
    if not content.no_health_needs:
        content = replace(
            content, health_needs="Reviewed each year by the community paediatrician."
        )
    if not content.no_social_care_needs:
        content = replace(
            content,
            social_care_needs="The family receive short breaks from the disabled children's team.",
        )
    rows_n, rows_o, rows_p = [], [], []
    for i, code in enumerate(needs):
        description, outcome, (section, what, who, often, length, group) = BY_NEED[code]
        rows_n.append(NeedRow(code, description))
        rows_o.append(
            OutcomeRow(
                f"By the end of the key stage, {name} will {outcome[0].lower()}{outcome[1:]}",
                [i],
                "The end of the key stage",
                "Termly targets set and reviewed with the family",
            )
        )
        rows_p.append(
            ProvisionRow(
                section,
                what,
                staff_role=who,
                frequency=often,
                duration=length,
                group_size=group,
                needs=[i],
                outcomes=[i],
            )
        )
    content = replace(content, needs=rows_n, outcomes=rows_o, provision=rows_p)
    if from_year_9:
        content = with_adulthood(content)
    if personal_budget:
        content = replace(
            content,
            personal_budget=BUDGET_TEXT,
            personal_budget_amount=BUDGET_AMOUNT,
        )
    return content


def prepares_for_adulthood(content: PlanContent) -> bool:
    return any(o.preparing_for_adulthood for o in content.outcomes) and any(
        p.preparing_for_adulthood for p in content.provision
    )


def with_adulthood(content: PlanContent) -> PlanContent:
    """The content with an outcome and provision that prepare for adulthood (asked for from
    Year 9, SEND Regulations 2014 reg 12(3)), linked to the primary need; unchanged if it has
    both already."""
    if prepares_for_adulthood(content):
        return content
    outcomes = [
        *content.outcomes,
        OutcomeRow(
            ADULTHOOD_OUTCOME,
            [0],
            "The end of Year 11",
            "Travel one route with a trainer, then alone",
            True,
        ),
    ]
    section, what, who, often, length, group = ADULTHOOD_PROVISION
    provision = [
        *content.provision,
        ProvisionRow(
            section,
            what,
            staff_role=who,
            frequency=often,
            duration=length,
            group_size=group,
            needs=[0],
            outcomes=[len(outcomes) - 1],
            preparing_for_adulthood=True,
            annual_cost=Decimal("1800.00"),
        ),
    ]
    return replace(content, outcomes=outcomes, provision=provision)


def write_plan(case: Case, actor: Actor, content: PlanContent) -> None:
    """Write `content` into the case's working copy through the editor's actions, every section
    marked completed, as an officer would before issuing it."""
    plan_editor.start_working_copy(case, actor=actor)
    for key in SECTION_KEYS:
        plan_editor.save_working_copy(
            case, section=key, content=content, completed=True, actor=actor
        )


# Drafts being written, each deliberately incomplete in its own way, so the checks show.
def _no_provision(c: PlanContent) -> PlanContent:
    return replace(c, provision=[])


def _vague_and_unquantified(c: PlanContent) -> PlanContent:
    first = replace(
        c.provision[0],
        description="Access to speech and language therapy as required",
        frequency="",
        staff_role="",
    )
    return replace(c, provision=[first, *c.provision[1:]])


def _no_child_views(c: PlanContent) -> PlanContent:
    return replace(c, child_views="")


def _outcome_without_date(c: PlanContent) -> PlanContent:
    return replace(c, outcomes=[replace(c.outcomes[0], by_when="", needs=[]), *c.outcomes[1:]])


INCOMPLETE = (_no_provision, _vague_and_unquantified, _no_child_views, _outcome_without_date)
DRAFTS_IN_PROGRESS = 4


def write_drafts_in_progress(actor: Actor, *, limit: int = DRAFTS_IN_PROGRESS) -> list[Case]:
    """Working copies for a few open assessments, written through the editor's actions and each
    left incomplete in a different way (no provision, vague provision, no child's views, an
    outcome with no date or need), with A and B marked completed and the rest in progress."""
    cases = list(
        Case.objects.filter(stage=Stage.ASSESSING, plan_working_copy__isnull=True)
        .select_related("child")
        .order_by("reference")[:limit]
    )
    for i, case in enumerate(cases):
        need = list(BY_NEED)[i * 3 % len(BY_NEED)]
        content = INCOMPLETE[i % len(INCOMPLETE)](
            lawful_content((need,), name=case.child.forename, rng=random.Random(case.reference))
        )
        plan_editor.start_working_copy(case, actor=actor)
        for key in SECTION_KEYS:
            plan_editor.save_working_copy(
                Case.objects.get(pk=case.pk),
                section=key,
                content=content,
                completed=key in ("A", "B"),
                actor=actor,
            )
    return cases
