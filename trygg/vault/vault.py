"""The vault: envelope encryption with one key per person, blind indexes and crypto-shredding.

Keys
    Each owner (a person's pseudonymous code) has one random 32-byte data key. It is stored only
    wrapped (`DataKey.wrapped`): encrypted with AES-256-GCM under a key-encryption key (KEK) that
    a provider supplies from outside the database (`providers.py`). The wrap's associated data
    binds it to its owner and version, so a wrapped key copied to another owner does not open.
    AES-GCM rather than AES key wrap (RFC 3394) for that binding; its random 96-bit nonces stay
    far below the 2**32 wraps per KEK that NIST allows (one wrap per person and rotation).

Ciphertexts ("blobs")
    AES-256-GCM under the owner's data key with a random 96-bit nonce::

        byte 0       format, 0x01
        bytes 1-4    data-key version, unsigned big-endian
        bytes 5-16   nonce
        bytes 17-    ciphertext, then the 16-byte tag

    The associated data is a fixed label, the five header bytes and the owner, table, field and
    row, each length-prefixed. `table` is a stable logical name chosen once (e.g.
    "clients.person"), not necessarily the database table; `row` is the row's stable code, never
    an autoincrement id. A blob copied to another row, field, table or owner fails to decrypt.

Failing closed
    A wrong key, an altered byte, swapped associated data or an unknown KEK raise
    `DecryptionError`; a missing data key (shredded, or never created) raises `ShreddedError`, a
    `DecryptionError` too. Nothing here returns ciphertext or "" in place of a value, logs a
    value or a key, or puts one in an exception message; the functions that touch them are
    marked `sensitive_variables` so that Django's error reports leave their locals out.

Blind indexes
    `blind_index(field, value)` is HMAC-SHA256 of the normalised value under the field's own
    key (`IndexKey`, wrapped like a data key, created on first use). Only the fields in
    `INDEXED_FIELDS` can be indexed, so that nobody indexes a low-variety field (a birth date,
    a nationality) alone, which a dictionary of all values would reverse. For "name_birth_date"
    the caller passes f"{name}|{birth_date.isoformat()}" and the vault normalises the name
    (`normalise.py`).

Crypto-shredding
    `shred(owner)` deletes the owner's data key and blind-index entries in one transaction.
    Every copy of their ciphertexts, in the database, a dump or a backup, is unreadable from
    then on, with every remaining key. The data key itself survives only in backups of the
    `vault_datakey` table taken before, until those expire: see docs/privacy.md, "Erasure by
    crypto-shredding".

Caching
    Unwrapped data keys are kept in process memory for `TRYGG_VAULT_KEY_CACHE_SECONDS` (default
    30; 0 turns the cache off), at most `CACHE_SIZE` of them, so that reading a record does not
    cost a second query. `encrypt` always reads the key afresh. `shred` drops the key from this
    process's cache at once; another process may keep reading for up to that many seconds, which
    is why the caller's erasure also removes the ciphertexts themselves. Index keys are kept for
    the life of the process (they are never deleted). Tests that roll back the database call
    `clear_caches()`.

Key rotation
    `rotate()` re-wraps every data key and index key under the provider's current KEK in one
    transaction, a batch at a time. The data keys themselves do not change, so no ciphertext is
    rewritten, and afterwards the old KEK can be removed.
"""

from __future__ import annotations

import dataclasses
import hmac
import os
import struct
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Count, Q
from django.views.decorators.debug import sensitive_variables

from trygg.lib.db import bulk_insert
from trygg.vault.models import BlindIndexEntry, DataKey, IndexKey
from trygg.vault.normalise import (
    normalise_document,
    normalise_name_birth_date,
    normalise_phone,
)
from trygg.vault.providers import KEY_BYTES, get_provider

__all__ = [
    "INDEXED_FIELDS",
    "DecryptionError",
    "EncryptedFields",
    "ShreddedError",
    "UnknownFieldError",
    "VaultError",
    "blind_index",
    "clear_caches",
    "create_key",
    "create_keys",
    "decrypt",
    "decrypt_fields",
    "encrypt",
    "encrypt_fields",
    "encrypt_many",
    "find",
    "find_many",
    "key_status",
    "owners_sharing",
    "rotate",
    "set_blind_indexes",
    "set_blind_indexes_many",
    "shred",
]

