"""Found by trying the SEN2 screens and commands as a new user: one mistake is one problem, with its
own line; unreadable files are described plainly; pages keep their guidance after an error; links
go only where the person may go; stray addresses lead back to the page."""

from __future__ import annotations

import io
import warnings
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from sen2_helpers import build_return  # type: ignore[import-not-found]

from sendcase.accounts.models import User
from sendcase.accounts.testing import verified_login
from sendcase.casework.models import Case
from sendcase.returns.importer import import_return
from sendcase.returns.reader import validate


@pytest.fixture
def good_xml(sample_persons: Any) -> bytes:
    return build_return(sample_persons())


def _line_of(xml: bytes, fragment: bytes) -> int:
    return xml[: xml.index(fragment)].count(b"\n") + 1


@pytest.mark.django_db
def test_an_impossible_review_date_is_one_problem(good_xml: bytes, write_file: Any) -> None:
    old = b"<ReviewMeeting>2025-12-01</ReviewMeeting>"
    assert old in good_xml
    bad = good_xml.replace(old, b"<ReviewMeeting>2025-02-30</ReviewMeeting>")
    problems = validate(write_file(bad)).problems
    assert [p.line for p in problems] == [_line_of(bad, b"<ReviewMeeting>2025-02-30")], [
        p.as_text() for p in problems
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("year", [b"abc", b"2025"])
def test_a_header_problem_names_its_own_line_without_warnings(
    good_xml: bytes, write_file: Any, year: bytes
) -> None:
    bad = good_xml.replace(b"<Year>2026</Year>", b"<Year>" + year + b"</Year>")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        problems = validate(write_file(bad)).problems
    lines = [p.line for p in problems if p.module == "Header"]
    assert lines and set(lines) <= {_line_of(bad, b"<Year>"), _line_of(bad, b"<ReferenceDate>")}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"name,dob\nAlex,2015-01-01\n", "This is not an XML file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "This is not an XML file"),
    ],
)
def test_a_file_that_is_not_xml_is_described_plainly(
    content: bytes, message: str, write_file: Any
) -> None:
    result = validate(write_file(content))
    assert not result.complete
    texts = [p.as_text() for p in result.problems]
    assert any(message in t for t in texts), texts
    assert not any("correct it at this line" in t or "no line" in t for t in texts), texts


