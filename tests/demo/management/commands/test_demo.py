"""`sendcase demo`: options, bad input, --if-empty and --reset."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from sendcase.accounts.models import Role, User
from sendcase.casework.models import Case, StatutoryEvent
from sendcase.core.audit import audit
from sendcase.core.models import AuditEntry
from sendcase.reporting.models import EESArea

TODAY = "2025-11-24"


@pytest.mark.parametrize(
    "options,message",
    [
        ({"plans": "-5"}, "--plans must be between 1 and 200,000, not -5"),
        ({"plans": "0"}, "--plans must be between"),
        ({"plans": "lots"}, "--plans must be a whole number, not 'lots'"),
        ({"today": "2025-13-01"}, "--today must be a date written YYYY-MM-DD, not '2025-13-01'"),
        ({"today": "24/11/2025"}, "--today must be a date written YYYY-MM-DD"),
        ({"seed": "x"}, "--seed must be a whole number"),
        ({"years": "30"}, "--years must be between 1 and 11"),
        ({"like": "Herfordshire"}, "Did you mean: Hertfordshire; Herefordshire, County of"),
        ({"like": "Durham"}, "Did you mean: County Durham"),
        ({"like": "Atlantis"}, "No council called ‘Atlantis’"),
        ({"if_empty": True, "reset": True}, "not both"),
    ],
)
@pytest.mark.django_db
def test_bad_options_say_what_is_wrong_and_change_nothing(options: dict, message: str) -> None:
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("demo", stdout=io.StringIO(), stderr=io.StringIO(), **options)
    assert not Case.objects.exists()
    assert not User.objects.exists()


def test_bad_option_on_the_command_line_is_one_line_and_exits_non_zero(tmp_path: object) -> None:
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    run = subprocess.run(
        [sys.executable, "-m", "sendcase.cli", "demo", "--plans", "-5"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode != 0
    assert run.stderr.strip() == "CommandError: --plans must be between 1 and 200,000, not -5"
    run = subprocess.run(
        [sys.executable, "-m", "sendcase.cli", "demo", "--like", "Nowhere-on-Sea"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode != 0
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1


@pytest.mark.django_db
def test_if_empty_keeps_the_council_and_prints_the_logins() -> None:
    out = io.StringIO()
    call_command("demo", plans="30", seed="3", today=TODAY, stdout=out, stderr=io.StringIO())
    cases = Case.objects.count()
    roles = set(User.objects.filter(is_demo=True).values_list("role", flat=True))
    assert roles == set(Role.values)
    assert "demo.admin" in out.getvalue()
    # The comparators are there from the start: the shipped DfE release is loaded with the council.
    assert "Imported" in out.getvalue()
    assert EESArea.objects.filter(code="E92000001").exists()
    again = io.StringIO()
    call_command("demo", if_empty=True, stdout=again, stderr=io.StringIO())
    assert "already has" in again.getvalue() and "demo.head" in again.getvalue()
    assert "already imported" in again.getvalue()
    assert Case.objects.count() == cases
    with pytest.raises(CommandError, match="--reset"):
        call_command("demo", plans="30", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db
def test_reset_replaces_the_demo_council() -> None:
    call_command(
        "demo", plans="30", seed="3", today=TODAY, stdout=io.StringIO(), stderr=io.StringIO()
    )
    first = sorted(Case.objects.values_list("child__surname", flat=True))
    call_command(
        "demo",
        plans="30",
        seed="4",
        today=TODAY,
        reset=True,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert sorted(Case.objects.values_list("child__surname", flat=True)) != first
    assert AuditEntry.objects.filter(action="import").count() == 1


@pytest.mark.django_db
def test_reset_refuses_when_someone_real_has_worked_in_the_database() -> None:
    call_command(
        "demo", plans="30", seed="3", today=TODAY, stdout=io.StringIO(), stderr=io.StringIO()
    )
    real = User.objects.create_user(username="real.officer", password="x", role=Role.CASE_OFFICER)
    case = Case.objects.first()
    audit(real, "view", case, "Viewed the case", case=case)
    events = StatutoryEvent.objects.count()
    with pytest.raises(CommandError, match="1 staff account that is not a demo login"):
        call_command("demo", reset=True, stdout=io.StringIO(), stderr=io.StringIO())
    assert StatutoryEvent.objects.count() == events


def test_an_unmigrated_database_is_named_not_a_traceback(tmp_path) -> None:
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "DEBUG": "true",
        "SENDCASE_DEMO": "true",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "sendcase.cli", "demo", "--plans", "10"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode != 0
    assert "run `sendcase migrate` first" in result.stderr
    assert "Traceback" not in result.stderr
