"""POST and GET /api/v1/referrals: sending with consent or as a consultation, reading status."""

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import translation
from django.utils.dateparse import parse_datetime

from trygg.accounts.models import Membership, Organisation, User
from trygg.api.models import ApiToken
from trygg.api.tests.conftest import (
    CANARY_NAME,
    CANARY_PHONE,
    consent_body,
    consultation_body,
    make_token,
)
from trygg.audit.models import AuditEvent
from trygg.consent.models import Consent
from trygg.consent.services import GivenConsent
from trygg.referrals import services as referrals
from trygg.referrals.models import Decision, Referral
from trygg.testing import make_user

pytestmark = pytest.mark.django_db

REASONS = "Canary reasons of the expert."
URL = "/api/v1/referrals"
Call = Callable[..., Any]


def test_a_referral_with_consent_is_received(
    call: Call, token: str, referrer: User, referrer_org: Organisation
) -> None:
    response = call("post", URL, token, consent_body(birth_date="1990-04-02"))
    assert response.status_code == 201, response.content
    body = response.json()
    referral = Referral.objects.get()
    assert body["code"] == referral.code
    assert (body["status"], body["status_for_referrer"]) == ("received", "Received")
    received_at = parse_datetime(body["received_at"])
    respond_by = parse_datetime(body["respond_by"])
    assert received_at and respond_by and respond_by - received_at == timedelta(hours=4)
    assert (referral.channel, referral.created_by, referral.referring_organisation) == (
        Referral.Channel.API,
        referrer,
        referrer_org,
    )
    assert (
        referral.shelter_tonight and referral.forms == ["labour"] and not referral.is_consultation
    )
    details = referrals.read_details(actor=None, referral=referral, audited=False)
    assert (details.full_name, details.phone, str(details.birth_date)) == (
        CANARY_NAME,
        CANARY_PHONE,
        "1990-04-02",
    )
    consent = Consent.objects.get(person_code=referral.code)
    assert (consent.given_by, consent.method, consent.interpreter, consent.recorded_by) == (
        "person",
        "oral",
        "on_site",
        referrer,
    )
    event = AuditEvent.objects.get(action="referral.received")
    assert (event.actor_code, event.extra["channel"]) == (referrer.code, "api")


def test_an_anonymous_consultation_is_received_without_consent(call: Call, token: str) -> None:
    response = call("post", URL, token, consultation_body(nationality="Thai"))
    assert response.status_code == 201, response.content
    referral = Referral.objects.get(code=response.json()["code"])
    assert referral.is_consultation and referral.status == Referral.Status.RECEIVED
    assert not Consent.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {**consent_body(), "consultation": True},
        {"needs": {}, "person": {"full_name": CANARY_NAME}},
        {},
    ],
    ids=["both", "neither", "empty"],
)
def test_consent_or_consultation_exactly_one(call: Call, token: str, body: dict[str, Any]) -> None:
    response = call("post", URL, token, body)
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "invalid"
    assert problem["detail"] == [
        {
            "loc": ["body"],
            "msg": 'Value error, Give either the person\'s consent or "consultation": true, '
            "and not both.",
            "type": "value_error",
        }
    ]
    assert CANARY_NAME not in response.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    "person",
    [
        {"full_name": CANARY_NAME},
        {"phone": CANARY_PHONE},
        {"birth_date": "1990-04-02"},
        {"identity_number": "020490-123A"},
    ],
)
def test_a_consultation_refuses_identifying_details_and_leaves_nothing(
    call: Call, token: str, person: dict[str, str]
) -> None:
    response = call("post", URL, token, consultation_body(**person))
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "invalid"
    assert problem["detail"] == [
        {
            "loc": ["body"],
            "msg": "An anonymous consultation cannot hold the person's name, birth date or "
            "contact details.",
            "type": "referral_refused",
        }
    ]
    for value in person.values():
        assert value not in response.content.decode()
    # The draft is rolled back with the refusal: nothing of it, nor its audit event, remains.
    assert not Referral.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="referral.").exists()


