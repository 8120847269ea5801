"""The JSON API under /api/v1/: partner systems send referrals, read their status and answer
requests for more information; where referrals go to the responsible services (the Norwegian
profile), they list the services a referral may go to.

Every request carries an organisation's API token (`Authorization: Bearer trygg_…`); the token
acts as one referrer, and what it may do is what that referrer may do, within the token's
scopes. The OpenAPI document is at /api/v1/openapi.json; no documentation page is served (it
would load scripts from another host). Errors have one shape, `{"code", "detail"}`, and no
message ever repeats what a request held.
"""

from math import ceil
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Path, Query, Status
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.security import HttpBearer

from trygg.accounts.models import Organisation
from trygg.api import schemas, services
from trygg.api.models import ApiToken
from trygg.clients.models import CODE_PATTERN
from trygg.consent import services as consents
from trygg.referrals import permissions
from trygg.referrals import services as referrals
from trygg.referrals.models import Decision, Referral

Scope = ApiToken.Scope
PAGE_SIZE = 50
# Far beyond any real list; keeps the offset inside the databases' integer range.
MAX_PAGE = 100_000

DESCRIPTION = """\
Send referrals to the assistance system from a partner organisation's own system, and follow
their status. Authenticate with an organisation API token: `Authorization: Bearer trygg_…`.
An administrator creates tokens at /manage/api-tokens/ (or an operator with
`trygg api-tokens create`). See docs/api.md.
"""


class TokenAuth(HttpBearer):
    """An organisation API token with the scope the operation needs.

    No token, or one that is unknown, revoked or no longer allowed: 401. A good token
    without the scope: 403. The header is never logged.
    """

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        token = services.authenticate(request.headers.get("Authorization", ""))
        if token is not None and not token.has_scope(self.scope):
            raise AuthorizationError(
                message=_("This token is not allowed to do this: it lacks the scope %(scope)s.")
                % {"scope": self.scope}
            )
        return token

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return services.authenticate(f"Bearer {token}")


api = NinjaAPI(
    title="Trygg API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url=None,
)

WRITE = TokenAuth(Scope.REFERRALS_WRITE)
READ = TokenAuth(Scope.REFERRALS_READ)
ERRORS: dict[int, Any] = {
    401: schemas.Error,
    403: schemas.Error,
    422: schemas.ValidationErrorOut,
}


# Errors: one shape, and nothing from the request repeated back.


def _error(request: HttpRequest, status: int, code: str, detail: str) -> HttpResponse:
    response = api.create_response(request, {"code": code, "detail": detail}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="trygg"'
    return response


def _invalid(request: HttpRequest, problems: list[dict[str, Any]]) -> HttpResponse:
    return api.create_response(request, {"code": "invalid", "detail": problems}, status=422)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request,
        401,
        "unauthorized",
        _("Give a valid API token: the token is missing, unknown or revoked."),
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        # django-ninja's "Cannot parse request body"; with DEBUG on it adds the parser's words.
        return _error(request, 400, "bad_request", _("The request body is not valid JSON."))
    codes = {403: "forbidden", 404: "not_found", 409: "conflict"}
    return _error(request, exc.status_code, codes.get(exc.status_code, "invalid"), exc.message)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("There is no referral of yours with this code."))


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # Only where and what: pydantic's context may quote the value that was sent.
    problems = []
    for error in exc.errors:
        loc = list(error["loc"])
        if loc[:2] == ["body", "payload"]:
            # The body is one object: its fields are named from its top, body.needs.place.
            loc = ["body", *loc[2:]]
        problems.append({"loc": loc, "msg": str(error["msg"]), "type": str(error["type"])})
    return _invalid(request, problems)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Django's own handling: a plain 500 page, logged without the request's body.
    raise exc


# Referrals


def _own_referrals(token: ApiToken) -> QuerySet[Referral]:
    """The acting user's own referrals made for the token's organisation."""
    latest_outcome = (
        Decision.objects.filter(referral=OuterRef("pk")).order_by("-decided_at").values("outcome")
    )
    return (
        permissions.own_referrals(token.acting_user)
        .filter(referring_organisation=token.organisation)
        .annotate(latest_outcome=Subquery(latest_outcome[:1]))
    )


