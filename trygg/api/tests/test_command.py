"""`trygg api-tokens create | list | revoke`: output, and clear errors instead of tracebacks."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from trygg.accounts.models import Membership, Organisation, User
from trygg.api.models import ApiToken
from trygg.api.services import TOKEN_RE, authenticate
from trygg.audit.models import AuditEvent
from trygg.testing import make_user

pytestmark = pytest.mark.django_db


def trygg(*args: str) -> str:
    out = StringIO()
    call_command("api-tokens", *args, stdout=out)
    return out.getvalue()


def test_create_prints_the_token_once_on_the_last_line(
    referrer: User, referrer_org: Organisation
) -> None:
    output = trygg("create", "--actor", "referrer", "--name", "Clinic")
    text = output.strip().splitlines()[-1]
    assert TOKEN_RE.fullmatch(text)
    token = ApiToken.objects.get()
    assert (token.organisation, token.acting_user, token.name, token.created_by) == (
        referrer_org,
        referrer,
        "Clinic",
        None,
    )
    assert token.scopes == ["referrals:read", "referrals:write"]
    assert authenticate(f"Bearer {text}") == token
    assert f"Token {token.prefix} created for {referrer_org.name}" in output
    event = AuditEvent.objects.get(action="api_token.created")
    assert event.actor_code is None


def test_create_with_one_scope_and_the_organisation_by_code(
    referrer: User, referrer_org: Organisation
) -> None:
    trygg(
        "create",
        "--actor",
        "referrer",
        "--organisation",
        str(referrer_org.code),
        "--scope",
        "referrals:read",
    )
    assert ApiToken.objects.get().scopes == ["referrals:read"]


def test_create_with_the_organisation_by_name(referrer: User, referrer_org: Organisation) -> None:
    trygg("create", "--actor", "referrer", "--organisation", referrer_org.name)
    assert ApiToken.objects.get().organisation == referrer_org


def test_an_actor_with_several_organisations_must_name_one(
    referrer: User, referrer_org: Organisation, other_org: Organisation
) -> None:
    from trygg.accounts import services as accounts

    accounts.grant_role(
        actor=None, user=referrer, organisation=other_org, role=Membership.Role.REFERRER
    )
    with pytest.raises(CommandError, match="give --organisation"):
        trygg("create", "--actor", "referrer")
    trygg("create", "--actor", "referrer", "--organisation", other_org.name)
    assert ApiToken.objects.get().organisation == other_org


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--actor", "nobody"], "No active user"),
        (["--actor", "caseworker"], "not an active referrer of any organisation"),
        (["--actor", "referrer", "--organisation", "Org B Elsewhere"], "not an active referrer"),
        (
            ["--actor", "referrer", "--organisation", "00000000-0000-4000-8000-000000000000"],
            "not an active referrer",
        ),
        (["--actor", "referrer", "--name", "   "], "name"),
        (["--actor", "referrer", "--scope", "admin"], "invalid choice"),
    ],
)
def test_create_errors_are_clear(
    referrer: User,
    caseworker: User,
    other_org: Organisation,
    args: list[str],
    message: str,
) -> None:
    with pytest.raises(CommandError, match=message):
        trygg("create", *args)
    assert not ApiToken.objects.exists()


def test_list_shows_prefixes_and_never_a_token(referrer: User, referrer_org: Organisation) -> None:
    assert trygg("list").strip() == "No API tokens."
    created = trygg("create", "--actor", "referrer", "--scope", "referrals:write")
    text = created.strip().splitlines()[-1]
    token = ApiToken.objects.get()
    listed = trygg("list")
    assert token.prefix in listed
    assert "as referrer" in listed and "[referrals:write]" in listed and "active" in listed
    assert text not in listed and text.rsplit("_", 1)[1] not in listed


def test_revoke_by_prefix(referrer: User, referrer_org: Organisation) -> None:
    text = trygg("create", "--actor", "referrer").strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert "revoked" in trygg("revoke", token.prefix)
    assert authenticate(f"Bearer {text}") is None
    assert "revoked" in trygg("list")
    with pytest.raises(CommandError, match="already been revoked"):
        trygg("revoke", token.prefix)
    with pytest.raises(CommandError, match="No API token has this prefix"):
        trygg("revoke", "zzzzzzzz")


def test_a_referrer_of_a_deactivated_organisation_gets_no_token(
    referrer_org: Organisation,
) -> None:
    make_user("inactive-referrer", referrer_org, Membership.Role.REFERRER)
    Organisation.objects.filter(pk=referrer_org.pk).update(is_active=False)
    with pytest.raises(CommandError, match="not an active referrer"):
        trygg("create", "--actor", "inactive-referrer")
