"""The database refuses to change or remove audit events; only the tests have a way past."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from trygg.audit.models import AppendOnlyError, AuditEvent
from trygg.audit.tests.helpers import append

pytestmark = pytest.mark.django_db


@pytest.fixture
def event() -> AuditEvent:
    return append(2)[0]


def test_saving_an_existing_event_is_refused(event: AuditEvent) -> None:
    event.action = "auth.login.succeeded"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_deleting_an_event_through_the_model_is_refused(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_database_refuses_queryset_update(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(seq=event.seq).update(action="auth.login.succeeded")
    event.refresh_from_db()
    assert event.action == "test.event"


def test_database_refuses_raw_update(event: AuditEvent) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET extra = '{}'")


def test_database_refuses_raw_delete(event: AuditEvent) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 2


def test_database_refuses_queryset_delete(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 2


def test_database_refuses_emptying_the_table_with_truncate(event: AuditEvent) -> None:
    statement = (
        "TRUNCATE audit_auditevent"
        if connection.vendor == "postgresql"
        else "DELETE FROM audit_auditevent"  # SQLite's TRUNCATE
    )
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.count() == 2


def test_no_code_outside_the_tests_and_migrations_turns_maintenance_on() -> None:
    package = Path(settings.BASE_DIR) / "trygg"
    mentions = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and re.search(r"audit_maintenance", path.read_text(encoding="utf-8"))
    ]
    assert mentions == []
