"""Account events go into the audit log; auditors read them at /manage/security-events/."""

import pytest
from django.test import Client
from django.urls import reverse

from trygg.accounts import services
from trygg.accounts.models import AccountAction, Organisation, User
from trygg.audit import services as audit
from trygg.audit.models import AuditEvent
from trygg.testing import log_in


def test_record_event_appends_the_exact_audit_row(
    administrator: User, caseworker: User, assistance_org: Organisation
) -> None:
    before = AuditEvent.objects.latest("seq")
    event = services.record_event(
        action=AccountAction.ROLE_CHANGED,
        actor=administrator,
        subject=caseworker,
        organisation=assistance_org,
        extra={"role": "expert", "previous_role": "caseworker"},
    )
    stored = AuditEvent.objects.get(seq=event.seq)
    assert (
        stored.seq,
        stored.prev_hash,
        stored.action,
        stored.actor_code,
        stored.subject_code,
        stored.organisation_code,
        stored.person_code,
        stored.extra,
    ) == (
        before.seq + 1,
        before.hash,
        "account.role.changed",
        administrator.code,
        caseworker.code,
        assistance_org.code,
        None,
        {"role": "expert", "previous_role": "caseworker"},
    )
    assert audit.verify_chain().count == stored.seq


def test_the_actor_is_not_repeated_as_the_subject(caseworker: User) -> None:
    event = services.record_event(
        action=AccountAction.PASSWORD_CHANGED, actor=caseworker, subject=caseworker
    )
    assert (event.actor_code, event.subject_code) == (caseworker.code, None)


def test_free_text_in_an_account_event_is_refused(caseworker: User) -> None:
    with pytest.raises(audit.AuditDetailError):
        services.record_event(
            action=AccountAction.LOGIN_FAILED, actor=caseworker, extra={"typed": "John Smith"}
        )


def test_auditor_reads_events_by_code_without_names(
    client: Client, auditor: User, caseworker: User
) -> None:
    event = services.record_event(action=AccountAction.LOGIN_SUCCEEDED, actor=caseworker)
    page = log_in(client, auditor).get(reverse("manage:security_events")).content.decode()
    assert str(caseworker.code) in page
    assert f'<td class="code">{event.seq}</td>' in page
    assert caseworker.full_name not in page


def test_event_filter_shows_only_the_chosen_action(
    client: Client, auditor: User, caseworker: User
) -> None:
    services.record_event(action=AccountAction.MFA_RESET, actor=caseworker)
    services.record_event(action=AccountAction.LOGOUT, actor=caseworker)
    page = log_in(client, auditor).get(
        reverse("manage:security_events"), {"action": "auth.mfa.reset"}
    )
    rows = page.content.decode().count('<td class="code">auth.')
    assert rows == 1


def test_the_page_lists_account_events_only(
    client: Client, auditor: User, caseworker: User
) -> None:
    audit.record(action="person.viewed", actor_code=caseworker.code, person_code="K7F3-Q92X")
    page = log_in(client, auditor).get(reverse("manage:security_events")).content.decode()
    assert "person.viewed" not in page
    assert "K7F3-Q92X" not in page
    assert "account.user.created" in page


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
