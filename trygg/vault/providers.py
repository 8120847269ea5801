"""Key-encryption keys (KEK): where the vault gets the keys that wrap every data and index key.

A provider answers three questions: which key wraps new keys (`current_key_id`), what a key is
(`get_key`, 32 bytes) and which keys it holds (`key_ids`). `TRYGG_VAULT_PROVIDER` chooses one:

- `file` (`FileKeyProvider`, development and tests): key files in `TRYGG_VAR_DIR/keys/`, created
  on first use. Refused when `TRYGG_ENV=production`.
- `env` (`EnvKeyProvider`, production): `TRYGG_VAULT_KEYS` or `TRYGG_VAULT_KEYS_FILE` holds
  `id1:base64key,id2:base64key`; `TRYGG_VAULT_CURRENT_KEY` names the one that wraps (default:
  the first).
- a dotted path to any other class with the same three methods.

Adding a provider (a KMS, HashiCorp Vault, an HSM): write a class whose constructor takes no
arguments, reads its own configuration from `django.conf.settings` and raises
`ImproperlyConfigured` when that is incomplete, and whose three methods behave as in
`KeyProvider` below; then set `TRYGG_VAULT_PROVIDER=package.module.ClassName`. `get_key` is
called once per key id and process (the answer is kept in memory), so a network round trip
there is fine. A key id must never be reused for different key material: wrapped keys name the
key id that wrapped them, and that is how old keys are found after a rotation. A provider that
can create keys itself may also offer `add_key() -> str` (make a new key current and return its
id); `trygg keys rotate` uses it when present. A KMS that never lets key material out would
need wrap and unwrap calls in this interface instead of `get_key`: that is not built yet.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
import re
import secrets
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

KEY_BYTES = 32
# Key ids are stored next to every wrapped key and may be printed: letters, digits, . _ - only.
KEY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

SHORT_NAMES = {
    "file": "trygg.vault.providers.FileKeyProvider",
    "env": "trygg.vault.providers.EnvKeyProvider",
}


@runtime_checkable
class KeyProvider(Protocol):
    """Where the key-encryption keys come from."""

    def current_key_id(self) -> str:
        """Return the id of the key that wraps new keys."""
        ...

    def get_key(self, key_id: str) -> bytes:
        """Return the 32 bytes of key `key_id`; raise KeyError if this provider lacks it."""
        ...

    def key_ids(self) -> list[str]:
        """Return the ids of every key this provider holds."""
        ...


def _decode_key(raw: bytes, *, what: str) -> bytes:
    """Return 32 key bytes from raw bytes or their base64 form; the message names no key."""
    if len(raw) == KEY_BYTES:
        return raw
    try:
        key = base64.b64decode(raw.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{what} is not base64.") from None
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(f"{what} must be {KEY_BYTES} bytes, got {len(key)}.")
    return key


def _check_key_id(key_id: str, *, what: str) -> str:
    if not KEY_ID.match(key_id):
        raise ImproperlyConfigured(
            f"{what}: a key id is 1 to 64 letters, digits, dots, hyphens or underscores."
        )
    return key_id


def new_key_id() -> str:
    """Return a fresh key id: the UTC date and time, then random hex, e.g. 20261124T101500-3fa2."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


