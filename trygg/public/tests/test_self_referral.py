"""A person asks the assistance system to contact them, from the help page, without an account."""

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from trygg.accounts.models import Organisation
from trygg.consent.models import Consent
from trygg.referrals import services
from trygg.referrals.contact import ContactPreferences
from trygg.referrals.models import Referral

pytestmark = pytest.mark.django_db

CANARY_NAME = "Canary Selfperson"
CANARY_PHONE = "+358 40 222 0123"


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def form(**changes: Any) -> dict[str, Any]:
    data = {
        "name": CANARY_NAME,
        "channel": "text",
        "reach": CANARY_PHONE,
        "safe_times": "Weekdays after 18",
        "leave_message": "no",
        "in_danger": "on",
        "message": "My employer keeps my passport.",
    }
    data.update(changes)
    return data


def test_the_form_page_sets_no_cookie_and_the_help_page_links_to_it(
    client: Client, django_assert_num_queries
) -> None:
    with django_assert_num_queries(0):
        page = client.get("/help/vi/contact/")
    assert page.status_code == 200
    assert page.cookies == {}
    assert 'autocomplete="off"' in page.content.decode()
    assert 'href="/help/vi/contact/"' in client.get("/help/vi/").content.decode()


def test_sending_refers_the_person_and_echoes_nothing_back(
    client: Client, assistance_org: Organisation, caseworker
) -> None:
    response = client.post("/help/vi/contact/", form())

    assert response.status_code == 302
    assert response["Location"] == "/help/vi/contact/sent/"
    assert response.cookies == {}
    thanks = client.get(response["Location"]).content.decode()
    assert CANARY_NAME not in thanks and "222 0123" not in thanks and "passport" not in thanks

    referral = Referral.objects.get()
    assert (referral.channel, referral.status, referral.language) == ("self", "received", "vi")
    assert referral.safety_threat and referral.is_urgent
    consent = Consent.objects.get(person_code=referral.code)
    assert (consent.given_by, consent.method, consent.language) == ("person", "electronic", "vi")
    details = services.read_details(actor=caseworker, referral=referral)
    assert details.phone == CANARY_PHONE
    preferences = ContactPreferences.from_text(details.contact_preferences)
    assert preferences is not None
    assert (preferences.channel, preferences.may_leave_message) == ("text", False)


def test_a_name_is_not_required_but_a_way_to_reach_the_person_is(
    client: Client, assistance_org: Organisation
) -> None:
    response = client.post("/help/en/contact/", form(name="", reach=""))

    assert response.status_code == 400
    assert "Tell us how we can reach you" in response.content.decode()
    assert not Referral.objects.exists()
    assert client.post("/help/en/contact/", form(name="")).status_code == 302


def test_errors_are_in_the_pages_language(client: Client, assistance_org: Organisation) -> None:
    from trygg.jurisdictions.profiles import get_profile
    from trygg.lib import content

    response = client.post("/help/ar/contact/", form(channel="pigeon"))

    assert response.status_code == 400
    expected = content.get_content("help", "ar", get_profile())["self_referral"]["error_choice"]
    assert expected in response.content.decode()


def test_a_post_from_another_site_is_refused(client: Client, assistance_org: Organisation) -> None:
    response = client.post("/help/en/contact/", form(), HTTP_ORIGIN="https://evil.example")

    assert response.status_code == 403
    assert not Referral.objects.exists()
    # The form page lets the browser name its true origin in the post.
    assert client.get("/help/en/contact/")["Referrer-Policy"] == "same-origin"
    same_site = client.post("/help/en/contact/", form(), HTTP_ORIGIN="http://testserver")
    assert same_site.status_code == 302


def test_one_address_may_send_a_few_forms_an_hour(
    client: Client, assistance_org: Organisation
) -> None:
    statuses = [client.post("/help/en/contact/", form()).status_code for _ in range(6)]

    assert statuses == [302] * 5 + [429]
    assert Referral.objects.count() == 5


def test_without_an_assistance_system_the_person_is_told_to_call(client: Client) -> None:
    response = client.post("/help/en/contact/", form())

    assert response.status_code == 503
    assert "Please call us instead" in response.content.decode()


def test_norway_has_no_self_referral_form(client: Client) -> None:
    with override_settings(TRYGG_JURISDICTION="no"):
        assert client.get("/help/en/contact/").status_code == 404
        assert "/contact/" not in client.get("/help/en/").content.decode()


def test_staff_see_how_to_contact_the_person_in_their_own_language(
    client: Client, assistance_org: Organisation, caseworker
) -> None:
    from trygg.testing import log_in

    client.post("/help/vi/contact/", form())
    referral = Referral.objects.get()

    page = log_in(Client(), caseworker).get(f"/referrals/triage/{referral.code}/").content.decode()

    assert "A text message: " + CANARY_PHONE in page
    assert "Safe times: Weekdays after 18" in page
    assert "Do not leave a message." in page
