"""`sendcase retention --due` and `--erase`."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from sendcase.casework.models import Child
from sendcase.core.models import AuditEntry
from sendcase.retention.models import Erasure


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("retention", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_due_lists_records_with_their_date_and_why(
    due_child: Child, young_child: Child, data_officer: Any
) -> None:
    out, err = _run("--due", "--as-at", "2026-01-31", "--user", "data")
    lines = out.splitlines()
    assert lines[0] == "child_id\tname\tborn\tdue_on\twhy"
    assert lines[1:] == [
        f"{due_child.pk}\tMorwenna Trelawney\t1990-03\t2021-03-14\t6 years after their 25th "
        "birthday (14 March 2015), which is after the last activity (a case closed, 1 November 2014)"
    ]
    assert err.startswith("1 record due for deletion on 2026-01-31 (6 years after the later of")
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor == data_officer and entry.payload["children"] == [due_child.pk]
    out, _err = _run("--due", "--as-at", "2031-06-21")
    assert len(out.splitlines()) == 3


@pytest.mark.django_db
def test_erase_needs_an_authorised_user(due_child: Child, manager: Any) -> None:
    for args in ([], ["--user", "manager"]):
        with pytest.raises(CommandError, match="Give --user: a data officer or the head"):
            _run("--erase", str(due_child.pk), *args)
    with pytest.raises(CommandError, match="There is no user called nobody"):
        _run("--erase", str(due_child.pk), "--user", "nobody")
    assert not Erasure.objects.exists()


@pytest.mark.django_db
def test_erase_erases_what_it_may_and_says_what_it_did_not(
    due_child: Child, young_child: Child, data_officer: Any
) -> None:
    with pytest.raises(CommandError, match="There is no child with id 999999"):
        _run("--erase", "999999", str(due_child.pk), "--user", "data")
    assert not Erasure.objects.exists()
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 of 2 records not erased"):
        call_command(
            "retention",
            "--erase",
            str(due_child.pk),
            str(young_child.pk),
            "--user",
            "data",
            "--as-at",
            "2026-01-31",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert (
        f"Child {young_child.pk}: not erased. This record is not due for erasure until 21 June 2031"
        in err.getvalue()
    )
    assert list(Erasure.objects.values_list("child_id", flat=True)) == [due_child.pk]
    out, _err = _run(
        "--erase", str(young_child.pk), "--user", "data", "--override-reason", "Art 17, DPO ref 9"
    )
    erasure = Erasure.objects.get(child=young_child)
    assert out == f"Child {young_child.pk}: erased, now {erasure.pseudonym}\n"
    assert erasure.override_reason == "Art 17, DPO ref 9" and erasure.erased_by == data_officer
