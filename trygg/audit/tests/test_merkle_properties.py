"""Random trees: proofs from n random leaves verify, tampered ones do not, and the fast
bottom-up code agrees with RFC 6962's recursive definitions written out literally."""

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.audit import merkle


def mth(entries: list[bytes]) -> bytes:
    """MTH of RFC 6962 §2.1, recursively, as the RFC states it."""
    n = len(entries)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + entries[0]).digest()
    k = 1 << ((n - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + mth(entries[:k]) + mth(entries[k:])).digest()


def path(m: int, entries: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 6962 §2.1.1."""
    n = len(entries)
    if n == 1:
        return []
    k = 1 << ((n - 1).bit_length() - 1)
    if m < k:
        return [*path(m, entries[:k]), mth(entries[k:])]
    return [*path(m - k, entries[k:]), mth(entries[:k])]


def subproof(m: int, entries: list[bytes], complete: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b) of RFC 6962 §2.1.2."""
    n = len(entries)
    if m == n:
        return [] if complete else [mth(entries)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return [*subproof(m, entries[:k], complete), mth(entries[k:])]
    return [*subproof(m - k, entries[k:], False), mth(entries[:k])]


leaves = st.lists(st.binary(max_size=40), min_size=1, max_size=70)


@st.composite
def tree_and_index(draw: st.DrawFn) -> tuple[list[bytes], int]:
    entries = draw(leaves)
    return entries, draw(st.integers(0, len(entries) - 1))


@st.composite
def tree_and_sizes(draw: st.DrawFn) -> tuple[list[bytes], int, int]:
    entries = draw(leaves)
    new = draw(st.integers(1, len(entries)))
    return entries, draw(st.integers(1, new)), new


@settings(max_examples=150, deadline=None)
@given(leaves)
def test_root_agrees_with_the_recursive_definition(entries: list[bytes]) -> None:
    assert merkle.root(entries) == mth(entries)


@settings(max_examples=150, deadline=None)
@given(tree_and_index())
def test_inclusion_proofs_of_random_trees_verify(case: tuple[list[bytes], int]) -> None:
    entries, index = case
    proof = merkle.inclusion_proof(index, len(entries), entries)
    assert proof == path(index, entries)
    root = merkle.root(entries)
    assert merkle.verify_inclusion(
        merkle.leaf_hash(entries[index]), index, len(entries), proof, root
    )


@settings(max_examples=150, deadline=None)
@given(tree_and_index(), st.data())
def test_tampered_inclusion_proofs_of_random_trees_fail(
    case: tuple[list[bytes], int], data: st.DataObject
) -> None:
    entries, index = case
    size = len(entries)
    proof = merkle.inclusion_proof(index, size, entries)
    root = merkle.root(entries)
    leaf = merkle.leaf_hash(entries[index])
    if proof:
        node = data.draw(st.integers(0, len(proof) - 1))
        byte = data.draw(st.integers(0, merkle.HASH_SIZE - 1))
        bad = bytearray(proof[node])
        bad[byte] ^= data.draw(st.integers(1, 255))
        assert not merkle.verify_inclusion(
            leaf, index, size, [*proof[:node], bytes(bad), *proof[node + 1 :]], root
        )
        assert not merkle.verify_inclusion(leaf, index, size, proof[:-1], root)
    assert not merkle.verify_inclusion(leaf, index, size, [*proof, leaf], root)
    assert not merkle.verify_inclusion(merkle.leaf_hash(b"forged"), index, size, proof, root)


@settings(max_examples=150, deadline=None)
@given(tree_and_sizes())
def test_consistency_proofs_of_random_trees_verify(case: tuple[list[bytes], int, int]) -> None:
    entries, old, new = case
    proof = merkle.consistency_proof(old, new, entries)
    assert proof == subproof(old, entries[:new], True)
    assert merkle.verify_consistency(
        old, new, merkle.root(entries[:old]), merkle.root(entries[:new]), proof
    )


@settings(max_examples=150, deadline=None)
@given(tree_and_sizes(), st.data())
def test_tampered_consistency_proofs_and_rewritten_history_fail(
    case: tuple[list[bytes], int, int], data: st.DataObject
) -> None:
    entries, old, new = case
    proof = merkle.consistency_proof(old, new, entries)
    old_root, new_root = merkle.root(entries[:old]), merkle.root(entries[:new])
    if proof:
        node = data.draw(st.integers(0, len(proof) - 1))
        bad = bytearray(proof[node])
        bad[data.draw(st.integers(0, merkle.HASH_SIZE - 1))] ^= 0x80
        tampered = [*proof[:node], bytes(bad), *proof[node + 1 :]]
        assert not merkle.verify_consistency(old, new, old_root, new_root, tampered)
        assert not merkle.verify_consistency(old, new, old_root, new_root, proof[:-1])
    assert not merkle.verify_consistency(old, new, old_root, new_root, [*proof, new_root])
    # A log that changed an old entry cannot prove it only grew.
    changed = list(entries)
    position = data.draw(st.integers(0, old - 1))
    changed[position] = changed[position] + b"!"
    rewritten_root = merkle.root(changed[:new])
    rewritten_proof = merkle.consistency_proof(old, new, changed)
    assert not merkle.verify_consistency(old, new, old_root, rewritten_root, rewritten_proof)


def test_a_large_tree_needs_no_recursion() -> None:
    entries = [n.to_bytes(4, "big") for n in range(100_000)]
    assert len(merkle.root(entries)) == merkle.HASH_SIZE
