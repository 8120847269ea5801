"""Encryption round trips, and every way a blob can fail to decrypt: closed, with an error."""

from pathlib import Path

import pytest
from django.test import override_settings

from trygg.vault import vault

KW = {"table": "clients.person", "field": "full_name", "row": "0b7c6a52-row"}


def test_a_value_decrypts_to_itself(owner: str) -> None:
    blob = vault.encrypt(owner, **KW, value="Amina Yusuf")
    assert vault.decrypt(owner, **KW, blob=blob) == "Amina Yusuf"


def test_the_blob_carries_no_plaintext_and_a_fresh_nonce_each_time(owner: str) -> None:
    first = vault.encrypt(owner, **KW, value="Amina Yusuf")
    second = vault.encrypt(owner, **KW, value="Amina Yusuf")
    assert b"Amina" not in first
    assert first != second


def test_the_blob_starts_with_format_and_key_version(owner: str) -> None:
    blob = vault.encrypt(owner, **KW, value="x")
    assert blob[:5] == b"\x01\x00\x00\x00\x01"
    assert len(blob) == 1 + 4 + 12 + len("x") + 16


def test_an_empty_value_round_trips_as_empty(owner: str) -> None:
    blob = vault.encrypt(owner, **KW, value="")
    assert vault.decrypt(owner, **KW, blob=blob) == ""


def test_a_memoryview_from_postgresql_decrypts(owner: str) -> None:
    blob = vault.encrypt(owner, **KW, value="Amina")
    assert vault.decrypt(owner, **KW, blob=memoryview(blob)) == "Amina"


def test_several_fields_round_trip_in_one_call(owner: str) -> None:
    values = {"full_name": "Amina Yusuf", "birth_date": "1999-04-01", "phone": "+358401234567"}
    blobs = vault.encrypt_fields(owner, table="clients.person", row="r1", values=values)
    assert set(blobs) == set(values)
    assert vault.decrypt_fields(owner, table="clients.person", row="r1", blobs=blobs) == values


def test_encrypt_many_round_trips_for_many_owners(owner: str, other_owner: str) -> None:
    rows = [(owner, "r1", {"full_name": "A"}), (other_owner, "r2", {"full_name": "B"})]
    blobs = vault.encrypt_many(table="clients.person", rows=rows)
    assert vault.decrypt_fields(owner, table="clients.person", row="r1", blobs=blobs[0]) == {
        "full_name": "A"
    }
    assert (
        vault.decrypt(
            other_owner,
            table="clients.person",
            field="full_name",
            row="r2",
            blob=blobs[1]["full_name"],
        )
        == "B"
    )


def test_create_key_is_idempotent(owner: str) -> None:
    blob = vault.encrypt(owner, **KW, value="Amina")
    vault.create_key(owner)
    vault.create_keys([owner, owner])
    vault.clear_caches()
    assert vault.decrypt(owner, **KW, blob=blob) == "Amina"


@pytest.mark.parametrize(
    "change",
    [
        {"row": "another-row"},
        {"field": "preferred_name"},
        {"table": "clients.child"},
    ],
    ids=["row", "field", "table"],
)
def test_a_blob_copied_to_another_row_field_or_table_does_not_decrypt(
    owner: str, change: dict[str, str]
) -> None:
    blob = vault.encrypt(owner, **KW, value="Amina")
    with pytest.raises(vault.DecryptionError):
        vault.decrypt(owner, **{**KW, **change}, blob=blob)


def test_a_blob_of_another_owner_does_not_decrypt(owner: str, other_owner: str) -> None:
    blob = vault.encrypt(owner, **KW, value="Amina")
    with pytest.raises(vault.DecryptionError):
        vault.decrypt(other_owner, **KW, blob=blob)


def test_every_altered_byte_makes_decryption_fail(owner: str) -> None:
    blob = vault.encrypt(owner, **KW, value="Amina Yusuf")
    for position in range(len(blob)):
        altered = bytearray(blob)
        altered[position] ^= 0x01
        with pytest.raises(vault.DecryptionError):
            vault.decrypt(owner, **KW, blob=bytes(altered))


@pytest.mark.parametrize("blob", [b"", b"\x01", b"\x02" + bytes(40)], ids=["empty", "short", "v2"])
def test_a_truncated_or_unknown_blob_fails(owner: str, blob: bytes) -> None:
    with pytest.raises(vault.DecryptionError):
        vault.decrypt(owner, **KW, blob=blob)


def test_a_wrong_key_encryption_key_fails(owner: str, key_directory: Path) -> None:
    blob = vault.encrypt(owner, **KW, value="Amina")
    # Replace the KEK's material under the same id: the wrapped data key no longer opens.
    key_file = next(key_directory.glob("*.key"))
    key_file.write_text("QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=\n")
    vault.clear_caches()
    with pytest.raises(vault.DecryptionError):
        vault.decrypt(owner, **KW, blob=blob)


def test_a_missing_key_encryption_key_fails(owner: str, key_directory: Path) -> None:
    blob = vault.encrypt(owner, **KW, value="Amina")
    for path in key_directory.iterdir():
        path.unlink()
    vault.clear_caches()
    with pytest.raises(vault.DecryptionError, match="not available"):
        vault.decrypt(owner, **KW, blob=blob)


def test_a_wrapped_key_copied_to_another_owner_does_not_open(owner: str, other_owner: str) -> None:
    from trygg.vault.models import DataKey

    blob = vault.encrypt(owner, **KW, value="Amina")
    wrapped = DataKey.objects.get(owner=owner).wrapped
    DataKey.objects.filter(owner=other_owner).update(wrapped=wrapped)
    vault.clear_caches()
    with pytest.raises(vault.DecryptionError):
        vault.decrypt(other_owner, **KW, blob=blob)


def test_encrypting_for_an_owner_without_a_key_fails(db: None) -> None:
    with pytest.raises(vault.ShreddedError):
        vault.encrypt("NOKEY-0000", **KW, value="Amina")


def test_only_text_is_encrypted(owner: str) -> None:
    with pytest.raises(TypeError):
        vault.encrypt(owner, **KW, value=b"bytes")  # type: ignore[arg-type]


@override_settings(TRYGG_VAULT_KEY_CACHE_SECONDS=0)
def test_without_the_key_cache_every_read_still_decrypts(owner: str) -> None:
    blob = vault.encrypt(owner, **KW, value="Amina")
    assert vault.decrypt(owner, **KW, blob=blob) == "Amina"


def test_a_stale_cached_key_is_replaced_by_the_stored_one(owner: str) -> None:
    vault.decrypt(owner, **KW, blob=vault.encrypt(owner, **KW, value="old"))
    stale = vault._data_keys[owner]
    # Another process shreds the owner and creates a new key; this one still caches the old.
    vault.shred(owner)
    vault.create_key(owner)
    blob = vault.encrypt(owner, **KW, value="new")
    vault._data_keys[owner] = stale
    assert vault.decrypt(owner, **KW, blob=blob) == "new"
