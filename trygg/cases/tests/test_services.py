"""The client relationship through its service functions: opening, ending, removal, appeal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from trygg.accounts.models import User
from trygg.audit.models import AuditEvent
from trygg.audit.services import verify_chain
from trygg.cases import services
from trygg.cases.models import Case, CaseTransition
from trygg.cases.services import TRANSITIONS, CaseError, InvalidTransitionError
from trygg.cases.tests.conftest import CANARY_CHILD, CANARY_NAME, CANARY_REASONS, admit
from trygg.clients.models import ChildLink, Person
from trygg.clients.services import read_identity
from trygg.consent.models import Consent

pytestmark = pytest.mark.django_db


def test_admission_opens_the_case_with_the_children_linked_to_their_parent(
    case: Case, caseworker: User
) -> None:
    assert case.status == Case.Status.CLIENT
    assert case.closed_at is None
    # No home municipality: the assistance system arranges the services (Finland's rule).
    assert case.responsible_party == "assistance_system"
    assert case.cooperating == ["reception_centre"]
    children = services.children_of(case)
    assert len(children) == 2
    assert {child.kind for child in children} == {Person.Kind.CHILD}
    # Each child has a code of their own, in the same register, linked to the parent.
    assert case.code not in {child.code for child in children}
    assert ChildLink.objects.filter(parent=case.person).count() == 2
    names = {read_identity(actor=caseworker, person=child).full_name for child in children}
    assert names == {CANARY_CHILD, "Second Casechild"}
    assert list(case.transitions.values_list("from_status", "to_status")) == [("", "client")]
    opened = AuditEvent.objects.get(action="case.opened")
    assert opened.person_code == case.code
    assert opened.extra["children"] == 2


def test_a_referral_without_children_opens_a_case_without_any(
    referrer: User, caseworker: User, expert: User
) -> None:
    case = admit(referrer, caseworker, expert, home_municipality="yes")
    assert services.children_of(case) == []
    assert case.responsible_party == "municipality"


def test_the_client_ending_it_withdraws_their_consent_and_closes_the_case(
    case: Case, caseworker: User
) -> None:
    assert Consent.objects.get(person_code=case.code, purpose="client").withdrawn_at is None
    services.end_at_clients_wish(actor=caseworker, case=case)
    case.refresh_from_db()
    assert case.status == Case.Status.ENDED
    assert case.closed_at is not None
    assert Consent.objects.get(person_code=case.code, purpose="client").withdrawn_at is not None
    # Nothing leads back: a person who wants help again is referred again.
    with pytest.raises(InvalidTransitionError, match="cannot change"):
        services.end_at_clients_wish(actor=caseworker, case=case)
    assert AuditEvent.objects.filter(action="case.ended", person_code=case.code).exists()


def test_only_an_expert_removes_and_only_with_reasons(
    case: Case, caseworker: User, expert: User
) -> None:
    with pytest.raises(CaseError, match="Only an expert"):
        services.remove(actor=caseworker, case=case, reasons="Reasons.", letter_language="ro")
    with pytest.raises(CaseError, match="Give the reasons"):
        services.remove(actor=expert, case=case, reasons="  ", letter_language="ro")
    case.refresh_from_db()
    assert case.status == Case.Status.CLIENT
    assert not case.removals.exists()


def test_a_removal_is_reasoned_encrypted_and_can_be_overturned_on_appeal(
    case: Case, caseworker: User, expert: User
) -> None:
    removal = services.remove(actor=expert, case=case, reasons=CANARY_REASONS, letter_language="ro")
    case.refresh_from_db()
    assert case.status == Case.Status.REMOVED
    assert CANARY_REASONS.encode() not in bytes(removal.reasons_enc)
    assert services.read_removal_reasons(actor=caseworker, removal=removal) == CANARY_REASONS

    today = timezone.localdate()
    with pytest.raises(CaseError, match="between the decision and today"):
        services.record_removal_appeal(
            actor=caseworker, removal=removal, lodged_at=today + timedelta(days=1)
        )
    with pytest.raises(CaseError, match="no pending appeal"):
        services.record_removal_appeal_outcome(
            actor=caseworker, removal=removal, outcome="overturned", on=today
        )
    services.record_removal_appeal(actor=caseworker, removal=removal, lodged_at=today)
    with pytest.raises(CaseError, match="already recorded"):
        services.record_removal_appeal(actor=caseworker, removal=removal, lodged_at=today)
    with pytest.raises(CaseError, match="Choose the outcome"):
        services.record_removal_appeal_outcome(
            actor=caseworker, removal=removal, outcome="pending", on=today
        )
    services.record_removal_appeal_outcome(
        actor=caseworker, removal=removal, outcome="overturned", on=today
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CLIENT
    assert case.closed_at is None
    assert list(case.transitions.values_list("to_status", flat=True)) == [
        "client",
        "removed",
        "client",
    ]


def test_an_upheld_removal_keeps_the_case_closed(
    case: Case, caseworker: User, expert: User
) -> None:
    removal = services.remove(actor=expert, case=case, reasons="Reasons.", letter_language="ro")
    today = timezone.localdate()
    services.record_removal_appeal(actor=caseworker, removal=removal, lodged_at=today)
    services.record_removal_appeal_outcome(
        actor=caseworker, removal=removal, outcome="upheld", on=today
    )
    case.refresh_from_db()
    assert case.status == Case.Status.REMOVED


def test_a_removed_client_cannot_also_end_it(case: Case, caseworker: User, expert: User) -> None:
    services.remove(actor=expert, case=case, reasons="Reasons.", letter_language="ro")
    with pytest.raises(InvalidTransitionError):
        services.end_at_clients_wish(actor=caseworker, case=case)


def test_every_status_is_in_the_state_machine() -> None:
    assert set(TRANSITIONS) == set(Case.Status.values)
    for targets in TRANSITIONS.values():
        assert targets <= set(Case.Status.values)
    assert TRANSITIONS[Case.Status.ENDED] == frozenset()


def test_strangers_cannot_change_a_case(
    case: Case, outsider: User, partner: User, referrer: User
) -> None:
    for stranger in (outsider, partner, referrer):
        with pytest.raises(CaseError, match="do not work with this case"):
            services.end_at_clients_wish(actor=stranger, case=case)
        with pytest.raises(CaseError):
            services.remove(actor=stranger, case=case, reasons="x", letter_language="ro")
    case.refresh_from_db()
    assert case.status == Case.Status.CLIENT
    assert CaseTransition.objects.filter(case=case).count() == 1


def test_no_name_or_reasons_reach_the_audit_log(case: Case, caseworker: User, expert: User) -> None:
    removal = services.remove(actor=expert, case=case, reasons=CANARY_REASONS, letter_language="ro")
    services.read_removal_reasons(actor=caseworker, removal=removal)
    logged = repr(list(AuditEvent.objects.values_list("action", "extra")))
    assert "case.removed" in logged and "case.removal_reasons_viewed" in logged
    for canary in (CANARY_NAME, CANARY_CHILD, "Canary reasons"):
        assert canary not in logged
    # The chain holds, every event included (verify_chain raises ChainBroken otherwise).
    assert verify_chain().count == AuditEvent.objects.count()
