"""Every URL pattern × every persona → the expected status.

Adding a URL without adding it here fails `test_every_url_pattern_is_in_the_matrix`.
Statuses: 200 shown; 302 sent elsewhere (to log in, or to confirm identity first);
403 the role does not allow it; 404 not visible to this persona; 405 wrong method;
401 the JSON API (/api/v1/) wants its token: a login session is not one, so every persona
gets 401 there. A method "GET+POST" checks both methods against the same statuses.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from trygg.accounts.models import Membership, Organisation, User
from trygg.api.models import ApiToken
from trygg.api.services import create_token
from trygg.cases import services as cases
from trygg.cases.models import Case
from trygg.clients.services import Identity, register_person, request_erasure
from trygg.consent.models import Consent
from trygg.consent.services import GivenConsent
from trygg.referrals import services as referrals
from trygg.referrals.models import Decision
from trygg.testing import PERSONAS, make_user

# Each row: route name → (method, how to build the path, {persona: status}).
# "*" gives the status for personas not named.
ANON = {"anonymous": 302}
ALL_200 = {**ANON, "*": 200}
ADMINS_200 = {**ANON, "*": 403, "administrator": 200, "outsider": 200}
REGISTER_200 = {**ANON, "*": 403, "caseworker": 200, "expert": 200}
REGISTER_PERSON = {**ANON, "*": 404, "caseworker": 200, "expert": 200}
REFERRER_200 = {**ANON, "*": 403, "referrer": 200}
TRIAGE_200 = REGISTER_200
# A referral's pages: its referrer sees the status, the assistance system the whole; 404 else.
OWN_REFERRAL = {**ANON, "*": 404, "referrer": 200}
INCOMING = {**ANON, "*": 404, "caseworker": 200, "expert": 200}
INCOMING_ACTION = {**ANON, "*": 404, "caseworker": 302, "expert": 302}


def _org_a_user(users: dict[str, User], orgs: dict[str, Organisation]) -> str:
    return str(users["caseworker"].code)


def _api_token(users: dict[str, User], organisation: Organisation) -> ApiToken:
    """A token of the administrator's organisation, acting as a referrer there."""
    acting = make_user("api-referrer", organisation, Membership.Role.REFERRER)
    token, _text = create_token(
        actor=users["administrator"],
        organisation=organisation,
        acting_user=acting,
        name="Matrix system",
        scopes=ApiToken.Scope.values,
    )
    return token


CONSENT = GivenConsent(
    given_by=Consent.GivenBy.PERSON,
    method=Consent.Method.WRITTEN,
    language="ru",
    interpreter=Consent.Interpreter.NONE,
)

# The JSON API answers 401 to everyone without a token, logged in or not.
API_401 = {"*": 401}


