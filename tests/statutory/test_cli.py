"""The command line: JSON in, JSON out, plain messages and exit status 2 for bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from typing import Any

import pytest

from sendcase.statutory.cli import main

EXAMPLE = {
    "today": "2025-06-01",
    "events": [
        {"type": "request_received", "date": "2025-01-06"},
        {"type": "decision_to_assess", "date": "2025-02-10", "outcome": "assess"},
    ],
}


def call(payload: Any, argv: list[str] | None = None) -> tuple[int, str, str]:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    out, err = io.StringIO(), io.StringIO()
    code = main(argv or [], stdin=io.StringIO(text), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_the_example_from_the_issue() -> None:
    code, out, err = call(EXAMPLE)
    assert (code, err) == (0, "")
    rows = json.loads(out)["deadlines"]
    dta = next(r for r in rows if r["key"] == "decision_to_assess")
    assert dta["due"] == "2025-02-17"
    assert dta["completed_on"] == "2025-02-10"
    assert dta["status"] == "met"
    assert out.startswith('{\n  "deadlines": [')  # indent 2
    final = next(r for r in rows if r["key"] == "final_plan")
    assert (final["due"], final["status"]) == ("2025-05-26", "overdue")


def test_birth_date_and_config() -> None:
    payload = {
        "today": "2025-06-01",
        "birth_date": "2022-06-01",
        "events": [
            {"type": "final_issued", "date": "2025-01-15"},
            {"type": "complaint_received", "date": "2025-12-19"},
        ],
        "config": {
            "warning_days": 7,
            "local_targets": {"complaint_stage_1": {"length_days": 5}},
            "extra_holidays": ["2025-12-22"],
        },
    }
    code, out, err = call(payload)
    assert code == 0, err
    rows = {r["key"]: r for r in json.loads(out)["deadlines"]}
    assert rows["early_years_review"]["due"] == "2025-07-15"
    assert rows["complaint_stage_1"]["due"] == "2025-12-31"  # 22 December closed too


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{not json", "The input is not valid JSON"),
        ("", "The input is not valid JSON"),
        ([], "must be a JSON object"),
        ({"events": []}, "Enter today's date"),
        ({"today": "2025-02-30", "events": []}, "today: 2025-02-30 is not a real date"),
        ({"today": "2025-06-01"}, "has no events list"),
        (
            {
                "today": "2025-06-01",
                "events": [*EXAMPLE["events"], {"type": "final_issued", "date": "2025-02-30"}],
            },
            "Event 3 (final_issued): date 2025-02-30 is not a real date. Use YYYY-MM-DD.",
        ),
        (
            {"today": "2025-06-01", "events": [{"type": "dinner", "date": "2025-01-01"}]},
            "Event 1 (dinner): unknown event type",
        ),
        (
            {
                "today": "2025-06-01",
                "events": [
                    {"type": "final_issued", "date": "2025-01-01"},
                    {"type": "request_received", "date": "2025-01-06"},
                ],
            },
            "Event 1 (final_issued): 2025-01-01 is before the request received",
        ),
        (
            {"today": "2025-06-01", "events": [], "birth_date": "2020-13-01"},
            "birth_date: 2020-13-01 is not a real date",
        ),
        (
            {"today": "2025-06-01", "events": [], "config": {"warning_days": -1}},
            "warning_days must be a whole number",
        ),
        (
            {
                "today": "2025-06-01",
                "events": [],
                "config": {"local_targets": {"final_plan": {"enabled": False}}},
            },
            "'final_plan' is not a local target",
        ),
        (
            {"today": "2025-06-01", "events": [], "config": {"extra_holidays": ["2025-02-29"]}},
            "not a real date",
        ),
        (
            {"today": "2025-06-01", "events": [], "config": {"colour": "blue"}},
            "unknown setting 'colour'",
        ),
    ],
)
def test_bad_input_exits_2_with_one_plain_message(payload: Any, message: str) -> None:
    code, out, err = call(payload)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err
    assert err.count("\n") == 1


def test_help_and_unexpected_arguments() -> None:
    code, out, _ = call(EXAMPLE, ["--help"])
    assert code == 0 and "usage" in out
    code, _, err = call(EXAMPLE, ["--frobnicate"])
    assert code == 2 and "Unexpected argument" in err


def test_runs_as_a_module() -> None:
    proc = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "sendcase.statutory"],
        input=json.dumps(EXAMPLE),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["deadlines"][0]["key"] == "decision_to_assess"
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "sendcase.statutory"],
        input="[",
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_sendcase_clock_needs_no_settings_and_prints_only_its_json(tmp_path: Any) -> None:
    """`sendcase clock` is a pure computation: no SECRET_KEY, no DEBUG, no database, no built
    front-end assets (the static files are not looked at), and nothing on stdout but JSON."""
    proc = subprocess.run(  # noqa: S603 - our own interpreter and CLI
        [sys.executable, "-m", "sendcase.cli", "clock"],
        input=json.dumps(EXAMPLE),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        cwd=tmp_path,
        env={"PATH": "/usr/bin", "STATIC_ROOT": str(tmp_path / "missing")},
    )
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == call(EXAMPLE)[1]
    assert json.loads(proc.stdout)["deadlines"][0]["key"] == "decision_to_assess"
    bad = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "sendcase.cli", "clock"],
        input="[",
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={"PATH": "/usr/bin"},
    )
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.startswith("The input is not valid JSON") and "Traceback" not in bad.stderr