@pytest.mark.django_db
def test_a_cut_short_file_says_how_far_it_was_read(good_xml: bytes, write_file: Any) -> None:
    path = write_file(good_xml[: len(good_xml) * 2 // 3])
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="could not be read to the end") as raised:
        call_command("sen2", "validate", path, stdout=out, stderr=err)
    assert "children before the problem" in str(raised.value)


@pytest.mark.django_db
def test_a_dry_run_says_what_would_be_added(good_xml: bytes, write_file: Any) -> None:
    out = io.StringIO()
    call_command("sen2", "import", write_file(good_xml), "--dry-run", stdout=out)
    assert "would be added as placeholders" in out.getvalue()
    assert "were added" not in out.getvalue()


@pytest.mark.django_db
def test_a_year_out_of_range_says_which_years_there_are() -> None:
    with pytest.raises(CommandError, match=r"choose a year from 2015 to \d{4}"):
        call_command("sen2", "export", "--year", "2014", "-o", "-", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_page_keeps_its_guidance_after_a_form_error(client: Any, data_officer: User) -> None:
    verified_login(client, data_officer)
    plain = client.get(reverse("returns:index")).content.decode()
    guidance = plain[
        plain.index("govuk-inset-text") : plain.index("</div>", plain.index("govuk-inset-text"))
    ]
    bad_upload = SimpleUploadedFile("sen2.csv", b"a,b", content_type="text/csv")
    for response in (
        client.post(reverse("returns:validate"), {"file": bad_upload}),
        client.post(reverse("returns:export"), {"year": "1990"}),
    ):
        assert response.status_code == 400
        assert guidance in response.content.decode()


@pytest.mark.django_db
def test_an_unreadable_uploads_error_link_has_a_field_to_go_to(
    client: Any, data_officer: User
) -> None:
    verified_login(client, data_officer)
    upload = SimpleUploadedFile("sen2.xml", b"not xml", content_type="application/xml")
    page = client.post(reverse("returns:validate"), {"file": upload}).content.decode()
    assert 'href="#id_file"' in page and 'id="id_file"' in page
    assert "could not be read to the end" in page


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["returns:validate", "returns:export"])
def test_typing_a_form_address_leads_back_to_the_page(
    client: Any, data_officer: User, name: str
) -> None:
    verified_login(client, data_officer)
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"] == reverse("returns:index")


@pytest.mark.django_db
def test_a_year_not_offered_on_records_to_fix_is_an_error(client: Any, data_officer: User) -> None:
    verified_login(client, data_officer)
    response = client.get(reverse("returns:quality"), {"year": "abc"})
    assert response.status_code == 400
    assert "Select the collection year" in response.content.decode()


@pytest.mark.django_db
def test_a_team_manager_gets_links_only_to_cases_they_may_open(
    client: Any, manager: User, good_xml: bytes, write_file: Any
) -> None:
    assert import_return(write_file(good_xml)).ok
    mine, *others = list(Case.objects.order_by("pk"))
    Case.objects.filter(pk=mine.pk).update(team=manager.team)
    verified_login(client, manager)
    bad = good_xml.replace(b"<Sex>M</Sex>", b"<Sex>Z</Sex>").replace(
        b"<Sex>F</Sex>", b"<Sex>Z</Sex>"
    )
    upload = SimpleUploadedFile("sen2.xml", bad, content_type="application/xml")
    page = client.post(reverse("returns:validate"), {"file": upload}).content.decode()
    assert page.count("is not a Sex code") == 3  # one problem for each child
    assert reverse("casework:case", args=[mine.pk]) in page
    for case in others:
        assert reverse("casework:case", args=[case.pk]) not in page
    # the third child has neither UPN nor ULN, so the file cannot be matched to a case
    assert page.count("Not one of your team's cases") == 1


@pytest.mark.django_db
def test_a_missing_page_is_a_govuk_page_with_a_way_back(client: Any, data_officer: User) -> None:
    verified_login(client, data_officer)
    for address in ("/no-such-page/", reverse("casework:case", args=[999999])):
        response = client.get(address)
        page = response.content.decode()
        assert response.status_code == 404
        assert "govuk-heading-l" in page and "Page not found" in page and 'href="/"' in page


@pytest.mark.django_db
def test_the_audit_log_says_a_command_line_export_or_import_ran_and_as_whom(
    good_xml: bytes, write_file: Any
) -> None:
    from sendcase.core.models import AuditEntry

    call_command("sen2", "import", write_file(good_xml), stdout=io.StringIO())
    call_command("sen2", "export", "--year", "2026", "-o", "-", stdout=io.StringIO())
    for action in ("import", "export"):
        entry = AuditEntry.objects.filter(action=action, object_type="").latest("pk")
        assert entry.payload["via"].startswith("command line (system user ")


@pytest.mark.django_db
def test_a_collection_whose_census_is_still_to_come_is_marked_provisional() -> None:
    import datetime as dt

    from sendcase.returns.forms import year_choices

    labels = dict(year_choices(dt.date(2026, 11, 25)))
    assert "provisional" in labels[2027] and "provisional" not in labels[2026]


@pytest.mark.django_db
def test_records_to_fix_links_only_where_the_person_may_go(
    client: Any, manager: User, data_officer: User, good_xml: bytes, write_file: Any
) -> None:
    import datetime as dt

    from sendcase.casework.models import TimeLimitException
    from sendcase.placements.models import Setting

    assert import_return(write_file(good_xml)).ok
    case = Case.objects.order_by("pk").first()
    assert case is not None
    TimeLimitException.objects.create(
        case=case, reason="", start=dt.date(2025, 1, 6), end=dt.date(2025, 5, 1), why="Imported"
    )
    setting = Setting.objects.create(
        name="Setting with URN 900001 (not in the register)",
        urn="900001",
        kind="maintained_mainstream",
        phase="all_through",
        placeholder=True,
    )
    case_link = reverse("casework:case", args=[case.pk])
    setting_link = reverse("placements:edit_setting", args=[setting.pk])
    verified_login(client, manager)  # the case is not in the manager's team
    page = client.get(reverse("returns:quality")).content.decode()
    assert case.reference in page and setting.name in page
    assert f'href="{case_link}"' not in page and f'href="{setting_link}"' not in page
    client.logout()
    verified_login(client, data_officer)
    page = client.get(reverse("returns:quality")).content.decode()
    assert f'href="{case_link}"' in page and f'href="{setting_link}"' in page


@pytest.mark.django_db
def test_placeholders_are_summed_up_in_one_line(good_xml: bytes, write_file: Any) -> None:
    path = write_file(good_xml)
    out = io.StringIO()
    call_command("sen2", "import", path, "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert not any(line.startswith("Placeholder setting") for line in lines)
    summary = [line for line in lines if "placeholder settings for a data officer" in line]
    assert len(summary) == 1 and "--list-placeholders" in summary[0]
    listed = io.StringIO()
    call_command("sen2", "import", path, "--dry-run", "--list-placeholders", stdout=listed)
    assert (
        sum(1 for line in listed.getvalue().splitlines() if line.startswith("Placeholder setting"))
        >= 1
    )