FORMAT = 1
NONCE_BYTES = 12
TAG_BYTES = 16
_HEADER = struct.Struct(">BI")
_HEADER_BYTES = _HEADER.size + NONCE_BYTES
_BLOB_LABEL = b"trygg.vault.blob\x00"
_DATA_KEY_LABEL = b"trygg.vault.datakey\x00"
_INDEX_KEY_LABEL = b"trygg.vault.indexkey\x00"

# The fields that may be blind-indexed, each with its normalisation. Never a low-variety field
# alone: a birth date or a nationality by itself would be reversed by trying every value.
_NORMALISERS: dict[str, Callable[[str], str]] = {
    "name_birth_date": normalise_name_birth_date,
    "phone": normalise_phone,
    "document": normalise_document,
}
INDEXED_FIELDS = ("name_birth_date", "phone", "document")

CACHE_SIZE = 10_000
# Rows per query or per write in the bulk paths; well below SQLite's limit of bound parameters.
BATCH = 500

T = TypeVar("T")


class VaultError(Exception):
    """Base of the vault's errors. Messages name owners and fields, never values or keys."""


class DecryptionError(VaultError):
    """A blob did not decrypt: wrong key, altered bytes, another row's blob, or unknown KEK."""


class ShreddedError(DecryptionError):
    """The owner has no data key: it was shredded (or never created)."""


class UnknownFieldError(VaultError, ValueError):
    """The field is not one of INDEXED_FIELDS."""


# --- Keys -----------------------------------------------------------------------------------


@dataclass
class _CachedKey:
    version: int
    aead: AESGCM
    expires_at: float


_lock = threading.Lock()
_data_keys: OrderedDict[str, _CachedKey] = OrderedDict()
_index_keys: dict[str, bytes] = {}
_keks: dict[str, AESGCM] = {}


def clear_caches() -> None:
    """Forget every unwrapped key and KEK held in this process (tests, after a rotation)."""
    with _lock:
        _data_keys.clear()
        _index_keys.clear()
        _keks.clear()
    get_provider.cache_clear()


def _kek(kek_id: str) -> AESGCM:
    aead = _keks.get(kek_id)
    if aead is None:
        try:
            key = get_provider().get_key(kek_id)
        except KeyError:
            raise DecryptionError(
                f"The key-encryption key {kek_id!r} is not available from the provider."
            ) from None
        aead = _keks[kek_id] = AESGCM(key)
    return aead


def _lp(text: str) -> bytes:
    data = text.encode("utf-8")
    return struct.pack(">H", len(data)) + data


def _data_key_aad(owner: str, version: int) -> bytes:
    return _DATA_KEY_LABEL + _lp(owner) + struct.pack(">I", version)


def _index_key_aad(field_name: str) -> bytes:
    return _INDEX_KEY_LABEL + _lp(field_name)


@sensitive_variables()
def _wrap(kek_id: str, key: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _kek(kek_id).encrypt(nonce, key, aad)


@sensitive_variables()
def _unwrap(kek_id: str, wrapped: bytes | memoryview, aad: bytes, *, what: str) -> bytes:
    wrapped = bytes(wrapped)
    try:
        key = _kek(kek_id).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], aad)
    except InvalidTag:
        raise DecryptionError(
            f"The {what} does not open under key-encryption key {kek_id!r}."
        ) from None
    if len(key) != KEY_BYTES:
        raise DecryptionError(f"The {what} has the wrong length.")
    return key


def _check_owner(owner: str) -> str:
    if not isinstance(owner, str) or not 0 < len(owner) <= 32:
        raise ValueError("An owner is a code of 1 to 32 characters.")
    return owner


@sensitive_variables()
def _new_data_key(owner: str, kek_id: str) -> tuple[DataKey, bytes]:
    key = AESGCM.generate_key(bit_length=256)
    row = DataKey(owner=owner, kek_id=kek_id, version=1)
    row.wrapped = _wrap(kek_id, key, _data_key_aad(owner, row.version))
    return row, key


