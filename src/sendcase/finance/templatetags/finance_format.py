"""Formatting the finance screens' figures."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def signed_pct(value: float | None) -> str:
    """A fraction as a signed percentage, "+3.2%"; "Not known" for None."""
    if value is None:
        return "Not known"
    return f"{value * 100:+.1f}%"