MATRIX: dict[str, tuple[str, Callable[..., dict[str, Any]], dict[str, int]]] = {
    "web:home": ("GET", lambda **_: {}, ALL_200),
    "web:healthz": ("GET", lambda **_: {}, {"*": 200}),
    # The language switch works for everyone and redirects back.
    "web:set_language": ("POST", lambda **_: {}, {"*": 302}),
    "accounts:login": ("GET", lambda **_: {}, {"anonymous": 200, "*": 302}),
    # Without a pending password step, the second-factor pages send back to the login.
    "accounts:verify": ("GET", lambda **_: {}, {"*": 302}),
    "accounts:enrol": ("GET", lambda **_: {}, {"*": 302}),
    "accounts:logout": ("POST", lambda **_: {}, {"*": 302}),
    "accounts:account": ("GET", lambda **_: {}, ALL_200),
    "accounts:sudo": ("GET", lambda **_: {}, ALL_200),
    "accounts:password": ("GET", lambda **_: {}, ALL_200),
    # Outside sudo mode: sent to confirm identity first.
    "accounts:recovery_codes": ("POST", lambda **_: {}, {"*": 302}),
    "manage:organisations": ("GET", lambda **_: {}, ADMINS_200),
    # Only the assistance system's administrators add organisations.
    "manage:organisation_new": (
        "GET",
        lambda **_: {},
        {**ANON, "*": 403, "administrator": 200},
    ),
    "manage:organisation": (
        "GET",
        lambda orgs, **_: {"code": orgs["assistance"].code},
        {**ANON, "*": 403, "administrator": 200, "outsider": 404},
    ),
    "manage:users": ("GET", lambda **_: {}, ADMINS_200),
    "manage:user_new": ("GET", lambda **_: {}, ADMINS_200),
    "manage:user": (
        "GET",
        lambda users, **_: {"code": users["caseworker"].code},
        {**ANON, "*": 403, "administrator": 200, "outsider": 404},
    ),
    # Role and account changes: administrators of the user's organisation are sent to sudo
    # mode first; an administrator elsewhere gets 404, as if the user did not exist.
    "manage:user_role": (
        "POST",
        lambda users, **_: {"code": users["caseworker"].code},
        {**ANON, "*": 403, "administrator": 302, "outsider": 404},
    ),
    "manage:user_role_revoke": (
        "POST",
        lambda users, **_: {
            "code": users["caseworker"].code,
            "membership": users["caseworker"].memberships.get().pk,
        },
        {**ANON, "*": 403, "administrator": 302, "outsider": 404},
    ),
    "manage:user_active": (
        "POST",
        lambda users, **_: {"code": users["caseworker"].code},
        {**ANON, "*": 403, "administrator": 302, "outsider": 404},
    ),
    "manage:user_reset_mfa": (
        "POST",
        lambda users, **_: {"code": users["caseworker"].code},
        {**ANON, "*": 403, "administrator": 302, "outsider": 404},
    ),
    "manage:security_events": ("GET", lambda **_: {}, {**ANON, "*": 403, "auditor": 200}),
    # API tokens: administrators manage their own organisations' tokens; revoking is done in
    # sudo mode, and a token of another organisation answers 404.
    "manage:api_tokens": ("GET", lambda **_: {}, ADMINS_200),
    "manage:api_token_new": ("GET", lambda **_: {}, ADMINS_200),
    "manage:api_token_revoke": (
        "POST",
        lambda api_token, **_: {"prefix": api_token.prefix},
        {**ANON, "*": 403, "administrator": 302, "outsider": 404},
    ),
    # The JSON API: its document is public; everything else needs a token.
    "api:openapi-json": ("GET", lambda **_: {}, {"*": 200}),
    "api:api-root": ("GET", lambda **_: {}, {"*": 404}),
    "api:referrals": ("GET+POST", lambda **_: {}, API_401),
    "api:referral": ("GET", lambda referral, **_: {"code": referral.code}, API_401),
    "api:referral_information": (
        "POST",
        lambda referral, **_: {"code": referral.code},
        API_401,
    ),
    "api:services": ("GET", lambda **_: {}, API_401),
    # The client register: case workers and experts of the assistance system only. A person's
    # pages give everyone else 404, as if the person did not exist.
    "clients:find": ("GET", lambda **_: {}, REGISTER_200),
    "clients:register": ("GET", lambda **_: {}, REGISTER_200),
    "clients:person": ("GET", lambda person, **_: {"code": person.code}, REGISTER_PERSON),
    # Revealing an identity needs sudo mode first: sent to confirm identity.
    "clients:identity": (
        "POST",
        lambda person, **_: {"code": person.code},
        {**REGISTER_PERSON, "caseworker": 302, "expert": 302},
    ),
    # Without a reason the request is refused with a message and a redirect.
    "clients:erase": (
        "POST",
        lambda person, **_: {"code": person.code},
        {**REGISTER_PERSON, "caseworker": 302, "expert": 302},
    ),
    "clients:erase_approve": (
        "POST",
        lambda person, erasure, **_: {"code": person.code, "pk": erasure.pk},
        {**REGISTER_PERSON, "caseworker": 302, "expert": 302},
    ),
    "clients:erase_cancel": (
        "POST",
        lambda person, erasure, **_: {"code": person.code, "pk": erasure.pk},
        {**REGISTER_PERSON, "caseworker": 302, "expert": 302},
    ),
    # Referrals (the pages of one referral by its code).
    "referrals:mine": ("GET", lambda **_: {}, REFERRER_200),
    "referrals:new": ("GET", lambda **_: {}, REFERRER_200),
    "referrals:status": ("GET", lambda referral, **_: {"code": referral.code}, OWN_REFERRAL),
    "referrals:edit": ("GET", lambda draft, **_: {"code": draft.code}, OWN_REFERRAL),
    # Not waiting for more information: the referrer is sent back to the status page.
    "referrals:answer": (
        "GET",
        lambda referral, **_: {"code": referral.code},
        {**OWN_REFERRAL, "referrer": 302},
    ),
    "referrals:queue": ("GET", lambda **_: {}, TRIAGE_200),
    "referrals:hotline": ("GET", lambda **_: {}, TRIAGE_200),
    # A call that is not one's own assistance system's gives 404 like a call that does not exist.
    "referrals:refer_call": (
        "GET",
        lambda **_: {"call": "00000000-0000-4000-8000-000000000000"},
        {**ANON, "*": 403, "caseworker": 404, "expert": 404},
    ),
    "referrals:detail": ("GET", lambda referral, **_: {"code": referral.code}, INCOMING),
    "referrals:take": ("POST", lambda referral, **_: {"code": referral.code}, INCOMING_ACTION),
    "referrals:assign": ("POST", lambda referral, **_: {"code": referral.code}, INCOMING_ACTION),
    # An empty decision form is refused with the form and its errors.
    "referrals:decide": (
        "POST",
        lambda referral, **_: {"code": referral.code},
        {**INCOMING, "caseworker": 400, "expert": 400},
    ),
    "referrals:withdraw": (
        "POST",
        lambda referral, **_: {"code": referral.code},
        INCOMING_ACTION,
    ),
    "referrals:appeal": (
        "POST",
        lambda referral, **_: {
            "code": referral.code,
            "decision": "00000000-0000-4000-8000-000000000000",
        },
        INCOMING_ACTION,
    ),
    # The decision letter (a PDF) of a decided referral.
    "referrals:letter": (
        "GET",
        lambda decided, **_: {"code": decided.referral.code, "decision": decided.code},
        INCOMING,
    ),
    "referrals:appeal_outcome": (
        "POST",
        lambda referral, **_: {"code": referral.code, "pk": 1},
        INCOMING_ACTION,
    ),
    # Cases: the assistance system's case workers and experts; everyone else 404 on a case.
    "cases:index": ("GET", lambda **_: {}, REGISTER_200),
    "cases:detail": ("GET", lambda case, **_: {"code": case.code}, INCOMING),
    "cases:end": ("GET", lambda case, **_: {"code": case.code}, INCOMING),
    # Empty forms are refused with the form and its errors.
    "cases:remove": (
        "POST",
        lambda case, **_: {"code": case.code},
        {**INCOMING, "caseworker": 400, "expert": 400},
    ),
    "cases:appeal": (
        "POST",
        lambda removal, **_: {"code": removal.case.code, "removal": removal.code},
        INCOMING_ACTION,
    ),
    "cases:appeal_outcome": (
        "POST",
        lambda removal, **_: {"code": removal.case.code, "removal": removal.code},
        INCOMING_ACTION,
    ),
    "cases:letter": (
        "GET",
        lambda removal, **_: {"code": removal.case.code, "removal": removal.code},
        INCOMING,
    ),
    # The public side: the same for everyone, logged in or not.
    "public:help_start": ("GET", lambda **_: {}, {"*": 302}),
    "public:help": ("GET", lambda **_: {"language": "ar"}, {"*": 200}),
    "public:help_card": ("GET", lambda **_: {"language": "en"}, {"*": 200}),
    "public:self_referral": ("GET", lambda **_: {"language": "so"}, {"*": 200}),
    "public:self_referral_sent": ("GET", lambda **_: {"language": "so"}, {"*": 200}),
    "public:toolkit_start": ("GET", lambda **_: {}, {"*": 302}),
    "public:toolkit": ("GET", lambda **_: {"language": "fi"}, {"*": 200}),
    "public:toolkit_step": (
        "GET",
        lambda **_: {"language": "sv", "step": "minor"},
        {"*": 200},
    ),
}


