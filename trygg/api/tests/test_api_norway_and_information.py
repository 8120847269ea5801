"""Norway's `receiving_service` and GET /api/v1/services; answering a request for more
information with POST /api/v1/referrals/{code}/information."""

import logging
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Max

from trygg.accounts.models import Organisation, User
from trygg.api.models import ApiToken
from trygg.api.tests.conftest import (
    CANARY_NAME,
    CANARY_PHONE,
    NorwayWorld,
    consent_body,
    consultation_body,
    make_token,
    norwegian,
)
from trygg.audit.models import AuditEvent
from trygg.referrals import services as referrals
from trygg.referrals.models import Decision, Referral

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals"
SERVICES = "/api/v1/services"
Call = Callable[..., Any]
Type = Organisation.Type

# What the answer to a request for more information says: a second canary, never echoed.
NEW_NAME = "Canary Answerperson"
NEW_CIRCUMSTANCES = "Canary circumstances: works nights at a car wash."


def norway_body(service: Organisation | str | None, **person: Any) -> dict[str, Any]:
    body = consent_body(**person)
    if service is not None:
        body["receiving_service"] = str(
            service.code if isinstance(service, Organisation) else service
        )
    return body


def last_seq() -> int:
    return AuditEvent.objects.aggregate(seq=Max("seq"))["seq"] or 0


def events_since(seq: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq"))


def assert_nothing_personal(*texts: str) -> None:
    for text in texts:
        for secret in (CANARY_NAME, CANARY_PHONE, NEW_NAME, NEW_CIRCUMSTANCES):
            assert secret not in text


def all_audit_extras() -> str:
    return str(list(AuditEvent.objects.values_list("extra", flat=True)))


# Norway: the referrer chooses the service


def test_norway_lists_the_services_a_referral_may_go_to(
    call: Call, norway_world: NorwayWorld
) -> None:
    norwegian("Org N Police", Type.POLICE)
    inactive = norwegian("Org N Closed Municipality", Type.MUNICIPALITY)
    inactive.is_active = False
    inactive.save()
    norwegian("Org F Municipality", Type.MUNICIPALITY, jurisdiction="fi")
    norwegian("Org N Reception", Type.RECEPTION_CENTRE)

    response = call("get", SERVICES, norway_world.token)

    assert response.status_code == 200, response.content
    listed = [(item["name"], item["type"]) for item in response.json()["items"]]
    # Active services of the profile's kinds in this jurisdiction, by kind and name; the NGO,
    # the reception centre, the closed and the Finnish municipality are not among them.
    assert listed == [
        ("Org N Child Welfare", "child_welfare"),
        ("Org N Municipality", "municipality"),
        ("Org N Police", "police"),
    ]
    codes = {item["name"]: item["code"] for item in response.json()["items"]}
    assert codes["Org N Municipality"] == str(norway_world.municipality.code)
    assert listed == [(service.name, service.type) for service in referrals.services_to_refer_to()]


def test_norway_a_referral_goes_to_the_chosen_service(
    call: Call, norway_world: NorwayWorld
) -> None:
    response = call("post", URL, norway_world.token, norway_body(norway_world.child_welfare))

    assert response.status_code == 201, response.content
    referral = Referral.objects.get(code=response.json()["code"])
    assert referral.assistance_organisation == norway_world.child_welfare
    assert (referral.status, referral.channel, referral.created_by) == (
        Referral.Status.RECEIVED,
        Referral.Channel.API,
        norway_world.referrer,
    )
    received = AuditEvent.objects.get(action="referral.received")
    assert received.organisation_code == norway_world.child_welfare.code
    assert_nothing_personal(all_audit_extras())


def test_norway_a_consultation_goes_to_the_chosen_service_too(
    call: Call, norway_world: NorwayWorld
) -> None:
    body = {**consultation_body(), "receiving_service": str(norway_world.municipality.code)}
    response = call("post", URL, norway_world.token, body)
    assert response.status_code == 201, response.content
    assert Referral.objects.get().assistance_organisation == norway_world.municipality


@pytest.mark.parametrize("value", ["absent", None], ids=["absent", "null"])
def test_norway_a_referral_without_a_service_is_refused(
    call: Call, norway_world: NorwayWorld, value: str | None
) -> None:
    body = norway_body(None)
    if value is None:
        body["receiving_service"] = None

    response = call("post", URL, norway_world.token, body)

    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid",
        "detail": [
            {
                "loc": ["body", "receiving_service"],
                "msg": "Choose the service to refer the person to.",
                "type": "missing",
            }
        ],
    }
    assert_nothing_personal(response.content.decode(), all_audit_extras())
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    "choose",
    ["the_ngo", "a_finnish_municipality", "a_closed_municipality", "no_such_organisation"],
)
def test_norway_a_service_that_cannot_be_chosen_is_refused(
    call: Call, norway_world: NorwayWorld, choose: str
) -> None:
    if choose == "the_ngo":
        chosen = str(norway_world.ngo.code)  # the referrer's own organisation, not a service
    elif choose == "a_finnish_municipality":
        chosen = str(norwegian("Org F Municipality", Type.MUNICIPALITY, jurisdiction="fi").code)
    elif choose == "a_closed_municipality":
        closed = norwegian("Org N Closed Municipality", Type.MUNICIPALITY)
        closed.is_active = False
        closed.save()
        chosen = str(closed.code)
    else:
        chosen = str(uuid.uuid4())

    response = call("post", URL, norway_world.token, norway_body(chosen))

    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid",
        "detail": [
            {
                "loc": ["body", "receiving_service"],
                "msg": "Choose one of the services that GET /api/v1/services lists.",
                "type": "unknown_service",
            }
        ],
    }
    content = response.content.decode()
    assert chosen not in content
    assert_nothing_personal(content, all_audit_extras())
    assert not Referral.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="referral.").exists()


