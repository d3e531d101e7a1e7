"""The SEN2 screens: who may use them, export download, file check, data-quality list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from sen2_helpers import build_return  # type: ignore[import-not-found]

from sendcase.accounts.models import User
from sendcase.accounts.testing import verified_login
from sendcase.casework.domain.assessment import open_case_from_request, record_decision_to_assess
from sendcase.casework.domain.plan import record_draft_plan, record_final_plan
from sendcase.casework.models import Case, Child
from sendcase.core.models import AuditEntry
from sendcase.demo.plan_content import lawful_content
from sendcase.returns.importer import import_return

TODAY = dt.date(2026, 2, 1)


URLS = [
    ("returns:index", "get"),
    ("returns:quality", "get"),
    ("returns:export", "post"),
    ("returns:validate", "post"),
]


# Who may use the SEN2 screens, and who may download the whole council's return.
#            who            screens download
PEOPLE = [
    ("data_officer", True, True),
    ("head", True, True),
    ("admin_user", True, False),
    ("manager", True, False),
    ("officer", False, False),
    ("outsider", False, False),
    ("finance", False, False),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "allowed", "downloads"), PEOPLE)
def test_who_may_use_the_screens(
    client: Any, request: Any, who: str, allowed: bool, downloads: bool
) -> None:
    verified_login(client, request.getfixturevalue(who))
    for name, method in URLS:
        response = getattr(client, method)(reverse(name), {"year": "2026"})
        if response.streaming:
            b"".join(response.streaming_content)  # the test client closes it at the end
        if allowed and (name != "returns:export" or downloads):
            assert response.status_code in (200, 400), (name, response.status_code)
        else:
            assert response.status_code == 404, name
    if allowed:
        page = client.get(reverse("returns:index")).content.decode()
        assert ("Download the XML file" in page) == downloads
    assert AuditEntry.objects.filter(action="export").exists() == downloads


@pytest.mark.django_db
def test_signed_out_people_are_sent_to_sign_in(client: Any) -> None:
    response = client.get(reverse("returns:index"))
    assert response.status_code == 302 and "/accounts/" in response["Location"]


@pytest.mark.django_db
def test_index(client: Any, data_officer: User) -> None:
    verified_login(client, data_officer)
    page = client.get(reverse("returns:index")).content.decode()
    assert "SEN2 return" in page and "Download the XML file" in page


@pytest.mark.django_db
def test_export_downloads_the_return_and_is_audited(
    client: Any, data_officer: User, sample_persons: Any, write_file: Any
) -> None:
    assert import_return(write_file(build_return(sample_persons()))).ok
    verified_login(client, data_officer)
    response = client.post(reverse("returns:export"), {"year": "2026"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="sen2-999-2026.xml"')
    body = b"".join(response.streaming_content)
    assert body.count(b"<Person>") == 3
    entry = AuditEntry.objects.filter(action="export", object_type="").get()
    assert entry.actor == data_officer and entry.payload["persons"] == 3


@pytest.mark.django_db
def test_an_export_is_audited_once_per_child_in_it(
    client: Any, head: User, sample_persons: Any, write_file: Any
) -> None:
    assert import_return(write_file(build_return(sample_persons()))).ok
    verified_login(client, head)
    body = b"".join(client.post(reverse("returns:export"), {"year": "2026"}).streaming_content)
    export = AuditEntry.objects.get(action="export", object_type="")
    each = AuditEntry.objects.filter(action="export", object_type="casework.child")
    children = set(Child.objects.values_list("pk", flat=True))
    assert body.count(b"<Person>") == len(children) == each.count()
    assert {int(e.object_id) for e in each} == children
    for e in each:
        assert e.actor == head and e.payload["export"] == export.pk
        assert e.case is not None and e.case.child_id == int(e.object_id)


@pytest.mark.django_db
def test_export_with_a_bad_year_shows_a_govuk_error(client: Any, data_officer: User) -> None:
    verified_login(client, data_officer)
    response = client.post(reverse("returns:export"), {"year": "1990"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert "Select the collection year" in response.content.decode()


@pytest.mark.django_db
def test_check_an_uploaded_file(client: Any, data_officer: User, sample_persons: Any) -> None:
    verified_login(client, data_officer)
    xml = build_return(sample_persons()).replace(b"<Sex>M</Sex>", b"<Sex>Z</Sex>")
    upload = SimpleUploadedFile("sen2.xml", xml, content_type="application/xml")
    response = client.post(reverse("returns:validate"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 problem to fix" in page and "is not a Sex code" in page
    line = xml[: xml.index(b"<Sex>Z")].count(b"\n") + 1
    assert f'<td class="govuk-table__cell">{line}</td>' in page
    assert AuditEntry.objects.filter(
        action="view", summary__startswith="SEN2 file checked"
    ).exists()


@pytest.mark.django_db
def test_problems_in_an_uploaded_file_link_to_the_childs_case(
    client: Any, data_officer: User, sample_persons: Any, write_file: Any
) -> None:
    good = build_return(sample_persons())
    assert import_return(write_file(good)).ok
    verified_login(client, data_officer)
    bad = good.replace(b"<Sex>M</Sex>", b"<Sex>Z</Sex>", 1)
    upload = SimpleUploadedFile("sen2.xml", bad, content_type="application/xml")
    page = client.post(reverse("returns:validate"), {"file": upload}).content.decode()
    assert "1 problem to fix" in page
    start = bad.index(b"<Person>")
    upn = bad[bad.index(b"<UPN>", start) + 5 : bad.index(b"</UPN>", start)].decode()
    case = Child.objects.get(upn=upn).cases.get()
    assert reverse("casework:case", args=[case.pk]) in page
    # a child SENDcase does not hold has no link
    Child.objects.filter(upn=upn).update(upn="", uln="")
    upload = SimpleUploadedFile("sen2.xml", bad, content_type="application/xml")
    page = client.post(reverse("returns:validate"), {"file": upload}).content.decode()
    assert reverse("casework:case", args=[case.pk]) not in page


@pytest.mark.django_db
def test_a_broken_file_gets_a_govuk_error(client: Any, data_officer: User) -> None:
    verified_login(client, data_officer)
    upload = SimpleUploadedFile("sen2.xml", b"<Message><Header>", content_type="application/xml")
    page = client.post(reverse("returns:validate"), {"file": upload}).content.decode()
    assert "govuk-error-summary" in page and "ends too early" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (None, "Select a SEN2 XML file"),
        (
            SimpleUploadedFile("sen2.csv", b"a,b", content_type="text/csv"),
            "The selected file must be an XML file",
        ),
        (
            SimpleUploadedFile("sen2.xml", b"", content_type="application/xml"),
            "The selected file is empty",
        ),
    ],
)
def test_upload_errors(client: Any, data_officer: User, upload: Any, message: str) -> None:
    verified_login(client, data_officer)
    response = client.post(reverse("returns:validate"), {"file": upload} if upload else {})
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page and message in page


@pytest.mark.django_db
def test_a_file_above_the_cap_is_refused_before_it_is_checked(
    client: Any, data_officer: User, sample_persons: Any, settings: Any
) -> None:
    """The worker checks files up to the cap (bench/bench_upload.py times one of that size); a
    larger one is refused in plain words that say the limit and where to check it instead."""
    settings.SENDCASE_SEN2_UPLOAD_MAX_MB = 1
    verified_login(client, data_officer)
    xml = build_return(sample_persons())
    at_cap = xml + b" " * (1024 * 1024 - len(xml))
    assert len(at_cap) == 1024 * 1024
    ok = client.post(
        reverse("returns:validate"),
        {"file": SimpleUploadedFile("sen2.xml", at_cap, content_type="application/xml")},
    )
    assert ok.status_code == 200 and "problems to fix" not in ok.content.decode()

    over = SimpleUploadedFile("sen2.xml", at_cap + b" ", content_type="application/xml")
    refused = client.post(reverse("returns:validate"), {"file": over})
    page = refused.content.decode()
    assert refused.status_code == 400 and "govuk-error-summary" in page
    assert "The selected file must be smaller than 1MB" in page
    assert "sendcase sen2 validate FILE" in page and "sendcase sen2 import FILE" in page
    checked = AuditEntry.objects.filter(summary__startswith="SEN2 file checked")
    assert checked.count() == 1  # the file at the cap, not the one above it


@pytest.mark.django_db
def test_the_cap_is_stated_beside_the_upload(
    client: Any, data_officer: User, settings: Any
) -> None:
    verified_login(client, data_officer)
    page = client.get(reverse("returns:index")).content.decode()
    cap = settings.SENDCASE_SEN2_UPLOAD_MAX_MB
    assert f"(up to {cap}MB: a larger file is checked on the command line)" in page


def _child_with_a_late_request(n: int, officer: Any) -> None:
    child = Child.objects.create(
        forename=f"Kid{n}", surname="Test", date_of_birth=dt.date(2016, 1, n), sex="M"
    )
    case = open_case_from_request(
        child, received_on=dt.date(2025, 2, n), source=1, actor=officer, today=TODAY
    )
    record_decision_to_assess(
        case, decided_on=dt.date(2025, 3, n), outcome="assess", actor=officer, today=TODAY
    )
    record_draft_plan(
        case,
        issued_on=dt.date(2025, 5, n),
        content=lawful_content(("MLD",)),
        actor=officer,
        today=TODAY,
    )
    # imported: a plan with no placement (the checks refuse to issue one on screen)
    record_final_plan(
        case,
        issued_on=dt.date(2025, 6, n),
        actor=officer,
        today=TODAY,
        content=lawful_content(("MLD",), setting_type="mainstream"),
        import_mode=True,
    )


@pytest.mark.django_db
def test_data_quality_lists_problems_with_links_to_the_case(
    client: Any, data_officer: User, officer: User
) -> None:
    _child_with_a_late_request(1, officer)
    verified_login(client, data_officer)
    page = client.get(reverse("returns:quality"), {"year": "2026"}).content.decode()
    # no UPN, and an active plan with no placement on the census
    assert "The child has no UPN, ULN or reason the UPN is not known" in page
    assert "The active plan has no PlacementDetail" in page
    case = Child.objects.get().cases.get()
    assert reverse("casework:case", args=[case.pk]) in page


@pytest.mark.django_db
def test_data_quality_audits_each_child_it_lists(
    client: Any, data_officer: User, officer: User
) -> None:
    for n in (1, 2):
        _child_with_a_late_request(n, officer)
    verified_login(client, data_officer)
    client.get(reverse("returns:quality"), {"year": "2026"})
    listed = AuditEntry.objects.filter(summary="Listed in the SEN2 2026 data check")
    pairs = {(int(e.object_id), e.case_id) for e in listed}
    assert pairs == set(Case.objects.values_list("child_id", "pk"))
    assert all(e.actor == data_officer and e.object_type == "casework.child" for e in listed)
    assert AuditEntry.objects.filter(
        action="view", summary__startswith="SEN2 2026 data check"
    ).exists()


@pytest.mark.django_db
def test_data_quality_query_count_does_not_grow_with_children(
    client: Any, data_officer: User, officer: User, django_assert_num_queries: Any
) -> None:
    _child_with_a_late_request(1, officer)
    verified_login(client, data_officer)
    url = reverse("returns:quality")
    client.get(url, {"year": "2026"})  # warm caches (session, user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url, {"year": "2026"})
    for n in (2, 3):
        _child_with_a_late_request(n, officer)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url, {"year": "2026"}).content.decode()
    assert page.count("The active plan has no PlacementDetail") == 3


@pytest.mark.django_db
def test_a_maintained_plan_with_no_primary_need_is_flagged(
    client: Any, data_officer: User, officer: User
) -> None:
    """A plan recorded without needs (an import from a system that held none: the only way,
    since the checks refuse such a plan on screen) is flagged by the SEN2 check and in Records
    to fix, linked to its case."""
    child = Child.objects.create(
        forename="Nia", surname="Test", date_of_birth=dt.date(2016, 1, 1), sex="F"
    )
    case = open_case_from_request(
        child, received_on=dt.date(2025, 2, 1), source=1, actor=officer, today=TODAY
    )
    record_decision_to_assess(
        case, decided_on=dt.date(2025, 3, 1), outcome="assess", actor=officer, today=TODAY
    )
    record_final_plan(
        case, issued_on=dt.date(2025, 6, 1), actor=officer, today=TODAY, import_mode=True
    )
    _child_with_a_late_request(2, officer)  # a plan with its needs: not flagged
    verified_login(client, data_officer)
    page = client.get(reverse("returns:quality"), {"year": "2026"}).content.decode()
    assert "The active plan has no primary need" in page
    flagged = page.split('id="no-primary-need"')[1]
    assert case.reference in flagged
    assert reverse("casework:case", args=[case.pk]) in flagged
    other = Child.objects.get(forename="Kid2").cases.get()
    assert other.reference not in flagged