def test_consent_without_a_name_is_refused(call: Call, token: str) -> None:
    body = consent_body(full_name="")
    response = call("post", URL, token, body)
    assert response.status_code == 422
    assert "Enter the person's name" in response.json()["detail"][0]["msg"]
    assert CANARY_PHONE not in response.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"needs": {"place": "moon"}}, ["needs", "place"]),
        ({"needs": {"forms": ["chess"]}}, ["needs", "forms", 0]),
        ({"needs": {"children_count": 21}}, ["needs", "children_count"]),
        ({"needs": {"language": "ru\x00"}}, ["needs", "language"]),
        ({"person": {"full_name": CANARY_NAME, "birth_date": "02.04.1990"}}, ["birth_date"]),
        ({"consent": {"given_by": "person", "method": "telepathy", "language": "ru"}}, ["method"]),
        ({"consent": {"given_by": "person", "method": "oral", "language": " "}}, ["language"]),
    ],
)
def test_invalid_fields_are_named_without_echoing_what_was_sent(
    call: Call, token: str, change: dict[str, Any], where: list[Any]
) -> None:
    body = consent_body()
    for key, value in change.items():
        body[key] = {**body[key], **value}
    response = call("post", URL, token, body)
    assert response.status_code == 422, response.content
    problem = response.json()
    assert problem["code"] == "invalid"
    locations = [item["loc"] for item in problem["detail"]]
    assert any(loc[-len(where) :] == where for loc in locations), locations
    content = response.content.decode()
    for sent in (CANARY_NAME, CANARY_PHONE, "moon", "chess", "telepathy", "02.04.1990"):
        assert sent not in content
    assert not Referral.objects.exists()


def test_a_body_that_is_not_json_is_refused(call: Call, token: str) -> None:
    from django.test import Client

    response = Client().post(
        URL,
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "bad_request",
        "detail": "The request body is not valid JSON.",
    }


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    "header", [None, "trygg_00000000_" + "a" * 40, "not-a-token"], ids=["none", "unknown", "junk"]
)
def test_no_valid_token_answers_401(call: Call, method: str, header: str | None) -> None:
    response = call(method, URL, header, consent_body())
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_answers_401(
    call: Call, referrer: User, referrer_org: Organisation, assistance_org: Organisation
) -> None:
    from trygg.api.services import revoke_token

    token, text = make_token(referrer, referrer_org)
    assert call("get", URL, text).status_code == 200
    revoke_token(actor=None, token=token)
    assert call("get", URL, text).status_code == 401


def test_a_session_login_is_not_a_token(client_for: Callable[[str], Any], referrer: User) -> None:
    response = client_for("referrer").get(URL)
    assert response.status_code == 401


def test_a_token_without_the_scope_answers_403(
    call: Call, referrer: User, referrer_org: Organisation, assistance_org: Organisation
) -> None:
    _read, read_only = make_token(referrer, referrer_org, [ApiToken.Scope.REFERRALS_READ])
    _write, write_only = make_token(referrer, referrer_org, [ApiToken.Scope.REFERRALS_WRITE])
    refused = call("post", URL, read_only, consent_body())
    assert refused.status_code == 403
    assert refused.json() == {
        "code": "forbidden",
        "detail": "This token is not allowed to do this: it lacks the scope referrals:write.",
    }
    # The scope is checked before the body: an invalid body is refused the same way.
    assert call("post", URL, read_only, {"needs": 5}).status_code == 403
    assert not Referral.objects.exists()
    assert call("post", URL, write_only, consultation_body()).status_code == 201
    assert call("get", URL, write_only).status_code == 403
    assert call("get", f"{URL}/K7F3-Q92X", write_only).status_code == 403
    assert call("get", URL, read_only).status_code == 200


def test_own_referral_is_readable_by_code(call: Call, token: str) -> None:
    code = call("post", URL, token, consultation_body()).json()["code"]
    response = call("get", f"{URL}/{code}", token)
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["status"], body["status_for_referrer"]) == (
        code,
        "received",
        "Received",
    )


def test_another_organisations_token_gets_404(call: Call, token: str, other_token: str) -> None:
    code = call("post", URL, token, consultation_body()).json()["code"]
    response = call("get", f"{URL}/{code}", other_token)
    assert response.status_code == 404
    unknown = call("get", f"{URL}/K7F3-Q92X", other_token)
    assert (
        response.json()
        == unknown.json()
        == {
            "code": "not_found",
            "detail": "There is no referral of yours with this code.",
        }
    )
    assert call("get", URL, other_token).json()["count"] == 0


def test_a_malformed_code_answers_422(call: Call, token: str) -> None:
    response = call("get", f"{URL}/not-a-code", token)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "code"