def _remember(owner: str, version: int, aead: AESGCM) -> None:
    seconds: int = settings.TRYGG_VAULT_KEY_CACHE_SECONDS
    if seconds <= 0:
        return
    with _lock:
        _data_keys[owner] = _CachedKey(version, aead, time.monotonic() + seconds)
        _data_keys.move_to_end(owner)
        while len(_data_keys) > CACHE_SIZE:
            _data_keys.popitem(last=False)


def _forget(owners: Iterable[str]) -> None:
    with _lock:
        for owner in owners:
            _data_keys.pop(owner, None)


def _cached(owner: str) -> _CachedKey | None:
    entry = _data_keys.get(owner)
    if entry is None or entry.expires_at < time.monotonic():
        return None
    return entry


@sensitive_variables()
def _open_data_key(row: DataKey, *, remember: bool = True) -> AESGCM:
    key = _unwrap(
        row.kek_id,
        row.wrapped,
        _data_key_aad(row.owner, row.version),
        what=f"data key of {row.owner}",
    )
    aead = AESGCM(key)
    if remember:
        _remember(row.owner, row.version, aead)
    return aead


def _load_data_key(owner: str) -> tuple[int, AESGCM]:
    """Read and unwrap the owner's data key from the database, refreshing the cache."""
    # Only the three columns, unordered: this query is the whole cost of a cold read.
    found = list(DataKey.objects.filter(owner=owner).values_list("wrapped", "kek_id", "version"))
    if not found:
        _forget([owner])
        raise ShreddedError(f"No data key for {owner}: it was shredded or never created.")
    wrapped, kek_id, version = found[0]
    row = DataKey(owner=owner, wrapped=wrapped, kek_id=kek_id, version=version)
    return version, _open_data_key(row)


def create_key(owner: str) -> None:
    """Create the owner's data key unless it exists."""
    _check_owner(owner)
    if DataKey.objects.filter(owner=owner).exists():
        return
    row, key = _new_data_key(owner, get_provider().current_key_id())
    with transaction.atomic():
        _, created = DataKey.objects.get_or_create(
            owner=owner,
            defaults={"wrapped": row.wrapped, "kek_id": row.kek_id, "version": row.version},
        )
    if created:
        _remember(owner, row.version, AESGCM(key))


def create_keys(owners: Iterable[str], *, new_owners: bool = False) -> None:
    """Create the data keys of many owners at once (bulk imports); existing keys are kept.

    With `new_owners=True` the caller guarantees that no owner has a key yet (codes minted in
    this transaction), so the existence check is skipped and the rows are streamed.
    """
    kek_id = get_provider().current_key_id()
    for batch in _batches(dict.fromkeys(_check_owner(owner) for owner in owners)):
        existing: set[str] = set()
        if not new_owners:
            existing = set(DataKey.objects.filter(owner__in=batch).values_list("owner", flat=True))
        rows = [_new_data_key(owner, kek_id)[0] for owner in batch if owner not in existing]
        # A key created meanwhile by another process wins; this one is dropped unused.
        _insert(
            DataKey,
            ("owner", "wrapped", "kek_id", "version", "created_at"),
            [(r.owner, r.wrapped, r.kek_id, r.version, r.created_at) for r in rows],
            on_conflict_do_nothing=not new_owners,
        )


# --- Encryption -----------------------------------------------------------------------------


def _aad(header: bytes, owner: str, table: str, field_name: str, row: str) -> bytes:
    return _BLOB_LABEL + header + _lp(owner) + _lp(table) + _lp(field_name) + _lp(row)


@sensitive_variables()
def _seal(
    aead: AESGCM, version: int, owner: str, table: str, field_name: str, row: str, value: str
) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"Only text is encrypted; {table}.{field_name} got another type.")
    header = _HEADER.pack(FORMAT, version)
    nonce = os.urandom(NONCE_BYTES)
    aad = _aad(header, owner, table, field_name, row)
    return header + nonce + aead.encrypt(nonce, value.encode("utf-8"), aad)


