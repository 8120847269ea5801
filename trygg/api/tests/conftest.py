"""Tokens for the personas: the referrer's, and one of a referrer in another organisation;
and a Norwegian deployment, where the referrer chooses the service a referral goes to."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client, override_settings

from trygg.accounts import services as accounts
from trygg.accounts.models import Membership, Organisation, User
from trygg.api import services
from trygg.api.models import ApiToken
from trygg.testing import make_user

ALL = [ApiToken.Scope.REFERRALS_WRITE, ApiToken.Scope.REFERRALS_READ]
CANARY_NAME = "Canary Apiperson"
CANARY_PHONE = "+358 40 999 1357"
CONSENT = {"given_by": "person", "method": "oral", "language": "ru", "interpreter": "on_site"}


def make_token(
    user: User, organisation: Organisation, scopes: list[str] | None = None
) -> tuple[ApiToken, str]:
    return services.create_token(
        actor=None,
        organisation=organisation,
        acting_user=user,
        name="Clinic system",
        scopes=ALL if scopes is None else scopes,
    )


@pytest.fixture
def token(referrer: User, referrer_org: Organisation, assistance_org: Organisation) -> str:
    """The text of a token acting as the referrer, with both scopes."""
    return make_token(referrer, referrer_org)[1]


@pytest.fixture
def other_referrer(other_org: Organisation) -> User:
    return make_user("other-referrer", other_org, Membership.Role.REFERRER)


@pytest.fixture
def other_token(other_referrer: User, other_org: Organisation, assistance_org: Organisation) -> str:
    return make_token(other_referrer, other_org)[1]


@pytest.fixture
def call() -> Callable[..., Any]:
    """Call the API: call("post", "/api/v1/referrals", token, body)."""
    client = Client()

    def send(method: str, path: str, token: str | None = None, body: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if method == "post":
            return client.post(path, body, content_type="application/json", headers=headers)
        return client.get(path, headers=headers)

    return send


def consent_body(**person: Any) -> dict[str, Any]:
    return {
        "needs": {"shelter_tonight": True, "forms": ["labour"], "language": "ru"},
        "person": {"full_name": CANARY_NAME, "phone": CANARY_PHONE, **person},
        "consent": CONSENT,
    }


def consultation_body(**person: Any) -> dict[str, Any]:
    return {
        "needs": {"forms": ["sexual"], "place": "in_country"},
        "person": {"circumstances": "Asked about a worker at a nail salon.", **person},
        "consultation": True,
    }


# Norway: referrals go to the responsible service the referrer chooses.


@pytest.fixture
def norway() -> Iterator[None]:
    """The Norwegian profile for the test (get_profile() follows the setting by itself)."""
    with override_settings(TRYGG_JURISDICTION="no"):
        yield


@dataclass
class NorwayWorld:
    municipality: Organisation
    child_welfare: Organisation
    ngo: Organisation
    referrer: User
    social_worker: User
    token: str


def norwegian(name: str, type: str, jurisdiction: str = "no") -> Organisation:
    return accounts.create_organisation(actor=None, name=name, type=type, jurisdiction=jurisdiction)


@pytest.fixture
def norway_world(norway: None, db: None) -> NorwayWorld:
    """Two services to refer to, and a referrer of an NGO with a token."""
    municipality = norwegian("Org N Municipality", Organisation.Type.MUNICIPALITY)
    child_welfare = norwegian("Org N Child Welfare", Organisation.Type.CHILD_WELFARE)
    ngo = norwegian("Org N Support", Organisation.Type.NGO)
    referrer = make_user("n-referrer", ngo, Membership.Role.REFERRER)
    return NorwayWorld(
        municipality=municipality,
        child_welfare=child_welfare,
        ngo=ngo,
        referrer=referrer,
        social_worker=make_user("n-social-worker", municipality, Membership.Role.CASEWORKER),
        token=make_token(referrer, ngo)[1],
    )
