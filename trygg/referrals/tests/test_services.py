"""From referral to decision through the service functions: rules, states and the audit chain."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from trygg.accounts.models import Organisation, User
from trygg.audit.models import AuditEvent
from trygg.clients.models import Person
from trygg.clients.services import Identity, read_identity, register_person
from trygg.consent.models import Consent
from trygg.consent.services import GivenConsent
from trygg.referrals import services
from trygg.referrals.models import Appeal, Decision, HotlineCall, Referral, Transition
from trygg.referrals.services import (
    InvalidTransitionError,
    Needs,
    PersonDetails,
    ReferralError,
)

pytestmark = pytest.mark.django_db

CANARY_NAME = "Canary Referralperson"
CANARY_PHONE = "+358 40 765 4321"
CONSENT = GivenConsent(
    given_by=Consent.GivenBy.PERSON,
    method=Consent.Method.ORAL,
    language="ru",
    interpreter=Consent.Interpreter.ON_SITE,
)
DETAILS = PersonDetails(
    full_name=CANARY_NAME,
    birth_date=date(1990, 4, 2),
    phone=CANARY_PHONE,
    circumstances="Worked on a berry farm without pay; passport held by the employer.",
)
NEEDS = Needs(
    shelter_tonight=True,
    forms=("labour",),
    place=Referral.Place.BEGUN_ABROAD,
    sector=Referral.Sector.AGRICULTURE,
    language="ru",
    interpreter_needed=True,
)


@pytest.fixture
def draft(referrer: User, assistance_org: Organisation) -> Referral:
    return services.save_draft(
        actor=referrer,
        organisation=referrer.memberships.get().organisation,
        needs=NEEDS,
        details=DETAILS,
    )


@pytest.fixture
def received(draft: Referral, referrer: User) -> Referral:
    return services.submit(actor=referrer, referral=draft, consent=CONSENT)


@pytest.fixture
def in_triage(received: Referral, caseworker: User) -> Referral:
    return services.take_into_triage(actor=caseworker, referral=received)


def test_a_draft_is_encrypted_and_can_be_finished_later(
    draft: Referral, referrer: User, referrer_org: Organisation
) -> None:
    assert draft.status == Referral.Status.DRAFT
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM referrals_referral")
        stored = repr(cursor.fetchall())
    assert CANARY_NAME not in stored and "berry" not in stored

    changed = services.save_draft(
        actor=referrer,
        organisation=referrer_org,
        needs=NEEDS,
        details=PersonDetails(full_name=CANARY_NAME, phone="+358 40 111 2222"),
        referral=draft,
    )

    assert changed.pk == draft.pk
    assert services.read_details(actor=referrer, referral=changed).phone == "+358 40 111 2222"


def test_submitting_with_consent_records_the_consent_and_starts_the_clock(
    received: Referral,
) -> None:
    consent = Consent.objects.get(person_code=received.code)
    assert consent.purpose == Consent.Purpose.REFERRAL
    assert (consent.method, consent.language, consent.interpreter) == ("oral", "ru", "on_site")
    assert received.status == Referral.Status.RECEIVED
    # A safe place tonight is urgent: hours, not days.
    assert received.respond_by is not None and received.received_at is not None
    assert received.respond_by - received.received_at == timedelta(hours=4)
    assert list(received.transitions.values_list("from_status", "to_status")) == [
        ("draft", "received")
    ]


def test_without_consent_only_an_anonymous_consultation_can_be_sent(
    referrer: User, referrer_org: Organisation, draft: Referral
) -> None:
    with pytest.raises(ReferralError, match="Without the person's consent"):
        services.submit(actor=referrer, referral=draft, consent=None)

    with pytest.raises(ReferralError, match="cannot hold the person's name, birth date"):
        services.save_draft(
            actor=referrer,
            organisation=referrer_org,
            needs=NEEDS,
            details=DETAILS,
            is_consultation=True,
        )
    consultation = services.save_draft(
        actor=referrer,
        organisation=referrer_org,
        needs=NEEDS,
        details=PersonDetails(circumstances="Works nights, lives at the restaurant."),
        is_consultation=True,
    )
    sent = services.submit(actor=referrer, referral=consultation, consent=None)

    assert sent.status == Referral.Status.RECEIVED
    assert sent.full_name_enc is None
    assert not Consent.objects.filter(person_code=sent.code).exists()


def test_an_invalid_transition_is_refused_with_a_clear_message(
    received: Referral, expert: User
) -> None:
    with pytest.raises(InvalidTransitionError) as excinfo:
        services.decide(
            actor=expert,
            referral=received,
            outcome=Decision.Outcome.NOT_ADMIT,
            reasons="Not assessed yet.",
            letter_language="ru",
        )
    assert str(excinfo.value) == (
        "This referral's status is “Received”; it cannot change to “Decided”."
    )
    received.refresh_from_db()
    assert received.status == Referral.Status.RECEIVED
    assert not Decision.objects.exists()


def test_the_state_machine_has_no_way_out_of_a_withdrawal() -> None:
    assert services.TRANSITIONS[Referral.Status.WITHDRAWN] == frozenset()
    assert set(services.TRANSITIONS) == set(Referral.Status.values)


def test_admission_needs_the_persons_consent_and_registers_them_under_the_same_code(
    in_triage: Referral, expert: User, caseworker: User
) -> None:
    with pytest.raises(ReferralError, match="Nobody is admitted against their will"):
        services.decide(
            actor=expert,
            referral=in_triage,
            outcome=Decision.Outcome.ADMIT,
            reasons="Indicators of labour trafficking.",
            letter_language="ru",
        )

    with pytest.raises(ReferralError, match="home municipality"):
        services.decide(
            actor=expert,
            referral=in_triage,
            outcome=Decision.Outcome.ADMIT,
            reasons="Indicators of labour trafficking.",
            letter_language="ru",
            client_consent=CONSENT,
        )

    decision = services.decide(
        actor=expert,
        referral=in_triage,
        outcome=Decision.Outcome.ADMIT,
        reasons="Indicators of labour trafficking.",
        letter_language="ru",
        client_consent=CONSENT,
        home_municipality="yes",
    )
    # A home municipality: the municipality arranges the services (Finland's profile).
    assert decision.responsible_party == "municipality"
    assert decision.cooperating == ["reception_centre"]

    referral = Referral.objects.get(pk=in_triage.pk)
    assert referral.status == Referral.Status.DECIDED
    person = Person.objects.get(code=referral.code)
    assert referral.person == person
    # Told once: the register holds the identity given in the referral.
    assert read_identity(actor=caseworker, person=person).full_name == CANARY_NAME
    assert Consent.objects.filter(person_code=referral.code, purpose="client").count() == 1
    assert services.read_reasons(actor=caseworker, decision=decision).startswith("Indicators")
    assert services.status_for_referrer(referral) == "Admitted"


def test_only_experts_decide(in_triage: Referral, caseworker: User) -> None:
    with pytest.raises(ReferralError, match="Only an expert"):
        services.decide(
            actor=caseworker,
            referral=in_triage,
            outcome=Decision.Outcome.NOT_ADMIT,
            reasons="x",
            letter_language="en",
        )


def test_more_information_goes_back_to_the_referrer_and_returns_to_triage(
    in_triage: Referral, expert: User, referrer: User
) -> None:
    services.decide(
        actor=expert,
        referral=in_triage,
        outcome=Decision.Outcome.MORE_INFORMATION,
        reasons="Please describe the working hours.",
        letter_language="en",
    )
    waiting = Referral.objects.get(pk=in_triage.pk)
    assert waiting.status == Referral.Status.INFORMATION_REQUESTED
    assert services.status_for_referrer(waiting) == "More information requested"

    services.supplement(actor=referrer, referral=waiting, details=DETAILS)

    assert Referral.objects.get(pk=in_triage.pk).status == Referral.Status.IN_TRIAGE


def test_only_a_waiting_referral_takes_an_answer_and_only_from_its_referrer(
    received: Referral, in_triage: Referral, expert: User, referrer: User, caseworker: User
) -> None:
    # Neither a received nor a decided referral can be pushed into triage by an "answer".
    with pytest.raises(InvalidTransitionError, match="not waiting for more information"):
        services.supplement(actor=referrer, referral=in_triage, details=DETAILS)
    with pytest.raises(InvalidTransitionError, match="not waiting for more information"):
        services.answer_request(actor=referrer, referral=in_triage, answer="Nights.")
    services.decide(
        actor=expert,
        referral=in_triage,
        outcome=Decision.Outcome.MORE_INFORMATION,
        reasons="Please describe the working hours.",
        letter_language="en",
    )
    waiting = Referral.objects.get(pk=in_triage.pk)
    with pytest.raises(ReferralError, match="Only the referrer"):
        services.answer_request(actor=caseworker, referral=waiting, answer="Nights.")
    with pytest.raises(ReferralError, match="Enter the person's name"):
        services.supplement(actor=referrer, referral=waiting, details=PersonDetails())
    with pytest.raises(ReferralError, match="Write your answer"):
        services.answer_request(actor=referrer, referral=waiting, answer="   ")
    assert Referral.objects.get(pk=in_triage.pk).status == Referral.Status.INFORMATION_REQUESTED

    # The referrer reads the question (audited) and answers in words; the answer is added,
    # dated, to what was known, and the referral returns to triage.
    assert services.information_request(actor=referrer, referral=waiting) == (
        "Please describe the working hours."
    )
    services.answer_request(actor=referrer, referral=waiting, answer="Sixteen hours a day.")
    after = Referral.objects.get(pk=in_triage.pk)
    assert after.status == Referral.Status.IN_TRIAGE
    circumstances = services.read_details(actor=None, referral=after, audited=False).circumstances
    assert circumstances.startswith(DETAILS.circumstances)
    assert circumstances.endswith(f"[{timezone.localdate().isoformat()}] Sixteen hours a day.")
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "referral.request_viewed" in actions and "referral.supplemented" in actions


def test_an_overturned_appeal_sends_the_referral_back_to_triage(
    in_triage: Referral, expert: User, caseworker: User
) -> None:
    decision = services.decide(
        actor=expert,
        referral=in_triage,
        outcome=Decision.Outcome.NOT_ADMIT,
        reasons="No indicators found.",
        letter_language="ru",
    )
    with pytest.raises(ReferralError, match="between the decision and today"):
        services.record_appeal(
            actor=caseworker, decision=decision, lodged_at=timezone.localdate() + timedelta(1)
        )
    appeal = services.record_appeal(
        actor=caseworker, decision=decision, lodged_at=timezone.localdate()
    )

    services.record_appeal_outcome(
        actor=caseworker, appeal=appeal, outcome=Appeal.Outcome.OVERTURNED, on=timezone.localdate()
    )

    assert Referral.objects.get(pk=in_triage.pk).status == Referral.Status.IN_TRIAGE
    with pytest.raises(ReferralError, match="already has an outcome"):
        services.record_appeal_outcome(
            actor=caseworker, appeal=appeal, outcome=Appeal.Outcome.UPHELD, on=timezone.localdate()
        )


def test_withdrawal_ends_the_referral_and_withdraws_its_consent(
    received: Referral, referrer: User
) -> None:
    services.withdraw(actor=referrer, referral=received)

    assert Referral.objects.get(pk=received.pk).status == Referral.Status.WITHDRAWN
    assert Consent.objects.get(person_code=received.code).withdrawn_at is not None
    with pytest.raises(InvalidTransitionError):
        services.withdraw(actor=referrer, referral=received)


def test_a_possible_duplicate_is_found_in_the_register(
    received: Referral, caseworker: User, assistance_org: Organisation
) -> None:
    known, _ = register_person(
        actor=caseworker,
        organisation=assistance_org,
        identity=Identity(full_name="Other Name", phone=CANARY_PHONE),
    )

    assert services.possible_duplicates(received) == [known.code]


def test_a_self_referral_is_received_at_once_with_the_persons_own_consent(
    assistance_org: Organisation,
) -> None:
    with pytest.raises(ReferralError, match="how the assistance system can contact you"):
        services.self_refer(needs=Needs(), details=PersonDetails(full_name="A"), language="vi")

    referral = services.self_refer(
        needs=Needs(safety_threat=True),
        details=PersonDetails(
            full_name=CANARY_NAME, contact_preferences="SMS only, weekdays after 18"
        ),
        language="vi",
    )

    assert (referral.channel, referral.status) == ("self", "received")
    assert referral.referring_organisation is None
    consent = Consent.objects.get(person_code=referral.code)
    assert (consent.given_by, consent.method, consent.language) == ("person", "electronic", "vi")


def test_a_hotline_call_can_become_a_referral(
    caseworker: User, assistance_org: Organisation
) -> None:
    call = services.log_call(
        actor=caseworker,
        caller=HotlineCall.Caller.PROFESSIONAL,
        is_anonymous=False,
        urgent=True,
        summary=f"Nurse calling about {CANARY_NAME}.",
    )

    referral = services.refer_call(
        actor=caseworker, call=call, needs=NEEDS, details=DETAILS, consent=CONSENT
    )

    assert (referral.channel, referral.status) == ("hotline", "received")
    call.refresh_from_db()
    assert call.referral == referral
    with pytest.raises(ReferralError, match="already become a referral"):
        services.refer_call(
            actor=caseworker, call=call, needs=NEEDS, details=DETAILS, consent=CONSENT
        )


def test_people_outside_the_assistance_system_cannot_triage(
    received: Referral, partner: User, outsider: User
) -> None:
    for stranger in (partner, outsider):
        with pytest.raises(ReferralError):
            services.take_into_triage(actor=stranger, referral=received)
    assert Transition.objects.filter(referral=received).count() == 1


def test_no_name_or_phone_reaches_the_audit_log(in_triage: Referral, expert: User) -> None:
    services.decide(
        actor=expert,
        referral=in_triage,
        outcome=Decision.Outcome.NOT_ADMIT,
        reasons=f"{CANARY_NAME} declined.",
        letter_language="ru",
    )
    logged = repr(list(AuditEvent.objects.values_list("action", "extra")))
    assert "referral.decided" in logged
    assert CANARY_NAME not in logged and "765 4321" not in logged


@pytest.mark.parametrize(
    ("home", "responsible"), [("no", "assistance_system"), ("unknown", "assistance_system")]
)
def test_without_a_known_home_municipality_the_assistance_system_arranges_the_services(
    in_triage: Referral, expert: User, home: str, responsible: str
) -> None:
    decision = services.decide(
        actor=expert,
        referral=in_triage,
        outcome=Decision.Outcome.ADMIT,
        reasons="Indicators of labour trafficking.",
        letter_language="ru",
        client_consent=CONSENT,
        home_municipality=home,
    )

    assert (decision.home_municipality, decision.responsible_party) == (home, responsible)
    assert decision.cooperating == ["reception_centre"]
