"""A canary value encrypted through the vault appears nowhere: not in the database file or
dump, not in a row read raw, not in a log record, not in an exception message."""

import glob
import logging
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from trygg.vault import vault
from trygg.vault.models import BlindIndexEntry, DataKey, IndexKey

CANARY = "Canary Qzxjwv Ünïcode-7731"
PHONE = "+358 40 977 3311"
PERSON = "CANA-RY01"


@pytest.fixture
def person_model() -> Iterator[Any]:
    """A person-like model with encrypted fields, its table made for this test only."""
    with isolate_apps("trygg.vault"):

        class CanaryPerson(models.Model):
            code = models.CharField(max_length=32, unique=True)
            full_name_enc = models.BinaryField()
            phone_enc = models.BinaryField(null=True)

            class Meta:
                app_label = "vault"
                db_table = "vault_test_canary_person"

            def __str__(self) -> str:
                return self.code

        with connection.schema_editor() as editor:
            editor.create_model(CanaryPerson)
        try:
            yield CanaryPerson
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(CanaryPerson)


def _database_bytes(tmp_path: Path) -> bytes:
    """The whole database as bytes: an SQLite file copy, or a pg_dump of the database."""
    if connection.vendor == "sqlite":
        target = tmp_path / "copy.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(target)])
        return target.read_bytes()
    found = shutil.which("pg_dump") or next(
        iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))), None
    )
    assert found, "pg_dump is needed for this test on PostgreSQL"
    db = connection.settings_dict
    result = subprocess.run(
        [
            found,
            "--no-owner",
            "-h",
            db["HOST"],
            "-p",
            str(db["PORT"]),
            "-U",
            db["USER"],
            db["NAME"],
        ],
        capture_output=True,
        check=True,
    )
    return result.stdout


PATTERNS = [CANARY.encode("utf-8"), CANARY.encode("utf-16-le"), b"Qzxjwv", b"9773311"]


@pytest.mark.django_db(transaction=True)
def test_a_canary_appears_in_no_database_bytes_log_or_error(
    person_model: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    errors: list[str] = []

    vault.create_key(PERSON)
    person = person_model(code=PERSON)
    blobs = vault.encrypt_fields(
        PERSON, table="test.person", row=PERSON, values={"full_name": CANARY, "phone": PHONE}
    )
    person.full_name_enc, person.phone_enc = blobs["full_name"], blobs["phone"]
    person.save()
    vault.set_blind_indexes(PERSON, {"name_birth_date": f"{CANARY}|1990-01-02", "phone": PHONE})

    stored = person_model.objects.get(code=PERSON)
    assert (
        vault.decrypt(
            PERSON, table="test.person", field="full_name", row=PERSON, blob=stored.full_name_enc
        )
        == CANARY
    )
    assert vault.find("phone", PHONE) == [PERSON]
    for attempt in [
        lambda: vault.decrypt(
            PERSON, table="test.person", field="phone", row=PERSON, blob=stored.full_name_enc
        ),
        lambda: vault.decrypt(
            "OTHER-01", table="test.person", field="full_name", row=PERSON, blob=blobs["full_name"]
        ),
    ]:
        with pytest.raises(vault.DecryptionError) as failure:
            attempt()
        errors += [str(failure.value), repr(failure.value)]

    raw = _database_bytes(tmp_path)
    # The copy really holds the row: SQLite keeps the blob as is, pg_dump writes it in hex.
    assert bytes(blobs["full_name"]) in raw or blobs["full_name"].hex().encode() in raw
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, full_name_enc, phone_enc FROM vault_test_canary_person")
        row_bytes = b"".join(
            bytes(value) if not isinstance(value, str) else value.encode()
            for value in cursor.fetchone()
        )
    key_rows = b"".join(
        bytes(value)
        for model in (DataKey, IndexKey, BlindIndexEntry)
        for row in model.objects.values_list()
        for value in row
        if isinstance(value, bytes | memoryview)
    )

    vault.shred(PERSON)
    with pytest.raises(vault.ShreddedError) as shredded:
        vault.decrypt(
            PERSON, table="test.person", field="full_name", row=PERSON, blob=blobs["full_name"]
        )
    errors += [str(shredded.value), repr(shredded.value)]

    logged = "\n".join(record.getMessage() + repr(record.args) for record in caplog.records)
    for pattern in PATTERNS:
        assert pattern not in raw
        assert pattern not in row_bytes
        assert pattern not in key_rows
        text = pattern.decode("utf-8", "ignore")
        if text.strip("\x00"):
            assert text not in logged
            assert all(text not in error for error in errors)
    assert "Canary" not in "".join(errors)
