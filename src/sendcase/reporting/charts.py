"""Charts drawn on the server as SVG: they need no JavaScript, and each has a data table beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# GOV.UK typography in every chart, on screen and in a saved or printed copy of the page.
FONT = "'GDS Transport', arial, sans-serif"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    text: str = ""
    compare: float | None = None  # e.g. England's figure, drawn as a marker


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    maximum: float | None = None,
    unit: str = "",
    width: int = 460,
    height: int = 220,
    compare_label: str = "",
) -> SafeString:
    """A vertical bar chart; `maximum` fixes the scale (100 for percentages)."""
    left, bottom, top = 44, 34, 16
    plot_h = height - bottom - top
    values = [b.value or 0 for b in bars] + [b.compare or 0 for b in bars]
    top_value = maximum or max(values + [1]) * 1.15
    n = max(len(bars), 1)
    slot = (width - left - 8) / n
    bar_w = min(slot * 0.6, 60)
    parts = [
        f'<svg class="app-report-chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="{FONT}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(5):
        v = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        tick = f"{v:.0f}{unit}"
        parts.append(
            f'<line x1="{left}" x2="{width - 4}" y1="{y:.1f}" y2="{y:.1f}" stroke="#b1b4b6" stroke-width="0.5"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="13" text-anchor="end" fill="#505a5f">{tick}</text>'
        )
    for i, bar in enumerate(bars):
        x = left + slot * i + (slot - bar_w) / 2
        value = bar.value or 0
        h = plot_h * min(value / top_value, 1) if top_value else 0
        y = top + plot_h - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="#1d70b8">'
            f"<title>{escape(bar.label)}: {escape(bar.text or _fmt(bar.value, unit))}</title></rect>"
        )
        if bar.value is not None:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" font-size="14" text-anchor="middle" '
                f'fill="#0b0c0c">{escape(_fmt(bar.value, unit))}</text>'
            )
        if bar.compare is not None:
            cy = top + plot_h - plot_h * min(bar.compare / top_value, 1)
            parts.append(
                f'<line x1="{x - 4:.1f}" x2="{x + bar_w + 4:.1f}" y1="{cy:.1f}" y2="{cy:.1f}" '
                f'stroke="#d4351c" stroke-width="3"><title>{escape(compare_label)}: '
                f"{escape(_fmt(bar.compare, unit))}</title></line>"
            )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 16:.1f}" font-size="14" '
            f'text-anchor="middle" fill="#0b0c0c">{escape(bar.label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part above is escaped


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "%":
        return f"{value:.1f}%"
    return f"{value:,.0f}"
