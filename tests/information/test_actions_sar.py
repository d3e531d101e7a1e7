"""Subject access: the month from receipt or verification, the extension, the release, and
the bundle holding everything the child's record shows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from pypdf import PdfReader
from tests.information.conftest import date_data

from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import ContactLogEntry, StatutoryEvent
from sendcase.casework.scenarios import build_case, phone_call
from sendcase.core.models import AuditEntry
from sendcase.information import actions, bundle
from sendcase.information.models import SubjectAccessRequest
from sendcase.plans.models import PlanVersion

TODAY = dt.date(2026, 3, 2)


def _sar(child, ig, received: dt.date) -> SubjectAccessRequest:
    return actions.log_sar(child, requester="Jo", relationship="Mother", received_on=received, actor=ig, today=max(received, TODAY))  # fmt: skip


@pytest.mark.parametrize(
    ("received", "verified", "due"),
    [
        (dt.date(2025, 1, 31), dt.date(2025, 1, 31), dt.date(2025, 2, 28)),  # the month ends short
        (dt.date(2025, 1, 31), dt.date(2025, 2, 10), dt.date(2025, 3, 10)),  # from verification
        (
            dt.date(2025, 11, 25),
            dt.date(2025, 11, 20),
            dt.date(2025, 12, 29),
        ),  # 25th is Christmas: next working day
    ],
)
def test_the_month_runs_from_receipt_or_verification(child, ig, received, verified, due) -> None:
    sar = _sar(child, ig, received)
    assert sar.due_on is None and sar.status == "awaiting_identity"
    actions.verify_sar_identity(
        sar, verified_on=verified, evidence="Passport", actor=ig, today=TODAY
    )
    assert sar.due_on == due


def test_extension_within_the_first_month_only(child, ig) -> None:
    sar = _sar(child, ig, dt.date(2025, 1, 6))
    with pytest.raises(ActionError, match="Verify"):
        actions.extend_sar(sar, extended_on=dt.date(2025, 1, 10), reason="Many records", actor=ig, today=TODAY)  # fmt: skip
    actions.verify_sar_identity(sar, verified_on=dt.date(2025, 1, 6), evidence="Passport", actor=ig, today=TODAY)  # fmt: skip
    with pytest.raises(ActionError, match="within the first month"):
        actions.extend_sar(sar, extended_on=dt.date(2025, 2, 7), reason="Many records", actor=ig, today=TODAY)  # fmt: skip
    with pytest.raises(ActionError, match="Enter why"):
        actions.extend_sar(sar, extended_on=dt.date(2025, 1, 20), reason=" ", actor=ig, today=TODAY)
    actions.extend_sar(sar, extended_on=dt.date(2025, 1, 20), reason="Many records", actor=ig, today=TODAY)  # fmt: skip
    assert sar.due_on == dt.date(2025, 4, 7)  # three months from receipt, to a working day


def test_release_needs_the_redaction_review(child, ig) -> None:
    sar = _sar(child, ig, dt.date(2026, 1, 6))
    actions.verify_sar_identity(sar, verified_on=dt.date(2026, 1, 6), evidence="Passport", actor=ig, today=TODAY)  # fmt: skip
    with pytest.raises(ActionError, match="Review the items"):
        actions.record_sar_release(
            sar, released_on=dt.date(2026, 1, 30), note="", actor=ig, today=TODAY
        )
    actions.record_redaction_review(sar, reviewed_on=dt.date(2026, 1, 29), actor=ig, today=TODAY)
    actions.record_sar_release(
        sar, released_on=dt.date(2026, 1, 30), note="Posted", actor=ig, today=TODAY
    )
    assert sar.status == "released"
    assert AuditEntry.objects.filter(object_type="information.subjectaccessrequest").count() == 4


def _csv(z: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(z.read(name).decode("utf-8-sig"))))


def test_the_bundle_holds_everything_the_record_shows(officer, ig, client_for) -> None:
    today = dt.date.today()
    case = build_case(stage="reviewed", officer=officer, weeks_ago=80, today=today)
    phone_call(case, officer)
    client_for(officer).get(f"/cases/{case.pk}/")  # a view, for "who viewed the record"
    sar = _sar(case.child, ig, today)
    actions.verify_sar_identity(sar, verified_on=today, evidence="Passport", actor=ig)
    r = client_for(ig).get(f"/information/sar/{sar.pk}/bundle.zip")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(r.content))
    names = z.namelist()
    assert names[0] == "index.pdf"
    events = _csv(z, "record/casework-statutoryevent.csv")
    assert {e["id"] for e in events} == {str(pk) for pk in StatutoryEvent.objects.filter(case=case).values_list("pk", flat=True)}  # fmt: skip
    versions = _csv(z, "record/plans-planversion.csv")
    assert {v["id"] for v in versions} == {str(pk) for pk in PlanVersion.objects.filter(plan__case=case).values_list("pk", flat=True)}  # fmt: skip
    log = _csv(z, "record/casework-contactlogentry.csv")
    assert [e["summary"] for e in log] == list(ContactLogEntry.objects.filter(case=case).values_list("summary", flat=True))  # fmt: skip
    assert "record/reviews-annualreview.csv" in names and "record/casework-deadline.csv" in names
    viewed = _csv(z, "viewed-by.csv")
    assert any(v["Who"] == "Officer Tester" for v in viewed)
    index = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(z.read("index.pdf"))).pages
    )
    assert sar.reference in index
    mother = case.child.contacts.get().name
    assert f"Family contact: {mother}" in index  # flagged for redaction review
    assert AuditEntry.objects.filter(action="export", object_type="casework.child", object_id=str(case.child.pk)).exists()  # fmt: skip


def test_a_registered_part_is_included(child, ig) -> None:
    def letters(c):
        yield bundle.BundleItem("Letters", "letters/one.txt", "A letter", b"Dear Jo", flags=("Letter names a teacher",))  # fmt: skip

    bundle.PARTS.append(("Letters", letters))
    try:
        sar = _sar(child, ig, TODAY)
        z = zipfile.ZipFile(io.BytesIO(bundle.build(sar)))
        assert z.read("letters/one.txt") == b"Dear Jo"
    finally:
        bundle.PARTS.remove(("Letters", letters))


def test_the_screens(child, ig, client_for) -> None:
    c = client_for(ig)
    found = c.get("/information/sar/new/?surname=example").content.decode()
    assert f"?child={child.pk}" in found
    r = c.post(f"/information/sar/new/?child={child.pk}", {"requester": "Jo", "relationship": "Mother", **date_data("received_on", dt.date.today())})  # fmt: skip
    assert r.status_code == 302
    sar = SubjectAccessRequest.objects.get()
    assert c.get(f"/information/sar/{sar.pk}/bundle.zip").status_code == 404  # identity first
    r = c.post(f"/information/sar-verify/{sar.pk}/", {"evidence": "", **date_data("verified_on", dt.date.today())})  # fmt: skip
    assert "Enter what proof of identity was seen" in r.content.decode()
    r = c.post(f"/information/sar-verify/{sar.pk}/", {"evidence": "Passport", **date_data("verified_on", dt.date.today())})  # fmt: skip
    assert r.status_code == 302
    assert "Download the bundle" in c.get(f"/information/sar/{sar.pk}/").content.decode()


def test_the_bundle_holds_every_document_and_letter_file(officer, ig) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sendcase.documents.actions import upload_document
    from sendcase.documents.models import CaseDocument, Correspondence

    today = dt.date.today()
    case = build_case(stage="reviewed", officer=officer, weeks_ago=80, today=today)
    pdf = b"%PDF-1.4\n%%EOF\n"
    upload_document(case, upload=SimpleUploadedFile("ep-advice.pdf", pdf), kind="advice", title="EP advice", actor=officer)  # fmt: skip
    letter = Correspondence.objects.create(case=case, letter="final_plan", title="Your child's final plan", recipient="Jo Parent", channel="letter", how="sent", sent_on=today)  # fmt: skip
    letter.document.save("letter.pdf", ContentFile(b"%PDF-1.4 letter"), save=False)
    letter.enclosure.save("plan.pdf", ContentFile(b"%PDF-1.4 plan"), save=True)
    sar = _sar(case.child, ig, today)
    actions.verify_sar_identity(sar, verified_on=today, evidence="Passport", actor=ig)
    z = zipfile.ZipFile(io.BytesIO(bundle.build(sar)))
    names = z.namelist()
    doc = CaseDocument.objects.get(case=case)
    assert z.read(next(n for n in names if n.startswith(f"documents/{doc.pk}-"))) == pdf
    letters = list(Correspondence.objects.filter(case__child=case.child))
    kept = [f for c in letters for f in (c.document, c.enclosure) if f]
    assert len(kept) >= 2
    for f in kept:
        with f.open("rb") as handle:
            assert handle.read() in [z.read(n) for n in names if n.startswith("correspondence/")]
    index = "".join(p.extract_text() for p in PdfReader(io.BytesIO(z.read("index.pdf"))).pages)
    assert "Uploaded document: EP advice" in index  # flagged for redaction review
    assert "to Jo Parent" in index
