"""Helpers for tests and benchmarks: personas' password, users with a second factor, logins."""

import os
import subprocess
import sys
import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.accounts import services
from trygg.accounts.models import Organisation, User
from trygg.accounts.sessions import AUTH_AT_KEY, SEEN_AT_KEY

PASSWORD = "correct-horse-battery-staple-42"  # noqa: S105 (test personas only)

# The personas of conftest.py: one per role, plus an outsider from another organisation.
PERSONAS = [
    "anonymous",
    "referrer",
    "caseworker",
    "expert",
    "partner",
    "statistician",
    "auditor",
    "administrator",
    "outsider",
]


def make_user(username: str, organisation: Organisation, role: str, *, mfa: bool = True) -> User:
    """Create a user with a role (and, by default, a confirmed authenticator)."""
    user, _ = services.create_user(
        actor=None,
        username=username,
        full_name=f"Persona {username}",
        email="",
        organisation=organisation,
        role=role,
        password=PASSWORD,
    )
    if mfa:
        TOTPDevice.objects.create(user=user, name=services.TOTP_DEVICE_NAME, confirmed=True)
    return user


def current_token(user: User) -> str:
    """Return the code the user's authenticator app shows now."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def log_in(client: Client, user: User) -> Client:
    """Give `client` a fully verified session for `user`, as the login views would."""
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    now = time.time()
    session[AUTH_AT_KEY] = now
    session[SEEN_AT_KEY] = now
    session.save()
    return client


def in_sudo_mode(client: Client) -> Client:
    """Put a logged-in client in sudo mode, as a confirmed re-authentication would."""
    from types import SimpleNamespace

    from trygg.accounts.sessions import grant_sudo

    session = client.session
    grant_sudo(SimpleNamespace(session=session))  # type: ignore[arg-type]
    session.save()
    return client


def run_trygg(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the `trygg` command in a fresh process with only the given TRYGG_* settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TRYGG_")}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(  # noqa: S603 - the project's own command
        [sys.executable, "-m", "trygg", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )
