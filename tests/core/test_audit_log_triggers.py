"""The audit log is append-only in the database: triggers refuse UPDATE and DELETE from the ORM's
bulk calls and from raw SQL, on SQLite and on PostgreSQL. Erasure's one-way pseudonymisation and
the demo reset's wipe are the only exceptions, each opened deliberately (core/audit_lock.py)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from sendcase.core.audit import PAGE_ROWS, audit, audit_each
from sendcase.core.audit_lock import (
    AuditLockError,
    pseudonymising,
    wipe_audit_log,
    wiping_audit_log,
)
from sendcase.core.models import AuditEntry

pytestmark = pytest.mark.django_db
TABLE = AuditEntry._meta.db_table


@pytest.fixture
def entry(officer: Any, child: Any) -> AuditEntry:
    return audit(officer, "view", child, "Viewed Alex Example", payload={"name": "Alex Example"})


def refused(change: Callable[[], Any]) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        change()


def raw(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def settle() -> None:
    """PostgreSQL refuses TRUNCATE while this test's own inserts have deferred foreign-key checks
    pending; check them now, as a commit would."""
    if connection.vendor == "postgresql":
        raw("SET CONSTRAINTS ALL IMMEDIATE")


def test_the_orm_bulk_update_is_refused(entry: AuditEntry) -> None:
    refused(lambda: AuditEntry.objects.update(summary="nothing happened"))
    refused(lambda: AuditEntry.objects.filter(pk=entry.pk).update(actor=None))
    entry.refresh_from_db()
    assert entry.summary == "Viewed Alex Example" and entry.actor_id is not None


def test_the_orm_bulk_delete_is_refused(entry: AuditEntry) -> None:
    refused(lambda: AuditEntry.objects.all().delete())
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_raw_sql_update_and_delete_are_refused(entry: AuditEntry) -> None:
    refused(lambda: raw(f"UPDATE {TABLE} SET summary = 'x' WHERE id = %s", [entry.pk]))  # noqa: S608
    refused(lambda: raw(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk]))  # noqa: S608
    refused(lambda: raw(f"DELETE FROM {TABLE}"))  # noqa: S608
    entry.refresh_from_db()
    assert entry.summary == "Viewed Alex Example"


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_truncate_is_refused_on_postgresql(entry: AuditEntry) -> None:
    settle()
    refused(lambda: raw(f"TRUNCATE {TABLE} CASCADE"))
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_save_and_delete_of_one_entry_are_refused(entry: AuditEntry) -> None:
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()


def test_a_flush_outside_the_test_suite_and_the_demo_is_refused(entry: AuditEntry) -> None:
    settle()
    with override_settings(SENDCASE_TEST_SUITE=False), transaction.atomic():
        with pytest.raises(CommandError) as refusal:
            call_command("flush", interactive=False, verbosity=0)
        assert "append-only" in str(refusal.value.__cause__)
        transaction.set_rollback(True)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def pseudonymise(**changes: Any) -> int:
    return AuditEntry.objects.filter(pseudonymised_at=None).update(
        pseudonymised_at=timezone.now(), **changes
    )


def test_erasure_may_pseudonymise_summary_and_payload_once(entry: AuditEntry) -> None:
    held = AuditEntry.objects.count()  # the entry, and the staff accounts the fixtures made
    with transaction.atomic(), pseudonymising():
        assert pseudonymise(summary="Viewed child 1", payload={"name": "child 1"}) == held
    entry.refresh_from_db()
    assert (entry.summary, entry.payload) == ("Viewed child 1", {"name": "child 1"})
    assert entry.pseudonymised_at is not None
    # Once pseudonymised, a row is frozen, even in pseudonymise mode.
    with transaction.atomic(), pseudonymising():
        refused(lambda: AuditEntry.objects.update(summary="again"))
    # And the lock is back on after the block.
    refused(lambda: AuditEntry.objects.update(summary="after"))


@pytest.mark.parametrize(
    "change",
    [
        {"actor": None},
        {"action": "delete"},
        {"object_type": "casework.case"},
        {"object_id": "999"},
        {"at": timezone.now()},
    ],
    ids=lambda c: next(iter(c)),
)
def test_pseudonymising_may_not_change_who_what_which_or_when(
    entry: AuditEntry, change: dict[str, Any]
) -> None:
    with transaction.atomic(), pseudonymising():
        refused(lambda: pseudonymise(summary="Viewed child 1", **change))
    refused(lambda: pseudonymise(summary="Viewed child 1"))  # not without the mode


def test_pseudonymising_does_not_open_deletes(entry: AuditEntry) -> None:
    with transaction.atomic(), pseudonymising():
        refused(lambda: AuditEntry.objects.all().delete())


@pytest.mark.django_db(transaction=True)
def test_the_lock_opens_only_inside_a_transaction() -> None:
    with pytest.raises(AuditLockError), pseudonymising():
        pass
    with pytest.raises(AuditLockError), wiping_audit_log():
        pass


def test_the_demo_wipe_deletes_and_locks_again(entry: AuditEntry) -> None:
    held = AuditEntry.objects.count()  # the entry, and the staff accounts the fixtures made
    assert held >= 1 and wipe_audit_log() == held
    audit(None, "view", None, "after the wipe")
    refused(lambda: AuditEntry.objects.all().delete())
    with transaction.atomic(), wiping_audit_log():
        refused(lambda: AuditEntry.objects.update(summary="x"))


def test_the_test_suite_flush_may_empty_the_log(entry: AuditEntry) -> None:
    settle()
    call_command("flush", interactive=False, verbosity=0, stdout=io.StringIO())
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("extra", [0, 1], ids=["a page: bulk_create", "a file: COPY"])
def test_audit_each_writes_one_entry_per_record_either_way(
    officer: Any, child: Any, extra: int
) -> None:
    n = PAGE_ROWS + extra
    assert (
        audit_each(
            officer,
            "export",
            "casework.child",
            ((i, None) for i in range(n)),
            "x",
            payload={"export": 7},
        )
        == n
    )
    rows = AuditEntry.objects.filter(object_type="casework.child")
    assert rows.count() == n and {r.object_id for r in rows} == {str(i) for i in range(n)}
    first = rows.first()
    assert (first.actor, first.payload, first.pseudonymised_at) == (officer, {"export": 7}, None)
    assert first.at is not None
    refused(lambda: rows.update(summary="y"))
