"""The case page's "Legal hold" row, for the people who may place a hold (no query for others)."""

from __future__ import annotations

from typing import Any

from django import template

from sendcase.accounts.roles import may_see_retention
from sendcase.retention.models import LegalHold

register = template.Library()


@register.inclusion_tag("retention/_case_row.html", takes_context=True)
def legal_hold_row(context: dict[str, Any], child: Any) -> dict[str, Any]:
    request = context.get("request")
    if not may_see_retention(getattr(request, "user", None)):
        return {"show": False}
    return {"show": True, "child": child, "hold": LegalHold.objects.filter(child=child).first()}
