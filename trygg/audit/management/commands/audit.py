"""`trygg audit`: verify the audit chain, print checkpoints, tree heads and proofs."""

import json
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.audit import merkle, services

CHECKPOINT_RE = re.compile(r"^(\d+):([0-9a-f]{64})$")


def _checkpoint(text: str) -> services.ChainState:
    match = CHECKPOINT_RE.match(text.strip().lower())
    if not match:
        raise CommandError("A checkpoint is COUNT:HASH, as printed by `trygg audit checkpoint`.")
    return services.ChainState(int(match[1]), match[2])


class Command(BaseCommand):
    help = (
        "Check the audit log and print what an outside auditor needs. Reads only; writes "
        "nothing. Every line printed is machine-readable.\n"
        "  verify [--checkpoint COUNT:HASH]: recompute every event's hash and link in seq "
        "order and check the head row; with --checkpoint, also check that event COUNT still "
        "has hash HASH (a log rewritten or cut short since then fails). Prints "
        "'OK: N events, head HASH', or exits with status 1 naming the first bad seq.\n"
        "  checkpoint: print COUNT:HASH of the last event, then the RFC 6962 tree head of the "
        "log as JSON. Keep both outside the system.\n"
        "  tree-head [--size N]: print the RFC 6962 Merkle tree head over the first N events "
        "(default: all) as JSON.\n"
        "  prove-inclusion SEQ [--size N]: print the inclusion proof of event SEQ in the tree "
        "of size N as JSON (hex hashes; leaf index is SEQ - 1; leaf entry is the event's "
        "32-byte hash).\n"
        "  prove-consistency OLD NEW: print the consistency proof between the tree heads of "
        "sizes OLD and NEW as JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        verify = commands.add_parser("verify", help="Check the whole chain.")
        verify.add_argument("--checkpoint", type=_checkpoint, metavar="COUNT:HASH")
        commands.add_parser("checkpoint", help="Print COUNT:HASH and the tree head.")
        tree_head = commands.add_parser("tree-head", help="Print a Merkle tree head.")
        tree_head.add_argument("--size", type=int)
        inclusion = commands.add_parser("prove-inclusion", help="Print an inclusion proof.")
        inclusion.add_argument("seq", type=int)
        inclusion.add_argument("--size", type=int)
        consistency = commands.add_parser("prove-consistency", help="Print a consistency proof.")
        consistency.add_argument("old", type=int)
        consistency.add_argument("new", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        subcommand = options["subcommand"]
        if subcommand == "verify":
            self.verify(options["checkpoint"])
        elif subcommand == "checkpoint":
            self.checkpoint()
        elif subcommand == "tree-head":
            self.tree_head(options["size"])
        elif subcommand == "prove-inclusion":
            self.prove_inclusion(options["seq"], options["size"])
        else:
            self.prove_consistency(options["old"], options["new"])

    def verify(self, checkpoint: services.ChainState | None) -> None:
        try:
            state = services.verify_chain(checkpoint=checkpoint)
        except services.ChainBroken as broken:
            raise CommandError(f"FAIL: seq {broken.seq}: {broken.reason}", returncode=1) from None
        self.stdout.write(f"OK: {state.count} events, head {state.hash}")

    def checkpoint(self) -> None:
        hashes = self._hashes(None)
        state = services.head_state()
        if state.count != len(hashes) or (hashes and hashes[-1].hex() != state.hash):
            raise CommandError(
                "FAIL: the head does not match the events; run `trygg audit verify`.",
                returncode=1,
            )
        self.stdout.write(str(state))
        self._json({"tree_size": len(hashes), "root_hash": merkle.root(hashes).hex()})

    def tree_head(self, size: int | None) -> None:
        hashes = self._hashes(size)
        self._json({"tree_size": len(hashes), "root_hash": merkle.root(hashes).hex()})

    def prove_inclusion(self, seq: int, size: int | None) -> None:
        hashes = self._hashes(size)
        if not 1 <= seq <= len(hashes):
            raise CommandError(f"Event {seq} is not in a tree of {len(hashes)} events.")
        index = seq - 1
        proof = merkle.inclusion_proof(index, len(hashes), hashes)
        self._json(
            {
                "seq": seq,
                "leaf_index": index,
                "tree_size": len(hashes),
                "event_hash": hashes[index].hex(),
                "leaf_hash": merkle.leaf_hash(hashes[index]).hex(),
                "root_hash": merkle.root(hashes).hex(),
                "inclusion_path": [node.hex() for node in proof],
            }
        )

    def prove_consistency(self, old: int, new: int) -> None:
        if not 0 <= old <= new:
            raise CommandError("OLD and NEW are tree sizes with 0 <= OLD <= NEW.")
        hashes = self._hashes(new)
        proof = merkle.consistency_proof(old, new, hashes)
        self._json(
            {
                "first": old,
                "second": new,
                "first_hash": merkle.root(hashes[:old]).hex(),
                "second_hash": merkle.root(hashes).hex(),
                "consistency_path": [node.hex() for node in proof],
            }
        )

    def _hashes(self, size: int | None) -> list[bytes]:
        if size is not None and size < 0:
            raise CommandError("--size is a number of events, 0 or more.")
        try:
            return services.event_hashes(size)
        except ValueError as error:
            raise CommandError(str(error)) from None

    def _json(self, value: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(value, separators=(",", ":")))
