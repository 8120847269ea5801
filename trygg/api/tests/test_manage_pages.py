"""/manage/api-tokens/: administrators create (in sudo mode, shown once) and revoke tokens."""

import pytest
from django.test import Client
from django.urls import reverse

from trygg.accounts.models import Membership, Organisation, User
from trygg.api.models import ApiToken
from trygg.api.services import authenticate
from trygg.api.tests.conftest import make_token
from trygg.audit.models import AuditEvent
from trygg.testing import in_sudo_mode, log_in, make_user

pytestmark = pytest.mark.django_db

LIST = reverse("manage:api_tokens")
NEW = reverse("manage:api_token_new")


@pytest.fixture
def api_referrer(assistance_org: Organisation) -> User:
    """A referrer in the organisation the administrator persona administers."""
    return make_user("api-referrer", assistance_org, Membership.Role.REFERRER)


@pytest.fixture
def admin_client(administrator: User) -> Client:
    return log_in(Client(), administrator)


def _form(api_referrer: User, **changes: object) -> dict[str, object]:
    return {
        "name": "Clinic system",
        "membership": api_referrer.memberships.get().pk,
        "scopes": ["referrals:write", "referrals:read"],
        "next": NEW,
        **changes,
    }


def test_the_menu_links_to_the_tokens_for_administrators_only(
    admin_client: Client, referrer: User
) -> None:
    assert LIST in admin_client.get(reverse("web:home")).content.decode()
    other = log_in(Client(), referrer)
    assert LIST not in other.get(reverse("web:home")).content.decode()


def test_creating_a_token_needs_sudo_mode(admin_client: Client, api_referrer: User) -> None:
    form = admin_client.get(NEW)
    assert form.status_code == 200
    assert "api-referrer" in form.content.decode()
    response = admin_client.post(NEW, _form(api_referrer))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sudo"))
    assert not ApiToken.objects.exists()


def test_the_token_is_shown_once_and_only_its_hash_is_kept(
    admin_client: Client, administrator: User, api_referrer: User, assistance_org: Organisation
) -> None:
    in_sudo_mode(admin_client)
    response = admin_client.post(NEW, _form(api_referrer, scopes=["referrals:read"]))
    assert response.status_code == 200
    token = ApiToken.objects.get()
    page = response.content.decode()
    text = page.split('id="api-token">', 1)[1].split("<", 1)[0]
    assert authenticate(f"Bearer {text}") == token
    assert (token.organisation, token.acting_user, token.created_by, token.scopes) == (
        assistance_org,
        api_referrer,
        administrator,
        ["referrals:read"],
    )
    assert "no-store" in response["Cache-Control"]
    listed = admin_client.get(LIST).content.decode()
    assert token.prefix in listed and "Clinic system" in listed
    assert text not in listed


def test_a_referrer_outside_the_administered_organisations_cannot_be_chosen(
    admin_client: Client, referrer: User, api_referrer: User
) -> None:
    in_sudo_mode(admin_client)
    response = admin_client.post(NEW, _form(api_referrer, membership=referrer.memberships.get().pk))
    assert response.status_code == 400
    assert not ApiToken.objects.exists()
    assert ">referrer ·" not in admin_client.get(NEW).content.decode()


def test_a_token_needs_a_scope(admin_client: Client, api_referrer: User) -> None:
    in_sudo_mode(admin_client)
    assert admin_client.post(NEW, _form(api_referrer, scopes=[])).status_code == 400
    assert not ApiToken.objects.exists()


def test_without_referrers_the_page_says_what_to_do_first(admin_client: Client) -> None:
    response = admin_client.get(NEW)
    assert response.status_code == 200
    assert "has a referrer yet" in response.content.decode()


def test_revoking_needs_sudo_mode_then_the_token_stops_working(
    admin_client: Client, administrator: User, api_referrer: User, assistance_org: Organisation
) -> None:
    token, text = make_token(api_referrer, assistance_org)
    url = reverse("manage:api_token_revoke", args=[token.prefix])
    response = admin_client.post(url, {"next": LIST})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:sudo"))
    assert authenticate(f"Bearer {text}") is not None
    in_sudo_mode(admin_client)
    response = admin_client.post(url, follow=True)
    assert "The token has been revoked." in response.content.decode()
    assert authenticate(f"Bearer {text}") is None
    event = AuditEvent.objects.get(action="api_token.revoked")
    assert event.actor_code == administrator.code
    again = admin_client.post(url, follow=True)
    assert "already been revoked" in again.content.decode()


def test_another_organisations_administrator_gets_404_and_sees_nothing(
    outsider: User, api_referrer: User, assistance_org: Organisation
) -> None:
    token, text = make_token(api_referrer, assistance_org)
    client = in_sudo_mode(log_in(Client(), outsider))
    assert token.prefix not in client.get(LIST).content.decode()
    url = reverse("manage:api_token_revoke", args=[token.prefix])
    assert client.post(url).status_code == 404
    assert authenticate(f"Bearer {text}") is not None