def _route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"URL pattern {pattern.pattern} has no name"
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_url_pattern_is_in_the_matrix() -> None:
    assert _route_names() == set(MATRIX), "Add the new URL to MATRIX with every persona."


@pytest.fixture
def world(
    request: pytest.FixtureRequest, assistance_org: Organisation, other_org: Organisation
) -> dict[str, Any]:
    users = {name: request.getfixturevalue(name) for name in PERSONAS if name != "anonymous"}
    person, _ = register_person(
        actor=users["caseworker"],
        organisation=assistance_org,
        identity=Identity(full_name="Matrix Person"),
    )
    erasure = request_erasure(actor=users["expert"], person=person, reason="duplicate")
    referrer_org = users["referrer"].memberships.get().organisation
    draft = referrals.save_draft(
        actor=users["referrer"],
        organisation=referrer_org,
        needs=referrals.Needs(),
        details=referrals.PersonDetails(full_name="Matrix Referral"),
    )
    referral = referrals.save_draft(
        actor=users["referrer"],
        organisation=referrer_org,
        needs=referrals.Needs(),
        details=referrals.PersonDetails(circumstances="Matrix consultation"),
        is_consultation=True,
    )
    referrals.submit(actor=users["referrer"], referral=referral, consent=None)
    # A second consultation, decided, for the decision letter.
    decided = referrals.save_draft(
        actor=users["referrer"],
        organisation=referrer_org,
        needs=referrals.Needs(),
        details=referrals.PersonDetails(circumstances="Matrix decision"),
        is_consultation=True,
    )
    referrals.submit(actor=users["referrer"], referral=decided, consent=None)
    referrals.take_into_triage(actor=users["caseworker"], referral=decided)
    decision = referrals.decide(
        actor=users["expert"],
        referral=decided,
        outcome=Decision.Outcome.NOT_ADMIT,
        reasons="Matrix reasons",
        letter_language="ru",
    )
    # Two admitted clients: one still a client, one removed by an expert's decision.
    case, removed = (
        _admitted(users, referrer_org, name) for name in ("Matrix Client", "Matrix Two")
    )
    removal = cases.remove(
        actor=users["expert"], case=removed, reasons="Matrix removal", letter_language="ru"
    )
    return {
        "draft": draft,
        "referral": referral,
        "decided": decision,
        "case": case,
        "removal": removal,
        "users": users,
        "orgs": {"assistance": assistance_org, "other": other_org},
        "person": person,
        "erasure": erasure,
        "api_token": _api_token(users, assistance_org),
    }


