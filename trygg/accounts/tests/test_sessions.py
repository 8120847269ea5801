"""Sessions end after 15 idle minutes or 12 hours, whichever comes first."""

import time_machine
from django.test import Client
from django.urls import reverse

from trygg.accounts.models import AccountAction, User
from trygg.audit.models import AuditEvent
from trygg.testing import log_in

START = "2026-03-02 08:00:00+00:00"


def test_session_ends_after_fifteen_idle_minutes(client: Client, caseworker: User) -> None:
    with time_machine.travel(START, tick=False) as clock:
        log_in(client, caseworker)
        assert client.get(reverse("web:home")).status_code == 200
        clock.shift(14 * 60)
        assert client.get(reverse("web:home")).status_code == 200
        clock.shift(16 * 60)
        response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert AuditEvent.objects.filter(
        action=AccountAction.SESSION_EXPIRED, actor_code=caseworker.code
    ).exists()


def test_active_session_ends_twelve_hours_after_login(client: Client, caseworker: User) -> None:
    with time_machine.travel(START, tick=False) as clock:
        log_in(client, caseworker)
        minutes = 0
        while minutes < 24 * 60:  # a request every ten minutes
            clock.shift(10 * 60)
            minutes += 10
            response = client.get(reverse("web:home"))
            if response.status_code != 200:
                break
    assert response.status_code == 302
    # Still open at exactly twelve hours, ended at the first request after.
    assert minutes == 12 * 60 + 10


def test_logout_ends_the_session_and_is_recorded(client: Client, caseworker: User) -> None:
    log_in(client, caseworker)
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("web:home")).status_code == 302
    assert AuditEvent.objects.filter(action=AccountAction.LOGOUT).exists()
