"""The retention policy: each child's date, why, and the records due for deletion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings

from sendcase.casework.models import Child
from sendcase.retention.erasure import erase_child, set_legal_hold
from sendcase.retention.policy import Policy, due_for_deletion, retention_of

from .helpers import TODAY, refused_case

D = dt.date


@pytest.mark.parametrize(
    ("born", "last_activity", "age", "years", "due"),
    [
        pytest.param(D(1990, 3, 14), D(2014, 11, 1), 25, 6, D(2021, 3, 14), id="birthday-later"),
        pytest.param(D(1990, 1, 10), D(2015, 2, 1), 25, 6, D(2021, 2, 1), id="activity-later"),
        pytest.param(D(1990, 1, 10), None, 25, 6, D(2021, 1, 10), id="no-activity"),
        pytest.param(D(2000, 2, 29), D(2010, 1, 1), 25, 6, D(2031, 2, 28), id="29-february"),
        pytest.param(D(2000, 2, 29), D(2010, 1, 1), 24, 0, D(2024, 2, 29), id="leap-to-leap"),
        pytest.param(D(2001, 5, 4), D(2030, 7, 1), 25, 10, D(2040, 7, 1), id="ten-years"),
    ],
)
def test_due_date(
    born: dt.date, last_activity: dt.date | None, age: int, years: int, due: dt.date
) -> None:
    assert Policy(age, years).due_on(born, last_activity) == due


def test_policy_says_itself_in_words() -> None:
    assert Policy(25, 6).describe() == (
        "6 years after the later of the child's 25th birthday and the last activity on their record"
    )
    assert Policy(21, 1).describe().startswith("1 year after the later of the child's 21st")


@pytest.mark.django_db
def test_a_childs_standing_and_why(due_child: Child, young_child: Child) -> None:
    old = retention_of(due_child)
    assert (old.last_activity, old.due_on, old.is_due(TODAY)) == (
        D(2014, 11, 1),
        D(2021, 3, 14),
        True,
    )
    assert old.why == (
        "6 years after their 25th birthday (14 March 2015), which is after the last activity "
        "(a case closed, 1 November 2014)"
    )
    young = retention_of(young_child)
    assert young.due_on == D(2031, 6, 21) and not young.is_due(TODAY)


@pytest.mark.django_db
def test_the_last_activity_can_be_later_than_the_birthday(
    make_child: Callable[..., Child], manager: Any
) -> None:
    child = make_child("Late", "Activity", D(1990, 1, 10))
    refused_case(child, manager, D(2014, 12, 1), D(2015, 2, 1))
    standing = retention_of(child)
    assert standing.due_on == D(2021, 2, 1)
    assert standing.why == (
        "6 years after the last activity (a case closed, 1 February 2015), which is after their "
        "25th birthday (10 January 2015)"
    )


@pytest.mark.django_db
def test_nothing_is_due_while_a_case_is_open(
    make_child: Callable[..., Child], manager: Any
) -> None:
    from sendcase.casework.scenarios import build_case

    child = make_child("Still", "Open", D(1990, 1, 10))
    build_case(stage="requested", officer=manager, child=child, today=D(2015, 1, 5))
    standing = retention_of(child)
    assert standing.open_case and standing.due_on is None and not standing.is_due(TODAY)
    assert "open" in standing.why
    assert child.pk not in [r.child.pk for r in due_for_deletion(TODAY).due]


@pytest.mark.django_db
def test_due_report_lists_due_records_oldest_first_without_held_or_erased(
    make_child: Callable[..., Child], manager: Any, data_officer: Any
) -> None:
    children = {}
    for name, born in [
        ("First", D(1990, 5, 1)),
        ("Second", D(1989, 5, 1)),
        ("Held", D(1988, 1, 1)),
    ]:
        children[name] = make_child(name, "Due", born)
        refused_case(children[name], manager, D(2014, 10, 1), D(2014, 11, 1))
    gone = make_child("Gone", "Due", D(1987, 1, 1))
    refused_case(gone, manager, D(2014, 10, 1), D(2014, 11, 1))
    set_legal_hold(children["Held"], reason="Claim for damages, ref 2025/17", actor=manager)
    erase_child(gone, actor=data_officer, today=TODAY)

    report = due_for_deletion(TODAY)
    assert [r.child.pk for r in report.due] == [children["Second"].pk, children["First"].pk]
    assert [r.due_on for r in report.due] == [D(2020, 11, 1), D(2021, 5, 1)]
    assert report.held == 1
    # A day before the first became due, nothing is.
    assert due_for_deletion(D(2020, 10, 31)).due == []


@pytest.mark.django_db
@override_settings(SENDCASE_RETENTION_AGE=30, SENDCASE_RETENTION_YEARS=2)
def test_the_policy_comes_from_the_settings(due_child: Child) -> None:
    assert retention_of(due_child).due_on == D(2022, 3, 14)
    assert due_for_deletion(D(2022, 3, 13)).due == []
    assert [r.child for r in due_for_deletion(D(2022, 3, 14)).due] == [due_child]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SENDCASE_RETENTION_YEARS", "six", "must be a whole number"),
        ("SENDCASE_RETENTION_YEARS", "-1", "from 0 to 100"),
        ("SENDCASE_RETENTION_AGE", "16", "from 18 to 100"),
    ],
)
def test_a_bad_setting_stops_start_up(name: str, value: str, message: str) -> None:
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        name: value,
        "SECRET_KEY": "x",
        "DJANGO_SETTINGS_MODULE": "sendcase.settings",
    }
    run = subprocess.run(
        [sys.executable, "-c", "import sendcase.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0 and message in run.stderr
