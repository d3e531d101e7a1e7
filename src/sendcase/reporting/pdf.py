"""The committee report as a PDF (reportlab): the same sections and figures as the HTML."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape  # noqa: S406 - escaping our own text for reportlab markup

from django.conf import settings
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from sendcase.reporting.domain import measures as m
from sendcase.statutory.dates import format_date

BLUE = colors.HexColor("#1d70b8")
GREY = colors.HexColor("#b1b4b6")
TEXT = colors.HexColor("#0b0c0c")


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


def _table(rows: list[list[Any]], widths: list[float] | None = None) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Helvetica", 8.5),
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
                ("FONT", (0, 1), (0, -1), "Helvetica-Bold", 8.5),
                ("TEXTCOLOR", (0, 0), (-1, -1), TEXT),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, GREY),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _chart(title: str, labels: list[str], values: list[float | None], *, percent: bool) -> Drawing:
    drawing = Drawing(120 * mm, 62 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 10 * mm
    chart.width, chart.height = 100 * mm, 42 * mm
    chart.data = [[v or 0 for v in values]]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    if percent:
        chart.valueAxis.valueMax = 100
        chart.valueAxis.valueStep = 20
    chart.bars[0].fillColor = BLUE
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%.1f%%" if percent else "%.0f"
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    drawing.add(chart)
    drawing.add(String(0, 58 * mm, title, fontName="Helvetica-Bold", fontSize=9, fillColor=TEXT))
    return drawing


def committee_pdf(context: dict[str, Any]) -> bytes:
    """Render the committee report's context (see views.committee_context) as a PDF."""
    report = context["report"]
    comparison = context.get("comparison")
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=9.5, leading=13)
    small = ParagraphStyle(
        "small", parent=body, fontSize=7.5, leading=10, textColor=colors.HexColor("#505a5f")
    )
    h1 = ParagraphStyle("h1", parent=styles["Heading1"], fontSize=18, textColor=TEXT)
    h2 = ParagraphStyle(
        "h2",
        parent=styles["Heading2"],
        fontSize=12.5,
        textColor=TEXT,
        spaceBefore=8,
        keepWithNext=1,
    )
    council = settings.SENDCASE_COUNCIL_NAME
    first, last = report.years[0], report.years[-1]
    story: list[Any] = [
        Paragraph(escape(council), body),
        Paragraph("SEND service performance", h1),
        Paragraph(
            escape(
                f"{report.kind.label}: {first.label} to {last.label}. Produced by SENDcase from the "
                f"casework on {format_date(report.produced_on)}; every figure can be traced to the cases behind it."
            ),
            body,
        ),
        Spacer(1, 4 * mm),
        Paragraph("1. Performance against the statutory time limits", h2),
    ]
    keys = context["performance_keys"]
    head = ["Year", *(f"% {label.lower()}" for label in context["performance_labels"])]
    rows: list[list[Any]] = [[Paragraph(f"<b>{escape(h)}</b>", small) for h in head]]
    for row in report.rows:
        cells: list[Any] = [row.period.label]
        for key in keys:
            r = row.results[key]
            cells.append(f"{_pc(r.pc)}\n({_n(r.numerator)} of {_n(r.denominator)})")
        rows.append(cells)
    story.append(_table(rows, [34 * mm] + [38 * mm] * len(keys)))
    labels = [r.period.label.split(" (")[0] for r in report.rows]
    story.append(
        KeepTogether(
            [
                _chart(
                    "Plans issued within 20 weeks (%)",
                    labels,
                    [r.results["plans_issued_within_20_weeks"].pc for r in report.rows],
                    percent=True,
                )
            ]
        )
    )
    story.append(Paragraph("2. Demand: requests and plans", h2))
    demand = [
        [
            "Year",
            "New requests for assessment",
            "New plans",
            "Plans maintained at the end of the year",
        ]
    ]
    demand += [
        [r.period.label, _n(r.requests), _n(r.new_plans), _n(r.total_plans)] for r in report.rows
    ]
    story.append(_table(demand, [34 * mm, 50 * mm, 30 * mm, 60 * mm]))
    story.append(
        KeepTogether(
            [
                _chart(
                    "Plans maintained at the end of each year",
                    labels,
                    [float(r.total_plans) for r in report.rows],
                    percent=False,
                )
            ]
        )
    )
    areas = comparison["areas"] if comparison else []
    need_shares: dict[str, Any] = comparison["needs"] if comparison else {}
    setting_shares: dict[str, Any] = comparison["settings"] if comparison else {}
    total = report.total_plans
    story.append(Paragraph(escape(f"3. Plans by primary need on {format_date(report.as_at)}"), h2))
    need_rows: list[list[Any]] = [["Primary need", "Plans", "%", *(f"{a.name} %" for a in areas)]]
    for r in report.needs:
        need_rows.append(
            [r.label, _n(r.numerator), _share(r.numerator, total)]
            + [_pc((need_shares.get(a.code) or {}).get(r.value)) for a in areas]
        )
    story.append(_table(need_rows))
    story.append(Spacer(1, 2 * mm))
    story.append(
        Paragraph(
            escape(f"4. Where children with plans are placed on {format_date(report.as_at)}"), h2
        )
    )
    setting_rows: list[list[Any]] = [
        ["Setting type", "Plans", "%", *(f"{a.name} %" for a in areas)]
    ]
    for r in report.settings:
        setting_rows.append(
            [r.label, _n(r.numerator), _share(r.numerator, total)]
            + [_pc((setting_shares.get(a.code) or {}).get(r.value)) for a in areas]
        )
    story.append(_table(setting_rows))
    story.append(Spacer(1, 3 * mm))
    story.append(
        _table(
            [["In or out of area", "Plans", "%"]]
            + [[r.label, _n(r.numerator), _share(r.numerator, total)] for r in report.areas]
        )
    )
    story.append(Paragraph(escape(f"5. Other measures, {last.label}"), h2))
    other: list[list[Any]] = [["Measure", "Number", "Out of", "%"]]
    for r in report.extra.values():
        other.append([r.definition.label, _n(r.numerator), _n(r.denominator), _pc(r.pc)])
    for r in report.ceased:
        other.append([f"Plans ceased ({r.label})", _n(r.numerator), "", ""])
    story.append(_table(other, [110 * mm, 25 * mm, 25 * mm, 25 * mm]))
    section = 6
    if comparison:
        story.append(Paragraph(f"{section}. Beside England", h2))
        section += 1
        story.append(
            Paragraph(
                "DfE's published figures for calendar years (plans maintained: the January census after the year), "
                "beside the same measures computed from this council's casework.",
                body,
            )
        )
        comp: list[list[Any]] = [["Measure", "Year", council[:24], *(a.name[:24] for a in areas)]]
        for c in comparison["rows"]:
            if c.is_pc:
                comp.append(
                    [
                        c.definition.label,
                        str(c.year),
                        _pc(c.council),
                        *(_pc(v) for _a, v in c.others),
                    ]
                )
            else:
                comp.append(
                    [
                        c.definition.label,
                        str(c.year),
                        _n(c.council_count),
                        *(_n(v) for _a, v in c.others),
                    ]
                )
        story.append(_table(comp))
    story.append(Paragraph(f"{section}. Commentary", h2))
    text = report.commentary.strip() or "No commentary yet."
    for para in text.split("\n\n"):
        story.append(Paragraph(escape(para).replace("\n", "<br/>"), body))
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph("How the figures are counted", h2))
    for key in keys:
        defn = m.get(key)
        story.append(Paragraph(f"<b>{escape(defn.label)}:</b> {escape(defn.description)}", small))
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"SEND service performance – {council}",
        author="SENDcase",
    )

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.HexColor("#505a5f"))
        canvas.drawString(14 * mm, 7 * mm, f"{council}: SEND service performance. OFFICIAL.")
        canvas.drawRightString(landscape(A4)[0] - 14 * mm, 7 * mm, f"Page {document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
