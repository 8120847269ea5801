"""Production mode refuses to start without explicit secrets and passes `check --deploy`."""

import stat
from pathlib import Path

import pytest

from trygg.testing import run_trygg as trygg

PRODUCTION = {
    "TRYGG_ENV": "production",
    "TRYGG_ALLOWED_HOSTS": "trygg.example.org",
    "TRYGG_DATABASE_URL": "sqlite://:memory:",
    # A made-up key-encryption key: 32 zero bytes, base64.
    "TRYGG_VAULT_KEYS": "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
}


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = trygg("check", **PRODUCTION)
    assert result.returncode != 0
    assert "TRYGG_SECRET_KEY or TRYGG_SECRET_KEY_FILE is required" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts() -> None:
    env = {**PRODUCTION, "TRYGG_SECRET_KEY": "k" * 60}
    del env["TRYGG_ALLOWED_HOSTS"]
    result = trygg("check", **env)
    assert result.returncode != 0
    assert "TRYGG_ALLOWED_HOSTS is required" in result.stderr


def test_production_reads_the_secret_key_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("f" * 60)
    result = trygg(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        TRYGG_SECRET_KEY_FILE=str(secret),
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "f" * 60


def test_production_passes_check_deploy_at_warning_level() -> None:
    result = trygg(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        TRYGG_SECRET_KEY="Zq8" + "a1B2c3D4e5F6g7H8i9J0" * 3,
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_hashes_passwords_with_argon2() -> None:
    result = trygg(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])",
        TRYGG_SECRET_KEY="k" * 60,
        **PRODUCTION,
    )
    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_local_run_creates_its_secret_key_once_with_mode_0600(tmp_path: Path) -> None:
    env = {"TRYGG_ENV": "development", "TRYGG_VAR_DIR": str(tmp_path)}
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = trygg("shell", "--no-imports", "-c", code, **env)
    second = trygg("shell", "--no-imports", "-c", code, **env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_malformed_boolean_setting_stops_start_up_with_its_name(value: str) -> None:
    result = trygg("check", TRYGG_ENV="development", TRYGG_DEBUG=value)
    assert result.returncode != 0
    assert "TRYGG_DEBUG must be a boolean" in result.stderr


def test_production_refuses_to_start_without_a_database_url() -> None:
    env = {**PRODUCTION, "TRYGG_SECRET_KEY": "k" * 60}
    del env["TRYGG_DATABASE_URL"]
    result = trygg("check", **env)
    assert result.returncode != 0
    assert "TRYGG_DATABASE_URL or TRYGG_DATABASE_URL_FILE is required" in result.stderr


def test_an_empty_setting_counts_as_unset(tmp_path: Path) -> None:
    result = trygg(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.ALLOWED_HOSTS, s.TRYGG_JURISDICTION)",
        TRYGG_ENV="development",
        TRYGG_VAR_DIR=str(tmp_path),
        TRYGG_ALLOWED_HOSTS="",
        TRYGG_JURISDICTION="",
    )
    assert result.stdout.strip() == "['127.0.0.1', 'localhost', '[::1]'] fi", result.stderr
