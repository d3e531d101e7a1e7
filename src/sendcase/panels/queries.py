"""The panels' consistency figures: how often each panel decided as the case officer
recommended, by primary need, setting type, officer and panel. Plain grouped counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from sendcase.accounts.models import User
from sendcase.core.codes import NeedType, SettingType
from sendcase.panels.models import Kind, PanelItem

BY: dict[str, tuple[str, str]] = {
    # key: (label, field)
    "need": ("Primary need", "need"),
    "setting_type": ("Setting type", "setting_type"),
    "officer": ("Case officer", "officer_id"),
    "panel": ("Panel", "meeting__name"),
    "kind": ("Decision", "kind"),
}


@dataclass(frozen=True)
class Row:
    label: str
    decided: int
    agreed: int

    @property
    def rate(self) -> int:
        """Agreement, as a whole percentage."""
        return round(100 * self.agreed / self.decided) if self.decided else 0


def decided(scope: Q) -> QuerySet[PanelItem]:
    return PanelItem.objects.filter(scope).exclude(decision="")


def agreement(items: QuerySet[PanelItem], by: str) -> list[Row]:
    """Decided items grouped by `by` (a BY key), largest group first."""
    field = BY[by][1]
    grouped = (
        items.values(field)
        .annotate(decided=Count("pk"), agreed=Count("pk", filter=Q(agreed=True)))
        .order_by("-decided", field)
    )
    names = _names(by, [g[field] for g in grouped])
    return [Row(names.get(g[field], "Not known"), g["decided"], g["agreed"]) for g in grouped]


def _names(by: str, values: list[Any]) -> dict[Any, str]:
    if by == "need":
        return {k: v for k, v in NeedType.choices}
    if by == "setting_type":
        return {k: v for k, v in SettingType.choices}
    if by == "kind":
        return {k: v for k, v in Kind.choices}
    if by == "officer":
        return {u.pk: u.get_full_name() or u.username for u in User.objects.filter(pk__in=values)}
    return {v: v for v in values if v}
