"""Crypto-shredding: once an owner's key is gone, no remaining key opens their ciphertexts."""

import itertools

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from trygg.vault import vault
from trygg.vault.models import BlindIndexEntry, DataKey, IndexKey
from trygg.vault.providers import get_provider

FIELDS = {"full_name": "Amina Yusuf", "birth_date": "1999-04-01", "phone": "+358 40 1234567"}


def _every_remaining_key() -> list[bytes]:
    """Every data key and index key left in the database, and every KEK, unwrapped."""
    provider = get_provider()
    keys = [provider.get_key(kek_id) for kek_id in provider.key_ids()]
    for row in DataKey.objects.all():
        keys.append(
            vault._unwrap(
                row.kek_id, row.wrapped, vault._data_key_aad(row.owner, row.version), what="test"
            )
        )
    for index_row in IndexKey.objects.all():
        keys.append(
            vault._unwrap(
                index_row.kek_id,
                index_row.wrapped,
                vault._index_key_aad(index_row.field),
                what="test",
            )
        )
    return keys


def test_a_shredded_owner_cannot_be_decrypted_even_with_every_remaining_key(
    owner: str, other_owner: str
) -> None:
    blobs = vault.encrypt_fields(owner, table="clients.person", row="r1", values=FIELDS)
    copies = {name: bytes(blob) for name, blob in blobs.items()}  # a backup taken before
    vault.set_blind_indexes(owner, {"phone": FIELDS["phone"]})

    vault.shred(owner)

    with pytest.raises(vault.ShreddedError):
        vault.decrypt_fields(owner, table="clients.person", row="r1", blobs=copies)
    for name, blob in copies.items():
        with pytest.raises(vault.ShreddedError):
            vault.decrypt(owner, table="clients.person", field=name, row="r1", blob=blob)
        with pytest.raises(vault.DecryptionError):
            vault.decrypt(other_owner, table="clients.person", field=name, row="r1", blob=blob)
    # Beyond the API: try every key that is left, with and without the right associated data.
    header, nonce, ciphertext = blob[:5], blob[5:17], blob[17:]
    aads = [
        vault._aad(header, owner, "clients.person", "phone", "r1"),
        None,
        b"",
    ]
    for key, aad in itertools.product(_every_remaining_key(), aads):
        with pytest.raises(InvalidTag):
            AESGCM(key).decrypt(nonce, ciphertext, aad)


def test_shredding_removes_the_key_and_the_blind_index_entries(
    owner: str, other_owner: str
) -> None:
    vault.set_blind_indexes(owner, {"phone": "+358401234567", "document": "AB 123"})
    vault.set_blind_indexes(other_owner, {"phone": "+358401234567"})
    vault.shred(owner)
    assert not DataKey.objects.filter(owner=owner).exists()
    assert not BlindIndexEntry.objects.filter(owner=owner).exists()
    assert vault.find("phone", "+358401234567") == [other_owner]


def test_a_new_key_after_shredding_does_not_revive_old_ciphertexts(owner: str) -> None:
    blob = vault.encrypt(owner, table="t", field="f", row="r", value="Amina")
    vault.shred(owner)
    vault.create_key(owner)
    with pytest.raises(vault.DecryptionError):
        vault.decrypt(owner, table="t", field="f", row="r", blob=blob)


def test_shredding_twice_is_harmless(owner: str) -> None:
    vault.shred(owner)
    vault.shred(owner)
    assert not DataKey.objects.exists()
