"""The plan as files: a tagged PDF (structure tree, marked, title, language, a heading per
section) and a DOCX that opens and reads back, both from the one presenter."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from sendcase.casework.scenarios import build_case
from sendcase.core.models import AuditEntry
from sendcase.documents.presenter import DRAFT_SECTION_I, plan_document
from sendcase.documents.render import plan_docx, plan_pdf
from sendcase.plans.models import SECTIONS, Need, Outcome, Provision

pytestmark = pytest.mark.django_db


def _headings(reader: PdfReader) -> list[str]:
    """The text of every H1/H2/H3 element in the PDF's structure tree."""
    out: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid)
            return
        if not hasattr(node, "get"):
            return
        if node.get("/S") in ("/H1", "/H2", "/H3"):
            out.append(str(node.get("/S")))
        kids = node.get("/K")
        if kids is not None:
            walk(kids)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return out


@pytest.fixture
def final_case(officer):
    case = build_case(stage="plan", officer=officer, weeks_ago=40)
    version = case.plan.versions.order_by("-number").first()
    need = Need.objects.get(version=version, rank=1)
    outcome = Outcome.objects.create(
        version=version, text="Sam will ask for help", by_when="July 2027"
    )
    outcome.needs.add(need)
    p = Provision.objects.create(
        version=version,
        section="F",
        description="Social communication group",
        frequency="30 minutes, 3 times a week",
        provider="Speech and language therapist",
    )
    p.needs.add(need)
    p.outcomes.add(outcome)
    return case, version


def test_final_plan_pdf_is_tagged_with_title_language_and_a_heading_per_section(final_case):
    case, version = final_case
    doc = plan_document(version)
    reader = PdfReader(io.BytesIO(plan_pdf(doc)))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]).lower() == "en-gb"
    assert reader.metadata.title == doc.title and case.child.full_name in doc.title
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    headings = _headings(reader)
    assert headings.count("/H2") == len(SECTIONS)
    assert headings.count("/H1") == 1
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for key in SECTIONS:
        assert f"Section {key}:" in text
    assert "30 minutes, 3 times a week" in text and "Speech and language therapist" in text
    assert "A setting of this type" in text  # section I of a final plan names its setting (type)


def test_draft_pdf_names_no_setting(officer):
    case = build_case(stage="draft", officer=officer, weeks_ago=30)
    version = case.plan.versions.get()
    text = " ".join(
        " ".join(p.extract_text().split())
        for p in PdfReader(io.BytesIO(plan_pdf(plan_document(version)))).pages
    )
    assert "Oak Lane" not in text  # a draft document never names a setting (CFA s38(5))
    assert " ".join(DRAFT_SECTION_I.split()[:8]) in text


def test_docx_opens_and_reads_back(final_case):
    case, version = final_case
    doc = plan_document(version)
    word = Document(io.BytesIO(plan_docx(doc)))
    assert word.core_properties.title == doc.title
    assert word.core_properties.language == "en-GB"
    h1 = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert h1 == [f"Section {k}: {t}" for k, t in SECTIONS.items()]
    body = "\n".join(p.text for p in word.paragraphs)
    assert "How often: 30 minutes, 3 times a week" in body


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF-"), ("docx", b"PK\x03\x04")])
def test_download_is_audited_and_refused_to_outsiders(
    final_case, signed_in, officer, outsider, fmt, magic
):
    case, version = final_case
    url = reverse("casework:plan_file", args=[case.pk, version.number, fmt])
    response = signed_in(officer).get(url)
    assert response.status_code == 200 and response.content.startswith(magic)
    assert "attachment" in response["Content-Disposition"]
    assert AuditEntry.objects.filter(
        case=case, action="view", summary__contains=f"as {fmt.upper()}"
    ).exists()
    assert signed_in(outsider).get(url).status_code == 404
