"""RFC 6962 Merkle tree hashes, inclusion and consistency proofs. Pure functions.

Hashing follows RFC 6962 §2.1: a leaf hash is SHA-256(0x00 ‖ entry), an interior node
SHA-256(0x01 ‖ left ‖ right), and the tree over n entries splits at the largest power of two
smaller than n; the empty tree's root is SHA-256(""). Proofs are built as in §2.1.1 and §2.1.2
and checked with the verification algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2, so any RFC 6962
verifier agrees with these.

The audit log's leaf entries are the events' 32-byte hashes (`AuditEvent.hash` decoded from
hex): an event's hash already commits to its canonical serialisation (`trygg.audit.chain`).

Everything runs bottom-up over levels, without recursion: the root over a million entries
costs two million SHA-256 calls and no deep stack.
"""

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def root(entries: Sequence[bytes]) -> bytes:
    """Return the Merkle tree hash (MTH) over `entries`."""
    if not entries:
        return EMPTY_ROOT
    level = [leaf_hash(entry) for entry in entries]
    sha256 = hashlib.sha256
    while len(level) > 1:
        # An unpaired last node moves up unchanged: that is RFC 6962's split at a power of two.
        paired = [
            sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def _levels(entries: Sequence[bytes]) -> list[list[bytes]]:
    """Return every level of the tree, leaves first: `levels[k][j]` covers entries
    [j·2^k, min((j+1)·2^k, n)), which are exactly the subtrees RFC 6962 proofs use."""
    levels = [[leaf_hash(entry) for entry in entries]]
    while len(levels[-1]) > 1:
        below = levels[-1]
        above = [node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)]
        if len(below) % 2:
            above.append(below[-1])
        levels.append(above)
    return levels


def _subtree(levels: list[list[bytes]], start: int, end: int) -> bytes:
    """Return MTH(D[start:end]) for a subtree that starts on a multiple of its width."""
    height = (end - start - 1).bit_length()
    return levels[height][start >> height]


def inclusion_proof(index: int, size: int, entries: Sequence[bytes]) -> list[bytes]:
    """Return the audit path PATH(index, D[size]) of RFC 6962 §2.1.1, leaf's sibling first."""
    if not 0 <= index < size <= len(entries):
        raise ValueError("inclusion proof needs 0 <= index < size <= len(entries)")
    levels = _levels(entries[:size])
    proof = []
    position = index
    for level in levels[:-1]:
        sibling = position ^ 1
        if sibling < len(level):
            proof.append(level[sibling])
        position >>= 1
    return proof


def consistency_proof(old_size: int, new_size: int, entries: Sequence[bytes]) -> list[bytes]:
    """Return PROOF(old_size, D[new_size]) of RFC 6962 §2.1.2."""
    if not 0 <= old_size <= new_size <= len(entries):
        raise ValueError("consistency proof needs 0 <= old_size <= new_size <= len(entries)")
    if old_size in (0, new_size):
        return []
    levels = _levels(entries[:new_size])
    proof: list[bytes] = []
    # SUBPROOF(m, D[start:end], complete), unrolled: each step records one sibling subtree.
    m, start, end, complete = old_size, 0, new_size, True
    while m != end - start:
        width = end - start
        k = 1 << ((width - 1).bit_length() - 1)  # largest power of two smaller than width
        if m <= k:
            proof.append(_subtree(levels, start + k, end))
            end = start + k
        else:
            proof.append(_subtree(levels, start, start + k))
            m, start, complete = m - k, start + k, False
    if not complete:
        proof.append(_subtree(levels, start, end))
    proof.reverse()
    return proof


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root_hash: bytes
) -> bool:
    """Check that `leaf` (a leaf hash) is entry `index` of the tree of `size` with `root_hash`.

    RFC 9162 §2.1.3.2, step by step.
    """
    if not 0 <= index < size or not _well_formed(leaf, root_hash, *proof):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root_hash


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Check that the tree of `new_size` with `new_root` extends the one of `old_size`.

    RFC 9162 §2.1.4.2, step by step, after the cases it leaves to the caller: equal sizes
    need an empty proof and equal roots; an empty old tree is consistent with any tree, given
    an empty proof.
    """
    if not 0 <= old_size <= new_size or not _well_formed(old_root, new_root, *proof):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # an exact power of two
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == old_root and sr == new_root and sn == 0


def _well_formed(*hashes: bytes) -> bool:
    return all(isinstance(value, bytes) and len(value) == HASH_SIZE for value in hashes)
