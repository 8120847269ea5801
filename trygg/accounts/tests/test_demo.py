"""`trygg demo`: demo organisations and one user per role, idempotent, never in production."""

import os
import re
import subprocess
import sys
from io import StringIO

from django.core.management import call_command
from django_otp.oath import totp

from trygg.accounts.models import Membership, Organisation, User

ROLES = ["referrer", "caseworker", "expert", "partner", "statistician", "auditor", "admin"]


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_creates_one_user_per_role_and_prints_their_logins(db: None) -> None:
    output = run_demo()
    for role in ROLES:
        assert re.search(rf"demo-{role}\s+password: \S+\s+totp secret: [A-Z2-7]{{32}}", output)
    assert set(User.objects.values_list("username", flat=True)) == {f"demo-{r}" for r in ROLES}
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Membership.Role.values)
    assert Organisation.objects.filter(is_demo=True, jurisdiction="fi").count() == 4


def test_demo_runs_twice_without_duplicates_and_keeps_totp_secrets(db: None) -> None:
    first = dict(re.findall(r"(demo-\w+)\s+password: \S+\s+totp secret: (\S+)", run_demo()))
    second = dict(re.findall(r"(demo-\w+)\s+password: \S+\s+totp secret: (\S+)", run_demo()))
    assert first == second
    assert User.objects.count() == len(ROLES)
    assert Organisation.objects.count() == 4


def test_printed_demo_password_and_secret_log_in(client, db: None) -> None:
    from base64 import b32decode

    output = run_demo()
    match = re.search(r"demo-expert\s+password: (\S+)\s+totp secret: (\S+)", output)
    assert match is not None
    password, secret = match.groups()
    client.post("/accounts/login/", {"username": "demo-expert", "password": password})
    key = b32decode(secret + "=" * (-len(secret) % 8))
    response = client.post("/accounts/login/verify/", {"token": f"{totp(key):06d}"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_demo_refuses_to_run_in_production(tmp_path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trygg.settings",
        "TRYGG_ENV": "production",
        "TRYGG_SECRET_KEY": "x" * 60,
        "TRYGG_ALLOWED_HOSTS": "trygg.example.org",
        "TRYGG_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "TRYGG_VAULT_KEYS": "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    }
    result = subprocess.run(
        [sys.executable, "-m", "trygg", "demo"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "cannot be loaded when TRYGG_ENV=production" in result.stderr
