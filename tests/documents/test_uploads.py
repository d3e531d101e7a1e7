"""Files on a case: type by content, size capped, names sanitised, every upload and download
audited, downloads only for those who may read the case; advice received can be the upload."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sendcase.casework.domain.assessment import record_advice_requested
from sendcase.casework.scenarios import build_case
from sendcase.core.models import AuditEntry
from sendcase.documents.models import CaseDocument
from sendcase.documents.uploads import safe_name, sniff

pytestmark = pytest.mark.django_db


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("evil.exe", "MZ")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        pytest.param(b"%PDF-1.7\n...", "pdf", id="pdf"),
        pytest.param(b"\x89PNG\r\n\x1a\n....", "png", id="png"),
        pytest.param(b"\xff\xd8\xff\xe0....", "jpeg", id="jpeg"),
        pytest.param(docx_bytes(), "docx", id="docx"),
        pytest.param(plain_zip(), None, id="a zip that is not a Word document"),
        pytest.param(b"MZ\x90\x00", None, id="a program"),
        pytest.param(b"<html><script>", None, id="html"),
    ],
)
def test_type_is_read_from_the_content(data, kind):
    assert sniff(data) == kind


@pytest.mark.parametrize(
    ("name", "ext", "expected"),
    [
        ("report.pdf", ".pdf", "report.pdf"),
        ("../../etc/passwd", ".pdf", "passwd.pdf"),
        ("C:\\Users\\jo\\EP advice.PDF", ".pdf", "EP advice.pdf"),
        ("photo.exe", ".png", "photo.png"),
        ("Zoë's <views>.docx", ".docx", "Zoe-s -views.docx"),
        ("", ".jpg", "document.jpg"),
        ("a" * 300 + ".pdf", ".pdf", "a" * 100 + ".pdf"),
    ],
)
def test_names_are_sanitised(name, ext, expected):
    assert safe_name(name, ext) == expected


@pytest.fixture
def case(officer):
    return build_case(stage="advice", officer=officer, weeks_ago=10)


def upload(client, case, content: bytes, name: str, **extra):
    return client.post(
        reverse("casework:documents", args=[case.pk]),
        {"file": SimpleUploadedFile(name, content), "kind": "advice", **extra},
    )


def test_upload_download_and_audit(case, officer, outsider, signed_in):
    client = signed_in(officer)
    response = upload(client, case, b"%PDF-1.4 the advice", "../EP advice.exe")
    assert response.status_code == 302
    doc = CaseDocument.objects.get(case=case)
    assert (doc.filename, doc.content_type) == ("EP advice.pdf", "application/pdf")
    assert AuditEntry.objects.filter(
        case=case, action="create", object_type="documents.casedocument"
    ).exists()
    url = reverse("casework:document_file", args=[case.pk, doc.pk])
    got = client.get(url)
    assert b"".join(got.streaming_content) == b"%PDF-1.4 the advice"
    assert AuditEntry.objects.filter(
        case=case, action="view", object_type="documents.casedocument"
    ).exists()
    assert signed_in(outsider).get(url).status_code == 404


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00", "advice.pdf", "The selected file must be a PDF"),
        (b"", "empty.pdf", "The selected file is empty"),
    ],
)
def test_bad_files_are_refused_in_govuk_wording(case, officer, signed_in, content, name, message):
    response = upload(signed_in(officer), case, content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CaseDocument.objects.exists()


def test_size_is_capped(case, officer, signed_in, settings):
    settings.SENDCASE_DOCUMENT_UPLOAD_MAX_MB = 1
    response = upload(signed_in(officer), case, b"%PDF-" + b"x" * (2**20), "big.pdf")
    assert "The selected file must be smaller than 1MB" in response.content.decode()
    assert not CaseDocument.objects.exists()


def test_receiving_advice_can_be_the_upload(officer, signed_in):
    case = build_case(stage="assessing", officer=officer, weeks_ago=10)
    record_advice_requested(
        case,
        kind="educational_psychology",
        provider="EP service",
        requested_on=case.request.decision_on,
        actor=officer,
    )
    advice = case.advice_requests.get()
    assert advice.received_on is None
    on = advice.requested_on
    response = upload(
        signed_in(officer),
        case,
        b"%PDF-1.4 advice",
        "advice.pdf",
        advice_request=str(advice.pk),
        received_on_day=str(on.day),
        received_on_month=str(on.month),
        received_on_year=str(on.year),
    )
    assert response.status_code == 302
    advice.refresh_from_db()
    assert advice.received_on == on
    assert CaseDocument.objects.get().advice_request == advice
