"""Login throttling: repeated failures lock the user name out from that address."""

import re

from django.test import Client
from django.urls import reverse

from trygg.accounts.models import AccountAction, User
from trygg.audit.models import AuditEvent
from trygg.testing import PASSWORD


def fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        client.post(reverse("accounts:login"), {"username": username, "password": "wrong"})


def test_fifth_failure_locks_out_even_the_right_password(client: Client, caseworker: User) -> None:
    fail(client, "caseworker", 5)
    response = client.post(
        reverse("accounts:login"), {"username": "caseworker", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(
        action=AccountAction.LOCKED_OUT, subject_code=caseworker.code
    ).exists()


def test_lockout_page_is_the_same_for_unknown_and_known_accounts(caseworker: User) -> None:
    known, unknown = Client(), Client()
    fail(known, "caseworker", 5)
    fail(unknown, "no-such-account", 5)
    known_page = known.post(reverse("accounts:login"), {"username": "caseworker", "password": "x"})
    unknown_page = unknown.post(
        reverse("accounts:login"), {"username": "no-such-account", "password": "x"}
    )
    assert known_page.status_code == unknown_page.status_code == 429

    # Only the CSRF token differs.
    def strip(body: bytes) -> str:
        return re.sub(r'value="[^"]*"', "", body.decode())

    assert strip(known_page.content) == strip(unknown_page.content)


def test_four_failures_do_not_lock_out(client: Client, caseworker: User) -> None:
    fail(client, "caseworker", 4)
    response = client.post(
        reverse("accounts:login"), {"username": "caseworker", "password": PASSWORD}
    )
    assert response.status_code == 302