def _blob_version(blob: bytes, table: str, field_name: str) -> int:
    if len(blob) < _HEADER_BYTES + TAG_BYTES:
        raise DecryptionError(f"The blob of {table}.{field_name} is too short.")
    blob_format, version = _HEADER.unpack_from(blob)
    if blob_format != FORMAT:
        raise DecryptionError(f"The blob of {table}.{field_name} has an unknown format.")
    return int(version)


@sensitive_variables()
def _open(aead: AESGCM, owner: str, table: str, field_name: str, row: str, blob: bytes) -> str:
    header = blob[: _HEADER.size]
    aad = _aad(header, owner, table, field_name, row)
    try:
        plain = aead.decrypt(blob[_HEADER.size : _HEADER_BYTES], blob[_HEADER_BYTES:], aad)
    except InvalidTag:
        raise DecryptionError(
            f"The blob of {table}.{field_name} for {owner} does not decrypt: wrong key, "
            "altered, or copied from another row or field."
        ) from None
    return plain.decode("utf-8")


def _as_bytes(blob: bytes | memoryview | bytearray) -> bytes:
    if isinstance(blob, bytes):
        return blob
    if isinstance(blob, memoryview | bytearray):
        return bytes(blob)  # PostgreSQL hands BinaryField values over as memoryview
    raise DecryptionError("A blob must be bytes.")


@sensitive_variables()
def encrypt(owner: str, *, table: str, field: str, row: str, value: str) -> bytes:
    """Encrypt `value` for `field` of `row` in `table` under the owner's data key.

    Raise ShreddedError when the owner has no data key.
    """
    version, aead = _load_data_key(_check_owner(owner))
    return _seal(aead, version, owner, table, field, row, value)


@sensitive_variables()
def encrypt_fields(
    owner: str, *, table: str, row: str, values: Mapping[str, str]
) -> dict[str, bytes]:
    """Encrypt several fields of one row with one read of the owner's key."""
    version, aead = _load_data_key(_check_owner(owner))
    return {name: _seal(aead, version, owner, table, name, row, v) for name, v in values.items()}


@sensitive_variables()
def encrypt_many(
    *, table: str, rows: Sequence[tuple[str, str, Mapping[str, str]]]
) -> list[dict[str, bytes]]:
    """Encrypt many rows, each given as (owner, row, values); return their blobs in order.

    The owners' keys are read in batches (one query per 500 owners), for bulk imports. Raise
    ShreddedError when an owner has no data key.
    """
    keys: dict[str, tuple[int, AESGCM]] = {}
    owners = dict.fromkeys(_check_owner(owner) for owner, _, _ in rows)
    for batch in _batches(owners):
        for key_row in DataKey.objects.filter(owner__in=batch):
            # Not cached: a bulk import would only fill the cache with keys nobody reads soon.
            keys[key_row.owner] = (key_row.version, _open_data_key(key_row, remember=False))
    result = []
    for owner, row, values in rows:
        if owner not in keys:
            raise ShreddedError(f"No data key for {owner}: it was shredded or never created.")
        version, aead = keys[owner]
        result.append(
            {name: _seal(aead, version, owner, table, name, row, v) for name, v in values.items()}
        )
    return result


def _data_key_for(owner: str, version: int) -> tuple[AESGCM, bool]:
    """Return the owner's key for a blob of `version`, and whether it came from the cache."""
    entry = _cached(owner)
    if entry is not None and entry.version == version:
        return entry.aead, True
    current_version, aead = _load_data_key(owner)
    if current_version != version:
        raise DecryptionError(f"A blob of {owner} names data-key version {version}, not ours.")
    return aead, False


@sensitive_variables()
def decrypt(owner: str, *, table: str, field: str, row: str, blob: bytes | memoryview) -> str:
    """Return the text in `blob`; raise DecryptionError or ShreddedError, never a placeholder."""
    return decrypt_fields(owner, table=table, row=row, blobs={field: blob})[field]


