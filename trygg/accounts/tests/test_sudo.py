"""Sensitive actions need the password and a fresh code again ("sudo mode")."""

import time_machine
from django.test import Client
from django.urls import reverse

from trygg.accounts.models import AccountAction, Membership, User
from trygg.audit.models import AuditEvent
from trygg.testing import PASSWORD, current_token, log_in


def role_change(client: Client, user: User, role: str = "expert"):
    membership = user.memberships.get()
    return client.post(
        reverse("manage:user_role", args=[user.code]),
        {"organisation": membership.organisation_id, "role": role, "next": "/somewhere/"},
    )


def test_role_change_outside_sudo_mode_asks_to_confirm_identity_and_changes_nothing(
    client: Client, administrator: User, caseworker: User
) -> None:
    log_in(client, administrator)
    response = role_change(client, caseworker)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sudo"))
    assert caseworker.memberships.get().role == Membership.Role.CASEWORKER


def test_confirming_identity_allows_the_role_change_for_ten_minutes(
    client: Client, administrator: User, caseworker: User
) -> None:
    with time_machine.travel("2026-04-01 09:00:00+00:00", tick=False) as clock:
        log_in(client, administrator)
        response = client.post(
            reverse("accounts:sudo") + "?next=/manage/users/",
            {"password": PASSWORD, "token": current_token(administrator)},
        )
        assert response["Location"] == "/manage/users/"
        assert role_change(client, caseworker, "expert").status_code == 302
        assert caseworker.memberships.get().role == Membership.Role.EXPERT
        clock.shift(11 * 60)
        response = role_change(client, caseworker, "auditor")
    assert response["Location"].startswith(reverse("accounts:sudo"))
    assert caseworker.memberships.get().role == Membership.Role.EXPERT
    assert AuditEvent.objects.filter(action=AccountAction.SUDO_GRANTED).count() == 1


def test_wrong_code_does_not_grant_sudo_mode(client: Client, administrator: User) -> None:
    log_in(client, administrator)
    response = client.post(reverse("accounts:sudo"), {"password": PASSWORD, "token": "123456"})
    assert response.status_code == 400
    assert AuditEvent.objects.filter(action=AccountAction.SUDO_FAILED).exists()
