"""Contacts recorded before issue 12 were never asked about parental responsibility or their
preferred way of contact: after migration 0008 they say "not known", not "Yes" and "Email"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("casework", "0008_ceasing_route")]
AFTER = [("casework", "0009_contacts_never_asked")]


@pytest.mark.django_db(transaction=True)
def test_what_was_never_asked_becomes_not_known() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Child = apps.get_model("casework", "Child")
    FamilyContact = apps.get_model("casework", "FamilyContact")
    child = Child.objects.create(
        forename="Old", surname="Record", date_of_birth=dt.date(2015, 1, 1)
    )
    FamilyContact.objects.create(
        child=child,
        name="Jo Record",
        relationship="Mother",
        parental_responsibility=True,
        preferred_contact="email",
        email="jo@example.org",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    contact = apps.get_model("casework", "FamilyContact").objects.get(name="Jo Record")
    assert (contact.parental_responsibility, contact.preferred_contact) == (None, "")
    assert contact.email == "jo@example.org"
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
