"""Tokens for the personas: the referrer's, and one of a referrer in another organisation."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

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
