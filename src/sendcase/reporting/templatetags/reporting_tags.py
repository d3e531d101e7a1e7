"""Formatting report figures: percentages to one decimal place, a dash for "none"."""

from __future__ import annotations

from typing import Any

from django import template

from sendcase.reporting.presenters import drill_url

register = template.Library()


@register.filter
def pc(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


@register.filter
def num(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


@register.filter
def get(mapping: Any, key: Any) -> Any:
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def share(part: int | None, whole: int | None) -> str:
    if not whole or part is None:
        return "–"
    return f"{100.0 * part / whole:.1f}%"


@register.simple_tag
def drill(key: str, period: Any, part: str = "all") -> str:
    """The drill-down URL for a figure (the cases behind it)."""
    return drill_url(key, period, part)


@register.filter
def result(results: Any, key: str) -> Any:
    return results.get(key) if results is not None else None
