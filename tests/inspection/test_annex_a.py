"""Annex A List 1: exact sheet and header, dates as dates, one row per child with a plan on the
date, the inspectors' checks, the census import, the command and the screens."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sendcase.casework.models import Child
from sendcase.casework.scenarios import build_case
from sendcase.core.models import AuditEntry
from sendcase.inspection import annex_a
from sendcase.inspection.census import COLUMNS, CensusError, import_census
from sendcase.plans.models import Plan

HEADER = [
    "Unique ID", "UPN", "ULN", "Date of birth", "Gender", "Ethnicity",
    "Date initial EHC plan issued", "Date updated EHC plan issued", "Date EHC plan last reviewed",
    "SEN primary need", "Main education establishment – URN", "Main education establishment – phase",
    "Subsidiary education establishment – phase (dual registration)", "Elective home education",
    "Suspensions", "Permanent exclusions", "Absence", "Pupil Premium",
    "Known to children's social care?", "Which children's social care team?",
    "Does the child or young person have a disability?",
]  # fmt: skip


def _csv(*rows: dict[str, str]) -> str:
    lines = [",".join(COLUMNS)]
    for r in rows:
        lines.append(",".join(r.get(c, "") for c in COLUMNS))
    return "\n".join(lines) + "\n"


@pytest.fixture
def plans(officer):
    today = dt.date.today()
    with_plan = build_case(stage="reviewed", officer=officer, weeks_ago=80, today=today)
    also = build_case(stage="plan", officer=officer, weeks_ago=40, today=today)
    build_case(
        stage="draft", officer=officer, weeks_ago=20, today=today
    )  # no final plan: not listed
    Child.objects.filter(pk=with_plan.child_id).update(
        upn="A123456789012", ethnicity="WBRI", sex="F"
    )
    return with_plan, also


def test_the_workbook_has_the_exact_sheet_header_and_dates(plans, data_officer, tmp_path) -> None:
    with_plan, also = plans
    data, rows = annex_a.workbook(dt.date.today(), (1,), actor=data_officer)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["List_1"]
    ws = wb["List_1"]
    assert [c.value for c in ws[1]] == HEADER
    assert ws.max_row == 1 + 2
    body = list(ws.iter_rows(min_row=2, values_only=True))
    ids = {r[0] for r in body}
    assert ids == {annex_a.unique_id(with_plan.child_id), annex_a.unique_id(also.child_id)}
    first = next(r for r in body if r[0] == annex_a.unique_id(with_plan.child_id))
    assert isinstance(first[3], dt.datetime) and first[3].date() == with_plan.child.date_of_birth
    assert first[6].date() == Plan.objects.get(case=with_plan).first_issued_on
    assert first[8] is not None  # reviewed
    assert (first[1], first[4], first[5]) == ("A123456789012", "Female", "WBRI")
    assert first[14:18] == (None, None, None, None)  # no census extract
    audited = AuditEntry.objects.filter(action="export", object_type="casework.child")
    assert {int(a.object_id) for a in audited} == {with_plan.child_id, also.child_id}


def test_checks_flag_what_inspectors_would(plans) -> None:
    with_plan, also = plans
    today = dt.date.today()
    rows = annex_a.list_1(today)
    problems = annex_a.check(rows, today)
    also_id = annex_a.unique_id(also.child_id)
    flagged = {(p.unique_id, p.column) for p in problems}
    assert (also_id, "Ethnicity") in flagged and (also_id, "Gender") in flagged
    assert (also_id, "UPN") in flagged  # aged 6 or over with neither UPN nor ULN
    assert all(p.fix_url for p in problems)
    # the same UPN twice is an error on both rows
    Child.objects.filter(pk=also.child_id).update(upn="A123456789012")
    twice = [
        p
        for p in annex_a.check(annex_a.list_1(today), today)
        if p.message == "This UPN appears more than once"
    ]
    assert len(twice) == 2


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        (dt.date(2000, 1, 1), "Aged 26: a plan cannot be maintained at 26 or over"),
        (dt.date(2001, 1, 1), "Aged 25: check the plan is still needed"),
    ],
)
def test_ages_at_the_limit(born, expected) -> None:
    row = annex_a.Row({"Unique ID": "X", "Date of birth": born, "UPN": "A1"})
    messages = [p.message for p in annex_a.check([row], dt.date(2026, 6, 1))]
    assert expected in messages


def test_plan_dates_out_of_order_and_in_the_future() -> None:
    row = annex_a.Row(
        {
            "Unique ID": "X",
            "Date of birth": dt.date(2015, 1, 1),
            "Date initial EHC plan issued": dt.date(2024, 5, 1),
            "Date EHC plan last reviewed": dt.date(2024, 4, 1),
            "Date updated EHC plan issued": dt.date(2027, 1, 1),
        }
    )
    messages = [p.message for p in annex_a.check([row], dt.date(2026, 6, 1))]
    assert "The initial plan date is after the ehc plan last reviewed date" in messages
    assert "Date updated EHC plan issued is in the future" in messages


def test_the_census_import_fills_columns_15_to_18_and_list_2(plans, data_officer) -> None:
    with_plan, _ = plans
    text = _csv(
        {
            "upn": "A123456789012",
            "date_of_birth": "2015-01-01",
            "sen_provision": "E",
            "suspensions": "2",
            "permanent_exclusions": "0",
            "absence": "7.5",
            "pupil_premium": "Y",
        },  # fmt: skip
        {
            "upn": "B123456789012",
            "date_of_birth": "2016-02-02",
            "sen_provision": "K",
            "gender": "Male",
            "primary_need": "SLCN",
            "disability": "N",
        },  # fmt: skip
    )
    import_census(
        text, census_date=dt.date(2026, 1, 15), file_name="census.csv", actor=data_officer
    )
    data, _ = annex_a.workbook(dt.date.today(), (1, 2))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["List_1", "List_2"]
    row = next(
        r for r in wb["List_1"].iter_rows(min_row=2, values_only=True) if r[1] == "A123456789012"
    )
    assert row[14:18] == (2, 0, 7.5, "Y")
    list_2 = list(wb["List_2"].iter_rows(values_only=True))
    assert list_2[0] == tuple(
        h for h in HEADER if not h.startswith("Date ") or h == "Date of birth"
    )
    assert len(list_2) == 2 and list_2[1][1] == "B123456789012"


def test_a_bad_census_file_is_refused_whole(data_officer) -> None:
    with pytest.raises(CensusError) as exc:
        import_census(_csv({"upn": "A1", "date_of_birth": "14/03/2015"}, {"date_of_birth": "2015-01-01", "absence": "120"}), census_date=dt.date(2026, 1, 15), file_name="x.csv", actor=data_officer)  # fmt: skip
    assert exc.value.problems == [
        "Line 2: date_of_birth must be a date like 2015-03-14",
        "Line 3: enter a upn or a uln",
        "Line 3: absence must be a percentage from 0 to 100",
    ]
    with pytest.raises(CensusError, match="header row is missing"):
        import_census(
            "upn,date_of_birth\n",
            census_date=dt.date(2026, 1, 15),
            file_name="x.csv",
            actor=data_officer,
        )


def test_the_command(plans, tmp_path) -> None:
    out = tmp_path / "annex-a.xlsx"
    text = io.StringIO()
    call_command(
        "annex-a",
        "--list",
        "1",
        "--as-at",
        dt.date.today().isoformat(),
        "--out",
        str(out),
        stdout=text,
    )
    assert openpyxl.load_workbook(out)["List_1"].max_row == 3
    assert "List 1 has 2 children" in text.getvalue()
    assert "No school census extract is loaded" in text.getvalue()
    with pytest.raises(CommandError, match="not a date"):
        call_command("annex-a", "--as-at", "yesterday", "--out", str(out))


def test_the_screens(plans, data_officer, client_for) -> None:
    c = client_for(data_officer)
    today = dt.date.today()
    params = f"as_at_day={today.day}&as_at_month={today.month}&as_at_year={today.year}"
    page = c.get(f"/inspection/annex-a/?{params}").content.decode()
    assert "2 children on List 1" in page
    assert "No school census extract is loaded" in page
    check = c.get(f"/inspection/annex-a/check/?{params}").content.decode()
    assert "Ethnicity is missing" in check and "/child/" in check
    xlsx = c.get(f"/inspection/annex-a/annex-a.xlsx?{params}")
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["List_1"]
    bad = c.get("/inspection/annex-a/?as_at_day=31&as_at_month=2&as_at_year=2026").content.decode()
    assert "govuk-error-summary" in bad


def test_the_census_upload_screen(data_officer, client_for) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_for(data_officer)
    date = {"census_date_day": "15", "census_date_month": "1", "census_date_year": "2026"}
    bad = SimpleUploadedFile("c.csv", _csv({"upn": "A1", "date_of_birth": "nope"}).encode())
    r = c.post("/inspection/annex-a/census/", {**date, "file": bad})
    assert "Line 2: date_of_birth must be a date" in r.content.decode()
    good = SimpleUploadedFile(
        "c.csv", _csv({"upn": "A1", "date_of_birth": "2015-01-01", "sen_provision": "K"}).encode()
    )
    assert c.post("/inspection/annex-a/census/", {**date, "file": good}).status_code == 302
    assert "census date 15 January 2026, 1 pupils" in c.get("/inspection/annex-a/").content.decode()
