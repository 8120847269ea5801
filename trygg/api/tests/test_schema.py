"""The OpenAPI document, and schemathesis against it: no 5xx, and every response as documented.

Schemathesis loads /api/v1/openapi.json from the WSGI application and sends generated requests
through the whole middleware stack, with a valid token, in the test's own transaction; under
the Finnish profile (the default) and, for what the Norwegian one changes, under that too.
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from trygg.accounts.models import User
from trygg.api.tests.conftest import NorwayWorld, consent_body, consultation_body
from trygg.referrals import services as referrals
from trygg.referrals.models import Decision, Referral

pytestmark = pytest.mark.django_db

CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    # What the document calls valid is accepted: its rules are the ones the server applies.
    positive_data_acceptance,
]
# Enough to find the usual mistakes while keeping the suite quick.
EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def test_the_document_is_public_and_documents_every_error() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["version"] == "1"
    assert document["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    operations = [
        (path, method, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]
    assert {(path, method) for path, method, _ in operations} == {
        ("/api/v1/referrals", "post"),
        ("/api/v1/referrals", "get"),
        ("/api/v1/referrals/{code}", "get"),
        ("/api/v1/referrals/{code}/information", "post"),
        ("/api/v1/services", "get"),
    }
    for _path, _method, operation in operations:
        assert {"401", "403", "422"} <= set(operation["responses"])
        assert operation["security"] == [{"TokenAuth": []}]
    assert "404" in document["paths"]["/api/v1/referrals/{code}"]["get"]["responses"]
    information = document["paths"]["/api/v1/referrals/{code}/information"]["post"]
    assert {"200", "400", "404", "409"} <= set(information["responses"])
    assert "conflict" in document["components"]["schemas"]["Error"]["properties"]["code"]["enum"]


def test_no_documentation_page_loads_scripts_from_elsewhere() -> None:
    assert Client().get("/api/v1/docs").status_code == 404


def _application() -> Callable[..., Any]:
    """Django's WSGI application, keeping the database connection open between requests.

    The connection holds the test's transaction (PostgreSQL would lose it); Django's test
    client does the same, and connects the signals again after each of its own requests.
    """
    application = get_wsgi_application()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        return application(environ, start_response)

    return app


def _load() -> Iterator[Any]:
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def schema() -> Iterator[Any]:
    """The schema, loaded from the WSGI application, which also answers the requests."""
    yield from _load()


@pytest.fixture
def norway_schema(norway_world: NorwayWorld) -> Iterator[Any]:
    """The Norwegian deployment's schema, where `receiving_service` is required."""
    yield from _load()


def _run(
    operation: Any,
    token: str,
    checks: list[Any],
    mode: GenerationMode = GenerationMode.POSITIVE,
    prepare: Callable[[Case], None] | None = None,
    **fixed: Any,
) -> None:
    headers = {"Authorization": f"Bearer {token}"}

    @EXAMPLES
    @given(case=operation.as_strategy(generation_mode=mode, **fixed))
    def run(case: Case) -> None:
        if prepare is not None:
            prepare(case)
        case.call_and_validate(headers=headers, checks=checks)

    run()


def test_every_response_conforms_to_the_schema(
    schema: Any, token: str, call: Callable[..., Any]
) -> None:
    existing = call("post", "/api/v1/referrals", token, consultation_body()).json()["code"]
    for result in schema.get_all_operations():
        operation = result.ok()
        _run(operation, token, CONFORMANCE)
        if "{code}" in operation.path:
            # Generated codes almost never exist: read one that does, too.
            _run(operation, token, CONFORMANCE, path_parameters={"code": existing})


def test_invalid_requests_never_cause_a_server_error(schema: Any, token: str) -> None:
    for result in schema.get_all_operations():
        _run(result.ok(), token, [not_a_server_error], GenerationMode.NEGATIVE)


def test_answering_a_request_for_information_conforms_to_the_schema(
    schema: Any,
    token: str,
    call: Callable[..., Any],
    caseworker: User,
    expert: User,
) -> None:
    """Every generated answer meets a referral waiting for information, so the 200 is tried."""
    code = call("post", "/api/v1/referrals", token, consent_body()).json()["code"]
    referral = referrals.take_into_triage(
        actor=caseworker, referral=Referral.objects.get(code=code)
    )
    referrals.decide(
        actor=expert,
        referral=referral,
        outcome=Decision.Outcome.MORE_INFORMATION,
        reasons="More details, please.",
        letter_language="ru",
    )

    def waiting(case: Case) -> None:
        # The referral was sent with consent: an answer keeps the person's name (the document
        # cannot say which kind of referral a code is). Each example finds it waiting again.
        person = case.body.get("person") if isinstance(case.body, dict) else None
        if isinstance(person, dict):
            person["full_name"] = "Generated Person"
        Referral.objects.filter(code=code).update(status=Referral.Status.INFORMATION_REQUESTED)

    operation = schema["/api/v1/referrals/{code}/information"]["POST"]
    _run(operation, token, CONFORMANCE, prepare=waiting, path_parameters={"code": code})
    # The last example was answered (200), not refused: the referral is back in triage.
    assert Referral.objects.get(code=code).status == Referral.Status.IN_TRIAGE


def test_norway_responses_conform_to_the_schema(
    norway_schema: Any, norway_world: NorwayWorld
) -> None:
    """Under the Norwegian profile, with a service that exists as `receiving_service`."""
    service = str(norway_world.municipality.code)

    def choose(case: Case) -> None:
        if isinstance(case.body, dict):
            case.body["receiving_service"] = service

    create = norway_schema["/api/v1/referrals"]["POST"]
    _run(create, norway_world.token, CONFORMANCE, prepare=choose)
    _run(norway_schema["/api/v1/services"]["GET"], norway_world.token, CONFORMANCE)
    assert Referral.objects.filter(assistance_organisation=norway_world.municipality).exists()
    for result in norway_schema.get_all_operations():
        _run(result.ok(), norway_world.token, [not_a_server_error], GenerationMode.NEGATIVE)
