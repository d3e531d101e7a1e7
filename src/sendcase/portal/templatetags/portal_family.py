"""The family's side, where staff work: messages waiting for an answer in the work queue, and
the family's comments beside each section of the draft plan."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, Min
from django.utils import timezone

from sendcase.casework.access import cases_for_user
from sendcase.core.actors import RequestUser
from sendcase.portal.family_models import AssessmentAsk, CaseMessage, DraftComment

register = template.Library()


@register.inclusion_tag("portal/family/staff/_waiting.html")
def family_waiting(user: RequestUser) -> dict[str, Any]:
    """Cases in this person's scope with messages from the family not yet answered, the longest
    wait first; and online requests waiting for a check of who the child is."""
    scope = cases_for_user(user)
    waiting: list[dict[str, Any]] = [
        dict(row)
        for row in CaseMessage.objects.filter(
            case__in=scope.values("pk"), person__isnull=False, answered_at__isnull=True
        )
        .values("case_id", "case__reference", "case__child__forename", "case__child__surname")
        .annotate(count=Count("pk"), oldest=Min("sent_at"))
        .order_by("oldest")[:20]
    ]
    now = timezone.now()
    for row in waiting:
        row["waited"] = now - row["oldest"]
    held = (
        AssessmentAsk.objects.filter(status=AssessmentAsk.Status.CHECK).count()
        if user.has_perm("casework.add_case")
        else 0
    )
    return {"waiting": waiting, "held": held}


@register.simple_tag
def family_comments(version: Any) -> dict[str, list[DraftComment]]:
    """The family's comments on this plan version, by section ("" for a setting or a meeting)."""
    out: dict[str, list[DraftComment]] = {}
    for c in DraftComment.objects.filter(plan_version=version).select_related("person"):
        out.setdefault(c.section, []).append(c)
    return out


@register.filter
def for_section(comments: dict[str, list[DraftComment]], key: str) -> list[DraftComment]:
    return comments.get(key, [])


@register.filter
def waited_words(delta: Any) -> str:
    """How long a message has waited, in days or hours."""
    hours = int(delta.total_seconds() // 3600)
    if hours >= 48:
        return f"{hours // 24} days"
    if hours >= 1:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return "under an hour"
