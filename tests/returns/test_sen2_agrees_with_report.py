"""The SEN2 return and the report tell the same truth, for the whole default demo council.

The return is counted here with a plain XML parse (lxml, no SENDcase code), the way DfE's
published statistics are computed from SEN2, and compared with `sendcase report` for the same
calendar year, which by default counts as known on the census date. The children and plans in
the return are compared with the database's plans maintained on the census date.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from lxml import etree
from sen2_helpers import xml_date, xml_text  # type: ignore[import-not-found]

from sendcase.plans.models import Plan

TODAY = dt.date(2026, 11, 30)
YEAR = 2026  # the collection: calendar 2025, census 15 January 2026
CENSUS = dt.date(2026, 1, 15)
P0, P1 = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
ZONE = dt.UTC


@pytest.fixture(scope="module")
def council(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The default demo council (about 1,300 plans), built once for the module."""
    with django_db_blocker.unblock(), override_settings(SENDCASE_DEMO=True):
        call_command(
            "demo", seed="1", today=TODAY.isoformat(), stdout=io.StringIO(), stderr=io.StringIO()
        )
        yield
        call_command("flush", interactive=False, verbosity=0)


def export(on: dt.date) -> bytes:
    """The return exported on a given day."""
    out = Path(f"/tmp/sendcase-agree-{os.getpid()}-{on.isoformat()}.xml")  # noqa: S108
    with time_machine.travel(dt.datetime.combine(on, dt.time(12), tzinfo=ZONE), tick=False):
        call_command("sen2", "export", "--year", str(YEAR), "-o", str(out), stdout=io.StringIO())
    try:
        return out.read_bytes()
    finally:
        out.unlink()


def _person_key(person: Any) -> tuple[Any, ...]:
    return (
        xml_text(person, "Surname"),
        xml_text(person, "Forename"),
        xml_text(person, "PersonBirthDate"),
    )


def count(xml: bytes) -> dict[str, Any]:
    """DfE's figures from the return, computed from the XML alone."""
    root = etree.fromstring(xml)
    out: Counter[str] = Counter()
    needs: Counter[str] = Counter()
    for req in root.iter("Requests"):
        got = xml_date(req, "ReceivedDate")
        if got is not None and P0 <= got <= P1:
            out["requests_received"] += 1
            decided = xml_date(req, "RequestOutcomeDate")
            if xml_text(req, "RequestOutcome") in ("Y", "N") and decided is not None:
                out["request_decisions"] += 1
                out["request_decisions_within_6_weeks"] += (decided - got).days <= 42
        a = req.find("Assessment")
        plan = a.find("NamedPlan") if a is not None else None
        start = xml_date(plan, "StartDate") if plan is not None else None
        if got is not None and start is not None and P0 <= start <= P1:
            on_time = (start - got).days <= 140
            out["plans_issued"] += 1
            out["plans_issued_within_20_weeks"] += on_time
            if xml_text(a, "Week20") != "1":
                out["plans_issued_excluding_exceptions"] += 1
                out["plans_issued_within_20_weeks_excluding_exceptions"] += on_time
        active = req.find("ActivePlans")
        if active is not None:
            out["active_plans"] += 1
            for need in active.iter("SENneed"):
                if xml_text(need, "SENtypeRank") == "1":
                    needs[xml_text(need, "SENtype") or ""] += 1
            meeting, letter = xml_date(active, "ReviewMeeting"), xml_date(active, "LastReview")
            if meeting is not None and letter is not None:
                out["review_decisions"] += 1
                out["review_decisions_within_4_weeks"] += (letter - meeting).days <= 28
    return {**out, "active_plans_by_primary_need": dict(needs)}


KEYS = (
    "requests_received",
    "request_decisions",
    "request_decisions_within_6_weeks",
    "plans_issued",
    "plans_issued_within_20_weeks",
    "plans_issued_excluding_exceptions",
    "plans_issued_within_20_weeks_excluding_exceptions",
    "active_plans",
    "review_decisions",
    "review_decisions_within_4_weeks",
)


