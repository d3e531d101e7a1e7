"""`sendcase flush`, which empties every table, may empty the audit log only in the test suite
or on a demo database; anywhere else the database refuses to delete the audit entries and the
flush fails (core/audit_lock.py, docs/audit.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.commands import flush
from django.db import transaction

from sendcase.core.audit_lock import wiping_audit_log
from sendcase.demo.load import is_demo_database


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        database = options["database"]
        if not (settings.SENDCASE_TEST_SUITE or is_demo_database()):
            super().handle(**options)
            return
        with transaction.atomic(using=database), wiping_audit_log(using=database):
            super().handle(**options)
