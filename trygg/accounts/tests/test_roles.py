"""Administrators manage the users of their own organisations; every change is recorded."""

import pytest
from django.test import Client
from django.urls import reverse

from trygg.accounts import services
from trygg.accounts.models import AccountAction, Membership, Organisation, User
from trygg.audit.models import AuditEvent
from trygg.testing import in_sudo_mode, log_in

Action = AccountAction


def sudo_client(client: Client, user: User) -> Client:
    log_in(client, user)
    in_sudo_mode(client)
    return client


def test_granting_a_role_records_actor_subject_and_role(
    administrator: User, caseworker: User, partner_org: Organisation
) -> None:
    services.grant_role(
        actor=administrator, user=caseworker, organisation=partner_org, role="partner"
    )
    event = AuditEvent.objects.filter(action=Action.ROLE_GRANTED).latest("seq")
    assert (event.actor_code, event.subject_code, event.organisation_code) == (
        administrator.code,
        caseworker.code,
        partner_org.code,
    )
    assert event.extra == {"role": "partner"}


def test_changing_a_role_replaces_it_and_records_the_previous_one(
    administrator: User, caseworker: User, assistance_org: Organisation
) -> None:
    services.grant_role(
        actor=administrator, user=caseworker, organisation=assistance_org, role="expert"
    )
    assert list(caseworker.memberships.values_list("role", flat=True)) == ["expert"]
    event = AuditEvent.objects.get(action=Action.ROLE_CHANGED)
    assert event.extra == {"role": "expert", "previous_role": "caseworker"}


def test_nobody_changes_their_own_roles(administrator: User, assistance_org: Organisation) -> None:
    with pytest.raises(services.AccountError):
        services.grant_role(
            actor=administrator, user=administrator, organisation=assistance_org, role="expert"
        )


def test_administrator_adds_a_user_with_a_one_time_password(
    client: Client, administrator: User, assistance_org: Organisation
) -> None:
    sudo_client(client, administrator)
    response = client.post(
        reverse("manage:user_new"),
        {
            "username": "new-colleague",
            "full_name": "New Colleague",
            "email": "",
            "organisation": assistance_org.pk,
            "role": "caseworker",
        },
    )
    assert response.status_code == 200
    user = User.objects.get(username="new-colleague")
    assert user.must_change_password
    assert user.memberships.get().role == "caseworker"
    assert 'id="one-time-password"' in response.content.decode()


def test_administrator_cannot_add_users_to_other_organisations(
    client: Client, outsider: User, assistance_org: Organisation
) -> None:
    log_in(client, outsider)
    response = client.post(
        reverse("manage:user_new"),
        {
            "username": "smuggled",
            "full_name": "Smuggled In",
            "organisation": assistance_org.pk,
            "role": "caseworker",
        },
    )
    assert response.status_code == 400
    assert not User.objects.filter(username="smuggled").exists()


def test_outsider_administrator_in_sudo_mode_still_gets_404(
    client: Client, outsider: User, caseworker: User
) -> None:
    sudo_client(client, outsider)
    membership = caseworker.memberships.get()
    response = client.post(
        reverse("manage:user_role", args=[caseworker.code]),
        {"organisation": membership.organisation_id, "role": "administrator"},
    )
    assert response.status_code == 404
    assert caseworker.memberships.get().role == "caseworker"


def test_deactivated_user_is_logged_out_and_cannot_log_in(
    client: Client, administrator: User, caseworker: User
) -> None:
    theirs = log_in(Client(), caseworker)
    sudo_client(client, administrator)
    client.post(reverse("manage:user_active", args=[caseworker.code]), {"active": "0"})
    caseworker.refresh_from_db()
    assert not caseworker.is_active
    assert theirs.get(reverse("web:home")).status_code == 302
    event = AuditEvent.objects.get(action=Action.USER_DEACTIVATED)
    assert (event.actor_code, event.subject_code, event.organisation_code, event.extra) == (
        administrator.code,
        caseworker.code,
        None,
        {},
    )


def test_resetting_mfa_makes_the_user_enrol_again(
    client: Client, administrator: User, caseworker: User
) -> None:
    sudo_client(client, administrator)
    client.post(reverse("manage:user_reset_mfa", args=[caseworker.code]))
    assert not services.has_mfa(caseworker)
    event = AuditEvent.objects.get(action=Action.MFA_RESET)
    assert (event.actor_code, event.subject_code) == (administrator.code, caseworker.code)


def test_revoking_a_role_records_it(client: Client, administrator: User, caseworker: User) -> None:
    sudo_client(client, administrator)
    membership = caseworker.memberships.get()
    client.post(reverse("manage:user_role_revoke", args=[caseworker.code, membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = AuditEvent.objects.get(action=Action.ROLE_REVOKED)
    assert (event.actor_code, event.subject_code, event.organisation_code, event.extra) == (
        administrator.code,
        caseworker.code,
        membership.organisation.code,
        {"role": "caseworker"},
    )


def test_only_assistance_system_administrators_create_organisations(
    client: Client, administrator: User, outsider: User
) -> None:
    sudo_client(client, administrator)
    response = client.post(
        reverse("manage:organisation_new"), {"name": "Org C Shelter", "type": "ngo"}
    )
    assert response.status_code == 302
    created = Organisation.objects.get(name="Org C Shelter")
    assert created.jurisdiction == "fi"
    assert AuditEvent.objects.filter(
        action=Action.ORGANISATION_CREATED,
        organisation_code=created.code,
        actor_code=administrator.code,
    ).exists()
    other = log_in(Client(), outsider)
    assert (
        other.post(reverse("manage:organisation_new"), {"name": "Org D", "type": "ngo"}).status_code
        == 403
    )


def test_organisation_types_map_to_htcds(assistance_org: Organisation) -> None:
    assert assistance_org.htcds_type == "CentralGovernmentOrganisation"
    assert Organisation(type="police").htcds_type == "LawEnforcement"
    assert Organisation(type="other").htcds_type is None
