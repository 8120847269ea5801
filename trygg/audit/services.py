"""Appending to the audit log, and checking it.

`record` is the one way in for a single event, `record_many` for a batch (imports). Both take
the head row's lock, so events are appended one transaction at a time, each linked to the one
before; `verify_chain` walks the whole chain and names the first event that does not hold.
"""

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db import connection, transaction
from django.utils import timezone

from trygg.audit.chain import GENESIS_HASH, canonical_bytes, event_hash, format_extra
from trygg.audit.models import AuditEvent, AuditHead

ACTION_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
# Codes and enumerated values: no spaces, no line breaks, nothing that reads as prose.
VALUE_RE = re.compile(r"^[A-Za-z0-9_.:@-]{0,64}$")
PERSON_CODE_RE = re.compile(r"^[A-Za-z0-9-]{1,16}$")
MAX_EXTRA_KEYS = 32
MAX_LIST_ITEMS = 32
# JSON numbers beyond this lose precision in some readers (JavaScript among them).
MAX_INT = 2**53

Scalar = str | int | bool | None
ExtraValue = Scalar | UUID | Sequence[Scalar | UUID]


class AuditDetailError(ValueError):
    """Raised when an event's action or details are not codes or enumerated values."""


class AuditChainError(Exception):
    """Raised when the log cannot be appended to because its head is missing."""


class ChainBroken(Exception):  # noqa: N818 (reads as a finding, not a programming error)
    """The chain does not hold at event `seq`; `reason` says how."""

    def __init__(self, seq: int, reason: str) -> None:
        super().__init__(f"seq {seq}: {reason}")
        self.seq = seq
        self.reason = reason


@dataclass(frozen=True)
class NewEvent:
    """An event to append with `record_many`; the fields are those of `record`."""

    action: str
    actor_code: UUID | None = None
    person_code: str | None = None
    subject_code: UUID | None = None
    organisation_code: UUID | None = None
    extra: Mapping[str, ExtraValue] | None = field(default=None)


@dataclass(frozen=True)
class ChainState:
    """How many events the chain holds and the hash of the last (64 zeros when empty)."""

    count: int
    hash: str

    def __str__(self) -> str:
        return f"{self.count}:{self.hash}"


# Appending


def record(
    *,
    action: str,
    actor_code: UUID | None = None,
    person_code: str | None = None,
    subject_code: UUID | None = None,
    organisation_code: UUID | None = None,
    extra: Mapping[str, ExtraValue] | None = None,
) -> AuditEvent:
    """Append one event to the audit log and return it.

    Runs in the caller's transaction when there is one, so the event commits or rolls back
    with the change it records. Raises AuditDetailError when the action is not a dotted code
    or `extra` holds anything but codes and enumerated values.
    """
    event = NewEvent(
        action=action,
        actor_code=actor_code,
        person_code=person_code,
        subject_code=subject_code,
        organisation_code=organisation_code,
        extra=extra,
    )
    return _append([event])[0]


def record_many(
    events: Iterable[NewEvent | Mapping[str, Any]], *, batch_size: int = 2000
) -> list[AuditEvent]:
    """Append events in the given order under one lock, in one transaction; return them.

    Each event is a NewEvent or a mapping of `record`'s keyword arguments. Every event is
    checked before anything is written: one bad event appends none.
    """
    pending = [event if isinstance(event, NewEvent) else NewEvent(**event) for event in events]
    return _append(pending, batch_size=batch_size)


def _append(events: Sequence[NewEvent], *, batch_size: int = 2000) -> list[AuditEvent]:
    checked = [(event, _checked_extra(event)) for event in events]
    if not checked:
        return []
    with transaction.atomic():
        head = _locked_head()
        # Taken under the lock, so `at` follows `seq` (as far as the clock does).
        at = timezone.now()
        seq, prev_hash = head.seq, head.hash
        rows = []
        for event, extra in checked:
            seq += 1
            digest = event_hash(
                seq=seq,
                at=at,
                action=event.action,
                actor_code=event.actor_code,
                person_code=event.person_code,
                subject_code=event.subject_code,
                organisation_code=event.organisation_code,
                extra=extra,
                prev_hash=prev_hash,
            )
            rows.append(
                AuditEvent(
                    seq=seq,
                    at=at,
                    action=event.action,
                    actor_code=event.actor_code,
                    person_code=event.person_code,
                    subject_code=event.subject_code,
                    organisation_code=event.organisation_code,
                    extra=extra,
                    prev_hash=prev_hash,
                    hash=digest,
                )
            )
            prev_hash = digest
        AuditEvent.objects.bulk_create(rows, batch_size=batch_size)
        AuditHead.objects.filter(pk=1).update(seq=seq, hash=prev_hash)
    return rows


