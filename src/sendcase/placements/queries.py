"""Reading the register of settings: finding a setting by name, URN, UKPRN or postcode."""

from __future__ import annotations

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Replace, Upper

from sendcase.placements.models import Setting

SEARCH_LIMIT = 20


def search_settings(text: str, *, limit: int = SEARCH_LIMIT) -> list[Setting]:
    """Settings whose name holds every word typed, or whose URN or UKPRN starts with it, or whose
    postcode matches it (spaces ignored), by name; at most `limit` (one query)."""
    text = " ".join(text.split())
    if not text:
        return []
    by_name = Q()
    for word in text.split():
        by_name &= Q(name__icontains=word)
    compact = text.replace(" ", "").upper()
    matches: QuerySet[Setting] = Setting.objects.alias(
        compact_postcode=Replace(Upper("postcode"), Value(" "), Value(""))
    ).filter(
        by_name
        | Q(urn__startswith=compact)
        | Q(ukprn__startswith=compact)
        | Q(compact_postcode=compact)
    )
    return list(matches.order_by("name", "pk")[:limit])