@sensitive_variables()
def decrypt_fields(
    owner: str, *, table: str, row: str, blobs: Mapping[str, bytes | memoryview]
) -> dict[str, str]:
    """Decrypt several fields of one row with one read of the owner's key (cached briefly)."""
    _check_owner(owner)
    plain = {name: _as_bytes(blob) for name, blob in blobs.items()}
    if not plain:
        return {}
    versions = {_blob_version(blob, table, name) for name, blob in plain.items()}
    if len(versions) != 1:
        raise DecryptionError(f"The blobs of one row of {table} name different key versions.")
    aead, from_cache = _data_key_for(owner, versions.pop())
    try:
        return {name: _open(aead, owner, table, name, row, blob) for name, blob in plain.items()}
    except DecryptionError:
        if not from_cache:
            raise
    # The cached key may be stale (the owner's key was replaced in another process): once more
    # with the key as the database has it.
    _forget([owner])
    aead, _ = _data_key_for(owner, _blob_version(next(iter(plain.values())), table, ""))
    return {name: _open(aead, owner, table, name, row, blob) for name, blob in plain.items()}


@dataclass(frozen=True)
class EncryptedFields:
    """The encrypted fields of one model, stored as `<field><suffix>` BinaryFields.

    An explicit pair of calls rather than a descriptor: a service encrypts before it saves and
    decrypts where it reads, so every read is visible (and audited by the caller)::

        PERSON = EncryptedFields("clients.person", ("full_name", "birth_date"))
        PERSON.encrypt_into(person, owner=person.code, row=person.code, values=form_data)
        person.save()
        identity = PERSON.decrypt_from(person, owner=person.code, row=person.code)

    A value of None is stored as None (not known) and read back as None.
    """

    table: str
    fields: tuple[str, ...]
    suffix: str = "_enc"
    attributes: dict[str, str] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "attributes", {f: f + self.suffix for f in self.fields})

    def encrypt_into(
        self, obj: models.Model, *, owner: str, row: str, values: Mapping[str, str | None]
    ) -> None:
        """Set the `<field><suffix>` attributes of `obj` from `values` (fields named there only)."""
        unknown = set(values) - set(self.fields)
        if unknown:
            raise ValueError(f"{self.table} has no encrypted field {sorted(unknown)[0]!r}.")
        present = {name: value for name, value in values.items() if value is not None}
        blobs = encrypt_fields(owner, table=self.table, row=row, values=present)
        for name in values:
            setattr(obj, self.attributes[name], blobs.get(name))

    def decrypt_from(self, obj: models.Model, *, owner: str, row: str) -> dict[str, str | None]:
        """Return every encrypted field of `obj` decrypted (None where none is stored)."""
        stored = {name: getattr(obj, attribute) for name, attribute in self.attributes.items()}
        present = {name: blob for name, blob in stored.items() if blob is not None}
        plain = decrypt_fields(owner, table=self.table, row=row, blobs=present)
        return {name: plain.get(name) for name in self.fields}


# --- Blind indexes --------------------------------------------------------------------------


def _check_field(field_name: str) -> Callable[[str], str]:
    try:
        return _NORMALISERS[field_name]
    except KeyError:
        raise UnknownFieldError(
            f"{field_name!r} is not a blind-indexed field; the fields are "
            f"{', '.join(INDEXED_FIELDS)}."
        ) from None


@sensitive_variables()
def _index_key(field_name: str) -> bytes:
    key = _index_keys.get(field_name)
    if key is not None:
        return key
    row = IndexKey.objects.filter(field=field_name).first()
    if row is None:
        kek_id = get_provider().current_key_id()
        fresh = os.urandom(KEY_BYTES)
        with transaction.atomic():
            row, _ = IndexKey.objects.get_or_create(
                field=field_name,
                defaults={
                    "wrapped": _wrap(kek_id, fresh, _index_key_aad(field_name)),
                    "kek_id": kek_id,
                },
            )
    key = _unwrap(
        row.kek_id, row.wrapped, _index_key_aad(field_name), what=f"index key of {field_name}"
    )
    _index_keys[field_name] = key
    return key


