"""Bad files are refused cleanly: every problem with its line, nothing written, no traceback."""

from __future__ import annotations

import copy
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from sen2_helpers import build_return  # type: ignore[import-not-found]

from sendcase.casework.models import Case, Child
from sendcase.core.models import AuditEntry
from sendcase.returns.importer import import_return
from sendcase.returns.reader import validate


def _lines(problems: list[Any]) -> list[int | None]:
    return [p.line for p in problems]


def _run(*args: str) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("sen2", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue() + str(exc), 1
    return out.getvalue(), err.getvalue(), 0


@pytest.fixture
def good_xml(sample_persons: Any) -> bytes:
    return build_return(sample_persons())


def _nothing_written() -> None:
    assert Child.objects.count() == 0
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_good_file_validates(good_xml: bytes, write_file: Any) -> None:
    out, err, code = _run("validate", write_file(good_xml))
    assert code == 0 and "no problems found (3 children)" in out


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (b"<Sex>M</Sex>", b"<Sex>X</Sex>", "Sex: \u2018X\u2019 is not a Sex code"),
        (
            b"<SENtype>ASD</SENtype>",
            b"<SENtype>AUT</SENtype>",
            "\u2018AUT\u2019 is not a SENtype code",
        ),
        (
            b"<ReceivedDate>2025-01-06</ReceivedDate>",
            b"<ReceivedDate>2025-02-30</ReceivedDate>",
            "\u20182025-02-30\u2019 is not a real date",
        ),
        (b"<RYA>0</RYA>", b"<RYA>yes</RYA>", "\u2018yes\u2019 is not 1 or 0"),
        (b"<UPN>L12345678901B</UPN>", b"<UPN>A123</UPN>", "\u2018A123\u2019 is not a UPN"),
        (b"<PB>1</PB>", b"<PB>1</PB><Colour>blue</Colour>", "Colour is not a SEN2 item here"),
    ],
)
def test_unknown_codes_and_impossible_dates(
    good_xml: bytes, write_file: Any, old: bytes, new: bytes, expected: str
) -> None:
    assert old in good_xml
    bad = good_xml.replace(old, new, 1)
    path = write_file(bad)
    line = bad[: bad.index(new)].count(b"\n") + 1
    result = validate(path)
    assert [p for p in result.problems if expected in p.as_text()], [
        p.as_text() for p in result.problems
    ]
    assert line in _lines(result.problems)
    out, err, code = _run("import", path)
    assert code == 1 and "nothing was imported" in err and "Traceback" not in err
    assert f"line {line}:" in err
    _nothing_written()


@pytest.mark.django_db
def test_every_problem_is_reported_not_just_the_first(good_xml: bytes, write_file: Any) -> None:
    bad = good_xml.replace(b"<Sex>M</Sex>", b"<Sex>Q</Sex>").replace(
        b"<SENtype>SEMH</SENtype>", b"<SENtype>XX</SENtype>"
    )
    result = validate(write_file(bad))
    texts = [p.as_text() for p in result.problems]
    assert len(texts) == 2, texts  # the bad sex code and the bad need code, each with its line
    assert all(p.line for p in result.problems)


@pytest.mark.django_db
def test_broken_xml(good_xml: bytes, write_file: Any) -> None:
    bad = good_xml.replace(b"</Forename>", b"</Forname>", 1)
    path = write_file(bad)
    result = validate(path)
    line = bad[: bad.index(b"</Forname>")].count(b"\n") + 1
    assert line in _lines(result.problems)
    assert any("cannot be read" in p.message for p in result.problems)
    out, err, code = _run("import", path)
    assert code == 1 and "Traceback" not in err
    _nothing_written()


@pytest.mark.django_db
def test_truncated_file(good_xml: bytes, write_file: Any) -> None:
    cut = good_xml[: len(good_xml) * 2 // 3]
    path = write_file(cut)
    result = validate(path)
    assert any("ends too early" in p.message for p in result.problems), [
        p.as_text() for p in result.problems
    ]
    out, err, code = _run("import", path)
    assert code == 1 and "ends too early" in err
    _nothing_written()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not xml at all",
        b"<Other/>",
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><Message>&e;</Message>",
    ],
)
def test_not_a_return(content: bytes, write_file: Any) -> None:
    path = write_file(content)
    result = validate(path)
    assert result.problems
    assert "root:" not in " ".join(p.as_text() for p in result.problems)  # no file contents leak
    out, err, code = _run("import", path)
    assert code == 1 and "Traceback" not in err
    _nothing_written()