def _admitted(users: dict[str, User], referrer_org: Organisation, name: str) -> Case:
    referral = referrals.save_draft(
        actor=users["referrer"],
        organisation=referrer_org,
        needs=referrals.Needs(),
        details=referrals.PersonDetails(full_name=name),
    )
    referrals.submit(actor=users["referrer"], referral=referral, consent=CONSENT)
    referrals.take_into_triage(actor=users["caseworker"], referral=referral)
    referrals.decide(
        actor=users["expert"],
        referral=referral,
        outcome=Decision.Outcome.ADMIT,
        reasons="Matrix admission",
        letter_language="ru",
        client_consent=CONSENT,
        home_municipality="no",
    )
    return Case.objects.get(person__code=referral.code)


CASES = [(name, persona) for name in sorted(MATRIX) for persona in PERSONAS]


@pytest.mark.parametrize(("route", "persona"), CASES)
def test_access(
    route: str,
    persona: str,
    world: dict[str, Any],
    client_for: Callable[[str], Client],
) -> None:
    from django.urls import reverse

    method, kwargs_for, statuses = MATRIX[route]
    expected = statuses.get(persona, statuses.get("*"))
    path = reverse(route, kwargs=kwargs_for(**world) or None)
    client = client_for(persona)
    for each in method.split("+"):
        response = client.post(path) if each == "POST" else client.get(path)
        assert response.status_code == expected, (
            f"{persona} {each} {path}: got {response.status_code}, expected {expected}"
        )


@pytest.mark.parametrize("route", sorted(name for name, row in MATRIX.items() if row[0] == "POST"))
def test_post_only_routes_refuse_get(
    route: str, world: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from django.urls import reverse

    _method, kwargs_for, _ = MATRIX[route]
    response = client_for("administrator").get(reverse(route, kwargs=kwargs_for(**world) or None))
    # 405, or a redirect/403/404 from an access check that runs first; never a 200.
    assert response.status_code in {302, 403, 404, 405}