def test_norway_a_malformed_service_code_is_refused_without_echoing_it(
    call: Call, norway_world: NorwayWorld
) -> None:
    response = call("post", URL, norway_world.token, norway_body("municipality-of-oslo"))
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "invalid"
    assert [item["loc"] for item in problem["detail"]] == [["body", "receiving_service"]]
    assert "oslo" not in response.content.decode()
    assert not Referral.objects.exists()


def test_norway_the_document_requires_the_service(norway: None, call: Call) -> None:
    schema = call("get", "/api/v1/openapi.json").json()["components"]["schemas"]["ReferralIn"]
    assert "receiving_service" in schema["required"]
    assert schema["properties"]["receiving_service"]["format"] == "uuid"


# Finland: the assistance system receives every referral


def test_finland_lists_no_services(call: Call, token: str, assistance_org: Organisation) -> None:
    norwegian("Org F Municipality", Type.MUNICIPALITY, jurisdiction="fi")
    response = call("get", SERVICES, token)
    assert response.status_code == 200
    assert response.json() == {"items": []}


def test_finland_refuses_a_receiving_service(
    call: Call, token: str, assistance_org: Organisation
) -> None:
    body = {**consent_body(), "receiving_service": str(assistance_org.code)}

    response = call("post", URL, token, body)

    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid",
        "detail": [
            {
                "loc": ["body", "receiving_service"],
                "msg": "Leave out receiving_service: here every referral goes to the "
                "assistance system.",
                "type": "not_used",
            }
        ],
    }
    assert_nothing_personal(response.content.decode(), all_audit_extras())
    assert not Referral.objects.exists()


def test_finland_accepts_a_null_receiving_service(
    call: Call, token: str, assistance_org: Organisation
) -> None:
    response = call("post", URL, token, {**consent_body(), "receiving_service": None})
    assert response.status_code == 201, response.content
    assert Referral.objects.get().assistance_organisation == assistance_org


def test_finland_the_document_allows_only_null(call: Call) -> None:
    schema = call("get", "/api/v1/openapi.json").json()["components"]["schemas"]["ReferralIn"]
    assert "receiving_service" not in schema.get("required", [])
    assert schema["properties"]["receiving_service"]["type"] == "null"


def test_the_services_need_the_write_scope(
    call: Call, referrer: User, referrer_org: Organisation, assistance_org: Organisation
) -> None:
    _token, read_only = make_token(referrer, referrer_org, [ApiToken.Scope.REFERRALS_READ])
    response = call("get", SERVICES, read_only)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert call("get", SERVICES).status_code == 401


# Answering a request for more information


def information_url(code: str) -> str:
    return f"{URL}/{code}/information"


def answer(**person: Any) -> dict[str, Any]:
    return {
        "person": {
            "full_name": NEW_NAME,
            "phone": CANARY_PHONE,
            "circumstances": NEW_CIRCUMSTANCES,
            **person,
        }
    }


def request_information(referral: Referral, caseworker: User, decider: User) -> Referral:
    referral = referrals.take_into_triage(actor=caseworker, referral=referral)
    referrals.decide(
        actor=decider,
        referral=referral,
        outcome=Decision.Outcome.MORE_INFORMATION,
        reasons="Where does the person work?",
        letter_language="ru",
    )
    return Referral.objects.get(pk=referral.pk)


