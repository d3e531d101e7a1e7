"""STAND-IN until branch sec-audit lands: the API its audit-log triggers define
(/work/wt/AUDIT-TRIGGER.md). sec-audit's own module replaces this file whole; it adds the
triggers that refuse UPDATE and DELETE on the audit log except inside `pseudonymising()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

SETTING = "sendcase.audit_mode"
PSEUDONYMISE = "pseudonymise"


class AuditLockError(RuntimeError):
    """An exception to the audit lock was asked for outside a transaction."""


@contextmanager
def pseudonymising(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Let this transaction pseudonymise audit rows (summary, payload, pseudonymised_at only)."""
    conn = connections[using]
    if not conn.in_atomic_block:
        raise AuditLockError("Open the audit lock only inside transaction.atomic().")
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [SETTING, PSEUDONYMISE])
    try:
        yield
    finally:
        if conn.vendor == "postgresql" and not conn.needs_rollback:
            with conn.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, %s, true)", [SETTING, ""])
