"""An admitted client with two children, through the referral services, as the cases start."""

from datetime import date

import pytest

from trygg.accounts.models import Organisation, User
from trygg.cases.models import Case
from trygg.clients.services import Identity
from trygg.consent.models import Consent
from trygg.consent.services import GivenConsent
from trygg.referrals import services as referrals
from trygg.referrals.models import Decision
from trygg.referrals.services import Needs, PersonDetails

CANARY_NAME = "Canary Caseperson"
CANARY_CHILD = "Canary Casechild"
CANARY_REASONS = "Canary reasons: moved abroad with the family"
CONSENT = GivenConsent(
    given_by=Consent.GivenBy.PERSON,
    method=Consent.Method.ORAL,
    language="ro",
    interpreter=Consent.Interpreter.REMOTE,
)


def admit(
    referrer: User,
    caseworker: User,
    expert: User,
    *,
    children: tuple[Identity, ...] = (),
    home_municipality: str = "no",
) -> Case:
    referral = referrals.save_draft(
        actor=referrer,
        organisation=referrer.memberships.get().organisation,
        needs=Needs(children_count=len(children), language="ro"),
        details=PersonDetails(full_name=CANARY_NAME, birth_date=date(1991, 2, 3)),
    )
    referrals.submit(actor=referrer, referral=referral, consent=CONSENT)
    referrals.take_into_triage(actor=caseworker, referral=referral)
    referrals.decide(
        actor=expert,
        referral=referral,
        outcome=Decision.Outcome.ADMIT,
        reasons="The indicators are clear.",
        letter_language="ro",
        client_consent=CONSENT,
        home_municipality=home_municipality,
        children=children,
    )
    return Case.objects.get(person__code=referral.code)


@pytest.fixture
def case(referrer: User, caseworker: User, expert: User, assistance_org: Organisation) -> Case:
    return admit(
        referrer,
        caseworker,
        expert,
        children=(
            Identity(full_name=CANARY_CHILD, birth_date=date(2019, 5, 6)),
            Identity(full_name="Second Casechild"),
        ),
    )