class FileKeyProvider:
    """Key files in a directory (mode 0700): `<key_id>.key` (mode 0600) and `current`.

    Each key file holds 32 random bytes in base64 (raw 32 bytes are accepted too). `current`
    names the key that wraps new keys; it is read on every call so that every process follows a
    rotation at once. The directory, the first key and `current` are created on first use with
    O_EXCL, so two processes starting at once agree on one key. Files readable by group or
    others are refused. For development and tests only: production takes its keys from the
    environment or a key service.
    """

    def __init__(self, directory: Path | str | None = None) -> None:
        self.directory = Path(directory or settings.TRYGG_VAULT_KEYS_DIR)
        self._keys: dict[str, bytes] = {}

    def current_key_id(self) -> str:
        current = self.directory / "current"
        try:
            return self._read_current(current)
        except FileNotFoundError:
            pass
        key_id = self._write_key()
        try:
            fd = os.open(current, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            # Another process made its own first key current a moment earlier: follow it. The
            # key written here stays unused, which is harmless.
            return self._read_current(current)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key_id + "\n")
        return key_id

    def get_key(self, key_id: str) -> bytes:
        if key_id not in self._keys:
            _check_key_id(key_id, what="Key id")
            path = self.directory / f"{key_id}.key"
            try:
                self._refuse_loose_mode(path)
                raw = path.read_bytes()
            except FileNotFoundError:
                raise KeyError(key_id) from None
            self._keys[key_id] = _decode_key(raw, what=f"Key file {path.name}")
        return self._keys[key_id]

    def key_ids(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(path.stem for path in self.directory.glob("*.key"))

    def add_key(self) -> str:
        """Create a new key file, make it current and return its id."""
        key_id = self._write_key()
        temporary = self.directory / f".current.{secrets.token_hex(4)}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key_id + "\n")
        # A rename is atomic: a reader sees the old or the new current key, never half a name.
        temporary.replace(self.directory / "current")
        return key_id

    def _ensure_directory(self) -> None:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._refuse_loose_mode(self.directory)

    def _write_key(self) -> str:
        self._ensure_directory()
        key_id = new_key_id()
        fd = os.open(self.directory / f"{key_id}.key", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(base64.b64encode(secrets.token_bytes(KEY_BYTES)) + b"\n")
        return key_id

    def _read_current(self, path: Path) -> str:
        self._refuse_loose_mode(self.directory)
        key_id = path.read_text(encoding="utf-8").strip()
        return _check_key_id(key_id, what=f"{path}")

    @staticmethod
    def _refuse_loose_mode(path: Path) -> None:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            raise ImproperlyConfigured(
                f"{path} is readable by others than its owner; chmod it to "
                f"{'0700' if path.is_dir() else '0600'}."
            )


class EnvKeyProvider:
    """Keys from `TRYGG_VAULT_KEYS` (or its `_FILE`): `id1:base64key,id2:base64key`.

    `TRYGG_VAULT_CURRENT_KEY` names the key that wraps new keys (default: the first listed).
    The whole value is checked when the provider is made, that is when Trygg starts.
    """

    def __init__(self, raw: str | None = None, current: str | None = None) -> None:
        raw = settings.TRYGG_VAULT_KEYS if raw is None else raw
        current = settings.TRYGG_VAULT_CURRENT_KEY if current is None else current
        self._keys = parse_keys(raw)
        if not self._keys:
            raise ImproperlyConfigured("TRYGG_VAULT_KEYS or TRYGG_VAULT_KEYS_FILE is empty.")
        self._current = current or next(iter(self._keys))
        if self._current not in self._keys:
            raise ImproperlyConfigured(
                f"TRYGG_VAULT_CURRENT_KEY names {self._current!r}, which TRYGG_VAULT_KEYS lacks."
            )

    def current_key_id(self) -> str:
        return self._current

    def get_key(self, key_id: str) -> bytes:
        return self._keys[key_id]

    def key_ids(self) -> list[str]:
        return list(self._keys)


def parse_keys(raw: str) -> dict[str, bytes]:
    """Parse `id1:base64key,id2:base64key` (whitespace and newlines around items are ignored)."""
    keys: dict[str, bytes] = {}
    for number, item in enumerate(re.split(r"[,\s]+", raw.strip()), start=1):
        if not item:
            continue
        key_id, separator, encoded = item.partition(":")
        if not separator:
            raise ImproperlyConfigured(f"TRYGG_VAULT_KEYS item {number} must be KEY_ID:BASE64KEY.")
        _check_key_id(key_id, what=f"TRYGG_VAULT_KEYS item {number}")
        if key_id in keys:
            raise ImproperlyConfigured(f"TRYGG_VAULT_KEYS names key {key_id!r} twice.")
        if len(encoded) == KEY_BYTES:
            # 32 characters of text are not 32 random bytes: in the environment, only base64.
            raise ImproperlyConfigured(f"Key {key_id!r} must be base64 of 32 random bytes.")
        keys[key_id] = _decode_key(encoded.encode("ascii", "replace"), what=f"Key {key_id!r}")
    return keys


@functools.cache
def get_provider() -> KeyProvider:
    """Return the provider that TRYGG_VAULT_PROVIDER names (kept for the process)."""
    name: str = settings.TRYGG_VAULT_PROVIDER
    path = SHORT_NAMES.get(name, name)
    try:
        cls = import_string(path)
    except ImportError:
        raise ImproperlyConfigured(
            f"TRYGG_VAULT_PROVIDER must be file, env or a dotted path to a class, got {name!r}."
        ) from None
    provider = cls()
    if not isinstance(provider, KeyProvider):
        raise ImproperlyConfigured(f"{path} lacks current_key_id, get_key or key_ids.")
    return provider
