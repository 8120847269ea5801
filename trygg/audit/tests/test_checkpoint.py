"""A checkpoint kept outside the system shows a log cut short or rewritten since it was taken."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from trygg.audit import merkle
from trygg.audit.chain import event_hash
from trygg.audit.models import AuditEvent, AuditHead
from trygg.audit.tests.helpers import append, maintenance

pytestmark = pytest.mark.django_db


def checkpoint() -> tuple[str, dict[str, object]]:
    out = StringIO()
    call_command("audit", "checkpoint", stdout=out)
    first, second = out.getvalue().strip().splitlines()
    return first, json.loads(second)


def rechain_from(seq: int, **values: object) -> None:
    """Rewrite event `seq` and re-hash every event after it and the head, as a careful
    insider would, so that the chain on its own verifies again."""
    with maintenance():
        events = list(AuditEvent.objects.filter(seq__gte=seq).order_by("seq"))
        prev_hash = AuditEvent.objects.get(seq=seq - 1).hash
        for event in events:
            fields = {
                "at": event.at,
                "action": event.action,
                "actor_code": event.actor_code,
                "person_code": event.person_code,
                "subject_code": event.subject_code,
                "organisation_code": event.organisation_code,
                "extra": event.extra,
            }
            if event.seq == seq:
                fields.update(values)
            digest = event_hash(seq=event.seq, prev_hash=prev_hash, **fields)
            AuditEvent.objects.filter(seq=event.seq).update(
                prev_hash=prev_hash, hash=digest, **fields
            )
            prev_hash = digest
        AuditHead.objects.update(hash=prev_hash)


def test_checkpoint_prints_count_hash_and_the_tree_head() -> None:
    events = append(5)
    line, tree_head = checkpoint()
    assert line == f"5:{events[-1].hash}"
    leaves = [bytes.fromhex(event.hash) for event in events]
    assert tree_head == {"tree_size": 5, "root_hash": merkle.root(leaves).hex()}


def test_verify_accepts_a_checkpoint_of_a_log_that_only_grew() -> None:
    append(5)
    line, _ = checkpoint()
    append(3)
    out = StringIO()
    call_command("audit", "verify", "--checkpoint", line, stdout=out)
    assert out.getvalue().startswith("OK: 8 events")


def test_a_log_truncated_since_the_checkpoint_is_detected() -> None:
    append(5)
    line, _ = checkpoint()
    with maintenance():
        AuditEvent.objects.filter(seq__gt=3).delete()
    # The insider also moves the head back, so the chain alone looks whole.
    AuditHead.objects.update(seq=3, hash=AuditEvent.objects.get(seq=3).hash)
    call_command("audit", "verify", stdout=StringIO())
    with pytest.raises(CommandError, match=r"^FAIL: seq 4: .*checkpoint records 5 events"):
        call_command("audit", "verify", "--checkpoint", line)


def test_a_log_rewritten_since_the_checkpoint_is_detected() -> None:
    append(6)
    line, _ = checkpoint()
    rechain_from(3, action="auth.logout")
    call_command("audit", "verify", stdout=StringIO())
    with pytest.raises(CommandError, match=r"^FAIL: seq 6: .*differs from the checkpoint"):
        call_command("audit", "verify", "--checkpoint", line)


def test_a_malformed_checkpoint_is_refused() -> None:
    with pytest.raises(CommandError, match="COUNT:HASH"):
        call_command("audit", "verify", "--checkpoint", "5:not-a-hash")