def test_the_list_holds_only_the_acting_users_referrals_for_the_tokens_organisation(
    call: Call,
    token: str,
    referrer: User,
    referrer_org: Organisation,
    other_org: Organisation,
) -> None:
    from trygg.accounts import services as accounts

    mine = call("post", URL, token, consultation_body()).json()["code"]
    draft = referrals.save_draft(
        actor=referrer,
        organisation=referrer_org,
        needs=referrals.Needs(),
        details=referrals.PersonDetails(),
        is_consultation=True,
    )
    colleague = make_user("colleague", referrer_org, Membership.Role.REFERRER)
    colleagues = referrals.save_draft(
        actor=colleague,
        organisation=referrer_org,
        needs=referrals.Needs(),
        details=referrals.PersonDetails(),
        is_consultation=True,
    )
    accounts.grant_role(
        actor=None, user=referrer, organisation=other_org, role=Membership.Role.REFERRER
    )
    elsewhere = referrals.save_draft(
        actor=referrer,
        organisation=other_org,
        needs=referrals.Needs(),
        details=referrals.PersonDetails(),
        is_consultation=True,
    )
    body = call("get", URL, token).json()
    listed = {item["code"]: item["status"] for item in body["items"]}
    assert listed == {mine: "received", draft.code: "draft"}
    assert body["count"] == 2
    for code in (colleagues.code, elsewhere.code):
        assert call("get", f"{URL}/{code}", token).status_code == 404


def test_the_list_is_paged_50_at_a_time_newest_first(
    call: Call, token: str, referrer: User, referrer_org: Organisation
) -> None:
    made = [
        referrals.save_draft(
            actor=referrer,
            organisation=referrer_org,
            needs=referrals.Needs(),
            details=referrals.PersonDetails(),
            is_consultation=True,
        ).code
        for _ in range(53)
    ]
    first = call("get", URL, token).json()
    second = call("get", f"{URL}?page=2", token).json()
    third = call("get", f"{URL}?page=3", token).json()
    assert (first["page"], first["pages"], first["count"], len(first["items"])) == (1, 2, 53, 50)
    assert (second["page"], len(second["items"])) == (2, 3)
    assert third["items"] == [] and third["pages"] == 2
    codes = [item["code"] for item in first["items"] + second["items"]]
    assert sorted(codes) == sorted(made)
    assert codes == [r.code for r in Referral.objects.order_by("-created_at", "-pk")]
    assert call("get", URL, token).json() == first  # the same order every time
    assert call("get", f"{URL}?page=0", token).status_code == 422
    assert call("get", f"{URL}?page=x", token).status_code == 422


CONSENT = GivenConsent(given_by="person", method="oral", language="ru")


@pytest.mark.parametrize(
    ("steps", "status", "words"),
    [
        ([], "received", "Received"),
        (["triage"], "in_progress", "Being assessed"),
        (["triage", "more_information"], "information_requested", "More information requested"),
        (["triage", "admit"], "admitted", "Admitted"),
        (["triage", "not_admit"], "not_admitted", "Not admitted"),
        (["withdraw"], "withdrawn", "Withdrawn"),
    ],
)
def test_the_status_is_a_stable_code_and_the_referrers_words(
    call: Call,
    token: str,
    referrer: User,
    caseworker: User,
    expert: User,
    steps: list[str],
    status: str,
    words: str,
) -> None:
    code = call("post", URL, token, consent_body()).json()["code"]
    referral = Referral.objects.get(code=code)
    for step in steps:
        if step == "triage":
            referrals.take_into_triage(actor=caseworker, referral=referral)
        elif step == "withdraw":
            referrals.withdraw(actor=referrer, referral=referral)
        else:
            referrals.decide(
                actor=expert,
                referral=referral,
                outcome=step,
                reasons=REASONS,
                letter_language="ru",
                client_consent=CONSENT if step == Decision.Outcome.ADMIT else None,
                home_municipality="yes" if step == Decision.Outcome.ADMIT else "",
            )
    referral.refresh_from_db()
    assert referrals.status_for_referrer(referral) == words
    one = call("get", f"{URL}/{code}", token).json()
    listed = call("get", URL, token).json()["items"][0]
    for body in (one, listed):
        assert (body["status"], body["status_for_referrer"]) == (status, words)
    # A decision's reasons are the person's; only a request for more information is written for
    # the referrer, as its question, and only the referral itself shows it.
    asked = status == "information_requested"
    assert one["question"] == (REASONS if asked else None)
    assert listed["question"] is None


def test_the_words_follow_the_request_language(call: Call, token: str) -> None:
    from django.test import Client

    call("post", URL, token, consultation_body())
    response = Client().get(
        URL, headers={"Authorization": f"Bearer {token}", "Accept-Language": "sv"}
    )
    with translation.override("sv"):
        expected = translation.gettext("Received")
    assert expected != "Received"
    item = response.json()["items"][0]
    assert (item["status"], item["status_for_referrer"]) == ("received", expected)


def test_nothing_personal_reaches_the_logs(
    call: Call, token: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    call("post", URL, token, consent_body())
    call("post", URL, token, consultation_body(full_name=CANARY_NAME))
    call("post", URL, token, {**consent_body(), "needs": {"place": "moon"}})
    call("get", URL, token)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (CANARY_NAME, CANARY_PHONE, token):
        assert secret not in logged
