"""The OpenAPI document, and schemathesis against it: no 5xx, and every response as documented.

Schemathesis loads /api/v1/openapi.json from the WSGI application and sends generated requests
through the whole middleware stack, with a valid token, in the test's own transaction.
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

from trygg.api.tests.conftest import consultation_body

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
    }
    for _path, _method, operation in operations:
        assert {"401", "403", "422"} <= set(operation["responses"])
        assert operation["security"] == [{"TokenAuth": []}]
    assert "404" in document["paths"]["/api/v1/referrals/{code}"]["get"]["responses"]


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


@pytest.fixture
def schema() -> Iterator[Any]:
    """The schema, loaded from the WSGI application, which also answers the requests."""
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _run(
    operation: Any,
    token: str,
    checks: list[Any],
    mode: GenerationMode = GenerationMode.POSITIVE,
    **fixed: Any,
) -> None:
    headers = {"Authorization": f"Bearer {token}"}

    @EXAMPLES
    @given(case=operation.as_strategy(generation_mode=mode, **fixed))
    def run(case: Case) -> None:
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
