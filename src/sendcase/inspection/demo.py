"""The demo council's SEND strategy, in the shape of Herefordshire's (2023): five outcomes for
children and young people, eight workstreams delivering them, a few actions each with an owner,
a due date and a red/amber/green status, measures linked from reporting's registry, statistical
neighbours, and the commentary for the last whole term's bulletin. Written through the same
action as the screens (`strategy.save_record`)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sendcase.core.actors import SystemActor
from sendcase.inspection import bulletin
from sendcase.inspection.models import (
    BulletinCommentary,
    Rag,
    Strategy,
    StrategyAction,
    StrategyOutcome,
    Workstream,
)
from sendcase.inspection.strategy import save_record
from sendcase.reporting.models import EESArea

OUTCOMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Your needs are identified and assessed in a timely and effective way",
        (
            "request_decisions_within_6_weeks",
            "plans_issued_within_20_weeks",
            "plans_issued_within_20_weeks_excluding_exceptions",
        ),
    ),
    (
        "You and your family's voices are heard and this makes a difference",
        ("plans_meeting_quality_criteria", "complaint_responses_on_time", "mediations"),
    ),
    (
        "You receive the right help at the right time",
        ("reviews_held_within_12_months", "amended_plans_within_12_weeks", "tribunal_appeals"),
    ),
    (
        "You are well prepared for your next steps in life and achieve well",
        ("phase_transfers_named_by_15_february", "phase_transfers_named_by_31_march"),
    ),
    (
        "For you to feel valued, visible and included",
        ("requests_received", "new_plans", "ceased_plans"),
    ),
)

# (outcome number, workstream, lead, ((action, owner, months from today, measures), ...))
WORKSTREAMS: tuple[tuple[int, str, str, tuple[tuple[str, str, int, tuple[str, ...]], ...]], ...] = (
    (
        1,
        "Early identification and the graduated approach",
        "Head of Inclusion",
        (
            (
                "Publish the ordinarily available provision guide for schools",
                "SEND advisory teacher",
                -2,
                (),
            ),
            (
                "Extend the Child Readiness project to every early years setting",
                "Early years lead",
                4,
                (),
            ),
        ),
    ),
    (
        1,
        "EHC needs assessment timeliness",
        "Head of SEND",
        (
            (
                "Weekly tracking of advice requests with health and educational psychology",
                "SEND team manager",
                -1,
                ("request_decisions_within_6_weeks",),
            ),
            (
                "Recruit two more EHC coordinators",
                "Head of SEND",
                2,
                ("plans_issued_within_20_weeks",),
            ),
            (
                "Agree escalation for late health advice with the ICB",
                "Designated clinical officer",
                3,
                (),
            ),
        ),
    ),
    (
        2,
        "Co-production and communication",
        "Parent Carer Voice Forum chair",
        (
            ("Termly roadshow with families on the strategy", "Participation officer", 1, ()),
            ("Refresh the Local Offer with young people", "Local Offer officer", 5, ()),
        ),
    ),
    (
        2,
        "Quality of EHC plans",
        "Principal educational psychologist",
        (
            (
                "Multi-agency audit of 20 plans each term",
                "Quality assurance lead",
                -1,
                ("plans_meeting_quality_criteria",),
            ),
            ("Outcomes training for EHC coordinators", "SEND team manager", 2, ()),
        ),
    ),
    (
        3,
        "Annual reviews",
        "SEND team manager",
        (
            (
                "Clear the backlog of overdue annual reviews",
                "SEND team manager",
                1,
                ("reviews_held_within_12_months",),
            ),
            (
                "Issue amended plans within 12 weeks of the review",
                "EHC coordinators",
                3,
                ("amended_plans_within_12_weeks",),
            ),
        ),
    ),
    (
        3,
        "Health: waiting times and therapies",
        "Designated clinical officer",
        (
            ("Joint commissioning plan for speech and language therapy", "ICB commissioner", 6, ()),
            ("Neurodevelopmental pathway waiting list review", "Wye Valley Trust", -3, ()),
        ),
    ),
    (
        4,
        "Preparing for adulthood",
        "Post-16 lead",
        (
            (
                "Name every Year 11 destination by 31 March",
                "Post-16 lead",
                3,
                ("phase_transfers_named_by_31_march",),
            ),
            ("Supported internships with local employers", "Employment support lead", 8, ()),
        ),
    ),
    (
        5,
        "Sufficiency of local specialist places",
        "Head of Education Development",
        (
            ("Open 42 new special school places", "Capital programme manager", -4, ()),
            (
                "Resourced provision in two secondary schools",
                "Head of Education Development",
                10,
                (),
            ),
        ),
    ),
)

# Councils often among a rural county's statistical neighbours; those DfE lists are used.
NEIGHBOURS = (
    "Shropshire", "Wiltshire", "Cornwall", "Devon", "Dorset", "Somerset",
    "North Yorkshire", "Lincolnshire", "Norfolk", "Cumberland",
)  # fmt: skip


def _months(today: dt.date, months: int) -> dt.date:
    index = today.year * 12 + today.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, min(today.day, 28))


def delete_strategy() -> None:
    """Remove the strategy and the bulletin commentary (the demo's reset, before a new one).
    Workstreams protect their outcome, so the rows go from the actions up."""
    BulletinCommentary.objects.all().delete()
    StrategyAction.objects.all().delete()
    Workstream.objects.all().delete()
    StrategyOutcome.objects.all().delete()
    Strategy.objects.all().delete()


def seed_strategy(*, today: dt.date, seed: int = 1) -> Strategy:
    """Write the demo strategy, replacing any the demo wrote before."""
    delete_strategy()
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    actor = SystemActor("the demo council")

    def save(obj: Any, **fields: Any) -> Any:
        return save_record(obj, fields, actor=actor, expected_version=0)

    neighbours = list(
        EESArea.objects.filter(level=EESArea.Level.LOCAL, name__in=NEIGHBOURS)
        .order_by("name")
        .values_list("code", flat=True)
    )
    strategy = save(
        Strategy(),
        title=f"SEND strategy {today.year - 1} to {today.year + 2}",
        vision=(
            "Children and young people with special educational needs and disabilities are "
            "happy, healthy and successful, educated as close to home as possible."
        ),
        neighbours=neighbours,
    )
    outcomes = [
        save(StrategyOutcome(strategy=strategy), number=n, title=title, measures=list(keys))
        for n, (title, keys) in enumerate(OUTCOMES, start=1)
    ]
    streams = []
    for number, title, lead, actions in WORKSTREAMS:
        stream = save(Workstream(strategy=strategy), outcome=outcomes[number - 1], title=title, lead=lead)  # fmt: skip
        streams.append(stream)
        for what, owner, months, keys in actions:
            status = Rag.DONE if months < -1 else rng.choice([Rag.GREEN, Rag.GREEN, Rag.AMBER, Rag.RED])  # fmt: skip
            save(
                StrategyAction(workstream=stream),
                title=what,
                owner=owner,
                due_on=_months(today, months),
                status=status,
                measures=list(keys),
                note="",
            )
    term = bulletin.recent_terms(today)[1]
    save(
        BulletinCommentary(start=term.start, end=term.end),
        summary=(
            "Requests for assessment keep rising, which stretches the EHC team and the advice "
            "from health and educational psychology. Decisions whether to assess are mostly on "
            "time; plans issued within 20 weeks are below England. Next: advice tracking each "
            "week, two more coordinators, and clearing the annual review backlog."
        ),
        notes={
            str(
                streams[1].pk
            ): "Advice requests are tracked each week; late health advice is escalated.",  # fmt: skip
            str(streams[4].pk): "The review backlog fell this term; amended plans are still slow.",
        },
    )
    return strategy  # type: ignore[no-any-return]
