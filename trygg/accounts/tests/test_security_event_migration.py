"""Migration 0004 moves existing security events into the audit chain, oldest first."""

from collections.abc import Iterator
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from trygg.audit import services as audit
from trygg.audit.models import AuditEvent
from trygg.audit.tests.helpers import empty_the_log

BEFORE = ("accounts", "0003_reword_choices")


@pytest.fixture
def migrated_back(transactional_db: None) -> Iterator[MigrationExecutor]:
    """The accounts app at 0003 (with its security-event table), put forward again after."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([BEFORE])
    yield MigrationExecutor(connection)
    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    empty_the_log()


def test_security_events_are_copied_into_the_audit_chain_in_order(
    migrated_back: MigrationExecutor,
) -> None:
    apps = migrated_back.loader.project_state([BEFORE]).apps
    SecurityEvent = apps.get_model("accounts", "SecurityEvent")
    actor, subject, organisation = uuid4(), uuid4(), uuid4()
    rows = [
        (datetime(2026, 1, 1, 10, 0, 2, tzinfo=UTC), "auth.logout", {}),
        (datetime(2026, 1, 1, 10, 0, 0, tzinfo=UTC), "auth.login.succeeded", {}),
        (datetime(2026, 1, 1, 10, 0, 1, 5, tzinfo=UTC), "account.role.changed", {"role": "expert"}),
        (
            datetime(2026, 1, 1, 10, 0, 3, tzinfo=UTC),
            "account.organisation.updated",
            {"fields": ["name", "type"]},
        ),
    ]
    for at, action, extra in rows:
        SecurityEvent.objects.create(
            at=at,
            action=action,
            actor_code=actor,
            subject_code=subject,
            organisation_code=organisation,
            extra=extra,
        )

    migrated_back.migrate(migrated_back.loader.graph.leaf_nodes())

    copied = list(
        AuditEvent.objects.order_by("seq").values_list(
            "seq", "at", "action", "actor_code", "subject_code", "organisation_code", "extra"
        )
    )
    assert copied == [
        (seq, at, action, actor, subject, organisation, extra)
        for seq, (at, action, extra) in enumerate(sorted(rows, key=lambda row: row[0]), 1)
    ]
    assert audit.verify_chain().count == 4
    assert "accounts_securityevent" not in connection.introspection.table_names()
