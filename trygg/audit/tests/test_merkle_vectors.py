"""RFC 6962 Merkle trees against the published test vectors, and against a dishonest prover.

Vectors: /work/shared/reference/rfc6962-test-vectors.md (from transparency-dev/merkle).
"""

import pytest

from trygg.audit import merkle

LEAVES = [
    bytes.fromhex(value)
    for value in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
ROOTS = [
    bytes.fromhex(value)
    for value in [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]
]
INCLUSIONS = [(index, size) for size in range(1, 9) for index in range(size)]
CONSISTENCIES = [(old, new) for new in range(0, 9) for old in range(0, new + 1)]


def altered(proof: list[bytes]) -> list[list[bytes]]:
    """Every way of flipping one byte (first and last of each node) in `proof`."""
    versions = []
    for node in range(len(proof)):
        for position in (0, merkle.HASH_SIZE - 1):
            changed = bytearray(proof[node])
            changed[position] ^= 0x01
            versions.append([*proof[:node], bytes(changed), *proof[node + 1 :]])
    return versions


@pytest.mark.parametrize("size", range(9))
def test_root_matches_the_published_vector(size: int) -> None:
    assert merkle.root(LEAVES[:size]) == ROOTS[size]


@pytest.mark.parametrize(("index", "size"), INCLUSIONS)
def test_inclusion_proof_verifies_against_the_published_root(index: int, size: int) -> None:
    proof = merkle.inclusion_proof(index, size, LEAVES)
    leaf = merkle.leaf_hash(LEAVES[index])
    assert merkle.verify_inclusion(leaf, index, size, proof, ROOTS[size])


@pytest.mark.parametrize(("index", "size"), INCLUSIONS)
def test_dishonest_inclusion_proofs_are_rejected(index: int, size: int) -> None:
    proof = merkle.inclusion_proof(index, size, LEAVES)
    leaf = merkle.leaf_hash(LEAVES[index])
    root = ROOTS[size]
    for bad in altered(proof):
        assert not merkle.verify_inclusion(leaf, index, size, bad, root)
    if proof:
        assert not merkle.verify_inclusion(leaf, index, size, proof[:-1], root)
        assert not merkle.verify_inclusion(leaf, index, size, proof[1:], root)
        assert not merkle.verify_inclusion(leaf, index, size, [proof[0][:-1], *proof[1:]], root)
    assert not merkle.verify_inclusion(leaf, index, size, [*proof, ROOTS[1]], root)
    assert not merkle.verify_inclusion(leaf, index, size, [ROOTS[1], *proof], root)
    # The same proof presented for another tree head (size and its root), or another index.
    for other in range(index + 1, 9):
        if other != size:
            assert not merkle.verify_inclusion(leaf, index, other, proof, ROOTS[other])
    for other_index in range(size):
        if other_index != index:
            assert not merkle.verify_inclusion(leaf, other_index, size, proof, root)
    # A wrong leaf.
    for other_leaf in LEAVES[:index] + LEAVES[index + 1 :]:
        assert not merkle.verify_inclusion(merkle.leaf_hash(other_leaf), index, size, proof, root)
    assert not merkle.verify_inclusion(LEAVES[index].ljust(32, b"\0"), index, size, proof, root)
    # Out of range.
    assert not merkle.verify_inclusion(leaf, size, size, proof, root)
    assert not merkle.verify_inclusion(leaf, -1, size, proof, root)


@pytest.mark.parametrize(("old", "new"), CONSISTENCIES)
def test_consistency_proof_verifies_between_the_published_roots(old: int, new: int) -> None:
    proof = merkle.consistency_proof(old, new, LEAVES)
    assert merkle.verify_consistency(old, new, ROOTS[old], ROOTS[new], proof)


@pytest.mark.parametrize(("old", "new"), CONSISTENCIES)
def test_dishonest_consistency_proofs_are_rejected(old: int, new: int) -> None:
    proof = merkle.consistency_proof(old, new, LEAVES)
    for bad in altered(proof):
        assert not merkle.verify_consistency(old, new, ROOTS[old], ROOTS[new], bad)
    if proof:
        assert not merkle.verify_consistency(old, new, ROOTS[old], ROOTS[new], proof[:-1])
        assert not merkle.verify_consistency(old, new, ROOTS[old], ROOTS[new], proof[1:])
    assert not merkle.verify_consistency(old, new, ROOTS[old], ROOTS[new], [*proof, ROOTS[2]])
    assert not merkle.verify_consistency(old, new, ROOTS[old], ROOTS[new], [ROOTS[2], *proof])

    # The same proof presented between other tree heads (sizes with their roots). An empty
    # proof rightly proves an empty old tree or an unchanged one.
    def trivial(first: int, second: int) -> bool:
        return not proof and first in (0, second)

    for other_old in range(0, new + 1):
        if other_old != old and not trivial(other_old, new):
            assert not merkle.verify_consistency(
                other_old, new, ROOTS[other_old], ROOTS[new], proof
            )
    for other_new in range(old, 9):
        if other_new != new and not trivial(old, other_new):
            assert not merkle.verify_consistency(
                old, other_new, ROOTS[old], ROOTS[other_new], proof
            )
    # Wrong roots: a tree that did not only grow cannot prove it did.
    for other in range(9):
        if ROOTS[other] != ROOTS[old]:
            assert not merkle.verify_consistency(old, new, ROOTS[other], ROOTS[new], proof)
        # (The empty tree is the start of every tree: nothing binds the new root then.)
        if ROOTS[other] != ROOTS[new] and old > 0:
            assert not merkle.verify_consistency(old, new, ROOTS[old], ROOTS[other], proof)
    assert not merkle.verify_consistency(new, old, ROOTS[new], ROOTS[old], proof) or old == new


def test_proofs_are_asked_for_within_the_tree_only() -> None:
    with pytest.raises(ValueError):
        merkle.inclusion_proof(3, 3, LEAVES)
    with pytest.raises(ValueError):
        merkle.consistency_proof(5, 4, LEAVES)
    with pytest.raises(ValueError):
        merkle.consistency_proof(1, 9, LEAVES)