@pytest.fixture
def waiting(call: Call, token: str, caseworker: User, expert: User) -> Referral:
    """A referral sent with consent through the API, for which more information is asked."""
    code = call("post", URL, token, consent_body()).json()["code"]
    referral = request_information(Referral.objects.get(code=code), caseworker, expert)
    assert referral.status == Referral.Status.INFORMATION_REQUESTED
    return referral


def test_an_answer_sends_the_referral_back_to_triage_with_the_new_details(
    call: Call, token: str, waiting: Referral, referrer: User
) -> None:
    before = last_seq()

    response = call("post", information_url(waiting.code), token, answer(birth_date="1990-04-02"))

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["code"], body["status"], body["status_for_referrer"]) == (
        waiting.code,
        "in_progress",
        "Being assessed",
    )
    assert body == call("get", f"{URL}/{waiting.code}", token).json()
    referral = Referral.objects.get(pk=waiting.pk)
    assert referral.status == Referral.Status.IN_TRIAGE
    assert referral.transitions.order_by("-pk").first().actor == referrer  # type: ignore[union-attr]
    details = referrals.read_details(actor=None, referral=referral, audited=False)
    assert (details.full_name, details.phone, details.circumstances, str(details.birth_date)) == (
        NEW_NAME,
        CANARY_PHONE,
        NEW_CIRCUMSTANCES,
        "1990-04-02",
    )
    # What the details were replaced by is all there is: the fields left out are empty.
    assert details.email == details.address == ""
    # Audited as the service audits it: one event, of the referrer, with the status only.
    events = events_since(before)
    assert [(e.action, e.actor_code, e.person_code, e.extra) for e in events] == [
        ("referral.supplemented", referrer.code, waiting.code, {"status": "in_triage"})
    ]
    assert events[0].organisation_code == waiting.assistance_organisation.code
    assert_nothing_personal(response.content.decode(), all_audit_extras())


def test_a_consultation_is_answered_without_identifying_details(
    call: Call, token: str, caseworker: User, expert: User
) -> None:
    code = call("post", URL, token, consultation_body()).json()["code"]
    referral = request_information(Referral.objects.get(code=code), caseworker, expert)
    before = last_seq()

    refused = call("post", information_url(code), token, answer())

    assert refused.status_code == 422
    assert refused.json() == {
        "code": "invalid",
        "detail": [
            {
                "loc": ["body", "person"],
                "msg": "An anonymous consultation cannot hold the person's name, birth date or "
                "contact details.",
                "type": "referral_refused",
            }
        ],
    }
    assert_nothing_personal(refused.content.decode(), all_audit_extras())
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.INFORMATION_REQUESTED
    assert events_since(before) == []

    accepted = call(
        "post",
        information_url(code),
        token,
        {"person": {"nationality": "Thai", "circumstances": NEW_CIRCUMSTANCES}},
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "in_progress"
    referral.refresh_from_db()
    details = referrals.read_details(actor=None, referral=referral, audited=False)
    assert (details.nationality, details.circumstances, details.identifies) == (
        "Thai",
        NEW_CIRCUMSTANCES,
        False,
    )


@pytest.mark.parametrize("full_name", ["", "   "])
def test_a_referral_with_consent_keeps_the_persons_name(
    call: Call, token: str, waiting: Referral, full_name: str
) -> None:
    before = last_seq()
    response = call("post", information_url(waiting.code), token, answer(full_name=full_name))
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["body", "person"],
            "msg": "Enter the person's name.",
            "type": "referral_refused",
        }
    ]
    assert_nothing_personal(response.content.decode())
    assert Referral.objects.get(pk=waiting.pk).status == Referral.Status.INFORMATION_REQUESTED
    assert events_since(before) == []
    waiting.refresh_from_db()
    details = referrals.read_details(actor=None, referral=waiting, audited=False)
    assert details.full_name == CANARY_NAME


def test_someone_elses_referral_answers_404(
    call: Call, token: str, other_token: str, waiting: Referral
) -> None:
    before = last_seq()
    response = call("post", information_url(waiting.code), other_token, answer())
    unknown = call("post", information_url("K7F3-Q92X"), other_token, answer())
    assert response.status_code == unknown.status_code == 404
    assert (
        response.json()
        == unknown.json()
        == {"code": "not_found", "detail": "There is no referral of yours with this code."}
    )
    assert_nothing_personal(response.content.decode())
    assert Referral.objects.get(pk=waiting.pk).status == Referral.Status.INFORMATION_REQUESTED
    assert events_since(before) == []
    waiting.refresh_from_db()
    details = referrals.read_details(actor=None, referral=waiting, audited=False)
    assert details.full_name == CANARY_NAME