@sensitive_variables()
def _digest(field_name: str, normalised: str) -> bytes:
    # hmac.digest: the one-shot C implementation, same result as hmac.new(...).digest().
    return hmac.digest(_index_key(field_name), normalised.encode("utf-8"), "sha256")


@sensitive_variables()
def blind_index(field: str, value: str) -> bytes:
    """Return the 32-byte blind index of `value` (normalised first) for `field`.

    Raise UnknownFieldError for a field outside INDEXED_FIELDS and ValueError for a value that
    normalises to nothing.
    """
    normalised = _check_field(field)(value)
    if not normalised:
        raise ValueError(f"An empty value has no blind index ({field}).")
    return _digest(field, normalised)


def _values(value: str | Iterable[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


@sensitive_variables()
def _entries(owner: str, values: Mapping[str, str | Iterable[str]]) -> list[BlindIndexEntry]:
    entries: dict[tuple[str, bytes], BlindIndexEntry] = {}
    for field_name, given in values.items():
        normalise = _check_field(field_name)
        for value in _values(given):
            normalised = normalise(value)
            if normalised:
                digest = _digest(field_name, normalised)
                entries[field_name, digest] = BlindIndexEntry(
                    owner=owner, field=field_name, digest=digest
                )
    return list(entries.values())


@transaction.atomic
def set_blind_indexes(owner: str, values: Mapping[str, str | Iterable[str]]) -> None:
    """Replace the owner's blind-index entries with those of `values` ({field: value(s)}).

    A field may have several values (two phone numbers); values that normalise to nothing
    (an empty phone number) are left out.
    """
    entries = _entries(_check_owner(owner), values)
    BlindIndexEntry.objects.filter(owner=owner).delete()
    BlindIndexEntry.objects.bulk_create(entries)


@transaction.atomic
def set_blind_indexes_many(
    values: Mapping[str, Mapping[str, str | Iterable[str]]], *, new_owners: bool = False
) -> None:
    """Replace the blind-index entries of many owners ({owner: {field: value(s)}}) at once.

    With `new_owners=True` (owners created in this transaction, as in an import) there is
    nothing to replace, and the delete is skipped.
    """
    for batch in _batches(values):
        if not new_owners:
            BlindIndexEntry.objects.filter(owner__in=batch).delete()
        entries = [
            (entry.owner, entry.field, entry.digest)
            for owner in batch
            for entry in _entries(_check_owner(owner), values[owner])
        ]
        _insert(BlindIndexEntry, ("owner", "field", "digest"), entries)


@sensitive_variables()
def find(field: str, value: str) -> list[str]:
    """Return the codes of the owners whose `field` has exactly this value, once normalised."""
    normalised = _check_field(field)(value)
    if not normalised:
        return []
    # Sorted here rather than by ORDER BY and DISTINCT: a match is one or a handful of rows.
    matches = BlindIndexEntry.objects.filter(field=field, digest=_digest(field, normalised))
    return sorted(set(matches.values_list("owner", flat=True)))


def owners_sharing(owner: str) -> list[str]:
    """Return the other owners with an entry equal to one of `owner`'s (duplicate notices)."""
    mine = BlindIndexEntry.objects.filter(owner=_check_owner(owner)).values_list("field", "digest")
    # The owner's few entries first, then one index lookup each (field, digest): a correlated
    # subquery instead made the database test every entry of every owner (200 ms at 100,000).
    wanted = Q()
    for field, digest in mine:
        wanted |= Q(field=field, digest=digest)
    if not wanted:
        return []
    matches = BlindIndexEntry.objects.filter(wanted).exclude(owner=owner)
    return sorted(set(matches.values_list("owner", flat=True)))


@sensitive_variables()
def find_many(field: str, values: Iterable[str]) -> dict[str, list[str]]:
    """Return, for each of `values`, the codes of the owners it matches (bulk duplicate checks).

    Values that normalise to nothing match nobody; one query per 500 distinct values.
    """
    normalise = _check_field(field)
    by_digest: dict[bytes, list[str]] = {}
    result: dict[str, list[str]] = {}
    for value in values:
        result[value] = []
        normalised = normalise(value)
        if normalised:
            by_digest.setdefault(_digest(field, normalised), []).append(value)
    for batch in _batches(by_digest):
        matches = BlindIndexEntry.objects.filter(field=field, digest__in=batch)
        for owner, digest in matches.values_list("owner", "digest"):
            for value in by_digest[bytes(digest)]:
                if owner not in result[value]:
                    result[value].append(owner)
    return {value: sorted(owners) for value, owners in result.items()}


# --- Shredding and rotation -----------------------------------------------------------------


def shred(owner: str) -> None:
    """Erase the owner by deleting their data key and blind-index entries, in one transaction.

    Their ciphertexts, wherever copies remain, can no longer be decrypted: decrypt() raises
    ShreddedError. Shredding an owner twice is harmless.
    """
    _check_owner(owner)
    with transaction.atomic():
        DataKey.objects.filter(owner=owner).delete()
        BlindIndexEntry.objects.filter(owner=owner).delete()
    _forget([owner])


@sensitive_variables()
def _rewrap(
    model: type[DataKey] | type[IndexKey], aad_of: Callable[[Any], bytes], target: str
) -> int:
    """Re-wrap every row of `model` not yet under `target`, in batches by primary key.

    Keyset batches rather than one open cursor: on SQLite, updating the rows of a query still
    being read is not isolated from that query.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"UPDATE {table} SET wrapped = %s, kek_id = %s WHERE id = %s"  # noqa: S608
    count, last = 0, 0
    while True:
        batch: list[DataKey | IndexKey] = list(
            model.objects.filter(pk__gt=last).exclude(kek_id=target).order_by("pk")[:BATCH]
        )
        if not batch:
            return count
        updates = []
        for row in batch:
            aad = aad_of(row)
            key = _unwrap(row.kek_id, row.wrapped, aad, what=str(row))
            updates.append((_wrap(target, key, aad), target, row.pk))
        with connection.cursor() as cursor:
            cursor.executemany(sql, updates)
        count += len(batch)
        last = batch[-1].pk


def rotate(new_key_id: str | None = None) -> dict[str, int]:
    """Re-wrap every data key and index key under `new_key_id` (default: the current KEK).

    One transaction; rows already under that KEK are left alone, so running it again is
    harmless. Return the counts re-wrapped: {"data_keys": n, "index_keys": m}. Raise
    DecryptionError if a row's KEK is not available (nothing is changed then).
    """
    provider = get_provider()
    target = new_key_id or provider.current_key_id()
    if target not in provider.key_ids():
        raise VaultError(f"The key-encryption key {target!r} is not available from the provider.")
    with transaction.atomic():
        data_keys = _rewrap(DataKey, lambda row: _data_key_aad(row.owner, row.version), target)
        index_keys = _rewrap(IndexKey, lambda row: _index_key_aad(row.field), target)
    return {"data_keys": data_keys, "index_keys": index_keys}


@dataclass(frozen=True)
class KeyStatus:
    """What `trygg keys status` prints: key ids and counts, never key material."""

    current: str
    available: list[str]
    data_keys: dict[str, int]
    index_keys: dict[str, int]

    @property
    def missing(self) -> list[str]:
        """KEK ids that wrap some key but that the provider does not have."""
        used = set(self.data_keys) | set(self.index_keys)
        return sorted(used - set(self.available))


def key_status() -> KeyStatus:
    """Return the provider's key ids and the number of wrapped keys under each KEK."""
    provider = get_provider()

    def counts(model: type[DataKey] | type[IndexKey]) -> dict[str, int]:
        rows = model.objects.values("kek_id").annotate(n=Count("id")).order_by("kek_id")
        return {row["kek_id"]: row["n"] for row in rows}

    return KeyStatus(
        current=provider.current_key_id(),
        available=provider.key_ids(),
        data_keys=counts(DataKey),
        index_keys=counts(IndexKey),
    )


def _insert(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    on_conflict_do_nothing: bool = False,
) -> None:
    """Insert plain rows (the bulk paths: faster than bulk_create, see trygg/lib/db.py)."""
    bulk_insert(model, columns, rows, on_conflict_do_nothing=on_conflict_do_nothing)


def _batches(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
