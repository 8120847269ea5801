"""The canonical serialisation of an audit event and its SHA-256 hash. Pure functions.

An event's hash is SHA-256 over the UTF-8 (in fact ASCII) bytes of one JSON object holding every
column of the event except `hash`:

    {"action":…,"actor_code":…,"at":…,"extra":…,"organisation_code":…,"person_code":…,
     "prev_hash":…,"seq":…,"subject_code":…}

- keys sorted (at every level, `extra` included), no whitespace: separators "," and ":";
- `ensure_ascii`: every character outside ASCII is written as a \\uXXXX escape;
- `seq` as a JSON integer; `action`, `person_code` and `prev_hash` as JSON strings;
- `at` as ISO 8601 in UTC with microseconds and a "Z": "2026-03-02T08:00:00.000000Z";
- UUIDs (`actor_code`, `subject_code`, `organisation_code`) in lowercase hex with hyphens:
  "0b0c6c3e-4c1b-4b53-9a5e-2f1d1a7f6c10";
- an absent value as JSON null; `extra` as a JSON object (empty: {}).

This is exactly `json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)`
of those values, so any JSON library can recompute it. The first event's `prev_hash` is 64
zeros (`GENESIS_HASH`). `canonical_bytes` builds the same bytes by concatenation, because
`trygg audit verify` does this a million times (tests/test_canonical_serialisation.py holds it
equal to `json.dumps`).
"""

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

GENESIS_HASH = "0" * 64

_string = json.encoder.encode_basestring_ascii
_json_object = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode
_ZERO = timedelta(0)


def format_timestamp(at: datetime) -> str:
    """Return `at` as canonical text: ISO 8601, UTC, microseconds, "Z"."""
    if at.utcoffset() != _ZERO:
        at = at.astimezone(UTC)
    return at.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def format_uuid(code: UUID | None) -> str | None:
    return None if code is None else str(code)


def format_extra(extra: Mapping[str, Any] | None) -> str:
    """Return `extra` as canonical JSON text."""
    return _json_object(extra) if extra else "{}"


def canonical_bytes(
    *,
    seq: int,
    at: str,
    action: str,
    actor_code: str | None,
    person_code: str | None,
    subject_code: str | None,
    organisation_code: str | None,
    extra: str,
    prev_hash: str,
) -> bytes:
    """Return the bytes an event's hash covers, from the canonical text of each value.

    `at`, the codes and `extra` must already be canonical text (`format_timestamp`,
    `format_uuid`, `format_extra`); the UUID texts are trusted to need no escaping.
    """
    return (
        '{"action":'
        + _string(action)
        + ',"actor_code":'
        + ("null" if actor_code is None else '"' + actor_code + '"')
        + ',"at":"'
        + at
        + '","extra":'
        + extra
        + ',"organisation_code":'
        + ("null" if organisation_code is None else '"' + organisation_code + '"')
        + ',"person_code":'
        + ("null" if person_code is None else _string(person_code))
        + ',"prev_hash":'
        + _string(prev_hash)
        + ',"seq":'
        + str(seq)
        + ',"subject_code":'
        + ("null" if subject_code is None else '"' + subject_code + '"')
        + "}"
    ).encode("ascii")


def event_hash(
    *,
    seq: int,
    at: datetime,
    action: str,
    actor_code: UUID | None,
    person_code: str | None,
    subject_code: UUID | None,
    organisation_code: UUID | None,
    extra: Mapping[str, Any] | None,
    prev_hash: str,
) -> str:
    """Return the hex SHA-256 of an event given as Python values."""
    data = canonical_bytes(
        seq=seq,
        at=format_timestamp(at),
        action=action,
        actor_code=format_uuid(actor_code),
        person_code=person_code,
        subject_code=format_uuid(subject_code),
        organisation_code=format_uuid(organisation_code),
        extra=format_extra(extra),
        prev_hash=prev_hash,
    )
    return hashlib.sha256(data).hexdigest()