STATUS_CODES = {
    Referral.Status.DRAFT: "draft",
    Referral.Status.RECEIVED: "received",
    Referral.Status.IN_TRIAGE: "in_progress",
    Referral.Status.INFORMATION_REQUESTED: "information_requested",
    Referral.Status.WITHDRAWN: "withdrawn",
}


def status_for_referrer(referral: Referral, latest_outcome: str | None) -> tuple[str, str]:
    """The referrer's status as a stable code and in words, without a query per referral.

    The words are those of `referrals.services.status_for_referrer`, which reads the latest
    decision itself; here the list's query brings the outcome along.
    """
    if referral.status == Referral.Status.DECIDED:
        if latest_outcome == Decision.Outcome.ADMIT:
            return "admitted", _("Admitted")
        if latest_outcome == Decision.Outcome.TAKEN_ON:
            return "taken_on", _("Taken on by the service")
        if latest_outcome == Decision.Outcome.NOT_TAKEN_ON:
            return "not_taken_on", _("Not taken on by the service")
        return "not_admitted", _("Not admitted")
    return STATUS_CODES[Referral.Status(referral.status)], referrals.status_for_referrer(referral)


def _out(referral: Referral, latest_outcome: str | None) -> dict[str, Any]:
    code, words = status_for_referrer(referral, latest_outcome)
    return {
        "code": referral.code,
        "status": code,
        "status_for_referrer": words,
        "created_at": referral.created_at,
        "received_at": referral.received_at,
        "respond_by": referral.respond_by,
    }


def _receiving_service(chosen: UUID | None) -> Organisation | None:
    """The service a new referral goes to, as the profile wants it, or a 422 problem.

    Where referrals go to the responsible services, one of `services_to_refer_to()` must be
    chosen, as in the referral form; elsewhere the assistance system receives every referral
    and the field must be left out.
    """
    where: list[str | int] = ["body", "receiving_service"]
    if not permissions.routes_to_services():
        if chosen is None:
            return None
        msg = _("Leave out receiving_service: here every referral goes to the assistance system.")
        raise ValidationError([{"loc": where, "msg": msg, "type": "not_used"}])
    if chosen is None:
        msg = _("Choose the service to refer the person to.")
        raise ValidationError([{"loc": where, "msg": msg, "type": "missing"}])
    service = referrals.services_to_refer_to().filter(code=chosen).first()
    if service is None:
        msg = _("Choose one of the services that GET /api/v1/services lists.")
        raise ValidationError([{"loc": where, "msg": msg, "type": "unknown_service"}])
    return service


@api.post(
    "/referrals",
    auth=WRITE,
    response={201: schemas.ReferralOut, 400: schemas.Error, **ERRORS},
    url_name="referrals",
    summary="Send a referral",
    tags=["referrals"],
)
def create_referral(request: HttpRequest, payload: schemas.ReferralIn) -> Status[dict[str, Any]]:
    """Send a referral to the assistance system at once, as the token's referrer.

    With `consent`, the person's name is required and the consent is recorded. With
    `"consultation": true`, nothing identifying may be sent (no name, birth date, phone,
    e-mail, address or identity number). Where referrals go to the responsible services,
    `receiving_service` is required: one of GET /api/v1/services; elsewhere it must be left
    out. A request the referral rules refuse answers 422.
    """
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    receiving = _receiving_service(payload.receiving_service)
    needs = referrals.Needs(
        **{
            **payload.needs.model_dump(exclude={"forms", "place", "sector"}),
            "forms": tuple(form.value for form in payload.needs.forms),
            "place": payload.needs.place.value,
            "sector": payload.needs.sector.value,
        }
    )
    details = referrals.PersonDetails(**payload.person.model_dump())
    consent = None
    if payload.consent is not None:
        consent = consents.GivenConsent(
            given_by=payload.consent.given_by.value,
            method=payload.consent.method.value,
            language=payload.consent.language,
            interpreter=payload.consent.interpreter.value,
        )
    try:
        # One transaction: a referral the rules refuse leaves no draft behind.
        with transaction.atomic():
            referral = referrals.save_draft(
                actor=token.acting_user,
                organisation=token.organisation,
                needs=needs,
                details=details,
                is_consultation=payload.consultation,
                channel=Referral.Channel.API,
                receiving=receiving,
            )
            referral = referrals.submit(actor=token.acting_user, referral=referral, consent=consent)
    except (referrals.ReferralError, consents.ConsentError) as error:
        raise ValidationError(
            [{"loc": ["body"], "msg": str(error), "type": "referral_refused"}]
        ) from None
    return Status(201, _out(referral, None))


