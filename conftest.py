"""Personas and shared fixtures for the whole suite.

One persona per role, named for the role, each a member of a made-up organisation; plus an
outsider: an administrator of another organisation, who must see nothing of the others.
Data is built through the services, so that the setup writes the same events as production.
"""

from collections.abc import Callable

import pytest
from django.test import Client

from trygg.accounts import services
from trygg.accounts.models import Membership, Organisation, User
from trygg.testing import log_in, make_user

Role = Membership.Role
Type = Organisation.Type


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


def _database_label() -> str:
    import os

    url = os.environ.get("TRYGG_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return "PostgreSQL (throwaway cluster from scripts/with-postgres.sh)"
    return "SQLite (in memory)"


def pytest_report_header(config: pytest.Config) -> str:
    return f"trygg database: {_database_label()}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.write_line(f"trygg database under test: {_database_label()}")
