"""The audit log's lock, held by the database: triggers refuse UPDATE and DELETE on it.

Migration `core/0002_audit_log_triggers` installs the triggers on PostgreSQL and SQLite. They
read one "mode" of the current transaction (PostgreSQL: the setting `sendcase.audit_mode`,
local to the transaction; SQLite: the function `sendcase_audit_mode()`, which every Django
SQLite connection gets when it opens). Two deliberate, named exceptions exist, and only these
context managers open them:

- `pseudonymising()`: erasure may replace `summary` and `payload` of rows not yet
  pseudonymised, once, setting `pseudonymised_at`; every other column must stay the same.
- `wiping_audit_log()`: the demo reset (demo database only) and the test suite's flush may
  delete the whole log.

Everything else - `QuerySet.update()`, `QuerySet.delete()`, raw SQL, a raw `sqlite3` client
without the function - is refused by the database. docs/audit.md explains the design.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.signals import connection_created

from sendcase.core.models import AuditEntry

SETTING = "sendcase.audit_mode"
SQLITE_FUNCTION = "sendcase_audit_mode"
PSEUDONYMISE = "pseudonymise"
WIPE = "wipe"
REFUSAL = "The audit log is append-only: its entries cannot be changed or deleted."


class AuditLockError(RuntimeError):
    """An exception to the audit lock was asked for outside a transaction."""


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give each new SQLite connection the function its triggers read (mode "" = locked)."""
    wrapper = connection
    if wrapper.vendor != "sqlite":
        return
    wrapper.sendcase_audit_mode = ""
    wrapper.connection.create_function(SQLITE_FUNCTION, 0, lambda: wrapper.sendcase_audit_mode)


connection_created.connect(register_sqlite_function, dispatch_uid="sendcase-audit-lock")


def _set_mode(using: str, mode: str) -> None:
    conn = connections[using]
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [SETTING, mode])
    else:
        conn.ensure_connection()
        conn.sendcase_audit_mode = mode  # type: ignore[attr-defined]


@contextmanager
def _mode(mode: str, using: str) -> Iterator[None]:
    conn = connections[using]
    if not conn.in_atomic_block:
        raise AuditLockError("Open the audit lock only inside transaction.atomic().")
    _set_mode(using, mode)
    try:
        yield
    finally:
        if conn.vendor != "postgresql":
            conn.sendcase_audit_mode = ""  # type: ignore[attr-defined]
        elif not conn.needs_rollback:
            # A failed transaction drops its local setting when it rolls back.
            _set_mode(using, "")


@contextmanager
def pseudonymising(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Let this transaction pseudonymise audit rows (summary, payload, pseudonymised_at only)."""
    with _mode(PSEUDONYMISE, using):
        yield


@contextmanager
def wiping_audit_log(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Let this transaction delete audit rows. Only the demo reset and the test suite's flush
    call this; production code never does."""
    with _mode(WIPE, using):
        yield


@transaction.atomic
def wipe_audit_log() -> int:
    """Delete every audit entry (demo reset and tests only); returns how many."""
    with wiping_audit_log():
        deleted, _ = AuditEntry.objects.all().delete()
    return deleted
