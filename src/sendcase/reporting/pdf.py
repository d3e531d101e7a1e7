"""The committee report as a tagged, accessible PDF (PDF/UA-1 through WeasyPrint, as the plans
and letters: a structure tree, the title and language, a heading per section, tables with
header cells, charts with a text alternative): the same sections and figures as the HTML.

`committee_blocks` turns the report's context (presenters.committee_context) into plain sections of
paragraphs, tables and bar charts; the print template renders them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from sendcase.core.weasy import html_to_pdf
from sendcase.reporting.domain import measures as m
from sendcase.statutory.dates import format_date

# The committee report's own page (landscape) and tables, over the shared print style.
COMMITTEE_CSS = Path(__file__).parent / "templates" / "reporting" / "print" / "committee.css"


def _pc(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def _n(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.0f}"
    return f"{value:,}"


def _share(part: int, whole: int) -> str:
    return "–" if not whole else f"{100.0 * part / whole:.1f}%"


@dataclass
class Chart:
    """A bar chart drawn as SVG, with its figures as text for those who cannot see it."""

    title: str
    bars: list[tuple[str, float | None]]
    percent: bool

    @property
    def alt(self) -> str:
        unit = "%" if self.percent else ""
        return f"{self.title}: " + "; ".join(
            f"{label} {'no figure' if v is None else f'{v:,.1f}{unit}' if self.percent else f'{v:,.0f}'}"
            for label, v in self.bars
        )

    @property
    def svg_bars(self) -> list[dict[str, Any]]:
        top = 100.0 if self.percent else max([v or 0 for _l, v in self.bars] + [1.0])
        width = 100.0 / max(len(self.bars), 1)
        out = []
        for i, (label, v) in enumerate(self.bars):
            h = 0.0 if v is None else 40.0 * v / top
            out.append(
                {
                    "x": f"{i * width + width * 0.15:.2f}",
                    "w": f"{width * 0.7:.2f}",
                    "y": f"{45 - h:.2f}",
                    "h": f"{h:.2f}",
                    "cx": f"{i * width + width / 2:.2f}",
                    "label": label,
                    "value": "–" if v is None else (f"{v:.1f}%" if self.percent else f"{v:,.0f}"),
                    "vy": f"{max(45 - h - 1.5, 4):.2f}",
                }
            )
        return out


@dataclass
class Block:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[tuple[list[str], list[list[str]]]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)


def committee_blocks(context: dict[str, Any]) -> list[Block]:
    report = context["report"]
    comparison = context.get("comparison")
    keys = context["performance_keys"]
    labels = [r.period.label.split(" (")[0] for r in report.rows]
    blocks = [
        Block(
            "1. Performance against the statutory time limits",
            tables=[
                (
                    ["Year", *(f"% {label.lower()}" for label in context["performance_labels"])],
                    [
                        [row.period.label]
                        + [
                            f"{_pc(row.results[k].pc)} ({_n(row.results[k].numerator)} of "
                            f"{_n(row.results[k].denominator)})"
                            for k in keys
                        ]
                        for row in report.rows
                    ],
                )
            ],
            charts=[
                Chart(
                    "Plans issued within 20 weeks (%)",
                    list(
                        zip(
                            labels,
                            [r.results["plans_issued_within_20_weeks"].pc for r in report.rows],
                            strict=True,
                        )
                    ),
                    percent=True,
                )
            ],
        ),
        Block(
            "2. Demand: requests and plans",
            tables=[
                (
                    [
                        "Year",
                        "New requests for assessment",
                        "New plans",
                        "Plans maintained at the end of the year",
                    ],
                    [
                        [r.period.label, _n(r.requests), _n(r.new_plans), _n(r.total_plans)]
                        for r in report.rows
                    ],
                )
            ],
            charts=[
                Chart(
                    "Plans maintained at the end of each year",
                    list(zip(labels, [float(r.total_plans) for r in report.rows], strict=True)),
                    percent=False,
                )
            ],
        ),
    ]
    areas = comparison["areas"] if comparison else []
    need_shares: dict[str, Any] = comparison["needs"] if comparison else {}
    setting_shares: dict[str, Any] = comparison["settings"] if comparison else {}
    total = report.total_plans
    blocks.append(
        Block(
            f"3. Plans by primary need on {format_date(report.as_at)}",
            tables=[
                (
                    ["Primary need", "Plans", "%", *(f"{a.name} %" for a in areas)],
                    [
                        [r.label, _n(r.numerator), _share(r.numerator, total)]
                        + [_pc((need_shares.get(a.code) or {}).get(r.value)) for a in areas]
                        for r in report.needs
                    ],
                )
            ],
        )
    )
    blocks.append(
        Block(
            f"4. Where children with plans are placed on {format_date(report.as_at)}",
            tables=[
                (
                    ["Setting type", "Plans", "%", *(f"{a.name} %" for a in areas)],
                    [
                        [r.label, _n(r.numerator), _share(r.numerator, total)]
                        + [_pc((setting_shares.get(a.code) or {}).get(r.value)) for a in areas]
                        for r in report.settings
                    ],
                ),
                (
                    ["In or out of area", "Plans", "%"],
                    [[r.label, _n(r.numerator), _share(r.numerator, total)] for r in report.areas],
                ),
            ],
        )
    )
    other = [
        [r.definition.label, _n(r.numerator), _n(r.denominator), _pc(r.pc)]
        for r in report.extra.values()
    ] + [[f"Plans ceased ({r.label})", _n(r.numerator), "", ""] for r in report.ceased]
    blocks.append(
        Block(
            f"5. Other measures, {report.years[-1].label}",
            tables=[(["Measure", "Number", "Out of", "%"], other)],
        )
    )
    section = 6
    if comparison:
        council = settings.SENDCASE_COUNCIL_NAME
        rows = [
            [
                c.definition.label,
                str(c.year),
                *(
                    [_pc(c.council), *(_pc(v) for _a, v in c.others)]
                    if c.is_pc
                    else [_n(c.council_count), *(_n(v) for _a, v in c.others)]
                ),
            ]
            for c in comparison["rows"]
        ]
        blocks.append(
            Block(
                f"{section}. Beside England",
                paragraphs=[
                    "DfE's published figures for calendar years (plans maintained: the January "
                    "census after the year), beside the same measures computed from this "
                    "council's casework."
                ],
                tables=[(["Measure", "Year", council, *(a.name for a in areas)], rows)],
            )
        )
        section += 1
    text = report.commentary.strip() or "No commentary yet."
    blocks.append(Block(f"{section}. Commentary", paragraphs=text.split("\n\n")))
    blocks.append(
        Block(
            "How the figures are counted",
            notes=[(m.get(k).label, m.get(k).description) for k in keys],
        )
    )
    return blocks


def committee_pdf(context: dict[str, Any]) -> bytes:
    """Render the committee report's context (see presenters.committee_context) as a tagged PDF."""
    report = context["report"]
    council = settings.SENDCASE_COUNCIL_NAME
    first, last = report.years[0], report.years[-1]
    html = render_to_string(
        "reporting/print/committee.html",
        {
            "title": f"SEND service performance – {council}",
            "council": council,
            "intro": (
                f"{report.kind.label}: {first.label} to {last.label}. Produced by SENDcase from "
                f"the casework on {format_date(report.produced_on)}; every figure can be traced to the "
                "cases behind it."
            ),
            "blocks": committee_blocks(context),
        },
    )
    return html_to_pdf(html, COMMITTEE_CSS)
