"""Every change to the money: the banding matrix and each plan's dated cost lines.

Each action validates, writes inside one transaction and appends its audit entry there
(with the case, for a child's cost). Views, the demo and any import call these.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from sendcase.casework.domain.errors import ActionError
from sendcase.core.actors import Actor, user_of
from sendcase.core.audit import audit
from sendcase.core.bulk import Table
from sendcase.core.locking import StaleRecord
from sendcase.core.models import AuditEntry
from sendcase.finance.costing import fy_label
from sendcase.finance.models import Band, BandRate, BudgetLine, CostLine, WorkforceAssumption
from sendcase.finance.placing import banded_type, need_level_of
from sendcase.placements.models import Placement
from sendcase.plans.models import Plan
from sendcase.statutory.dates import format_date

MAX_WEEKS = 52
STALE_RATE = (
    "Someone else saved this band's rate while you were changing it. Check the rate shown, "
    "then save again."
)


def _money(value: Any) -> str:
    return f"{Decimal(value):.2f}"


@transaction.atomic
def add_band(*, setting_type: str, code: str, description: str = "", actor: Actor) -> Band:
    code = code.strip()
    if not code:
        raise ActionError("Enter the band's name")
    if Band.objects.filter(setting_type=setting_type, code=code).exists():
        raise ActionError(f"There is already a band {code} for this setting type")
    band = Band.objects.create(setting_type=setting_type, code=code, description=description)
    audit(actor, AuditEntry.Action.CREATE, band, f"Band added: {band}")
    return band


@transaction.atomic
def set_band_rate(
    band: Band,
    *,
    financial_year: int,
    top_up: Decimal,
    place_funding: Decimal = Decimal(0),
    actor: Actor,
    expected_version: int | None = None,
) -> BandRate:
    """Set a band's element 2 and element 3 rates for a financial year (the previous figures
    kept in the audit entry). Refused with StaleRecord if someone saved it since the form
    was opened at `expected_version`."""
    if top_up < 0 or place_funding < 0:
        raise ActionError("A rate must be £0 or more")
    rate = (
        BandRate.objects.select_for_update()
        .filter(band=band, financial_year=financial_year)
        .first()
    )
    before = None
    if rate is None:
        rate = BandRate(band=band, financial_year=financial_year)
    else:
        if expected_version is not None and rate.version != expected_version:
            raise StaleRecord(STALE_RATE, changes=[])
        before = {"place_funding": _money(rate.place_funding), "top_up": _money(rate.top_up)}
    rate.place_funding, rate.top_up = place_funding, top_up
    rate.version += 1
    rate.save()
    audit(
        actor,
        AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
        rate,
        f"Rate for {band} in {fy_label(financial_year)}: £{_money(place_funding + top_up)}",
        payload={
            "band": band.pk,
            "financial_year": financial_year,
            "before": before,
            "after": {"place_funding": _money(place_funding), "top_up": _money(top_up)},
        },
    )
    return rate


def _check_line(
    *,
    plan: Plan,
    kind: str,
    placement: Placement | None,
    band: Band | None,
    amount: Decimal | None,
    per: str,
    weeks: int | None,
    starts_on: dt.date,
    ends_on: dt.date | None,
    health_share: Decimal,
    social_care_share: Decimal,
) -> None:
    K = CostLine.Kind
    if kind not in K.values:
        raise ActionError("Choose what kind of cost this is")
    if kind == K.BANDED and band is None:
        raise ActionError("Choose the band")
    if kind != K.BANDED and amount is None:
        raise ActionError("Enter the amount")
    if amount is not None and amount < 0:
        raise ActionError("The amount must be £0 or more")
    if kind in (K.BANDED, K.AGREED, K.FEE) and placement is None:
        raise ActionError("Choose the placement this cost is for")
    if placement is not None and placement.plan_id != plan.pk:
        raise ActionError("The placement is not in this child's plan")
    if per == CostLine.Per.WEEK and not (weeks and 1 <= weeks <= MAX_WEEKS):
        raise ActionError("Enter the weeks a year the fee is paid for, from 1 to 52")
    if ends_on is not None and ends_on < starts_on:
        raise ActionError("The end date must be the same as or after the start date")
    for share in (health_share, social_care_share):
        if share < 0 or share > 100:
            raise ActionError("A share must be from 0 to 100 per cent")
    if health_share + social_care_share > 100:
        raise ActionError("Health and social care shares together must be 100 per cent or less")


def _line_payload(line: CostLine) -> dict[str, Any]:
    return {
        "kind": line.kind,
        "placement": line.placement_id,
        "band": line.band_id,
        "amount": None if line.amount is None else _money(line.amount),
        "per": line.per,
        "weeks": line.weeks,
        "starts_on": line.starts_on.isoformat(),
        "ends_on": line.ends_on.isoformat() if line.ends_on else None,
        "health_share": _money(line.health_share),
        "social_care_share": _money(line.social_care_share),
        "reference": line.reference,
    }


@transaction.atomic
def add_cost_line(
    plan: Plan,
    *,
    kind: str,
    starts_on: dt.date,
    actor: Actor,
    placement: Placement | None = None,
    band: Band | None = None,
    amount: Decimal | None = None,
    per: str = CostLine.Per.YEAR,
    weeks: int | None = None,
    ends_on: dt.date | None = None,
    health_share: Decimal = Decimal(0),
    social_care_share: Decimal = Decimal(0),
    reference: str = "",
) -> CostLine:
    """Record one dated cost of a child's plan (see CostLine)."""
    _check_line(
        plan=plan, kind=kind, placement=placement, band=band, amount=amount, per=per,
        weeks=weeks, starts_on=starts_on, ends_on=ends_on, health_share=health_share,
        social_care_share=social_care_share,
    )  # fmt: skip
    line = CostLine.objects.create(
        plan=plan, kind=kind, placement=placement, band=band, amount=amount, per=per,
        weeks=weeks if per == CostLine.Per.WEEK else None, starts_on=starts_on, ends_on=ends_on,
        health_share=health_share, social_care_share=social_care_share, reference=reference,
    )  # fmt: skip
    audit(
        actor,
        AuditEntry.Action.CREATE,
        line,
        f"Cost recorded: {line.get_kind_display()} from {format_date(starts_on)}",
        case=plan.case,
        payload=_line_payload(line),
    )
    return line


