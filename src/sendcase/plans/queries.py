"""Reading plan versions' content (`plans.content.PlanContent`) from their rows, many versions at once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from django.db.models import Model, prefetch_related_objects

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


def content_of(version: PlanVersion) -> PlanContent:
    """The content of one stored version (an issued version or a working copy)."""
    return contents_of([version])[version.pk]


# Versions read together by contents_of: a bounded list of keys in each query.
CHUNK = 500


def contents_of(versions: Sequence[PlanVersion]) -> dict[int, PlanContent]:
    """The content of each of these stored versions, by its key, as `assemble` makes it: in six
    queries for up to CHUNK versions (fewer when none has outcomes or provision), plus one for
    their settings unless already read (`select_related("setting")`)."""
    found: dict[int, PlanContent] = {}
    for start in range(0, len(versions), CHUNK):
        found.update(_contents(versions[start : start + CHUNK]))
    return found


def _contents(versions: Sequence[PlanVersion]) -> dict[int, PlanContent]:
    ids = [v.pk for v in versions]
    prefetch_related_objects([v for v in versions if v.setting_id is not None], "setting")
    # Each kind of row in its own order, not the models' default ordering (which would join each
    # row to its version and plan for nothing: slow on PostgreSQL right after a bulk load).
    needs = _by_version(Need.objects.filter(version_id__in=ids).order_by("rank"), ids)
    outcomes = _by_version(Outcome.objects.filter(version_id__in=ids).order_by("id"), ids)
    provision = _by_version(Provision.objects.filter(version_id__in=ids).order_by("id"), ids)
    outcome_needs = _links(Outcome.needs.through, "outcome", "need", ids, any(outcomes.values()))
    has_provision = any(provision.values())
    provision_needs = _links(Provision.needs.through, "provision", "need", ids, has_provision)
    provision_outcomes = _links(
        Provision.outcomes.through, "provision", "outcome", ids, has_provision
    )
    return {
        v.pk: assemble(
            v,
            needs[v.pk],
            [(o, outcome_needs.get(o.pk, [])) for o in outcomes[v.pk]],
            [
                (p, provision_needs.get(p.pk, []), provision_outcomes.get(p.pk, []))
                for p in provision[v.pk]
            ],
        )
        for v in versions
    }


R = TypeVar("R", Need, Outcome, Provision)


def _by_version(rows: Iterable[R], versions: list[int]) -> dict[int, list[R]]:
    """The rows (in their order) by the version they belong to; every version has a list."""
    grouped: dict[int, list[R]] = {pk: [] for pk in versions}
    for row in rows:
        grouped[row.version_id].append(row)
    return grouped


def _links(
    through: type[Model], owner: str, target: str, versions: list[int], wanted: bool
) -> dict[int, list[int]]:
    """The keys of the `target` rows linked to each `owner` row of these versions (no query
    unless `wanted`: the versions have rows of that owner)."""
    linked: dict[int, list[int]] = {}
    if not wanted:
        return linked
    rows = (
        through._default_manager.filter(**{f"{owner}__version_id__in": versions})
        .order_by()
        .values_list(f"{owner}_id", f"{target}_id")
    )
    for owner_id, target_id in rows:
        linked.setdefault(owner_id, []).append(target_id)
    return linked


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
