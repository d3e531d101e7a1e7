"""Typo-tolerant search by name on PostgreSQL: the pg_trgm extension and a trigram GIN index on
the child's names as one text (casework.search.search_name builds the same expression, and filters
with the trigram operators and ILIKE, which this index serves).

SQLite has no trigrams: there the search falls back to case-insensitive "contains", and this
migration does nothing.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "casework_child_name_trgm": "(forename || ' ' || surname || ' ' || preferred_name)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON casework_child USING gin ({expression} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0005_case_tasks"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
