"""Personas and shared fixtures for the whole suite.

One persona per role, named for the role, each a member of a made-up organisation; plus an
outsider: an administrator of another organisation, who must see nothing of the others.
Data is built through the services, so that the setup writes the same events as production.
"""

import time
from collections.abc import Callable

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.accounts import services
from trygg.accounts.models import Membership, Organisation, User
from trygg.accounts.sessions import AUTH_AT_KEY, SEEN_AT_KEY

Role = Membership.Role
Type = Organisation.Type

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture
def assistance_org(db: None) -> Organisation:
    return services.create_organisation(
        actor=None, name="Org A Assistance", type=Type.ASSISTANCE_SYSTEM, jurisdiction="fi"
    )


@pytest.fixture
def partner_org(db: None) -> Organisation:
    return services.create_organisation(
        actor=None, name="Org A Reception", type=Type.RECEPTION_CENTRE, jurisdiction="fi"
    )


@pytest.fixture
def referrer_org(db: None) -> Organisation:
    return services.create_organisation(
        actor=None, name="Org A Support NGO", type=Type.NGO, jurisdiction="fi"
    )


@pytest.fixture
def other_org(db: None) -> Organisation:
    return services.create_organisation(
        actor=None, name="Org B Elsewhere", type=Type.NGO, jurisdiction="fi"
    )


def make_user(username: str, organisation: Organisation, role: str, *, mfa: bool = True) -> User:
    """Create a user with a role (and, by default, a confirmed authenticator)."""
    user, _ = services.create_user(
        actor=None,
        username=username,
        full_name=f"Persona {username}",
        email="",
        organisation=organisation,
        role=role,
        password=PASSWORD,
    )
    if mfa:
        TOTPDevice.objects.create(user=user, name=services.TOTP_DEVICE_NAME, confirmed=True)
    return user


@pytest.fixture
def referrer(referrer_org: Organisation) -> User:
    return make_user("referrer", referrer_org, Role.REFERRER)


@pytest.fixture
def caseworker(assistance_org: Organisation) -> User:
    return make_user("caseworker", assistance_org, Role.CASEWORKER)


@pytest.fixture
def expert(assistance_org: Organisation) -> User:
    return make_user("expert", assistance_org, Role.EXPERT)


@pytest.fixture
def partner(partner_org: Organisation) -> User:
    return make_user("partner", partner_org, Role.PARTNER)


@pytest.fixture
def statistician(assistance_org: Organisation) -> User:
    return make_user("statistician", assistance_org, Role.STATISTICIAN)


@pytest.fixture
def auditor(assistance_org: Organisation) -> User:
    return make_user("auditor", assistance_org, Role.AUDITOR)


@pytest.fixture
def administrator(assistance_org: Organisation) -> User:
    return make_user("administrator", assistance_org, Role.ADMINISTRATOR)


@pytest.fixture
def outsider(other_org: Organisation) -> User:
    """Charlie: administrator of another organisation; must see nothing of Org A."""
    return make_user("outsider", other_org, Role.ADMINISTRATOR)


PERSONAS = [
    "anonymous",
    "referrer",
    "caseworker",
    "expert",
    "partner",
    "statistician",
    "auditor",
    "administrator",
    "outsider",
]


def current_token(user: User) -> str:
    """Return the code the user's authenticator app shows now."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def log_in(client: Client, user: User) -> Client:
    """Give `client` a fully verified session for `user`, as the login views would."""
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    now = time.time()
    session[AUTH_AT_KEY] = now
    session[SEEN_AT_KEY] = now
    session.save()
    return client


@pytest.fixture
def client_for(request: pytest.FixtureRequest) -> Callable[[str], Client]:
    """Return a function giving a logged-in client for a persona name ("anonymous" too)."""

    def make(persona: str) -> Client:
        client = Client()
        if persona == "anonymous":
            return client
        return log_in(client, request.getfixturevalue(persona))

    return make


# Under CI a skipped test means a missing component (PostgreSQL, Chromium): it must fail.


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--strict-no-skips",
        action="store_true",
        help="Fail the run if any test is skipped (used when CI=true).",
    )


_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if session.config.getoption("--strict-no-skips") and _skipped:
        print(f"\n{len(_skipped)} test(s) were skipped, which CI does not allow:")
        for nodeid in _skipped:
            print(f"  {nodeid}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