@api.get(
    "/referrals",
    auth=READ,
    response={200: schemas.ReferralPage, **ERRORS},
    url_name="referrals",
    summary="List own referrals",
    tags=["referrals"],
)
def list_referrals(request: HttpRequest, page: int = Query(1, ge=1, le=MAX_PAGE)) -> dict[str, Any]:
    """The token's referrer's own referrals for the token's organisation, newest first,
    50 a page. A page past the last is empty."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    referrals_ = _own_referrals(token).order_by("-created_at", "-pk")
    count = referrals_.count()
    start = (page - 1) * PAGE_SIZE
    items = [
        _out(referral, referral.latest_outcome)  # type: ignore[attr-defined]
        for referral in referrals_[start : start + PAGE_SIZE]
    ]
    return {"items": items, "page": page, "pages": max(1, ceil(count / PAGE_SIZE)), "count": count}


@api.get(
    "/referrals/{code}",
    auth=READ,
    response={200: schemas.ReferralOut, 404: schemas.Error, **ERRORS},
    url_name="referral",
    summary="Read one own referral's status",
    tags=["referrals"],
)
def read_referral(
    request: HttpRequest, code: str = Path(..., pattern=f"^{CODE_PATTERN}$")
) -> dict[str, Any]:
    """The status of one of the token's referrer's own referrals; any other code answers 404,
    whether or not such a referral exists. While the referral waits for more information,
    `question` says what the assistance system asked."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    referral = _own_referrals(token).filter(code=code).first()
    if referral is None:
        raise Http404
    out = _out(referral, referral.latest_outcome)  # type: ignore[attr-defined]
    if referral.status == Referral.Status.INFORMATION_REQUESTED:
        out["question"] = referrals.information_request(actor=token.acting_user, referral=referral)
    return out


@api.post(
    "/referrals/{code}/information",
    auth=WRITE,
    response={
        200: schemas.ReferralOut,
        400: schemas.Error,
        404: schemas.Error,
        409: schemas.Error,
        **ERRORS,
    },
    url_name="referral_information",
    summary="Answer a request for more information",
    tags=["referrals"],
)
def answer_information_request(
    request: HttpRequest,
    payload: schemas.InformationIn,
    code: str = Path(..., pattern=f"^{CODE_PATTERN}$"),
) -> dict[str, Any]:
    """Answer the assistance system's request for more information on one of the token's
    referrer's own referrals: the person's details, which replace those the referral held.
    The referral goes back to triage; the answer is its new status.

    A code that is not one of the referrer's own answers 404; a referral that is not waiting
    for more information (status `information_requested`) answers 409 and is left unchanged.
    """
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    found = _own_referrals(token).filter(code=code).values_list("pk", flat=True).first()
    if found is None:
        raise Http404
    details = referrals.PersonDetails(**payload.person.model_dump())
    try:
        # The service checks the status with the row locked, and the referral's kind.
        referral = referrals.supplement(
            actor=token.acting_user, referral=Referral.objects.get(pk=found), details=details
        )
    except referrals.InvalidTransitionError as error:
        raise HttpError(409, str(error)) from None
    except referrals.ReferralError as error:
        raise ValidationError(
            [{"loc": ["body", "person"], "msg": str(error), "type": "referral_refused"}]
        ) from None
    return _out(referral, None)


# Services


@api.get(
    "/services",
    auth=WRITE,
    response={200: schemas.ServiceList, **ERRORS},
    url_name="services",
    summary="List the services a referral may go to",
    tags=["services"],
)
def list_services(request: HttpRequest) -> dict[str, Any]:
    """Where referrals go to the responsible services (the Norwegian profile), the services a
    referrer may choose as `receiving_service`, by kind and name. Elsewhere the assistance
    system receives every referral and the list is empty."""
    services_ = referrals.services_to_refer_to().values("code", "name", "type")
    return {"items": list(services_)}
