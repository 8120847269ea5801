"""Blind indexes: exact matches after normalisation, only on the registered fields."""

import pytest

from trygg.vault import vault
from trygg.vault.models import BlindIndexEntry, IndexKey


@pytest.mark.parametrize(
    ("field", "one", "other"),
    [
        ("name_birth_date", "José  GARCÍA|1990-01-02", "jose garcia|1990-01-02"),
        ("name_birth_date", " Ｊｏｓé\u200b García |1990-01-02", "JOSE GARCIA|1990-01-02"),
        ("name_birth_date", "Straße|2001-12-31", "STRASSE|2001-12-31"),
        ("phone", "+358 40 123-4567", "00358401234567"),
        ("phone", "(+358) 40 123 4567", "+358401234567"),
        ("document", "ab-123 456", "AB123456"),
        ("document", "ab–123 456", "Ab 123456"),
    ],
)
def test_equal_values_give_equal_blind_indexes(db: None, field: str, one: str, other: str) -> None:
    assert vault.blind_index(field, one) == vault.blind_index(field, other)


@pytest.mark.parametrize(
    ("field", "one", "other"),
    [
        ("name_birth_date", "Jose Garcia|1990-01-02", "Jose Garcia|1990-01-03"),
        ("name_birth_date", "Jose Garcia|1990-01-02", "Josef Garcia|1990-01-02"),
        ("phone", "+358401234567", "358401234567"),
        ("document", "AB123456", "AB123457"),
    ],
)
def test_different_values_give_different_blind_indexes(
    db: None, field: str, one: str, other: str
) -> None:
    assert vault.blind_index(field, one) != vault.blind_index(field, other)


def test_each_field_has_its_own_key(db: None) -> None:
    assert vault.blind_index("phone", "12345") != vault.blind_index("document", "12345")
    assert IndexKey.objects.count() == 2


def test_a_field_outside_the_registry_is_refused(db: None) -> None:
    with pytest.raises(vault.UnknownFieldError):
        vault.blind_index("birth_date", "1990-01-02")
    with pytest.raises(vault.UnknownFieldError):
        vault.find("nationality", "FI")
    with pytest.raises(vault.UnknownFieldError):
        vault.set_blind_indexes("K7F3-Q92X", {"gender": "f"})


def test_name_birth_date_needs_an_iso_date(db: None) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        vault.blind_index("name_birth_date", "Jose Garcia|2nd January")
    with pytest.raises(ValueError, match="NAME"):
        vault.blind_index("name_birth_date", "Jose Garcia")


def test_find_returns_every_owner_with_the_value(owner: str, other_owner: str) -> None:
    vault.set_blind_indexes(owner, {"name_birth_date": "José García|1990-01-02"})
    vault.set_blind_indexes(other_owner, {"name_birth_date": "JOSE GARCIA|1990-01-02"})
    assert vault.find("name_birth_date", "jose garcia|1990-01-02") == sorted([owner, other_owner])
    assert vault.find("name_birth_date", "jose garcia|1990-01-03") == []


def test_setting_blind_indexes_replaces_the_owners_entries(owner: str) -> None:
    vault.set_blind_indexes(owner, {"phone": "+358401111111", "document": "X1"})
    vault.set_blind_indexes(owner, {"phone": ["+358402222222", "+358403333333"]})
    assert vault.find("phone", "+358401111111") == []
    assert vault.find("document", "X1") == []
    assert vault.find("phone", "+358402222222") == [owner]
    assert vault.find("phone", "+358403333333") == [owner]


def test_empty_values_are_not_indexed_and_match_nobody(owner: str) -> None:
    vault.set_blind_indexes(owner, {"phone": " - ", "document": "", "name_birth_date": "|"})
    assert not BlindIndexEntry.objects.exists()
    assert vault.find("phone", "") == []


def test_bulk_paths_match_the_single_ones(db: None) -> None:
    vault.create_keys(["A-1", "B-2", "C-3"])
    vault.set_blind_indexes_many(
        {"A-1": {"phone": "+3581"}, "B-2": {"phone": "+3581"}, "C-3": {"phone": "+3582"}}
    )
    found = vault.find_many("phone", ["00 3581", "+3582", "+3583", ""])
    assert found == {"00 3581": ["A-1", "B-2"], "+3582": ["C-3"], "+3583": [], "": []}


def test_entries_store_digests_not_values(owner: str) -> None:
    vault.set_blind_indexes(owner, {"phone": "+358401234567"})
    entry = BlindIndexEntry.objects.get()
    assert len(bytes(entry.digest)) == 32
    assert b"358401234567" not in bytes(entry.digest)
