"""Key rotation: everything stays readable, and the old key-encryption key can be removed."""

import base64
import io
import secrets
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from trygg.vault import vault
from trygg.vault.models import DataKey, IndexKey
from trygg.vault.providers import get_provider

OWNERS = [f"P{n:03d}-TEST" for n in range(7)]


def _fill() -> dict[str, bytes]:
    blobs = {}
    for owner in OWNERS:
        vault.create_key(owner)
        blobs[owner] = vault.encrypt(owner, table="t", field="f", row=owner, value=f"name {owner}")
        vault.set_blind_indexes(owner, {"phone": f"+3584000{owner[1:4]}"})
    return blobs


def _assert_all_readable(blobs: dict[str, bytes]) -> None:
    for owner, blob in blobs.items():
        assert vault.decrypt(owner, table="t", field="f", row=owner, blob=blob) == f"name {owner}"
        assert vault.find("phone", f"+3584000{owner[1:4]}") == [owner]


def keys(*args: str) -> str:
    out = io.StringIO()
    call_command("keys", *args, stdout=out)
    return out.getvalue()


def test_rotation_keeps_everything_readable_after_the_old_key_is_removed(
    db: None, key_directory: Path
) -> None:
    blobs = _fill()
    old = get_provider().current_key_id()

    output = keys("rotate")

    new = get_provider().current_key_id()
    assert new != old
    assert f"Re-wrapped {len(OWNERS)} data keys and 1 index keys under {new}." in output
    assert set(DataKey.objects.values_list("kek_id", flat=True)) == {new}
    assert set(IndexKey.objects.values_list("kek_id", flat=True)) == {new}
    (key_directory / f"{old}.key").unlink()
    vault.clear_caches()
    _assert_all_readable(blobs)


def test_rotating_again_rewraps_nothing(db: None) -> None:
    _fill()
    vault.rotate()
    assert vault.rotate() == {"data_keys": 0, "index_keys": 0}


def test_keys_made_after_a_rotation_use_the_new_key(db: None) -> None:
    _fill()
    keys("rotate")
    vault.create_key("LATE-0001")
    assert DataKey.objects.get(owner="LATE-0001").kek_id == get_provider().current_key_id()


def test_status_prints_key_ids_and_counts_but_no_key_material(
    db: None, key_directory: Path
) -> None:
    _fill()
    current = get_provider().current_key_id()
    output = keys("status")
    assert f"{current}: {len(OWNERS)} data keys, 1 index keys  (current)" in output
    material = (key_directory / f"{current}.key").read_text().strip()
    assert material not in output


def test_status_fails_when_a_key_in_use_is_missing(db: None, key_directory: Path) -> None:
    _fill()
    for path in key_directory.glob("*.key"):
        path.unlink()
    (key_directory / "current").unlink()
    vault.clear_caches()
    with pytest.raises(CommandError, match="Missing key-encryption keys"):
        keys("status")


def test_rotation_under_the_env_provider_moves_to_the_current_key(db: None) -> None:
    first, second = (base64.b64encode(secrets.token_bytes(32)).decode() for _ in range(2))
    with override_settings(TRYGG_VAULT_PROVIDER="env", TRYGG_VAULT_KEYS=f"one:{first}"):
        blobs = _fill()
    both = f"one:{first},two:{second}"
    with override_settings(
        TRYGG_VAULT_PROVIDER="env", TRYGG_VAULT_KEYS=both, TRYGG_VAULT_CURRENT_KEY="two"
    ):
        assert "Re-wrapped 7 data keys and 1 index keys under two." in keys("rotate")
    with override_settings(TRYGG_VAULT_PROVIDER="env", TRYGG_VAULT_KEYS=f"two:{second}"):
        _assert_all_readable(blobs)


def test_rotation_to_an_unknown_key_is_refused(db: None) -> None:
    _fill()
    with pytest.raises(CommandError, match="not available"):
        keys("rotate", "--key-id", "nonexistent")
