"""Canary values planted through the real services must not appear where they must not."""

import logging
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from trygg.accounts.models import User
from trygg.audit.models import AuditEvent
from trygg.clients.models import Person
from trygg.clients.tests.conftest import CANARY_NAME, CANARY_NOTE, CANARY_PHONE
from trygg.testing import in_sudo_mode, log_in

CANARIES = [
    CANARY_NAME,
    "Canaryname",
    CANARY_NOTE,
    "CANARY-NOTE",
    "CANARYDOC4471",
    "canary.zqxwv",
    "Canarystreet",
]


def database_bytes(tmp_path: Path) -> bytes:
    """Return a full copy of the database, as a backup would hold it.

    SQLite: the bytes of the database file (sqlite3's serialize()). PostgreSQL: every table's
    rows in COPY
    format, which is what pg_dump writes, read on the test's own connection so that the rows
    of this (rolled-back) test transaction are included.
    """
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return bytes(connection.connection.serialize())
    chunks: list[bytes] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            with cursor.cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                chunks.extend(bytes(block) for block in copy)
    return b"".join(chunks)


def test_canaries_are_not_in_a_copy_of_the_database(
    tmp_path: Path, caseworker: User, client_person: Person
) -> None:
    data = database_bytes(tmp_path)
    assert client_person.code.encode() in data  # the copy is real
    for canary in CANARIES:
        assert canary.encode() not in data, canary


def test_canaries_are_not_in_logs_audit_details_urls_or_pages(
    client: Client, caseworker: User, client_person: Person, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    log_in(client, caseworker)
    in_sudo_mode(client)
    pages = [
        client.get(reverse("clients:person", args=[client_person.code])),
        client.post(reverse("clients:find"), {"phone": CANARY_PHONE}),
        client.post(reverse("clients:find"), {"name": "x"}),  # an error page
        client.post(
            reverse("clients:register"), {"full_name": CANARY_NAME, "email": "not-an-email"}
        ),
    ]
    revealed = client.post(reverse("clients:identity", args=[client_person.code]))
    assert CANARY_NAME in revealed.content.decode()  # shown where asked for, with sudo
    for response in pages:
        body = response.content.decode()
        location = response.get("Location", "")
        for canary in CANARIES[:5]:
            assert canary not in location
            if response.status_code != 400:
                assert canary not in body
    for record in caplog.records:
        for canary in CANARIES:
            assert canary not in record.getMessage()
    for event in AuditEvent.objects.all():
        text = str(event.extra)
        for canary in CANARIES:
            assert canary not in text
