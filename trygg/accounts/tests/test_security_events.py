"""The security-event log only grows: no update, no delete, not even by raw SQL."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from trygg.accounts import services
from trygg.accounts.models import AppendOnlyError, Organisation, SecurityEvent, User
from trygg.testing import log_in


@pytest.fixture
def event(caseworker: User) -> SecurityEvent:
    return services.record_event(action=SecurityEvent.Action.LOGOUT, actor=caseworker)


def test_saving_an_existing_event_is_refused(event: SecurityEvent) -> None:
    event.action = SecurityEvent.Action.LOGIN_SUCCEEDED
    with pytest.raises(AppendOnlyError):
        event.save()


def test_deleting_an_event_is_refused(event: SecurityEvent) -> None:
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_database_refuses_queryset_update(event: SecurityEvent) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        SecurityEvent.objects.filter(pk=event.pk).update(action="auth.login.succeeded")
    event.refresh_from_db()
    assert event.action == SecurityEvent.Action.LOGOUT


def test_database_refuses_raw_delete(event: SecurityEvent) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_securityevent")
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


def test_auditor_reads_events_by_code_without_names(
    client: Client, auditor: User, caseworker: User
) -> None:
    services.record_event(action=SecurityEvent.Action.LOGIN_SUCCEEDED, actor=caseworker)
    page = log_in(client, auditor).get(reverse("manage:security_events")).content.decode()
    assert str(caseworker.code) in page
    assert caseworker.full_name not in page


def test_event_filter_shows_only_the_chosen_action(
    client: Client, auditor: User, caseworker: User
) -> None:
    services.record_event(action=SecurityEvent.Action.MFA_RESET, actor=caseworker)
    services.record_event(action=SecurityEvent.Action.LOGOUT, actor=caseworker)
    page = log_in(client, auditor).get(
        reverse("manage:security_events"), {"action": "auth.mfa.reset"}
    )
    rows = page.content.decode().count('<td class="code">auth.')
    assert rows == 1


def test_only_auditors_of_the_assistance_system_read_security_events(
    client: Client, other_org: Organisation
) -> None:
    from trygg.testing import make_user

    ngo_auditor = make_user("ngo-auditor", other_org, "auditor")
    response = log_in(client, ngo_auditor).get(reverse("manage:security_events"))
    assert response.status_code == 403


def test_absurd_page_numbers_do_not_break_the_event_list(client: Client, auditor: User) -> None:
    page = log_in(client, auditor).get(
        reverse("manage:security_events"), {"page": "99999999999999999999"}
    )
    assert page.status_code == 200


def test_failed_sudo_attempt_keeps_no_code_in_the_lockout_records(
    client: Client, administrator: User
) -> None:
    from axes.models import AccessAttempt

    codes = services.create_recovery_codes(actor=administrator, user=administrator)
    log_in(client, administrator).post(
        reverse("accounts:sudo"), {"password": "wrong-password", "token": codes[0]}
    )
    stored = str(list(AccessAttempt.objects.values()))
    assert "wrong-password" not in stored
    assert codes[0] not in stored
