"""Logging in: password, then a second factor; enrolment at the first login."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.accounts.models import AccountAction, Organisation, User
from trygg.audit.models import AuditEvent
from trygg.testing import PASSWORD, current_token, make_user

Action = AccountAction
GENERIC_ERROR = "The user name or password is not right. Try again."


def password_step(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_right_password_alone_does_not_log_in(client: Client, caseworker: User) -> None:
    response = password_step(client, "caseworker")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verify")
    assert client.get(reverse("web:home")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_and_totp_code_log_in_and_record_the_login(
    client: Client, caseworker: User
) -> None:
    password_step(client, "caseworker")
    response = client.post(reverse("accounts:verify"), {"token": current_token(caseworker)})
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200
    event = AuditEvent.objects.filter(action=Action.LOGIN_SUCCEEDED).get()
    assert (event.actor_code, event.subject_code, event.person_code, event.extra) == (
        caseworker.code,
        None,
        None,
        {},
    )
    assert event == AuditEvent.objects.latest("seq")


def test_wrong_totp_code_is_refused_and_recorded(client: Client, caseworker: User) -> None:
    password_step(client, "caseworker")
    response = client.post(reverse("accounts:verify"), {"token": "000000"})
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert client.get(reverse("web:home")).status_code == 302
    assert AuditEvent.objects.filter(action=Action.MFA_FAILED, actor_code=caseworker.code).exists()


def test_failed_login_reads_the_same_for_unknown_and_known_accounts(
    client: Client, caseworker: User
) -> None:
    known = password_step(client, "caseworker", "wrong-password")
    unknown = password_step(Client(), "nobody-by-this-name", "wrong-password")
    inactive_user = caseworker
    inactive_user.is_active = False
    inactive_user.save()
    inactive = password_step(Client(), "caseworker", PASSWORD)
    bodies = [
        re.sub(r'value="[^"]*"', "", response.content.decode())
        for response in (known, unknown, inactive)
    ]
    assert {response.status_code for response in (known, unknown, inactive)} == {400}
    assert GENERIC_ERROR in bodies[0]
    assert bodies[0] == bodies[1] == bodies[2]


def test_failed_logins_are_recorded_without_the_typed_text(
    client: Client, caseworker: User
) -> None:
    canary = "CANARY-typed-secret-7731"
    password_step(client, "caseworker", canary)
    password_step(client, canary, canary)
    events = AuditEvent.objects.filter(action=Action.LOGIN_FAILED)
    assert [e.subject_code for e in events.order_by("seq")] == [caseworker.code, None]
    assert canary not in str(list(events.values()))


def test_first_login_enrols_an_authenticator_and_shows_recovery_codes_once(
    client: Client, assistance_org: Organisation
) -> None:
    newcomer = make_user("newcomer", assistance_org, "caseworker", mfa=False)
    response = password_step(client, "newcomer")
    assert response["Location"] == reverse("accounts:enrol")
    page = client.get(reverse("accounts:enrol"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    token = f"{totp(device.bin_key):06d}"
    response = client.post(reverse("accounts:enrol"), {"token": token})
    assert response.status_code == 200
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", response.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=newcomer).confirmed
    assert client.get(reverse("web:home")).status_code == 200
    assert AuditEvent.objects.filter(action=Action.MFA_ENROLLED, actor_code=newcomer.code).exists()


def test_recovery_code_logs_in_once(client: Client, assistance_org: Organisation) -> None:
    from trygg.accounts import services

    user = make_user("forgetful", assistance_org, "caseworker")
    codes = services.create_recovery_codes(actor=user, user=user)
    password_step(client, "forgetful")
    response = client.post(reverse("accounts:verify"), {"token": codes[0].upper().replace("-", "")})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=Action.RECOVERY_CODE_USED).count() == 1

    again = Client()
    password_step(again, "forgetful")
    response = again.post(reverse("accounts:verify"), {"token": codes[0]})
    assert response.status_code == 400


def test_enrolment_page_needs_the_password_step_first(client: Client, caseworker: User) -> None:
    response = client.get(reverse("accounts:enrol"))
    assert response["Location"] == reverse("accounts:login")


def test_password_step_expires_after_five_minutes(client: Client, caseworker: User) -> None:
    import time_machine

    with time_machine.travel("2026-01-01 10:00:00+00:00", tick=False):
        password_step(client, "caseworker")
    with time_machine.travel("2026-01-01 10:06:00+00:00", tick=False):
        response = client.post(reverse("accounts:verify"), {"token": current_token(caseworker)})
    assert response["Location"] == reverse("accounts:login")


def test_session_without_second_factor_is_refused(client: Client, caseworker: User) -> None:
    client.force_login(caseworker)
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_next_parameter_may_not_lead_off_site(client: Client, caseworker: User) -> None:
    client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": "caseworker", "password": PASSWORD, "next": "https://evil.example/"},
    )
    response = client.post(
        reverse("accounts:verify"),
        {"token": current_token(caseworker), "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("web:home")


def test_one_time_password_must_be_changed_before_anything_else(
    client: Client, assistance_org: Organisation
) -> None:
    from trygg.accounts import services
    from trygg.testing import log_in

    user, _ = services.create_user(
        actor=None,
        username="fresh",
        full_name="Fresh",
        email="",
        organisation=assistance_org,
        role="caseworker",
    )
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    log_in(client, user)
    assert client.get(reverse("web:home"))["Location"] == reverse("accounts:password")


@pytest.mark.parametrize("path", ["/", "/manage/users/", "/accounts/"])
def test_every_private_page_requires_login(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
