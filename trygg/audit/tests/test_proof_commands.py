"""`trygg audit tree-head`, `prove-inclusion` and `prove-consistency` print proofs that any
RFC 6962 verifier accepts: here, the verification functions of merkle.py on the JSON alone."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from trygg.audit import merkle
from trygg.audit.models import AuditEvent
from trygg.audit.tests.helpers import append

pytestmark = pytest.mark.django_db


def run(*args: str) -> dict[str, object]:
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return json.loads(out.getvalue())


def test_tree_head_covers_the_first_n_events() -> None:
    events = append(7)
    leaves = [bytes.fromhex(event.hash) for event in events]
    assert run("tree-head") == {"tree_size": 7, "root_hash": merkle.root(leaves).hex()}
    assert run("tree-head", "--size", "3") == {
        "tree_size": 3,
        "root_hash": merkle.root(leaves[:3]).hex(),
    }


def test_inclusion_proof_of_an_event_verifies_from_its_stored_hash() -> None:
    append(11)
    head = run("tree-head", "--size", "9")
    proof = run("prove-inclusion", "5", "--size", "9")
    event = AuditEvent.objects.get(seq=5)
    assert proof["event_hash"] == event.hash
    assert proof["root_hash"] == head["root_hash"]
    assert merkle.verify_inclusion(
        merkle.leaf_hash(bytes.fromhex(event.hash)),
        proof["leaf_index"],  # type: ignore[arg-type]
        9,
        [bytes.fromhex(node) for node in proof["inclusion_path"]],  # type: ignore[attr-defined]
        bytes.fromhex(head["root_hash"]),  # type: ignore[arg-type]
    )


def test_consistency_proof_shows_the_log_only_grew_between_two_tree_heads() -> None:
    append(6)
    old_head = run("tree-head")
    append(7)
    new_head = run("tree-head")
    proof = run("prove-consistency", "6", "13")
    assert (proof["first_hash"], proof["second_hash"]) == (
        old_head["root_hash"],
        new_head["root_hash"],
    )
    assert merkle.verify_consistency(
        6,
        13,
        bytes.fromhex(old_head["root_hash"]),  # type: ignore[arg-type]
        bytes.fromhex(new_head["root_hash"]),  # type: ignore[arg-type]
        [bytes.fromhex(node) for node in proof["consistency_path"]],  # type: ignore[attr-defined]
    )


def test_proofs_beyond_the_log_are_refused() -> None:
    append(3)
    with pytest.raises(CommandError):
        call_command("audit", "prove-inclusion", "4")
    with pytest.raises(CommandError):
        call_command("audit", "tree-head", "--size", "4")
    with pytest.raises(CommandError):
        call_command("audit", "prove-consistency", "3", "2")
