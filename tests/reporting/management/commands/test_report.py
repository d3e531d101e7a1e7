"""sendcase report: documented JSON keys, every format, one-line errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from sendcase.casework.domain.assessment import record_decision_to_assess
from sendcase.core.codes import NeedType

D = dt.date
REQUIRED_KEYS = [
    "requests_received",
    "request_decisions",
    "request_decisions_within_6_weeks_pc",
    "plans_issued",
    "plans_issued_within_20_weeks_pc",
    "plans_issued_excluding_exceptions",
    "plans_issued_within_20_weeks_excluding_exceptions_pc",
    "review_decisions",
    "review_decisions_within_4_weeks_pc",
    "active_plans",
    "active_plans_by_primary_need",
]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def council(officer: Any, build: Any) -> None:
    r = D(2024, 1, 8)
    build.plan_case(officer, r, r + dt.timedelta(days=140), need="ASD")
    build.plan_case(officer, r, r + dt.timedelta(days=141), need="SEMH")
    build.plan_case(officer, r, r + dt.timedelta(days=200), need="ASD", exception=True)
    refused = build.request(officer, D(2024, 3, 1))
    record_decision_to_assess(
        refused, decided_on=D(2024, 4, 1), outcome="not_assess", actor=officer, today=D(2026, 1, 1)
    )
    build.request(officer, D(2025, 1, 6))


def test_json_has_the_documented_keys_and_right_figures(council: None) -> None:
    data = json.loads(run("--from", "2024-01-01", "--to", "2024-12-31", "--format", "json"))
    for key in REQUIRED_KEYS:
        assert key in data
    assert data["requests_received"] == 4
    assert data["request_decisions"] == 4
    assert data["plans_issued"] == 3
    assert data["plans_issued_within_20_weeks"] == 1
    assert data["plans_issued_within_20_weeks_pc"] == 33.3
    assert data["plans_issued_excluding_exceptions"] == 2
    assert data["plans_issued_within_20_weeks_excluding_exceptions_pc"] == 50.0
    assert data["review_decisions"] == 0 and data["review_decisions_within_4_weeks_pc"] is None
    assert data["active_plans"] == 3
    assert set(data["active_plans_by_primary_need"]) == set(NeedType.values)
    assert data["active_plans_by_primary_need"]["ASD"] == 2
    # a calendar year is counted as known on its SEN2 census date, as DfE counts it
    assert data["as_at"] == "2025-01-16"
    assert json.loads(run("--from", "2024-01-01", "--to", "2024-06-30"))["as_at"] == "2024-06-30"


def test_as_at_moves_the_count_of_plans(council: None) -> None:
    data = json.loads(run("--from", "2024-01-01", "--to", "2024-12-31", "--as-at", "2024-06-01"))
    assert data["active_plans"] == 2  # issued 27 and 28 May 2024; the third on 26 July
    assert data["plans_issued"] == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2024-02-30", "--to", "2024-12-31"], "--from must be a real date"),
        (["--from", "yesterday", "--to", "2024-12-31"], "--from must be a real date"),
        (
            ["--from", "2024-01-01", "--to", "2024-12-31", "--as-at", "31/12/2024"],
            "--as-at must be a real date",
        ),
        (
            ["--from", "2025-01-01", "--to", "2024-12-31"],
            "--from (2025-01-01) must be on or before --to",
        ),
        (["--from", "2024-01-01", "--to", "2024-12-31", "--format", "pdf"], "give -o FILE"),
    ],
)
def test_bad_input_gives_a_one_line_error(db: None, args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert message in str(exc.value)
    assert "\n" not in str(exc.value)


def test_the_console_command_exits_non_zero_with_one_line(tmp_path: Path) -> None:
    proc = subprocess.run(  # noqa: S603 - our own CLI
        [
            sys.executable,
            "-m",
            "sendcase.cli",
            "report",
            "--from",
            "2024-12-31",
            "--to",
            "2024-01-01",
        ],
        capture_output=True,
        text=True,
        env={
            "DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
            "PATH": "/usr/bin",
        },
        check=False,
    )
    assert proc.returncode != 0
    assert proc.stderr.strip().count("\n") == 0
    assert "must be on or before" in proc.stderr


def test_csv_xlsx_html_and_pdf(council: None, tmp_path: Path) -> None:
    rows = list(
        csv.reader(
            io.StringIO(run("--from", "2024-01-01", "--to", "2024-12-31", "--format", "csv"))
        )
    )
    assert rows[0] == ["key", "measure", "value"]
    assert ["plans_issued_within_20_weeks_pc", "Plans issued within 20 weeks (%)", "33.3"] in rows
    run(
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
        "--format",
        "xlsx",
        "-o",
        str(tmp_path / "r.xlsx"),
    )
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    assert ["plans_issued", "Final plans issued", 3] in [
        [c.value for c in row] for row in sheet.iter_rows()
    ]
    run(
        "--from",
        "2023-09-01",
        "--to",
        "2025-08-31",
        "--format",
        "html",
        "-o",
        str(tmp_path / "r.html"),
    )
    html = (tmp_path / "r.html").read_text()
    assert "2023-24" in html and "2024-25" in html and "33.3%" in html
    run(
        "--from",
        "2023-09-01",
        "--to",
        "2025-08-31",
        "--format",
        "pdf",
        "-o",
        str(tmp_path / "r.pdf"),
    )
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
