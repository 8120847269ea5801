"""Any change to the stored log is found by `trygg audit verify`, which names the first bad seq.

Each test damages the log the way an insider with database access might, past the triggers
the test-only way (helpers.maintenance), and expects verify to fail at the right event.
"""

from collections.abc import Callable
from datetime import timedelta
from uuid import uuid4

import pytest
from django.core.management import CommandError, call_command

from trygg.audit.chain import event_hash
from trygg.audit.models import AuditEvent, AuditHead
from trygg.audit.tests.helpers import append, maintenance

pytestmark = pytest.mark.django_db

COUNT = 8
K = 4


def verify_fails_at(seq: int) -> str:
    with pytest.raises(CommandError, match=rf"^FAIL: seq {seq}: ") as failed:
        call_command("audit", "verify")
    assert failed.value.returncode == 1
    return str(failed.value)


def change(**values: object) -> None:
    with maintenance():
        AuditEvent.objects.filter(seq=K).update(**values)


def forged(seq: int, prev_hash: str, **values: object) -> AuditEvent:
    """Return an event with a correct hash over `values`, as a careful forger would make it."""
    template = AuditEvent.objects.get(seq=1)
    fields = {
        "at": template.at,
        "action": "auth.login.succeeded",
        "actor_code": uuid4(),
        "person_code": None,
        "subject_code": None,
        "organisation_code": None,
        "extra": {},
        **values,
    }
    digest = event_hash(seq=seq, prev_hash=prev_hash, **fields)  # type: ignore[arg-type]
    return AuditEvent(seq=seq, prev_hash=prev_hash, hash=digest, **fields)


@pytest.fixture
def log() -> list[AuditEvent]:
    return append(COUNT)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda: change(action="auth.login.succeeded"),
        lambda: change(extra={"n": 99}),
        lambda: change(extra={}),
        lambda: change(at=AuditEvent.objects.get(seq=K).at + timedelta(microseconds=1)),
        lambda: change(actor_code=uuid4()),
        lambda: change(person_code="K7F3-Q92X"),
        lambda: change(prev_hash="0" * 64),
        lambda: change(hash="f" * 64),
    ],
    ids=["action", "extra", "extra-emptied", "at", "actor", "person", "prev_hash", "hash"],
)
def test_a_changed_event_is_named(log: list[AuditEvent], tamper: Callable[[], None]) -> None:
    tamper()
    assert "the hash does not match the event's contents" in verify_fails_at(K)


def test_an_event_rewritten_with_a_fresh_hash_breaks_the_next_link(log: list[AuditEvent]) -> None:
    replacement = forged(K, log[K - 2].hash)
    with maintenance():
        AuditEvent.objects.filter(seq=K).delete()
        AuditEvent.objects.bulk_create([replacement])
    assert f"prev_hash is not the hash of event {K}" in verify_fails_at(K + 1)


def test_a_deleted_event_is_named(log: list[AuditEvent]) -> None:
    with maintenance():
        AuditEvent.objects.filter(seq=K).delete()
    assert "the event is missing" in verify_fails_at(K)


def test_a_forged_event_appended_without_the_head_is_named(log: list[AuditEvent]) -> None:
    AuditEvent.objects.bulk_create([forged(COUNT + 1, log[-1].hash)])
    assert "beyond the head" in verify_fails_at(COUNT + 1)


def test_a_forged_event_with_a_made_up_hash_is_named(log: list[AuditEvent]) -> None:
    made_up = forged(COUNT + 1, log[-1].hash)
    made_up.hash = "a" * 64
    AuditEvent.objects.bulk_create([made_up])
    AuditHead.objects.update(seq=COUNT + 1, hash=made_up.hash)
    assert "the hash does not match" in verify_fails_at(COUNT + 1)


def test_two_swapped_events_are_named(log: list[AuditEvent]) -> None:
    with maintenance():
        AuditEvent.objects.filter(seq=K).update(seq=1000)
        AuditEvent.objects.filter(seq=K + 1).update(seq=K)
        AuditEvent.objects.filter(seq=1000).update(seq=K + 1)
    verify_fails_at(K)


def test_a_truncated_tail_is_named(log: list[AuditEvent]) -> None:
    with maintenance():
        AuditEvent.objects.filter(seq__gt=COUNT - 2).delete()
    assert f"the head records {COUNT} events" in verify_fails_at(COUNT - 1)


def test_a_rewritten_head_hash_is_named(log: list[AuditEvent]) -> None:
    AuditHead.objects.update(hash="e" * 64)
    assert "the head's hash" in verify_fails_at(COUNT)


def test_a_head_moved_back_is_named(log: list[AuditEvent]) -> None:
    AuditHead.objects.update(seq=COUNT - 1, hash=log[-2].hash)
    assert "beyond the head" in verify_fails_at(COUNT)


def test_a_deleted_head_is_named(log: list[AuditEvent]) -> None:
    AuditHead.objects.all().delete()
    assert "the head row is missing" in verify_fails_at(COUNT)
