"""The key providers: files created once with tight modes, keys from the environment."""

import base64
import stat
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from trygg.vault.providers import EnvKeyProvider, FileKeyProvider, parse_keys


def test_the_file_provider_creates_one_key_with_tight_modes(key_directory: Path) -> None:
    first = FileKeyProvider().current_key_id()
    second = FileKeyProvider().current_key_id()
    assert first == second
    assert stat.S_IMODE(key_directory.stat().st_mode) == 0o700
    key_file = key_directory / f"{first}.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(base64.b64decode(key_file.read_text())) == 32
    assert FileKeyProvider().key_ids() == [first]


def test_a_new_file_key_becomes_current(key_directory: Path) -> None:
    provider = FileKeyProvider()
    old = provider.current_key_id()
    new = provider.add_key()
    assert FileKeyProvider().current_key_id() == new != old
    assert provider.get_key(old) != provider.get_key(new)


def test_a_key_file_readable_by_others_is_refused(key_directory: Path) -> None:
    provider = FileKeyProvider()
    key_id = provider.current_key_id()
    (key_directory / f"{key_id}.key").chmod(0o644)
    with pytest.raises(ImproperlyConfigured, match="chmod"):
        FileKeyProvider().get_key(key_id)


def test_an_unknown_file_key_is_a_key_error(key_directory: Path) -> None:
    with pytest.raises(KeyError):
        FileKeyProvider().get_key("nonexistent")


def test_a_raw_32_byte_key_file_is_accepted(key_directory: Path) -> None:
    key_directory.mkdir(mode=0o700)
    (key_directory / "raw.key").write_bytes(bytes(range(32)))
    (key_directory / "raw.key").chmod(0o600)
    assert FileKeyProvider().get_key("raw") == bytes(range(32))


def test_environment_keys_are_parsed_and_the_first_is_current() -> None:
    one, two = base64.b64encode(b"1" * 32).decode(), base64.b64encode(b"2" * 32).decode()
    provider = EnvKeyProvider(f"one:{one}, two:{two}", "")
    assert provider.current_key_id() == "one"
    assert provider.key_ids() == ["one", "two"]
    assert provider.get_key("two") == b"2" * 32
    assert EnvKeyProvider(f"one:{one},two:{two}", "two").current_key_id() == "two"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "empty"),
        ("nocolon", "KEY_ID:BASE64KEY"),
        ("bad/id:" + base64.b64encode(b"k" * 32).decode(), "a key id is"),
        ("a:" + "k" * 32, "base64 of 32 random bytes"),
        ("a:!!!", "not base64"),
        ("a:" + base64.b64encode(b"k" * 16).decode(), "must be 32 bytes"),
    ],
)
def test_malformed_environment_keys_are_refused(raw: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        EnvKeyProvider(raw, "")


def test_a_key_named_twice_is_refused() -> None:
    key = base64.b64encode(b"k" * 32).decode()
    with pytest.raises(ImproperlyConfigured, match="twice"):
        parse_keys(f"a:{key},a:{key}")
