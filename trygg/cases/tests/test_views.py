"""The case pages: children admitted through the decision form, ending, removal and its letter."""

from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from trygg.accounts.models import Organisation, User
from trygg.audit.models import AuditEvent
from trygg.cases.models import Case
from trygg.cases.tests.conftest import CANARY_CHILD, CANARY_NAME, CANARY_REASONS, CONSENT, admit
from trygg.clients.models import Person
from trygg.consent.models import Consent
from trygg.public.tests.test_card import normalised, read_back
from trygg.referrals import services as referrals
from trygg.referrals.models import Referral
from trygg.referrals.services import Needs, PersonDetails
from trygg.testing import log_in

pytestmark = pytest.mark.django_db

CONSENT_FIELDS = {
    "consent_given_by": CONSENT.given_by,
    "consent_method": CONSENT.method,
    "consent_language": CONSENT.language,
    "consent_interpreter": CONSENT.interpreter,
}


@pytest.fixture
def with_two_children(referrer: User, caseworker: User) -> Referral:
    referral = referrals.save_draft(
        actor=referrer,
        organisation=referrer.memberships.get().organisation,
        needs=Needs(children_count=2, language="ro"),
        details=PersonDetails(
            full_name=CANARY_NAME,
            children=f"{CANARY_CHILD}, 6; a baby, 1",
        ),
    )
    referrals.submit(actor=referrer, referral=referral, consent=CONSENT)
    return referrals.take_into_triage(actor=caseworker, referral=referral)


def _decide(client: Client, referral: Referral, **children: str) -> str:
    response = client.post(
        f"/referrals/triage/{referral.code}/decide/",
        {
            "outcome": "admit",
            "reasons": "Clear indicators.",
            "letter_language": "ro",
            "home_municipality": "no",
            **CONSENT_FIELDS,
            **children,
        },
    )
    return f"{response.status_code} {response.content.decode()}"


def test_the_expert_admits_the_children_named_in_the_referral_with_their_parent(
    with_two_children: Referral, expert: User
) -> None:
    client = log_in(Client(), expert)
    form = client.get(f"/referrals/triage/{with_two_children.code}/").content.decode()
    assert "Name of child 1" in form and "Birth date of child 2" in form

    # A child must be a minor, and a birth date needs a name.
    too_old = _decide(
        client,
        with_two_children,
        child_1_name=CANARY_CHILD,
        child_1_birth_date="2000-01-01",
        child_2_birth_date="2025-01-01",
    )
    assert too_old.startswith("400")
    assert "must be under 18 years old" in too_old
    assert "Enter the child&#x27;s name." in too_old
    assert not Case.objects.exists()

    # The second child is not admitted: their name is left empty.
    assert _decide(
        client, with_two_children, child_1_name=CANARY_CHILD, child_1_birth_date="2019-05-06"
    ).startswith("302")
    case = Case.objects.get(person__code=with_two_children.code)
    (child,) = Person.objects.filter(parent_links__parent=case.person)
    page = client.get(f"/cases/{case.code}/").content.decode()
    assert child.code in page
    assert "Client" in page
    # The case page shows codes, never a name.
    assert CANARY_NAME not in page and CANARY_CHILD not in page


def test_the_case_list_shows_the_teams_open_cases_and_filters_by_status(
    referrer: User, caseworker: User, expert: User
) -> None:
    open_case = admit(referrer, caseworker, expert)
    ended = admit(referrer, caseworker, expert)
    client = log_in(Client(), caseworker)
    client.post(f"/cases/{ended.code}/end/", {"confirm": "on"})

    listed = client.get("/cases/").content.decode()
    assert open_case.code in listed and ended.code not in listed
    listed = client.get("/cases/?status=ended").content.decode()
    assert ended.code in listed and open_case.code not in listed
    # An unknown status shows the open cases rather than an error.
    assert open_case.code in client.get("/cases/?status=nonsense").content.decode()


