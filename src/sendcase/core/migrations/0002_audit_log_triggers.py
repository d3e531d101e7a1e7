"""The audit log becomes append-only in the database itself (docs/audit.md, core/audit_lock.py).

PostgreSQL and SQLite triggers refuse every UPDATE and DELETE on core_auditentry (and TRUNCATE
on PostgreSQL), except:
- in "pseudonymise" mode, one update per row that sets pseudonymised_at and changes nothing
  but summary and payload (erasure);
- in "wipe" mode, deletes (the demo reset and the test suite's flush only).

On SQLite, a later migration that remakes core_auditentry (most AlterField/RemoveField do)
drops these triggers with the old table: it must run INSTALL_SQLITE again.
tests/core/test_audit_log_triggers.py fails if the triggers are missing.
"""

from django.db import migrations, models

MESSAGE = "The audit log is append-only: its entries cannot be changed or deleted."

# Every column but summary and payload must stay as it was.
FROZEN = ["id", '"at"', "actor_id", "action", "object_type", "object_id", "case_id"]

INSTALL_POSTGRESQL = f"""
CREATE FUNCTION sendcase_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    mode text := coalesce(current_setting('sendcase.audit_mode', true), '');
BEGIN
    IF TG_OP = 'UPDATE' AND mode = 'pseudonymise'
       AND OLD.pseudonymised_at IS NULL AND NEW.pseudonymised_at IS NOT NULL
       AND {" AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in FROZEN)} THEN
        RETURN NEW;
    END IF;
    IF TG_OP IN ('DELETE', 'TRUNCATE') AND mode = 'wipe' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION sendcase_audit_append_only();
CREATE TRIGGER core_auditentry_no_truncate BEFORE TRUNCATE ON core_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION sendcase_audit_append_only();
"""

UNINSTALL_POSTGRESQL = """
DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
DROP FUNCTION IF EXISTS sendcase_audit_append_only();
"""

INSTALL_SQLITE = [
    f"""
CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
WHEN NOT (
    sendcase_audit_mode() IS 'pseudonymise'
    AND OLD.pseudonymised_at IS NULL AND NEW.pseudonymised_at IS NOT NULL
    AND {" AND ".join(f"NEW.{c} IS OLD.{c}" for c in FROZEN)}
)
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
""",
    f"""
CREATE TRIGGER core_auditentry_no_delete BEFORE DELETE ON core_auditentry
WHEN NOT (sendcase_audit_mode() IS 'wipe')
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
""",
]

UNINSTALL_SQLITE = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete",
]


def _run(schema_editor, scripts):
    vendor = schema_editor.connection.vendor
    if vendor not in scripts:
        raise NotImplementedError(f"No audit log triggers for {vendor}.")
    for sql in scripts[vendor]:
        schema_editor.execute(sql)


def install(apps, schema_editor):
    _run(schema_editor, {"postgresql": [INSTALL_POSTGRESQL], "sqlite": INSTALL_SQLITE})


def uninstall(apps, schema_editor):
    _run(schema_editor, {"postgresql": [UNINSTALL_POSTGRESQL], "sqlite": UNINSTALL_SQLITE})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="pseudonymised_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(install, uninstall),
    ]
