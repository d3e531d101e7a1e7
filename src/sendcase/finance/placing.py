"""Which placements the council pays for, and which of them have no cost yet.

A main placement at a setting the banding matrix covers gets its cost when it is recorded
(`actions.cost_new_placement`). A fee at an independent, non-maintained or specialist post-16
setting, or other arrangements the council makes, are agreed by finance: until finance records
the cost, the placement is listed as a placement without a cost (`uncosted`), on the finance
view and its own page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q

from sendcase.core.codes import SENSetting, SettingType
from sendcase.finance.models import CostLine
from sendcase.placements.models import Placement, Setting
from sendcase.plans.models import Plan

FEE_KINDS = frozenset(
    {
        Setting.Kind.INDEPENDENT_SPECIAL,
        Setting.Kind.NON_MAINTAINED_SPECIAL,
        Setting.Kind.SPECIALIST_POST16,
        Setting.Kind.INDEPENDENT,
    }
)
AGREED_CODES = frozenset({SENSetting.OLA})  # other arrangements made by the council
BANDED_TYPES = frozenset(
    {
        SettingType.MAINSTREAM,
        SettingType.RESOURCED,
        SettingType.MAINTAINED_SPECIAL,
        SettingType.ALTERNATIVE_PROVISION,
        SettingType.FURTHER_EDUCATION,
        SettingType.EARLY_YEARS,
    }
)
REASONS = {
    "fee": "Fee to be set by finance (independent, non-maintained or specialist post-16)",
    "agreed": "Cost to be agreed by finance (other arrangements made by the council)",
    "band": "No band: choose the band for the child's need level",
}


def _kind(placement: Any) -> str:
    setting = getattr(placement, "setting", None)
    return setting.kind if setting is not None else ""


def banded_type(placement: Placement) -> bool:
    """The banding matrix prices this placement (not a fee, not other arrangements)."""
    return _kind(placement) not in FEE_KINDS and placement.setting_type in BANDED_TYPES


def reason(*, kind: str, sen_setting: str, setting_type: str) -> str | None:
    """Why a main placement with no cost needs finance, or None if the council pays nothing
    there (elective home education, arrangements made by parents, not in education)."""
    if kind in FEE_KINDS:
        return "fee"
    if sen_setting in AGREED_CODES:
        return "agreed"
    if kind and setting_type in BANDED_TYPES:
        return "band"
    return None


def need_level_of(plan_id: int, *, before: int | None = None) -> str:
    """The child's need level: the band code of the plan's latest banded cost (of a placement
    other than `before`), or "" if it has none."""
    lines = CostLine.objects.filter(plan_id=plan_id, kind=CostLine.Kind.BANDED)
    if before is not None:
        lines = lines.exclude(placement_id=before)
    latest = lines.order_by("-starts_on", "-pk").values_list("band__code", flat=True).first()
    return latest or ""


@dataclass(frozen=True)
class Uncosted:
    placement_id: int
    plan_id: int
    case_id: int
    child: str
    setting: str
    setting_type: str
    entry_date: dt.date
    reason: str

    @property
    def reason_text(self) -> str:
        return REASONS[self.reason]


def uncosted(today: dt.date) -> list[Uncosted]:
    """Main placements of current plans (draft or maintained), running today or starting
    later, that the council pays for but that have no cost line running from today on."""
    costed = CostLine.objects.filter(placement_id=OuterRef("pk")).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    rows = (
        Placement.objects.filter(
            Q(leaving_date__isnull=True) | Q(leaving_date__gte=today),
            Q(plan__cease_date__isnull=True) | Q(plan__cease_date__gt=today),
            rank=1,
            plan__status__in=(Plan.Status.DRAFT, Plan.Status.ACTIVE),
        )
        .filter(
            Q(setting__kind__in=FEE_KINDS)
            | Q(sen_setting__in=AGREED_CODES)
            | Q(setting__isnull=False, setting_type__in=BANDED_TYPES)
        )
        .exclude(Exists(costed))
        .order_by("entry_date", "pk")
        .values(
            "pk", "plan_id", "plan__case_id", "setting__name", "setting__kind", "sen_setting",
            "setting_type", "entry_date", "plan__case__child__forename",
            "plan__case__child__surname",
        )
    )  # fmt: skip
    labels = dict(SettingType.choices)
    out = []
    for r in rows:
        why = reason(
            kind=r["setting__kind"] or "", sen_setting=r["sen_setting"],
            setting_type=r["setting_type"],
        )  # fmt: skip
        if why is None:
            continue
        out.append(
            Uncosted(
                placement_id=r["pk"],
                plan_id=r["plan_id"],
                case_id=r["plan__case_id"],
                child=f"{r['plan__case__child__forename']} {r['plan__case__child__surname']}",
                setting=r["setting__name"] or SENSetting(r["sen_setting"]).label,
                setting_type=labels.get(r["setting_type"], r["setting_type"]),
                entry_date=r["entry_date"],
                reason=why,
            )
        )
    return out