def test_the_case_list_costs_the_same_number_of_queries_for_2_or_12_cases(
    referrer: User, caseworker: User, expert: User
) -> None:
    client = log_in(Client(), caseworker)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/cases/").status_code == 200
        return len(queries)

    for _ in range(2):
        admit(referrer, caseworker, expert)
    few = count()
    for _ in range(10):
        admit(referrer, caseworker, expert)
    assert count() == few


def test_ending_needs_confirmation_and_withdraws_the_client_consent(
    case: Case, caseworker: User
) -> None:
    client = log_in(Client(), caseworker)
    refused = client.post(f"/cases/{case.code}/end/", {})
    assert refused.status_code == 400
    assert "Confirm that the client no longer wants to be a client." in refused.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.CLIENT

    assert client.post(f"/cases/{case.code}/end/", {"confirm": "on"}).status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.ENDED
    assert Consent.objects.get(person_code=case.code, purpose="client").withdrawn_at is not None
    page = client.get(f"/cases/{case.code}/").content.decode()
    assert "Ended at the client&#x27;s wish" in page
    assert "The client no longer wants help" not in page


def test_removal_with_reasons_gives_a_letter_in_the_persons_language(
    case: Case, caseworker: User, expert: User, tmp_path: Path
) -> None:
    # A case worker sees the case but is offered no removal, and is refused one.
    assert (
        "Record the removal"
        not in log_in(Client(), caseworker).get(f"/cases/{case.code}/").content.decode()
    )
    refused = log_in(Client(), caseworker).post(
        f"/cases/{case.code}/remove/", {"reasons": "x", "letter_language": "ro"}
    )
    assert refused.status_code == 400
    assert "Only an expert" in refused.content.decode()

    client = log_in(Client(), expert)
    empty = client.post(f"/cases/{case.code}/remove/", {"reasons": "", "letter_language": "ro"})
    assert empty.status_code == 400
    response = client.post(
        f"/cases/{case.code}/remove/", {"reasons": CANARY_REASONS, "letter_language": "ro"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.REMOVED
    removal = case.removals.get()

    letter = client.get(f"/cases/{case.code}/removals/{removal.code}/letter.pdf")
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"
    text = normalised(read_back(letter.content, tmp_path))
    # Romanian: the removal, the reasons as written, the appeal route and the reference.
    assert normalised("scoată din sistem") in text
    assert normalised(CANARY_REASONS) in text
    assert "30" in text
    assert case.code.casefold() in text
    assert AuditEvent.objects.filter(action="case.letter_made", person_code=case.code).exists()

    # The appeal, then its outcome: overturned, the person is a client again.
    page = client.post(
        f"/cases/{case.code}/removals/{removal.code}/appeal/",
        {"lodged_at": timezone.localdate().isoformat()},
        follow=True,
    ).content.decode()
    assert "The appeal has been recorded." in page
    client.post(f"/cases/{case.code}/removals/{removal.code}/outcome/", {"outcome": "overturned"})
    case.refresh_from_db()
    assert case.status == Case.Status.CLIENT


def test_a_stranger_cannot_tell_whether_a_case_exists(
    case: Case, outsider: User, referrer: User, other_org: Organisation
) -> None:
    for stranger in (outsider, referrer):
        client = log_in(Client(), stranger)
        assert client.get(f"/cases/{case.code}/").status_code == 404
        assert client.get("/cases/ZZZZ-ZZZZ/").status_code == 404
        assert client.post(f"/cases/{case.code}/end/", {"confirm": "on"}).status_code == 404
    case.refresh_from_db()
    assert case.status == Case.Status.CLIENT


def test_the_client_page_links_to_the_case(case: Case, caseworker: User) -> None:
    page = log_in(Client(), caseworker).get(f"/clients/{case.code}/").content.decode()
    assert f"/cases/{case.code}/" in page


def test_children_are_checked_as_minors_on_the_day_of_the_decision() -> None:
    from trygg.referrals.forms import _age

    assert _age(date(2008, 12, 2), date(2026, 12, 1)) == 17
    assert _age(date(2008, 12, 1), date(2026, 12, 1)) == 18
