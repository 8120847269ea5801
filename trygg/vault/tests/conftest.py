"""Every vault test gets its own key directory and empty key caches."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from trygg.vault import vault


@pytest.fixture(autouse=True)
def key_directory(settings: Settings, tmp_path: Path) -> Iterator[Path]:
    directory = tmp_path / "keys"
    settings.TRYGG_VAULT_PROVIDER = "file"
    settings.TRYGG_VAULT_KEYS_DIR = directory
    vault.clear_caches()
    yield directory
    vault.clear_caches()


OWNER = "K7F3-Q92X"
OTHER = "M4P8-R2TW"


@pytest.fixture
def owner(db: None) -> str:
    vault.create_key(OWNER)
    return OWNER


@pytest.fixture
def other_owner(db: None) -> str:
    vault.create_key(OTHER)
    return OTHER
