"""A child's placements: the setting named in the plan (section I), or a SEN2 setting code.

* `record_placement` (through `kernel.action`): the case locked and its version checked; a
  Placement row, and any current placement of the same rank ended the day before; the case's
  version moved on; one audit entry. No event and no deadlines (the clock does not count
  placements), no message. `agreed_on`: the day a decision panel agreed it. The money follows
  (finance/actions.py, each with its own audit entry): the ended placement's cost lines end on
  its leaving date, and a main placement the banding matrix covers gets its banded cost from
  the start date, at the need level given or the child's current one; a fee or other arrangement is left for finance, listed on the
  finance screens as a placement without a cost.
* `record_placement_agreed`: the day a decision panel agreed the child's current main placement
  (Placement.agreed_on), or with `funding` its funding (Placement.funding_agreed_on; the costs
  themselves are finance's cost lines). The case's version moved on; one audit entry. No event,
  no message.
"""

from __future__ import annotations

import datetime as dt

from sendcase.casework.domain import kernel
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import Case
from sendcase.core.actors import Actor
from sendcase.core.audit import audit
from sendcase.core.codes import SENSetting, SettingType
from sendcase.finance.actions import cost_new_placement, end_placement_costs
from sendcase.placements.models import Placement, Setting, setting_type_for
from sendcase.plans.models import Plan
from sendcase.statutory.dates import format_date


def find_setting(identifier: str) -> Setting | None:
    identifier = identifier.strip()
    if not identifier:
        return None
    return (
        Setting.objects.filter(urn=identifier).first()
        or Setting.objects.filter(ukprn=identifier).first()
    )


@kernel.action
def record_placement(
    case: Case,
    *,
    entry_date: dt.date,
    actor: Actor,
    setting: Setting | None = None,
    sen_setting: str = "",
    rank: int = 1,
    resourced_provision: bool = False,
    sen_unit: bool = False,
    residential: bool = False,
    need_level: str = "",
    agreed_on: dt.date | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Placement:
    """Place the child: end any current placement of the same rank the day before the entry date.
    `need_level`: the band code in the council's banding matrix (blank: the child's current)."""

    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    plan = Plan.objects.filter(case=case).first()
    if plan is None:
        raise ActionError("Issue a draft plan before recording a placement")
    if setting is None and not sen_setting:
        raise ActionError(
            "Enter the setting's URN or UKPRN, or select a setting code", field="setting"
        )
    if sen_setting and sen_setting not in SENSetting.values:
        raise ActionError("Select a setting code", field="sen_setting")
    if entry_date > today + dt.timedelta(days=366):
        raise ActionError("The start date must be within the next year", field="entry_date")
    current = list(plan.placements.filter(rank=rank, leaving_date=None))
    for old in current:
        if entry_date <= old.entry_date:
            raise ActionError(
                "The start date must be after the start of the current placement "
                f"({format_date(old.entry_date)})",
                field="entry_date",
            )
        old.leaving_date = entry_date - dt.timedelta(days=1)
        old.save(update_fields=["leaving_date"])
    kind_type = (
        setting_type_for(setting.kind, resourced=resourced_provision, sen_unit=sen_unit)
        if setting is not None
        else SettingType.OTHER
    )
    placement = Placement.objects.create(
        plan=plan,
        setting=setting,
        sen_setting="" if setting is not None else sen_setting,
        rank=rank,
        entry_date=entry_date,
        sen_unit=sen_unit,
        resourced_provision=resourced_provision,
        residential=residential,
        setting_type=kind_type,
        agreed_on=agreed_on,
    )
    case.version += 1
    case.save(update_fields=["version", "updated_at"])
    where = str(setting) if setting is not None else SENSetting(sen_setting).label
    audit(
        actor,
        "create",
        placement,
        f"Placement recorded: {where} from {format_date(entry_date)}",
        case=case,
        payload={
            "ended": [p.pk for p in current],
            **({"agreed_on": agreed_on.isoformat()} if agreed_on else {}),
        },
    )
    for old in current:
        end_placement_costs(old, actor=actor)
    cost_new_placement(placement, need_level=need_level, actor=actor)
    return placement


def current_placement(case: Case, rank: int = 1) -> Placement | None:
    """The child's current placement of `rank` (the latest started), or None."""
    return (
        Placement.objects.filter(plan__case=case, rank=rank, leaving_date__isnull=True)
        .select_related("setting")
        .order_by("-entry_date", "-pk")
        .first()
    )


@kernel.action
def record_placement_agreed(
    case: Case,
    *,
    agreed_on: dt.date,
    actor: Actor,
    funding: bool = False,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Placement:
    """A decision panel agreed the child's current main placement (or, with `funding`, its
    funding) on `agreed_on`."""
    today = kernel.local_today(today)
    case = kernel.lock_case(case, expected_version)
    kernel.not_future(agreed_on, "The date of the decision", today, "agreed_on")
    placement = current_placement(case)
    what = "funding of the placement" if funding else "placement"
    if placement is None:
        raise ActionError(
            f"Record the child's placement on the case before the panel's decision on the {what}",
            field="setting",
        )
    field = "funding_agreed_on" if funding else "agreed_on"
    setattr(placement, field, agreed_on)
    placement.save(update_fields=[field])
    case.version += 1
    case.save(update_fields=["version", "updated_at"])
    where = str(placement.setting) if placement.setting else placement.get_sen_setting_display()
    audit(
        actor,
        "update",
        placement,
        f"{what.capitalize()} agreed: {where}, {format_date(agreed_on)}",
        case=case,
        payload={field: agreed_on.isoformat()},
    )
    return placement