@pytest.mark.django_db
def test_the_report_counts_as_dfe_counts_the_return(council: None) -> None:
    counted = count(export(TODAY))
    out = io.StringIO()
    # No --as-at: for a calendar year the report is as known on its census date.
    call_command("report", "--from", P0.isoformat(), "--to", P1.isoformat(), stdout=out)
    report = json.loads(out.getvalue())
    assert report["as_at"] == CENSUS.isoformat()
    assert counted["active_plans"] > 1000 and counted["plans_issued"] > 100  # a real council
    assert counted["review_decisions"] > 500 and counted["request_decisions"] > 100
    assert {k: report[k] for k in KEYS} == {k: counted.get(k, 0) for k in KEYS}
    by_need = {k: v for k, v in report["active_plans_by_primary_need"].items() if v}
    assert by_need == counted["active_plans_by_primary_need"]
    # The operational variant is a different measure, under its own name.
    assert "review_decisions_in_period" in report
    assert report["review_decisions_in_period"] != report["review_decisions"]


@pytest.mark.django_db
def test_every_plan_maintained_on_the_census_date_is_in_the_return_once(council: None) -> None:
    root = etree.fromstring(export(TODAY))
    returned: Counter[tuple[Any, ...]] = Counter()
    people: Counter[tuple[Any, ...]] = Counter()
    for person in root.iter("Person"):
        people[_person_key(person)] += 1
        for req in person.iter("Requests"):
            active = req.find("ActivePlans")
            if active is not None:
                start = xml_text(req.find("Assessment/NamedPlan"), "StartDate")
                returned[(*_person_key(person), start)] += 1
    held = Counter(
        (c.surname or None, c.forename or None, c.date_of_birth.isoformat(), start.isoformat())
        for c, start in (
            (p.case.child, p.first_issued_on)
            for p in Plan.objects.select_related("case__child").filter(first_issued_on__lte=CENSUS)
            if p.cease_date is None or p.cease_date > CENSUS
        )
    )
    assert len(held) > 1000
    assert returned == held  # each maintained plan exactly once, and nothing else
    assert max(people.values()) == 1  # each child once
    # one active plan per child
    per_child = Counter(key[:3] for key in returned)
    assert max(per_child.values()) == 1


DATE = re.compile(rb"<(\w+)>(\d{4}-\d{2}-\d{2})</\1>")


@pytest.mark.django_db
def test_the_return_is_the_position_on_the_census_date(council: None) -> None:
    early, late = export(dt.date(2026, 3, 1)), export(TODAY)
    later = [
        (tag, day)
        for tag, day in DATE.findall(late)
        if tag != b"PersonBirthDate" and dt.date.fromisoformat(day.decode()) > CENSUS
    ]
    assert later == []
    strip = re.compile(rb"<DateTime>[^<]*</DateTime>")
    assert strip.sub(b"", early) == strip.sub(b"", late)
    assert DATE.findall(late)  # dates were looked at
    # the phase transfers reported are those due in the period
    for tag, day in DATE.findall(late):
        if tag == b"PhaseTransferDueDate":
            assert P0 <= dt.date.fromisoformat(day.decode()) <= P1


@pytest.mark.django_db
def test_the_return_passes_its_own_check(council: None, tmp_path: Path) -> None:
    path = tmp_path / "sen2.xml"
    path.write_bytes(export(TODAY))
    out = io.StringIO()
    call_command("sen2", "validate", str(path), stdout=out)
    assert "no problems found" in out.getvalue()


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs in the SQLite pass: it builds its own SQLite databases, whatever DATABASE_URL is",
)
def test_the_demo_council_round_trips(tmp_path: Path) -> None:
    """export -> import into an empty database -> export gives the same file apart from the
    header's time (in SQLite files of its own, through the command line, as a council would)."""
    first, second = tmp_path / "first.sqlite3", tmp_path / "second.sqlite3"

    def run(db: Path, *args: str) -> str:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{db}",
            "DEBUG": "true",
            "SENDCASE_DEMO": "true",
            "DJANGO_SETTINGS_MODULE": "sendcase.settings",
        }
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "sendcase.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    for db in (first, second):
        run(db, "migrate", "--noinput", "-v", "0")
    run(first, "demo", "--seed", "1", "--today", TODAY.isoformat())
    a, b = tmp_path / "a.xml", tmp_path / "b.xml"
    run(first, "sen2", "export", "--year", str(YEAR), "-o", str(a))
    run(second, "sen2", "import", str(a))
    run(second, "sen2", "export", "--year", str(YEAR), "-o", str(b))
    strip = re.compile(rb"<DateTime>[^<]*</DateTime>")
    assert strip.sub(b"", a.read_bytes()) == strip.sub(b"", b.read_bytes())
    assert b"<RequestOutcome>N</RequestOutcome>" in a.read_bytes()
