"""Documents as files: the plan and the letters as tagged PDF (PDF/UA-1: a structure tree,
a title, the language, headings per section), and the plan as DOCX.

The PDF is core.weasy's (WeasyPrint, in the shared print style; it needs Pango, a Debian
package: scripts/system-packages.sh). Everything is rendered from the presenter's plain data.
"""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string

from sendcase.core.weasy import html_to_pdf
from sendcase.documents.presenter import PlanDocument


def plan_pdf(doc: PlanDocument) -> bytes:
    return html_to_pdf(render_to_string("documents/print/plan.html", {"doc": doc}))


def plan_docx(doc: PlanDocument) -> bytes:
    """The plan as a Word document, with real headings (Heading 1 and 2) and the document's
    title and language in its properties."""
    from docx import Document  # slow import: only where a DOCX is made
    from docx.oxml.ns import qn  # slow import, as above

    document = Document()
    document.core_properties.title = doc.title
    document.core_properties.author = doc.council
    document.core_properties.language = "en-GB"
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "en-GB")
    document.add_paragraph(doc.council)
    document.add_heading(doc.kind_label, level=0)
    document.add_paragraph(f"Education, health and care plan for {doc.child_name}")
    for label, value in (
        ("Name", doc.child_name),
        ("Date of birth", doc.date_of_birth),
        ("Reference", doc.reference),
        ("Issued", f"{doc.issued_on} (version {doc.number})"),
    ):
        p = document.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(value)
    for section in doc.sections:
        document.add_heading(f"Section {section.key}: {section.title}", level=1)
        for text in section.paragraphs:
            document.add_paragraph(text)
        for item in section.items:
            document.add_heading(item.heading, level=2)
            for label, value in item.fields:
                p = document.add_paragraph(style="List Bullet")
                p.add_run(f"{label}: ").bold = True
                p.add_run(value)
        if section.empty:
            document.add_paragraph("Nothing recorded in this section.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def letter_paragraphs(body: str) -> list[dict[str, Any]]:
    """The letter's paragraphs (separated by a blank line); one starting "## " is a heading."""
    out = []
    for p in (p.strip() for p in body.split("\n\n")):
        if p.startswith("## "):
            out.append({"text": p[3:].strip(), "heading": True})
        elif p:
            out.append({"text": p, "heading": False})
    return out


def letter_pdf(
    *, subject: str, body: str, council: str, address: list[str], letter_date: str, reference: str
) -> bytes:
    html = render_to_string(
        "documents/print/letter.html",
        {
            "subject": subject,
            "paragraphs": letter_paragraphs(body),
            "council": council,
            "address": address,
            "letter_date": letter_date,
            "case_reference": reference,
        },
    )
    return html_to_pdf(html)