@pytest.mark.django_db
def test_inconsistent_dates(good_xml: bytes, write_file: Any) -> None:
    bad = good_xml.replace(
        b"<RequestOutcomeDate>2025-02-10</RequestOutcomeDate>",
        b"<RequestOutcomeDate>2024-12-10</RequestOutcomeDate>",
    ).replace(b"<LastReview>2025-12-20</LastReview>", b"")
    texts = [p.as_text() for p in validate(write_file(bad)).problems]
    assert any(
        "RequestOutcomeDate (10 December 2024) is before ReceivedDate" in t for t in texts
    ), texts
    assert any("LastReview is missing" in t for t in texts), texts


@pytest.mark.django_db
def test_missing_file() -> None:
    out, err, code = _run("import", "/nonexistent/sen2.xml")
    assert code == 1 and "Cannot read" in err


@pytest.mark.django_db
def test_import_twice_changes_nothing(good_xml: bytes, write_file: Any) -> None:
    path = write_file(good_xml)
    first = import_return(path)
    assert (
        first.ok
        and first.requests_created == 3
        and first.placeholders == ["URN 100001", "URN 100002"]
    )
    counts = (Child.objects.count(), Case.objects.count())
    second = import_return(path)
    assert second.ok and second.requests_created == 0 and second.children_created == 0
    assert second.requests_already_held == 3
    assert (Child.objects.count(), Case.objects.count()) == counts
    assert AuditEntry.objects.filter(action="import", object_type="").count() == 2


@pytest.mark.django_db
def test_dry_run_writes_nothing(good_xml: bytes, write_file: Any) -> None:
    out, err, code = _run("import", write_file(good_xml), "--dry-run")
    assert code == 0 and "would add 3 children" in out and "Dry run" in out
    _nothing_written()


@pytest.mark.django_db
def test_other_spellings_are_accepted(good_xml: bytes, write_file: Any) -> None:
    alt = (
        good_xml.replace(b"SENsetting>", b"SENSetting>")
        .replace(b"SENsettingOther>", b"SENSettingOther>")
        .replace(b"PlanWBP>", b"PlanWPB>")
        .replace(b"<WBP>", b"<WPB>")
        .replace(b"</WBP>", b"</WPB>")
    )
    assert alt != good_xml
    result = import_return(write_file(alt))
    assert result.ok, [p.as_text() for p in result.problems]


@pytest.mark.django_db
def test_two_persons_with_one_upn(sample_persons: Any, write_file: Any) -> None:
    persons = sample_persons()
    persons[1].uln, persons[1].upn = None, persons[0].upn
    result = validate(write_file(build_return(persons)))
    texts = [p.as_text() for p in result.problems]
    assert any("UPN L12345678901B is also given for Person 1 (Alex Example" in t for t in texts), (
        texts
    )


@pytest.mark.django_db
def test_one_file_never_reports_another_files_errors(good_xml: bytes, write_file: Any) -> None:
    """libxml2's error log is per thread: a web worker checks many people's files in turn."""
    truncated = validate(write_file(good_xml[: len(good_xml) * 2 // 3]))
    assert any("ends too early" in p.message for p in truncated.problems)
    not_xml = validate(write_file(b"this is not XML at all\n"))
    texts = [p.as_text() for p in not_xml.problems]
    assert len(not_xml.problems) == 1, texts
    assert not any("ends too early" in t for t in texts)


@pytest.mark.django_db
def test_a_child_listed_twice_without_numbers_is_one_child(
    sample_persons: Any, write_file: Any
) -> None:
    # Matched by name and date of birth to the child the same file has just added (still in the
    # import's write buffer), with the same plan: one child, one case, the copy already held.
    persons = sample_persons()
    tia = next(p for p in persons if p.forename == "Tia")
    twin = copy.deepcopy(tia)
    twin.index = len(persons) + 1
    result = import_return(write_file(build_return([*persons, twin])))
    assert result.ok, [p.as_text() for p in result.problems]
    assert result.children_created == 3 and result.requests_already_held == 1
    assert Child.objects.filter(forename="Tia").count() == 1
    assert Case.objects.filter(child__forename="Tia").count() == 1


def test_a_upn_or_uln_with_a_wrong_check_is_a_problem_to_fix() -> None:
    """A UPN whose check letter, or a ULN whose check digit, does not match is not a real one
    (the forms refuse it too: sendcase.core.identity)."""
    from sendcase.returns.checks import check_person
    from sendcase.returns.records import PersonRec

    for person, item, words in (
        (PersonRec(surname="A", forename="B", upn="B123456789012"), "UPN", "not a real UPN"),
        (
            PersonRec(surname="A", forename="B", uln="1000000063"),
            "UniqueLearnerNumber",
            "not a real ULN",
        ),
    ):
        found = [p for p in check_person(person, None) if p.item == item]
        assert any(words in p.message for p in found), (item, [p.message for p in found])
    fine = PersonRec(surname="A", forename="B", upn="A123456789012", uln="1000000043")
    assert not [p for p in check_person(fine, None) if p.item in ("UPN", "UniqueLearnerNumber")]
