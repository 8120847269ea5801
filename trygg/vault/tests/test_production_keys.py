"""Production refuses to start without vault keys, with broken ones, or with the file provider."""

import base64
from pathlib import Path

from trygg.testing import run_trygg as trygg

KEY = base64.b64encode(bytes(range(32))).decode()


PRODUCTION = {
    "TRYGG_ENV": "production",
    "TRYGG_ALLOWED_HOSTS": "trygg.example.org",
    "TRYGG_DATABASE_URL": "sqlite://:memory:",
    "TRYGG_SECRET_KEY": "Zq8" + "a1B2c3D4e5F6g7H8i9J0" * 3,
}
PRINT_PROVIDER = (
    "from trygg.vault.providers import get_provider as g; p = g(); "
    "print(type(p).__name__, p.current_key_id(), p.key_ids())"
)


def test_production_refuses_to_start_without_vault_keys() -> None:
    result = trygg("check", **PRODUCTION)
    assert result.returncode != 0
    assert "TRYGG_VAULT_KEYS or TRYGG_VAULT_KEYS_FILE is required" in result.stderr


def test_production_refuses_the_file_provider() -> None:
    result = trygg("check", TRYGG_VAULT_PROVIDER="file", **PRODUCTION)
    assert result.returncode != 0
    assert "TRYGG_VAULT_PROVIDER=file is for development and tests" in result.stderr


def test_production_refuses_a_malformed_key_without_printing_it() -> None:
    short = base64.b64encode(b"s3cr3t-but-too-short").decode()
    result = trygg("check", TRYGG_VAULT_KEYS=f"k1:{short}", **PRODUCTION)
    assert result.returncode != 0
    assert "Key 'k1' must be 32 bytes" in result.stderr
    assert short not in result.stderr


def test_production_refuses_a_current_key_it_does_not_have() -> None:
    result = trygg(
        "check", TRYGG_VAULT_KEYS=f"k1:{KEY}", TRYGG_VAULT_CURRENT_KEY="k2", **PRODUCTION
    )
    assert result.returncode != 0
    assert "TRYGG_VAULT_CURRENT_KEY names 'k2'" in result.stderr


def test_production_reads_vault_keys_from_a_file_and_wraps_with_the_first(tmp_path: Path) -> None:
    secret = tmp_path / "vault_keys"
    secret.write_text(f"k1:{KEY},\nk2:{KEY}\n")
    result = trygg(
        "shell",
        "--no-imports",
        "-c",
        PRINT_PROVIDER,
        TRYGG_VAULT_KEYS_FILE=str(secret),
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "EnvKeyProvider k1 ['k1', 'k2']"


def test_production_with_vault_keys_passes_check_deploy() -> None:
    result = trygg(
        "check", "--deploy", "--fail-level", "WARNING", TRYGG_VAULT_KEYS=f"k1:{KEY}", **PRODUCTION
    )
    assert result.returncode == 0, result.stdout + result.stderr