@transaction.atomic
def add_cost_lines(lines: list[CostLine], *, actor: Actor) -> int:
    """`add_cost_line` for many lines at once (the demo council, an import): each checked as
    that action checks it, all written in one insert, and one audit entry each, as that action
    writes them, through the bulk writer. Each line's `plan` and `placement` must be loaded.
    Returns how many."""
    for line in lines:
        _check_line(
            plan=line.plan, kind=line.kind, placement=line.placement, band=line.band,
            amount=line.amount, per=line.per, weeks=line.weeks, starts_on=line.starts_on,
            ends_on=line.ends_on, health_share=line.health_share,
            social_care_share=line.social_care_share,
        )  # fmt: skip
        if line.per != CostLine.Per.WEEK:
            line.weeks = None
    CostLine.objects.bulk_create(lines, batch_size=2000)
    user = user_of(actor)
    rows = [
        {
            "actor_id": user.pk if user is not None else None,
            "action": AuditEntry.Action.CREATE,
            "object_type": CostLine._meta.label_lower,
            "object_id": str(line.pk),
            "case_id": line.plan.case_id,
            "summary": (
                f"Cost recorded: {line.get_kind_display()} from {format_date(line.starts_on)}"
            )[:255],
            "payload": _line_payload(line),
        }
        for line in lines
    ]
    return Table(AuditEntry, timezone.now()).write(rows)


@transaction.atomic
def change_cost(
    line: CostLine,
    *,
    from_date: dt.date,
    actor: Actor,
    amount: Decimal | None = None,
    band: Band | None = None,
    per: str | None = None,
    weeks: int | None = None,
) -> CostLine:
    """A new figure from `from_date` (a fee rise, a new band): the line ends the day before
    and a new line, the same but for the changed figures, starts on `from_date`."""
    locked = CostLine.objects.select_for_update().select_related("plan").get(pk=line.pk)
    if from_date <= locked.starts_on:
        raise ActionError("The change must start after the cost it replaces started")
    if locked.ends_on is not None and from_date > locked.ends_on:
        raise ActionError("The change must start before the cost it replaces ends")
    ends_on = locked.ends_on
    locked.ends_on = from_date - dt.timedelta(days=1)
    locked.save(update_fields=["ends_on"])
    new = CostLine(
        plan=locked.plan, placement=locked.placement, kind=locked.kind,
        band=band or locked.band, amount=amount if amount is not None else locked.amount,
        per=per or locked.per, weeks=weeks if weeks is not None else locked.weeks,
        starts_on=from_date, ends_on=ends_on, health_share=locked.health_share,
        social_care_share=locked.social_care_share, reference=locked.reference,
    )  # fmt: skip
    _check_line(
        plan=locked.plan, kind=new.kind, placement=new.placement, band=new.band,
        amount=new.amount, per=new.per, weeks=new.weeks, starts_on=new.starts_on,
        ends_on=new.ends_on, health_share=new.health_share,
        social_care_share=new.social_care_share,
    )  # fmt: skip
    new.save()
    audit(
        actor,
        AuditEntry.Action.UPDATE,
        new,
        f"Cost changed from {format_date(from_date)}: {new.get_kind_display()}",
        case=locked.plan.case,
        payload={"replaces": locked.pk, "before": _line_payload(locked), **_line_payload(new)},
    )
    return new


