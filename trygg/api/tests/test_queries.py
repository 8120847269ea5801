"""The lists' cost does not grow with the number of referrals or services on them."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.accounts.models import Organisation, User
from trygg.api.tests.conftest import NorwayWorld, norwegian
from trygg.consent.services import GivenConsent
from trygg.referrals import services as referrals
from trygg.referrals.models import Decision, Referral

pytestmark = pytest.mark.django_db

CONSENT = GivenConsent(given_by="person", method="oral", language="ru")


def make_referrals(count: int, referrer: User, caseworker: User, expert: User) -> None:
    organisation = referrer.memberships.get().organisation
    for number in range(count):
        referral = referrals.save_draft(
            actor=referrer,
            organisation=organisation,
            needs=referrals.Needs(),
            details=referrals.PersonDetails(full_name=f"Person {number}"),
        )
        referral = referrals.submit(actor=referrer, referral=referral, consent=CONSENT)
        if number % 2:
            # Decided referrals need their latest decision: it must come with the list.
            referrals.take_into_triage(actor=caseworker, referral=referral)
            referrals.decide(
                actor=expert,
                referral=referral,
                outcome=Decision.Outcome.NOT_ADMIT,
                reasons="Not admitted.",
                letter_language="en",
            )


def list_queries(call: Callable[..., Any], token: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = call("get", "/api/v1/referrals", token)
    assert response.status_code == 200
    return len(queries), response.json()["count"]


def test_the_list_makes_as_many_queries_for_40_referrals_as_for_5(
    call: Callable[..., Any],
    token: str,
    referrer: User,
    caseworker: User,
    expert: User,
    assistance_org: Organisation,
) -> None:
    call("get", "/api/v1/referrals", token)  # the token's time of use is written once
    make_referrals(5, referrer, caseworker, expert)
    few, count = list_queries(call, token)
    assert count == 5
    make_referrals(35, referrer, caseworker, expert)
    many, count = list_queries(call, token)
    assert count == 40
    assert Referral.objects.filter(status=Referral.Status.DECIDED).count() == 2 + 17
    assert many == few, f"{few} queries for 5 referrals, {many} for 40"


def test_the_services_cost_as_many_queries_for_20_as_for_2(
    call: Callable[..., Any], norway_world: NorwayWorld
) -> None:
    """Norway's list of services to refer to (two in the world already)."""

    def services_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = call("get", "/api/v1/services", norway_world.token)
        assert response.status_code == 200
        return len(queries), len(response.json()["items"])

    call("get", "/api/v1/services", norway_world.token)  # the token's time of use, once
    few, count = services_queries()
    assert count == 2
    for number in range(18):
        norwegian(f"Org N Service {number}", Organisation.Type.POLICE)
    many, count = services_queries()
    assert count == 20
    assert many == few, f"{few} queries for 2 services, {many} for 20"
