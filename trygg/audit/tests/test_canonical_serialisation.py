"""The canonical serialisation is json.dumps with sorted keys, compact separators and ASCII."""

import json
from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.audit.chain import canonical_bytes, format_extra, format_timestamp, format_uuid

scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20)
extras = st.dictionaries(st.text(max_size=10), scalars | st.lists(scalars, max_size=4), max_size=6)
times = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 (hypothesis takes naive bounds)
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)
codes = st.none() | st.uuids()


@settings(max_examples=300, deadline=None)
@given(
    seq=st.integers(1, 2**62),
    at=times,
    action=st.text(max_size=30),
    actor=codes,
    person=st.none() | st.text(max_size=16),
    subject=codes,
    organisation=codes,
    extra=extras,
    prev_hash=st.text(max_size=64),
)
def test_fast_serialisation_equals_json_dumps(
    seq: int,
    at: datetime,
    action: str,
    actor: UUID | None,
    person: str | None,
    subject: UUID | None,
    organisation: UUID | None,
    extra: dict[str, object],
    prev_hash: str,
) -> None:
    reference = json.dumps(
        {
            "seq": seq,
            "at": at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "action": action,
            "actor_code": None if actor is None else str(actor),
            "person_code": person,
            "subject_code": None if subject is None else str(subject),
            "organisation_code": None if organisation is None else str(organisation),
            "extra": extra,
            "prev_hash": prev_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    ).encode("ascii")
    fast = canonical_bytes(
        seq=seq,
        at=format_timestamp(at),
        action=action,
        actor_code=format_uuid(actor),
        person_code=person,
        subject_code=format_uuid(subject),
        organisation_code=format_uuid(organisation),
        extra=format_extra(extra),
        prev_hash=prev_hash,
    )
    assert fast == reference


def test_timestamps_are_utc_with_microseconds_and_z() -> None:
    helsinki = timezone(timedelta(hours=2))
    assert format_timestamp(datetime(2026, 1, 1, 12, 0, tzinfo=helsinki)) == (
        "2026-01-01T10:00:00.000000Z"
    )
    assert format_timestamp(datetime(2026, 1, 1, 10, 0, 0, 5, tzinfo=UTC)) == (
        "2026-01-01T10:00:00.000005Z"
    )


def test_uuids_are_lowercase_hex_with_hyphens() -> None:
    code = UUID("0B0C6C3E-4C1B-4B53-9A5E-2F1D1A7F6C10")
    assert format_uuid(code) == "0b0c6c3e-4c1b-4b53-9a5e-2f1d1a7f6c10"