@transaction.atomic
def end_cost_line(line: CostLine, *, ends_on: dt.date, actor: Actor) -> CostLine:
    locked = CostLine.objects.select_for_update().select_related("plan").get(pk=line.pk)
    if ends_on < locked.starts_on:
        raise ActionError("The end date must be the same as or after the start date")
    before = locked.ends_on
    locked.ends_on = ends_on
    locked.save(update_fields=["ends_on"])
    audit(
        actor,
        AuditEntry.Action.UPDATE,
        locked,
        f"Cost ended on {format_date(ends_on)}: {locked.get_kind_display()}",
        case=locked.plan.case,
        payload={"ends_on": [before.isoformat() if before else None, ends_on.isoformat()]},
    )
    return locked


@transaction.atomic
def add_budget_line(
    *, financial_year: int, category: str, amount: Decimal, description: str = "", actor: Actor
) -> BudgetLine:
    """A line of the High Needs budget (or the DSG position brought forward), entered by
    finance. A correction is another line, so the history of the budget stays in the table."""
    if category not in BudgetLine.Category.values:
        raise ActionError("Select the placement category")
    if category != BudgetLine.Category.BROUGHT_FORWARD and amount < 0:
        raise ActionError("A budget must be £0 or more")
    line = BudgetLine.objects.create(
        financial_year=financial_year, category=category, amount=amount, description=description
    )
    audit(
        actor,
        AuditEntry.Action.CREATE,
        line,
        f"Budget line for {fy_label(financial_year)}: {line.get_category_display()}"[:255],
        payload={"financial_year": financial_year, "category": category, "amount": _money(amount)},
    )
    return line


@transaction.atomic
def set_workforce_assumption(
    *,
    team: Any,
    caseload_target: int,
    hours_per_assessment: Decimal,
    hours_per_plan_year: Decimal,
    hours_per_officer_year: Decimal,
    actor: Actor,
) -> WorkforceAssumption:
    """Set a team's assumptions (or the council's, with no team); the old ones are audited."""
    if caseload_target < 1 or hours_per_officer_year <= 0:
        raise ActionError("A caseload and an officer's hours must be more than 0")
    if hours_per_assessment < 0 or hours_per_plan_year < 0:
        raise ActionError("Hours must be 0 or more")
    row = WorkforceAssumption.objects.select_for_update().filter(team=team).first()
    fields = {
        "caseload_target": caseload_target,
        "hours_per_assessment": hours_per_assessment,
        "hours_per_plan_year": hours_per_plan_year,
        "hours_per_officer_year": hours_per_officer_year,
    }
    before = {k: str(getattr(row, k)) for k in fields} if row else None
    if row is None:
        row = WorkforceAssumption(team=team)
    for k, v in fields.items():
        setattr(row, k, v)
    row.save()
    audit(
        actor,
        AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
        row,
        f"Workforce assumptions set for {team or 'the council'}"[:255],
        payload={"before": before, "after": {k: str(v) for k, v in fields.items()}},
    )
    return row


@transaction.atomic
def cost_new_placement(
    placement: Placement, *, actor: Actor, need_level: str = ""
) -> CostLine | None:
    """Give a newly recorded main placement its cost from the banding matrix: a banded line
    (element 2 where the band has place funding, and element 3) from the placement's start, for
    the band of its setting type at the need level given, or else the child's current level
    (the band of the plan's latest banded cost). Returns None, and adds nothing, where finance
    must set the cost: a fee at an independent, non-maintained or specialist post-16 setting,
    other arrangements made by the council, or no band at that level for the setting type.
    Those placements are listed on the finance screens (`placing.uncosted`) until finance
    records their cost."""
    if placement.rank != 1 or not banded_type(placement):
        return None
    level = need_level.strip() or need_level_of(placement.plan_id, before=placement.pk)
    band = Band.objects.filter(setting_type=placement.setting_type, code=level).first()
    if band is None:
        return None
    return add_cost_line(
        placement.plan,
        kind=CostLine.Kind.BANDED,
        placement=placement,
        band=band,
        starts_on=placement.entry_date,
        reference="Banding matrix, when the placement was recorded",
        actor=actor,
    )


@transaction.atomic
def end_placement_costs(placement: Placement, *, actor: Actor) -> list[CostLine]:
    """A placement has ended: each of its cost lines that ran on past the leaving date ends
    on it (the figures already stop there; this keeps the lines as finance reads them)."""
    if placement.leaving_date is None:
        return []
    ended = []
    running = CostLine.objects.filter(placement=placement).exclude(
        ends_on__lte=placement.leaving_date
    )
    for line in running.filter(starts_on__lte=placement.leaving_date):
        ended.append(end_cost_line(line, ends_on=placement.leaving_date, actor=actor))
    return ended
