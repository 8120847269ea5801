"""Norway's profile: referrals go to the responsible service the referrer chooses, which takes
them on or not; there is no admission decision and no client register entry."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings

from trygg.accounts import services as accounts
from trygg.accounts.models import Membership, Organisation, User
from trygg.clients.models import Person
from trygg.referrals.models import Decision, Referral
from trygg.testing import log_in, make_user

pytestmark = pytest.mark.django_db
Role = Membership.Role
Type = Organisation.Type


@pytest.fixture(autouse=True)
def _norway() -> Iterator[None]:
    with override_settings(TRYGG_JURISDICTION="no"):
        yield


def organisation(name: str, type: str) -> Organisation:
    return accounts.create_organisation(actor=None, name=name, type=type, jurisdiction="no")


@pytest.fixture
def world() -> dict[str, Any]:
    municipality = organisation("Org N Municipality", Type.MUNICIPALITY)
    child_welfare = organisation("Org N Child Welfare", Type.CHILD_WELFARE)
    ngo = organisation("Org N Support", Type.NGO)
    return {
        "municipality": municipality,
        "child_welfare": child_welfare,
        "referrer": make_user("n-referrer", ngo, Role.REFERRER),
        "social_worker": make_user("n-social-worker", municipality, Role.CASEWORKER),
        "child_welfare_worker": make_user("n-child-welfare", child_welfare, Role.CASEWORKER),
    }


def referral_post(**changes: Any) -> dict[str, Any]:
    data = {
        "consent": "yes",
        "consent_given_by": "person",
        "consent_method": "oral",
        "consent_language": "uk",
        "full_name": "Canary Norwayperson",
        "children_count": "0",
        "place": "in_country",
        "forms_of_exploitation": ["labour"],
        "action": "send",
    }
    data.update(changes)
    return data


def test_the_referrer_chooses_the_service_and_the_service_takes_it_on(
    world: dict[str, Any],
) -> None:
    referrer = log_in(Client(), world["referrer"])
    form = referrer.get("/referrals/new/").content.decode()
    assert "Refer to" in form and "Org N Municipality" in form and "Org N Child Welfare" in form

    refused = referrer.post("/referrals/new/", referral_post())
    assert refused.status_code == 400
    assert not Referral.objects.exists()

    referrer.post("/referrals/new/", referral_post(receiving=world["municipality"].pk))
    referral = Referral.objects.get()
    assert referral.assistance_organisation == world["municipality"]
    assert referral.status == Referral.Status.RECEIVED

    # Only the chosen service sees it.
    other = log_in(Client(), world["child_welfare_worker"])
    assert referral.code not in other.get("/referrals/triage/").content.decode()
    assert other.get(f"/referrals/triage/{referral.code}/").status_code == 404

    service = log_in(Client(), world["social_worker"])
    assert referral.code in service.get("/referrals/triage/").content.decode()
    service.post(f"/referrals/triage/{referral.code}/take/")
    page = service.get(f"/referrals/triage/{referral.code}/").content.decode()
    assert "Taken on by the service" in page and "Admitted" not in page

    # No admission here: "admit" is not a choice.
    admit = service.post(
        f"/referrals/triage/{referral.code}/decide/",
        {"outcome": "admit", "reasons": "x", "letter_language": "uk"},
    )
    assert admit.status_code == 400
    taken = service.post(
        f"/referrals/triage/{referral.code}/decide/",
        {"outcome": "taken_on", "reasons": "Housing arranged.", "letter_language": "uk"},
    )
    assert taken.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DECIDED
    assert referral.decisions.get().outcome == Decision.Outcome.TAKEN_ON
    assert not Person.objects.exists()

    told = referrer.get(f"/referrals/{referral.code}/").content.decode()
    assert "Taken on by the service" in told
    assert "Housing arranged" not in told


def test_an_organisation_of_another_kind_cannot_be_chosen(world: dict[str, Any]) -> None:
    ngo = world["referrer"].memberships.get().organisation
    response = log_in(Client(), world["referrer"]).post(
        "/referrals/new/", referral_post(receiving=ngo.pk)
    )

    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_a_referrer_has_no_triage_queue(world: dict[str, Any]) -> None:
    user: User = world["referrer"]
    assert log_in(Client(), user).get("/referrals/triage/").status_code == 403
