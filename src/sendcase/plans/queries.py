"""Reading a plan version's content (`plans.content.PlanContent`) from its rows, in four queries."""

from __future__ import annotations

from django.db.models import Prefetch

from sendcase.plans.content import (
    OUTCOME_FIELDS,
    PROVISION_FIELDS,
    AdviceRow,
    NeedRow,
    OutcomeRow,
    PlanContent,
    ProvisionRow,
    own_fields,
)
from sendcase.plans.models import Need, Outcome, PlanVersion, Provision

# Narrative sections held as structured content elsewhere (not in `other_sections`).
STRUCTURED_TEXT = ("C", "D", "J")


def rows_of(version: PlanVersion) -> tuple[list[Need], list[Outcome], list[Provision]]:
    """The version's needs (by rank), outcomes and provision, with their links."""
    needs = list(Need.objects.filter(version=version).order_by("rank"))
    # The linked rows' ids only, without the models' default ordering (which would join each
    # need to its version and plan for nothing: slow on PostgreSQL right after a bulk load).
    ids_of_needs = Need.objects.only("id").order_by()
    outcomes = list(
        Outcome.objects.filter(version=version)
        .order_by("id")
        .prefetch_related(Prefetch("needs", queryset=ids_of_needs))
    )
    provision = list(
        Provision.objects.filter(version=version)
        .order_by("id")
        .prefetch_related(
            Prefetch("needs", queryset=ids_of_needs),
            Prefetch("outcomes", queryset=Outcome.objects.only("id").order_by()),
        )
    )
    return needs, outcomes, provision


def content_of(version: PlanVersion) -> PlanContent:
    needs, outcomes, provision = rows_of(version)
    return assemble(
        version,
        needs,
        [(o, [n.pk for n in o.needs.all()]) for o in outcomes],
        [(p, [n.pk for n in p.needs.all()], [o.pk for o in p.outcomes.all()]) for p in provision],
    )


def assemble(
    version: PlanVersion,
    needs: list[Need],
    outcomes: list[tuple[Outcome, list[int]]],
    provision: list[tuple[Provision, list[int], list[int]]],
) -> PlanContent:
    """The content of a version from its rows: needs by rank, each outcome with the keys of the
    needs it meets, each provision with the keys of its needs and outcomes. Shared by stored
    versions (`content_of`) and versions still in an import's write buffer."""
    need_at = {n.pk: i for i, n in enumerate(needs)}
    outcome_at = {o.pk: i for i, (o, _) in enumerate(outcomes)}
    sections = dict(version.sections or {})
    return PlanContent(
        child_views=version.child_views,
        parent_views=version.parent_views,
        needs=[NeedRow(n.code, n.description) for n in needs],
        health_needs=sections.get("C", ""),
        no_health_needs=version.no_health_needs,
        social_care_needs=sections.get("D", ""),
        no_social_care_needs=version.no_social_care_needs,
        outcomes=[
            OutcomeRow(
                **own_fields(o, OUTCOME_FIELDS),  # type: ignore[arg-type]
                needs=sorted(need_at[pk] for pk in linked if pk in need_at),
            )
            for o, linked in outcomes
        ],
        provision=[
            ProvisionRow(
                **own_fields(p, PROVISION_FIELDS),  # type: ignore[arg-type]
                needs=sorted(need_at[pk] for pk in for_needs if pk in need_at),
                outcomes=sorted(outcome_at[pk] for pk in for_outcomes if pk in outcome_at),
            )
            for p, for_needs, for_outcomes in provision
        ],
        setting_id=version.setting_id,
        setting_name=str(version.setting) if version.setting_id else "",
        setting_type=version.setting_type,
        personal_budget=sections.get("J", ""),
        personal_budget_amount=version.personal_budget_amount,
        advice=[AdviceRow.from_json(a) for a in version.advice or []],
        other_sections={k: v for k, v in sections.items() if k not in STRUCTURED_TEXT and v},
    )
