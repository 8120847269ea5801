"""The test-only way past the audit log's append-only triggers, and other shared helpers.

Nothing outside the tests may use `maintenance` (test_append_only.py checks): it exists so
that tests can damage the log on purpose and clean up after transactional tests.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

from trygg.audit import services
from trygg.audit.models import AuditEvent


@contextmanager
def maintenance() -> Iterator[Any]:
    """Let UPDATE and DELETE of audit events through, inside one transaction; yield a cursor.

    PostgreSQL: `set_config(..., is_local => true)` lasts until the transaction ends and is
    switched off again on the way out. SQLite: a row in `audit_maintenance`, deleted on the
    way out (or rolled back with the transaction).
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('trygg.audit_maintenance', 'on', true)")
        else:
            cursor.execute("INSERT INTO audit_maintenance (id) VALUES (1)")
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config('trygg.audit_maintenance', 'off', true)")
            else:
                cursor.execute("DELETE FROM audit_maintenance")


def empty_the_log() -> None:
    """Remove every audit event and the head (after a test whose writes were committed)."""
    with maintenance() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
        cursor.execute("DELETE FROM audit_audithead")


def append(count: int, **fields: Any) -> list[AuditEvent]:
    """Append `count` plain events through the real service and return them."""
    return [services.record(action="test.event", extra={"n": n, **fields}) for n in range(count)]
