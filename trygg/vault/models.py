"""The vault's tables: wrapped keys and blind-index entries. No key is ever stored in plaintext.

Owners are pseudonymous codes (a person's code, e.g. "K7F3-Q92X"), never foreign keys: the
vault knows nothing of the apps that use it, and shredding a person leaves their code behind.
"""

from django.db import models
from django.utils import timezone


class DataKey(models.Model):
    """One owner's data key, wrapped by a key-encryption key.

    - `owner`: the owner's pseudonymous code.
    - `wrapped`: nonce (12 bytes) + AES-256-GCM ciphertext of the 32-byte key + tag (16 bytes),
      60 bytes in all; the associated data binds it to `owner` and `version`.
    - `kek_id`: the id of the key-encryption key that wrapped it (the provider's key id).
    - `version`: the data key's version, part of every ciphertext's associated data; 1 for now.
    - `created_at`: when the key was made.

    Deleting the row is crypto-shredding: the owner's ciphertexts can never be read again.
    """

    owner = models.CharField(max_length=32, unique=True)
    wrapped = models.BinaryField()
    kek_id = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # `trygg keys status` counts and `trygg keys rotate` finds keys by their KEK.
            models.Index(fields=["kek_id"], name="vault_datakey_kek_id"),
        ]

    def __str__(self) -> str:
        return f"data key of {self.owner}"


class IndexKey(models.Model):
    """The HMAC key of one blind-indexed field, wrapped like a data key (bound to `field`)."""

    field = models.CharField(max_length=32, unique=True)
    wrapped = models.BinaryField()
    kek_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["kek_id"], name="vault_indexkey_kek_id")]

    def __str__(self) -> str:
        return f"index key of {self.field}"


class BlindIndexEntry(models.Model):
    """A keyed hash (HMAC-SHA256) of one owner's normalised value of an indexed field."""

    owner = models.CharField(max_length=32)
    field = models.CharField(max_length=32)
    digest = models.BinaryField(max_length=32)

    class Meta:
        verbose_name_plural = "blind index entries"
        constraints = [
            # Its index (owner first) also serves shredding and replacing an owner's entries.
            models.UniqueConstraint(
                fields=["owner", "field", "digest"], name="vault_blindindex_owner_field_digest"
            ),
        ]
        indexes = [
            # The lookup of find(): every owner with this field's digest.
            models.Index(fields=["field", "digest"], name="vault_blindindex_field_digest"),
        ]

    def __str__(self) -> str:
        return f"blind index entry of {self.owner}"
