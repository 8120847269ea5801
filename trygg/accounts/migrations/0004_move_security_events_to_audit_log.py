"""Move the security events into the audit log, in order, and remove their table.

Each security event becomes an audit event with the same time, action, codes and details,
appended after whatever the audit log holds, oldest first (by time, then id). The old table's
append-only triggers are dropped first, or removing the table would be refused.

Going back recreates an empty security-event table with its triggers: the events stay in the
audit log, which cannot give them up.
"""

from django.db import migrations

from trygg.audit.chain import GENESIS_HASH, event_hash

TABLE = "accounts_securityevent"

DROP_TRIGGERS = {
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {TABLE}_no_update;",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;",
    ],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE};",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_change ON {TABLE};",
        f"DROP FUNCTION IF EXISTS {TABLE}_refuse();",
    ],
}
CREATE_TRIGGERS = {
    "sqlite": [
        f"""CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'security events are append-only'); END;""",
        f"""CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'security events are append-only'); END;""",
    ],
    "postgresql": [
        f"""CREATE FUNCTION {TABLE}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'security events are append-only'; END; $$;""",
        f"""CREATE TRIGGER {TABLE}_no_change BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse();""",
        f"""CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_refuse();""",
    ],
}
BATCH = 2000


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def copy_into_audit_log(apps, schema_editor):
    SecurityEvent = apps.get_model("accounts", "SecurityEvent")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditHead = apps.get_model("audit", "AuditHead")
    using = schema_editor.connection.alias
    if not SecurityEvent.objects.using(using).exists():
        return
    # The same lock as audit.services.record: nothing else appends meanwhile.
    head = AuditHead.objects.using(using).select_for_update().filter(pk=1).first()
    if head is None:
        head = AuditHead.objects.using(using).create(pk=1, seq=0, hash=GENESIS_HASH)
    seq, prev_hash = head.seq, head.hash
    batch = []
    events = SecurityEvent.objects.using(using).order_by("at", "id")
    for old in events.iterator(chunk_size=BATCH):
        seq += 1
        digest = event_hash(
            seq=seq,
            at=old.at,
            action=old.action,
            actor_code=old.actor_code,
            person_code=None,
            subject_code=old.subject_code,
            organisation_code=old.organisation_code,
            extra=old.extra,
            prev_hash=prev_hash,
        )
        batch.append(
            AuditEvent(
                seq=seq,
                at=old.at,
                action=old.action,
                actor_code=old.actor_code,
                person_code=None,
                subject_code=old.subject_code,
                organisation_code=old.organisation_code,
                extra=old.extra,
                prev_hash=prev_hash,
                hash=digest,
            )
        )
        prev_hash = digest
        if len(batch) == BATCH:
            AuditEvent.objects.using(using).bulk_create(batch)
            batch = []
    AuditEvent.objects.using(using).bulk_create(batch)
    AuditHead.objects.using(using).filter(pk=1).update(seq=seq, hash=prev_hash)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_reword_choices"),
        ("audit", "0002_append_only"),
    ]

    operations = [
        migrations.RunPython(_run(DROP_TRIGGERS), _run(CREATE_TRIGGERS)),
        migrations.RunPython(copy_into_audit_log, migrations.RunPython.noop),
        migrations.DeleteModel(name="SecurityEvent"),
    ]
