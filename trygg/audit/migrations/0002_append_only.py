"""Make the audit log append-only in the database itself.

The model refuses changes and deletes too, but `QuerySet.update()`, raw SQL or a database
console would pass by it; these triggers do not. They refuse UPDATE and DELETE of audit events
on both databases, and TRUNCATE of a non-empty table on PostgreSQL.

The one way past them is for the test suite only (docs/architecture.md, "The audit log"):
inside one transaction, `set_config('trygg.audit_maintenance', 'on', true)` on PostgreSQL, or
a row in the table `audit_maintenance` on SQLite. No code outside the tests sets either;
`trygg/audit/tests/test_append_only.py` checks that. Against whoever owns the database the
triggers prove nothing (they can drop them): the hash chain and checkpoints kept elsewhere do.

SQLite drops a table's triggers when Django rebuilds the table for a schema change: a later
migration that alters `audit_auditevent` must create them again (the tests would fail).
"""

from django.db import migrations

TABLE = "audit_auditevent"

SQLITE_FORWARD = [
    # Filled only by the test suite, inside a transaction it rolls back or empties.
    "CREATE TABLE audit_maintenance (id INTEGER PRIMARY KEY CHECK (id = 1));",
    f"""CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
    WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    f"""CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE}
    WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance)
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update;",
    "DROP TABLE IF EXISTS audit_maintenance;",
]
POSTGRESQL_FORWARD = [
    f"""CREATE FUNCTION {TABLE}_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('trygg.audit_maintenance', true) = 'on' THEN
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit events are append-only';
    END; $$;""",
    # Emptying an empty table loses nothing: Django's test flush truncates every table.
    f"""CREATE FUNCTION {TABLE}_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('trygg.audit_maintenance', true) = 'on'
                OR NOT EXISTS (SELECT 1 FROM {TABLE}) THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'audit events are append-only';
    END; $$;""",
    f"""CREATE TRIGGER {TABLE}_no_change BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse_change();""",
    f"""CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_refuse_truncate();""",
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE};",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_change ON {TABLE};",
    f"DROP FUNCTION IF EXISTS {TABLE}_refuse_truncate();",
    f"DROP FUNCTION IF EXISTS {TABLE}_refuse_change();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