def _locked_head() -> AuditHead:
    """Return the head row, locked until the end of the transaction.

    On PostgreSQL the row lock makes every other appender wait; SQLite has no row locks, but
    its transactions begin IMMEDIATE (settings.py), which takes the database's write lock.
    """
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # Two first appenders may both get here: the second insert waits for the first's
        # commit and does nothing, and its lock then returns the head the first moved on.
        AuditHead.objects.bulk_create([AuditHead(pk=1)], ignore_conflicts=True)
        head = AuditHead.objects.select_for_update().get(pk=1)
        # Checked under the lock: events without a head mean the head row was removed.
        if head.seq == 0 and AuditEvent.objects.exists():
            raise AuditChainError(
                "The audit head row is missing although events exist; run `trygg audit verify`."
            )
    return head


def _checked_extra(event: NewEvent) -> dict[str, Any]:
    """Check the event's action, codes and details; return `extra` as stored.

    A guard, not a proof: a code-like value can still carry meaning (a user name without
    spaces passes). It keeps prose, names with spaces, addresses and line breaks out.
    """
    if not (isinstance(event.action, str) and len(event.action) <= 64):
        raise AuditDetailError("The action must be a dotted code of at most 64 characters.")
    if not ACTION_RE.fullmatch(event.action):
        raise AuditDetailError(f"The action {event.action!r} is not a dotted code.")
    for name in ("actor_code", "subject_code", "organisation_code"):
        value = getattr(event, name)
        if value is not None and not isinstance(value, UUID):
            raise AuditDetailError(f"{name} must be a UUID.")
    if event.person_code is not None and not (
        isinstance(event.person_code, str) and PERSON_CODE_RE.fullmatch(event.person_code)
    ):
        raise AuditDetailError("person_code must be a person's code, such as K7F3-Q92X.")
    extra = event.extra or {}
    if len(extra) > MAX_EXTRA_KEYS:
        raise AuditDetailError(f"extra holds more than {MAX_EXTRA_KEYS} keys.")
    checked: dict[str, Any] = {}
    for key, value in extra.items():
        if not (isinstance(key, str) and KEY_RE.fullmatch(key)):
            raise AuditDetailError(f"The key {key!r} in extra is not an identifier.")
        if isinstance(value, list | tuple):
            if len(value) > MAX_LIST_ITEMS:
                raise AuditDetailError(f"extra[{key!r}] holds more than {MAX_LIST_ITEMS} items.")
            checked[key] = [_checked_value(key, item) for item in value]
        else:
            checked[key] = _checked_value(key, value)
    return checked


def _checked_value(key: str, value: object) -> Scalar:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if abs(value) >= MAX_INT:
            raise AuditDetailError(f"extra[{key!r}] is too large a number.")
        return value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, str) and VALUE_RE.fullmatch(value):
        return str(value)  # a TextChoices member becomes its plain value
    # The value itself is left out of the message: it may be the very text to keep out.
    raise AuditDetailError(
        f"extra[{key!r}] must be a code or an enumerated value "
        "(letters, digits and _ . : @ - only, at most 64), a number, true, false or null."
    )


# Checking


def head_state() -> ChainState:
    """Return what the head row records (count 0 and 64 zeros before the first event)."""
    head = AuditHead.objects.filter(pk=1).first()
    return ChainState(0, GENESIS_HASH) if head is None else ChainState(head.seq, head.hash)


def verify_chain(*, checkpoint: ChainState | None = None, chunk_size: int = 10_000) -> ChainState:
    """Recompute every event's hash and link in `seq` order; return the chain's state.

    Raises ChainBroken for the first event that does not hold: a gap in `seq`, contents that
    do not match the hash, a `prev_hash` that is not the previous event's hash, a head row
    that does not match the events, or (given `checkpoint`) an event `checkpoint.count` that
    is missing or has another hash than the checkpoint recorded. Takes no lock: events
    appended while it runs are checked or left for the next run, never reported as damage.
    """
    # The head is read before the events and again after them: whatever the head recorded
    # first must be among the events read, and no event read may lie beyond the second.
    head_before = head_state()
    expected, prev = 1, GENESIS_HASH
    sha256 = hashlib.sha256
    for row in _canonical_rows(chunk_size):
        seq, at, action, actor, person, subject, organisation, extra, prev_hash, stored = row
        if seq != expected:
            raise ChainBroken(expected, f"the event is missing (the next event is {seq})")
        data = canonical_bytes(
            seq=seq,
            at=at,
            action=action,
            actor_code=actor,
            person_code=person,
            subject_code=subject,
            organisation_code=organisation,
            extra=extra,
            prev_hash=prev_hash,
        )
        if sha256(data).hexdigest() != stored:
            raise ChainBroken(seq, "the hash does not match the event's contents")
        if prev_hash != prev:
            raise ChainBroken(seq, f"prev_hash is not the hash of event {seq - 1}")
        if seq == head_before.count and stored != head_before.hash:
            raise ChainBroken(seq, "the head's hash is not the hash of this event")
        if checkpoint is not None and seq == checkpoint.count and stored != checkpoint.hash:
            raise ChainBroken(seq, "the hash differs from the checkpoint: the log was rewritten")
        prev = stored
        expected += 1
    count = expected - 1
    if head_before.count > count:
        raise ChainBroken(
            count + 1, f"the event is missing: the head records {head_before.count} events"
        )
    head_after = AuditHead.objects.filter(pk=1).first()
    if head_after is None and count:
        raise ChainBroken(count, "the head row is missing")
    if head_after is not None and head_after.seq < count:
        raise ChainBroken(
            head_after.seq + 1,
            f"the event is beyond the head, which records {head_after.seq} events",
        )
    if checkpoint is not None:
        if checkpoint.count > count:
            raise ChainBroken(
                count + 1,
                f"the event is missing: the checkpoint records {checkpoint.count} events",
            )
        if checkpoint.count == 0 and checkpoint.hash != GENESIS_HASH:
            raise ChainBroken(0, "the checkpoint of an empty log must have 64 zeros as hash")
    return ChainState(count, prev)


