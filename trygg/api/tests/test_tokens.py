"""Creating, checking and revoking API tokens through the services."""

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from trygg.accounts import services as accounts
from trygg.accounts.models import Membership, Organisation, User
from trygg.api import services
from trygg.api.models import ApiToken
from trygg.api.services import TokenError, authenticate
from trygg.api.tests.conftest import make_token
from trygg.audit.models import AuditEvent
from trygg.clients.tests.test_canaries import database_bytes

pytestmark = pytest.mark.django_db


def test_a_token_has_the_documented_form(referrer: User, referrer_org: Organisation) -> None:
    token, text = make_token(referrer, referrer_org)
    assert services.TOKEN_RE.fullmatch(text)
    assert text.startswith(f"trygg_{token.prefix}_")
    assert token.scopes == ["referrals:read", "referrals:write"]
    assert (token.organisation, token.acting_user, token.created_by) == (
        referrer_org,
        referrer,
        None,
    )


def test_only_the_hash_is_stored_never_the_token(
    tmp_path: Path, referrer: User, referrer_org: Organisation
) -> None:
    token, text = make_token(referrer, referrer_org)
    secret = text.rsplit("_", 1)[1]
    token.refresh_from_db()
    assert token.token_hash == hashlib.sha256(text.encode()).hexdigest()
    data = database_bytes(tmp_path)
    assert token.prefix.encode() in data  # the copy is real
    assert secret.encode() not in data
    assert text.encode() not in data


def test_creating_a_token_is_audited_with_codes_only(
    administrator: User, referrer: User, referrer_org: Organisation
) -> None:
    token, text = services.create_token(
        actor=administrator,
        organisation=referrer_org,
        acting_user=referrer,
        name="Clinic system",
        scopes=["referrals:write"],
    )
    event = AuditEvent.objects.get(action="api_token.created")
    assert (event.actor_code, event.subject_code, event.organisation_code) == (
        administrator.code,
        referrer.code,
        referrer_org.code,
    )
    assert event.extra == {"prefix": token.prefix, "scopes": ["referrals:write"]}
    assert text not in str(event.extra)


def test_a_token_acts_only_as_a_referrer_of_its_organisation(
    caseworker: User, referrer: User, referrer_org: Organisation, other_org: Organisation
) -> None:
    with pytest.raises(TokenError):
        make_token(caseworker, referrer_org)
    with pytest.raises(TokenError):
        make_token(referrer, other_org)
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("scopes", [[], ["referrals:delete"], ["admin"]])
def test_scopes_come_from_the_list(
    referrer: User, referrer_org: Organisation, scopes: list[str]
) -> None:
    with pytest.raises(TokenError):
        make_token(referrer, referrer_org, scopes)


def test_a_token_needs_a_name(referrer: User, referrer_org: Organisation) -> None:
    with pytest.raises(TokenError):
        services.create_token(
            actor=None, organisation=referrer_org, acting_user=referrer, name=" ", scopes=["x"]
        )


def test_the_right_token_authenticates_and_notes_its_use(
    referrer: User, referrer_org: Organisation
) -> None:
    token, text = make_token(referrer, referrer_org)
    assert token.last_used_at is None
    assert authenticate(f"Bearer {text}") == token
    assert authenticate(f"bearer   {text}  ") == token
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_time_of_use_is_written_at_most_once_a_minute(
    referrer: User, referrer_org: Organisation
) -> None:
    _token, text = make_token(referrer, referrer_org)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        authenticate(f"Bearer {text}")
        first = ApiToken.objects.get().last_used_at
        clock.shift(timedelta(seconds=30))
        authenticate(f"Bearer {text}")
        assert ApiToken.objects.get().last_used_at == first
        clock.shift(timedelta(seconds=31))
        authenticate(f"Bearer {text}")
        assert ApiToken.objects.get().last_used_at > first  # type: ignore[operator]


def test_wrong_or_malformed_tokens_do_not_authenticate(
    referrer: User, referrer_org: Organisation
) -> None:
    token, text = make_token(referrer, referrer_org)
    wrong_secret = text[:-1] + ("A" if text[-1] != "A" else "B")
    for header in [
        "",
        text,  # no scheme
        f"Basic {text}",
        f"Bearer {wrong_secret}",
        f"Bearer {text}x",
        f"Bearer trygg_{token.prefix}_",
        "Bearer trygg_00000000_" + "a" * 40,
        f"Bearer {text.upper()}",
    ]:
        assert authenticate(header) is None, header


def test_a_revoked_token_no_longer_authenticates(
    administrator: User, referrer: User, referrer_org: Organisation
) -> None:
    token, text = make_token(referrer, referrer_org)
    services.revoke_token(actor=administrator, token=token)
    assert authenticate(f"Bearer {text}") is None
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(action="api_token.revoked")
    assert (event.actor_code, event.organisation_code, event.extra) == (
        administrator.code,
        referrer_org.code,
        {"prefix": token.prefix},
    )


def test_revoking_twice_is_refused(referrer: User, referrer_org: Organisation) -> None:
    token, _text = make_token(referrer, referrer_org)
    services.revoke_token(actor=None, token=token)
    with pytest.raises(TokenError):
        services.revoke_token(actor=None, token=token)
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


def test_a_token_stops_working_when_its_user_may_no_longer_refer(
    administrator: User, referrer: User, referrer_org: Organisation
) -> None:
    _token, text = make_token(referrer, referrer_org)
    accounts.grant_role(
        actor=None, user=referrer, organisation=referrer_org, role=Membership.Role.PARTNER
    )
    assert authenticate(f"Bearer {text}") is None
    accounts.grant_role(
        actor=None, user=referrer, organisation=referrer_org, role=Membership.Role.REFERRER
    )
    assert authenticate(f"Bearer {text}") is not None
    accounts.set_user_active(actor=administrator, user=referrer, is_active=False)
    assert authenticate(f"Bearer {text}") is None


def test_a_token_stops_working_when_its_organisation_is_deactivated(
    administrator: User, referrer: User, referrer_org: Organisation
) -> None:
    _token, text = make_token(referrer, referrer_org)
    accounts.update_organisation(
        actor=administrator,
        organisation=referrer_org,
        name=referrer_org.name,
        type=referrer_org.type,
        is_active=False,
    )
    assert authenticate(f"Bearer {text}") is None