@pytest.mark.parametrize("state", ["draft", "received", "in_triage", "decided", "withdrawn"])
def test_a_referral_that_is_not_waiting_for_information_answers_409(
    call: Call,
    token: str,
    referrer: User,
    referrer_org: Organisation,
    caseworker: User,
    expert: User,
    state: str,
) -> None:
    if state == "draft":
        referral = referrals.save_draft(
            actor=referrer,
            organisation=referrer_org,
            needs=referrals.Needs(),
            details=referrals.PersonDetails(full_name=CANARY_NAME),
        )
    else:
        code = call("post", URL, token, consent_body()).json()["code"]
        referral = Referral.objects.get(code=code)
    if state in ("in_triage", "decided"):
        referral = referrals.take_into_triage(actor=caseworker, referral=referral)
    if state == "decided":
        referrals.decide(
            actor=expert,
            referral=referral,
            outcome=Decision.Outcome.NOT_ADMIT,
            reasons="Where does the person work?",
            letter_language="ru",
        )
    if state == "withdrawn":
        referrals.withdraw(actor=referrer, referral=referral)
    status = Referral.objects.get(pk=referral.pk).status
    before = last_seq()

    response = call("post", information_url(referral.code), token, answer())

    assert response.status_code == 409
    assert response.json() == {
        "code": "conflict",
        "detail": "This referral is not waiting for more information.",
    }
    assert_nothing_personal(response.content.decode(), all_audit_extras())
    assert Referral.objects.get(pk=referral.pk).status == status
    assert events_since(before) == []


def test_answering_needs_the_write_scope(
    call: Call, referrer: User, referrer_org: Organisation, waiting: Referral
) -> None:
    _token, read_only = make_token(referrer, referrer_org, [ApiToken.Scope.REFERRALS_READ])
    response = call("post", information_url(waiting.code), read_only, answer())
    assert response.status_code == 403
    assert Referral.objects.get(pk=waiting.pk).status == Referral.Status.INFORMATION_REQUESTED


def test_an_invalid_answer_names_the_field_without_echoing_it(
    call: Call, token: str, waiting: Referral
) -> None:
    for body, where in (
        ({}, ["body", "person"]),
        (answer(birth_date="02.04.1990"), ["body", "person", "birth_date"]),
        (answer(full_name=f"{NEW_NAME}\x00"), ["body", "person", "full_name"]),
    ):
        response = call("post", information_url(waiting.code), token, body)
        assert response.status_code == 422, response.content
        assert [item["loc"] for item in response.json()["detail"]] == [where]
        assert "02.04.1990" not in response.content.decode()
        assert_nothing_personal(response.content.decode())
    assert call("post", information_url("not-a-code"), token, answer()).status_code == 422
    assert Referral.objects.get(pk=waiting.pk).status == Referral.Status.INFORMATION_REQUESTED


def test_an_answer_reaches_no_log(
    call: Call, token: str, waiting: Referral, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    call("post", information_url(waiting.code), token, answer(full_name=""))
    call("post", information_url(waiting.code), token, answer())
    call("post", information_url(waiting.code), token, answer())  # now 409
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert_nothing_personal(logged)
    assert token not in logged


def test_norway_a_service_asks_for_more_information_and_gets_it(
    call: Call, norway_world: NorwayWorld
) -> None:
    created = call("post", URL, norway_world.token, norway_body(norway_world.municipality))
    referral = Referral.objects.get(code=created.json()["code"])
    # Where referrals go to the services, the service's case workers decide.
    referral = request_information(referral, norway_world.social_worker, norway_world.social_worker)
    before = last_seq()

    response = call("post", information_url(referral.code), norway_world.token, answer())

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_progress"
    referral.refresh_from_db()
    assert referral.status == Referral.Status.IN_TRIAGE
    assert referral.assistance_organisation == norway_world.municipality
    details = referrals.read_details(actor=None, referral=referral, audited=False)
    assert (details.full_name, details.circumstances) == (NEW_NAME, NEW_CIRCUMSTANCES)
    assert [(e.action, e.organisation_code) for e in events_since(before)] == [
        ("referral.supplemented", norway_world.municipality.code)
    ]
    assert_nothing_personal(all_audit_extras())


def test_the_waiting_referral_says_what_was_asked_and_reading_it_is_audited(
    call: Call, token: str, waiting: Referral
) -> None:
    read = call("get", f"/api/v1/referrals/{waiting.code}", token)
    assert read.status_code == 200
    question = read.json()["question"]
    assert question
    assert AuditEvent.objects.filter(
        action="referral.request_viewed", person_code=waiting.code
    ).exists()
    # The list never decrypts anything.
    listed = call("get", "/api/v1/referrals", token).json()["items"]
    assert {item["question"] for item in listed} == {None}