def chain_query() -> str:
    """Return the SQL that reads every event in `seq` order, values as text where it helps.

    PostgreSQL formats the time and the UUIDs itself; on SQLite the CAST keeps the driver from
    parsing the timestamp (Django registers a converter for it).
    """
    if connection.vendor == "postgresql":
        return (
            "SELECT seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
            "action, actor_code::text, person_code, subject_code::text, "
            "organisation_code::text, extra::text, prev_hash, hash "
            "FROM audit_auditevent ORDER BY seq"
        )
    return (
        "SELECT seq, CAST(at AS TEXT), action, actor_code, person_code, subject_code, "
        "organisation_code, extra, prev_hash, hash FROM audit_auditevent ORDER BY seq"
    )


def _canonical_rows(chunk_size: int) -> Iterator[tuple[Any, ...]]:
    """Yield every event in `seq` order with its values as canonical text.

    Straight from the database cursor rather than through the ORM: converting each value to a
    Python object and back to text would cost more than hashing it (docs/performance.md).
    Repeated codes and `extra` texts are converted once.
    """
    uuid_text: Callable[[str], str] = (
        _identity if connection.vendor == "postgresql" else _Cache(_sqlite_uuid)
    )
    extra_text = _Cache(lambda text: format_extra(json.loads(text)))
    timestamp = _identity if connection.vendor == "postgresql" else _sqlite_timestamp
    # One statement reads one snapshot. PostgreSQL's server-side cursor needs a transaction;
    # SQLite's would begin IMMEDIATE and hold up every writer, so it reads in autocommit.
    in_transaction = transaction.atomic() if connection.vendor == "postgresql" else nullcontext()
    with in_transaction, connection.chunked_cursor() as cursor:
        cursor.execute(chain_query())
        while rows := cursor.fetchmany(chunk_size):
            for seq, at, action, actor, person, subject, org, extra, prev, stored in rows:
                yield (
                    seq,
                    timestamp(at),
                    action,
                    None if actor is None else uuid_text(actor),
                    person,
                    None if subject is None else uuid_text(subject),
                    None if org is None else uuid_text(org),
                    extra_text(extra),
                    prev,
                    stored,
                )


def _identity(value: str) -> str:
    return value


def _sqlite_uuid(text: str) -> str:
    # Django stores UUIDs on SQLite as 32 hex digits.
    return str(UUID(hex=text))


def _sqlite_timestamp(text: str) -> str:
    # Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC; the fraction is left out when zero.
    if len(text) == 19:
        return text[:10] + "T" + text[11:] + ".000000Z"
    return text[:10] + "T" + text[11:] + "Z"


class _Cache:
    """Memoise a text conversion, up to a bounded number of distinct inputs."""

    LIMIT = 100_000

    def __init__(self, convert: Any) -> None:
        self.convert = convert
        self.seen: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        try:
            return self.seen[text]
        except KeyError:
            value = self.convert(text)
            if len(self.seen) < self.LIMIT:
                self.seen[text] = value
            return value


def event_hashes(size: int | None = None) -> list[bytes]:
    """Return the hashes of the first `size` events (all when None), as Merkle leaf entries.

    Raises ValueError when the log holds fewer events or `seq` has a gap.
    """
    query = AuditEvent.objects.order_by("seq").values_list("seq", "hash")
    if size is not None:
        query = query.filter(seq__lte=size)
    hashes = []
    for index, (seq, digest) in enumerate(query.iterator(chunk_size=10_000)):
        if seq != index + 1:
            raise ValueError(f"seq {index + 1}: the event is missing; run `trygg audit verify`.")
        hashes.append(bytes.fromhex(digest))
    if size is not None and len(hashes) != size:
        raise ValueError(f"The log holds {len(hashes)} events, fewer than {size}.")
    return hashes
