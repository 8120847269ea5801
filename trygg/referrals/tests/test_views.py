"""The referral pages through the whole stack: referrer, triage, decision, and what each sees."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from trygg.accounts.models import Membership, Organisation, User
from trygg.clients.models import Person
from trygg.clients.services import Identity, register_person
from trygg.consent.models import Consent
from trygg.referrals import services
from trygg.referrals.models import Decision, HotlineCall, Referral
from trygg.testing import log_in, make_user

pytestmark = pytest.mark.django_db

CANARY_NAME = "Canary Viewperson"
CANARY_PHONE = "+358 40 555 0199"
CONSENT_FIELDS = {
    "consent_given_by": "person",
    "consent_method": "oral",
    "consent_language": "ru",
    "consent_interpreter": "on_site",
}


def referral_post(**changes: Any) -> dict[str, Any]:
    data = {
        "consent": "yes",
        **CONSENT_FIELDS,
        "full_name": CANARY_NAME,
        "birth_date": "1991-02-03",
        "phone": CANARY_PHONE,
        "children_count": "1",
        "children": "One daughter, 6",
        "shelter_tonight": "on",
        "forms_of_exploitation": ["labour"],
        "place": "begun_abroad",
        "sector": "cleaning",
        "circumstances": "Cleans offices at night; the employer keeps the passport.",
        "language": "ru",
        "interpreter_needed": "on",
        "referrer_contact": "Call the ward, ext. 4411",
        "action": "send",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def send_consultation(
    referrer: User, organisation: Organisation, needs: services.Needs | None = None
) -> Referral:
    """An anonymous consultation, sent: the cheapest open referral."""
    draft = services.save_draft(
        actor=referrer,
        organisation=organisation,
        needs=needs or services.Needs(),
        details=services.PersonDetails(circumstances="x"),
        is_consultation=True,
    )
    return services.submit(actor=referrer, referral=draft, consent=None)


@pytest.fixture
def sent(client: Client, referrer: User, assistance_org: Organisation) -> Referral:
    response = log_in(client, referrer).post("/referrals/new/", referral_post())
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/referrals/{referral.code}/"
    return referral


def test_a_referrer_sends_a_referral_with_consent_and_sees_only_its_status(
    client: Client, sent: Referral
) -> None:
    assert sent.status == Referral.Status.RECEIVED
    assert sent.is_urgent and sent.children_count == 1
    assert Consent.objects.get(person_code=sent.code).interpreter == "on_site"

    page = client.get(f"/referrals/{sent.code}/").content.decode()
    assert "Received" in page
    # The status page shows no detail of the person, not even back to the referrer.
    assert CANARY_NAME not in page and "passport" not in page


def test_a_draft_is_saved_half_filled_and_finished_later(
    client: Client, referrer: User, assistance_org: Organisation
) -> None:
    log_in(client, referrer)
    response = client.post(
        "/referrals/new/",
        referral_post(
            consent=None, action="save", birth_date=None, **dict.fromkeys(CONSENT_FIELDS)
        ),
    )
    draft = Referral.objects.get()
    assert response["Location"] == f"/referrals/{draft.code}/edit/"
    assert draft.status == Referral.Status.DRAFT

    form = client.get(f"/referrals/{draft.code}/edit/").content.decode()
    assert CANARY_NAME in form

    client.post(f"/referrals/{draft.code}/edit/", referral_post())
    draft.refresh_from_db()
    assert draft.status == Referral.Status.RECEIVED


def test_without_consent_identifying_fields_are_refused_and_nothing_is_stored(
    client: Client, referrer: User, assistance_org: Organisation
) -> None:
    response = log_in(client, referrer).post(
        "/referrals/new/", referral_post(consent="no", **dict.fromkeys(CONSENT_FIELDS))
    )

    assert response.status_code == 400
    assert "Without the person&#x27;s consent, leave this empty" in response.content.decode()
    assert not Referral.objects.exists()


def test_an_anonymous_consultation_reaches_triage_without_a_name(
    client: Client, referrer: User, caseworker: User, assistance_org: Organisation
) -> None:
    log_in(client, referrer).post(
        "/referrals/new/",
        referral_post(
            consent="no",
            full_name="",
            birth_date="",
            phone="",
            **dict.fromkeys(CONSENT_FIELDS),
        ),
    )
    referral = Referral.objects.get()
    assert referral.is_consultation and referral.status == Referral.Status.RECEIVED

    page = log_in(Client(), caseworker).get(f"/referrals/triage/{referral.code}/")
    assert "anonymous consultation" in page.content.decode()


def test_triage_decision_and_the_referrer_told_only_the_outcome(
    client: Client, sent: Referral, caseworker: User, expert: User, assistance_org: Organisation
) -> None:
    known, _ = register_person(
        actor=caseworker,
        organisation=assistance_org,
        identity=Identity(full_name="X", phone=CANARY_PHONE),
    )
    staff = log_in(Client(), caseworker)
    queue = staff.get("/referrals/triage/").content.decode()
    assert sent.code in queue and "Urgent" in queue

    detail = staff.get(f"/referrals/triage/{sent.code}/").content.decode()
    assert CANARY_NAME in detail
    assert known.code in detail  # the possible-duplicate notice, for staff only

    staff.post(f"/referrals/triage/{sent.code}/take/")
    sent.refresh_from_db()
    assert (sent.status, sent.assigned_to) == (Referral.Status.IN_TRIAGE, caseworker)

    refused = log_in(Client(), expert).post(
        f"/referrals/triage/{sent.code}/decide/",
        {"outcome": "admit", "reasons": "Clear indicators.", "letter_language": "ru"},
    )
    assert refused.status_code == 400
    assert "Fill this in to record the person" in refused.content.decode()

    decided = log_in(Client(), expert).post(
        f"/referrals/triage/{sent.code}/decide/",
        {
            "outcome": "admit",
            "reasons": "Clear indicators.",
            "letter_language": "ru",
            "home_municipality": "no",
            **CONSENT_FIELDS,
        },
    )
    assert decided.status_code == 302
    sent.refresh_from_db()
    assert sent.status == Referral.Status.DECIDED
    assert Person.objects.filter(code=sent.code).exists()
    decided_page = staff.get(f"/referrals/triage/{sent.code}/").content.decode()
    # No home municipality: the assistance system arranges, with the reception centre.
    assert "Services are arranged by: Assistance system" in decided_page
    assert "Reception centre" in decided_page

    told = client.get(f"/referrals/{sent.code}/").content.decode()
    assert "Admitted" in told
    assert "Clear indicators" not in told and known.code not in told


def test_another_referrer_gets_404_for_a_referral_that_is_not_theirs(
    sent: Referral, referrer_org: Organisation
) -> None:
    other = make_user("other-referrer", referrer_org, Membership.Role.REFERRER)
    client = log_in(Client(), other)

    assert client.get(f"/referrals/{sent.code}/").status_code == 404
    assert client.get(f"/referrals/{sent.code}/edit/").status_code == 404
    assert sent.code not in client.get("/referrals/").content.decode()


def test_the_queue_costs_the_same_number_of_queries_for_5_or_40_referrals(
    referrer: User, referrer_org: Organisation, caseworker: User, assistance_org: Organisation
) -> None:
    client = log_in(Client(), caseworker)

    def add(count: int) -> None:
        for index in range(count):
            referral = send_consultation(
                referrer, referrer_org, services.Needs(medical_need=index % 2 == 0)
            )
            if index % 3 == 0:
                services.take_into_triage(actor=caseworker, referral=referral)

    def queries() -> int:
        client.get("/referrals/triage/")  # warm the session and caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/referrals/triage/").status_code == 200
        return len(captured)

    add(5)
    few = queries()
    add(35)
    many = queries()

    assert few == many


def test_a_case_worker_narrows_the_queue_to_their_own_or_to_unassigned_referrals(
    referrer: User, referrer_org: Organisation, caseworker: User, assistance_org: Organisation
) -> None:
    colleague = make_user("colleague", assistance_org, Membership.Role.CASEWORKER)
    mine, theirs, nobodys = (send_consultation(referrer, referrer_org) for _ in range(3))
    codes = [mine.code, theirs.code, nobodys.code]
    services.assign(actor=caseworker, referral=mine, assignee=caseworker)
    services.assign(actor=caseworker, referral=theirs, assignee=colleague)
    client = log_in(Client(), caseworker)

    def shown(query: str) -> set[str]:
        page = client.get(f"/referrals/triage/{query}").content.decode()
        return {code for code in codes if code in page}

    assert shown("") == set(codes)
    assert shown("?show=mine") == {mine.code}
    assert shown("?show=unassigned") == {nobodys.code}
    # An unknown view is the whole queue, not an error.
    assert shown("?show=everything") == set(codes)

    services.assign(actor=caseworker, referral=nobodys, assignee=colleague)
    page = client.get("/referrals/triage/?show=unassigned").content.decode()
    assert "No open referral is waiting for a case worker." in page


def test_the_queue_pager_keeps_the_chosen_view(
    referrer: User, referrer_org: Organisation, caseworker: User, assistance_org: Organisation
) -> None:
    for _ in range(51):
        send_consultation(referrer, referrer_org)
    client = log_in(Client(), caseworker)

    page = client.get("/referrals/triage/?show=unassigned").content.decode()

    assert 'href="?show=unassigned&amp;page=2"' in page


def test_a_hotline_call_is_logged_and_its_summary_encrypted(
    caseworker: User, assistance_org: Organisation
) -> None:
    client = log_in(Client(), caseworker)
    response = client.post(
        "/referrals/triage/calls/",
        {"caller": "professional", "is_anonymous": "on", "urgent": "on", "summary": CANARY_NAME},
    )

    assert response.status_code == 302
    call = HotlineCall.objects.get()
    assert call.urgent and call.caller == "professional"
    assert call.summary_enc is not None
    assert CANARY_NAME.encode() not in bytes(call.summary_enc)
    assert "Urgent" in client.get("/referrals/triage/calls/").content.decode()


def test_a_logged_call_becomes_a_referral_in_the_browser_form(
    caseworker: User, assistance_org: Organisation, partner: User
) -> None:
    call = services.log_call(
        actor=caseworker,
        caller=HotlineCall.Caller.PERSON,
        is_anonymous=False,
        urgent=False,
        summary="",
    )
    url = f"/referrals/triage/calls/{call.code}/refer/"
    assert log_in(Client(), partner).get(url).status_code == 403

    client = log_in(Client(), caseworker)
    assert "Make a referral" in client.get("/referrals/triage/calls/").content.decode()
    response = client.post(url, referral_post())

    referral = Referral.objects.get()
    assert response["Location"] == f"/referrals/triage/{referral.code}/"
    assert (referral.channel, referral.status) == ("hotline", "received")
    call.refresh_from_db()
    assert call.referral == referral
    # Once referred, the call's form is gone.
    assert client.get(url).status_code == 404


def test_every_field_of_the_referral_form_sits_in_exactly_one_section() -> None:
    from trygg.referrals.forms import ReferralForm

    grouped = [name for _title, names in ReferralForm.GROUPS for name in names]
    form = ReferralForm(services=Organisation.objects.none())

    assert sorted(grouped) == sorted(form.fields)


def test_the_referrer_reads_the_question_and_answers_it_on_the_status_page(
    sent: Referral, referrer: User, caseworker: User, expert: User
) -> None:
    services.take_into_triage(actor=caseworker, referral=sent)
    services.decide(
        actor=expert,
        referral=sent,
        outcome=Decision.Outcome.MORE_INFORMATION,
        reasons="Who holds the passport?",
        letter_language="en",
    )
    client = log_in(Client(), referrer)
    status_page = client.get(f"/referrals/{sent.code}/").content.decode()
    assert "More information requested" in status_page
    assert f"/referrals/{sent.code}/answer/" in status_page

    form = client.get(f"/referrals/{sent.code}/answer/").content.decode()
    assert "Who holds the passport?" in form
    refused = client.post(f"/referrals/{sent.code}/answer/", {"answer": ""})
    assert refused.status_code == 400
    sent_answer = client.post(
        f"/referrals/{sent.code}/answer/", {"answer": "The employer keeps it."}, follow=True
    )
    assert "Your answer has been sent." in sent_answer.content.decode()
    sent.refresh_from_db()
    assert sent.status == Referral.Status.IN_TRIAGE
    staff_page = log_in(Client(), caseworker).get(f"/referrals/triage/{sent.code}/")
    assert "The employer keeps it." in staff_page.content.decode()
    # Once answered, the page no longer takes an answer.
    again = client.get(f"/referrals/{sent.code}/answer/")
    assert again.status_code == 302


def test_the_assignment_list_escapes_names_and_keeps_the_choice(
    sent: Referral, caseworker: User, assistance_org: Organisation
) -> None:
    odd = make_user("odd-worker", assistance_org, Membership.Role.CASEWORKER)
    odd.full_name = '<img src=x onerror="alert(1)">'
    odd.save(update_fields=["full_name"])
    client = log_in(Client(), caseworker)
    page = client.get(f"/referrals/triage/{sent.code}/").content.decode()
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert '<img src=x onerror="alert(1)">' not in page
    assert (
        client.post(f"/referrals/triage/{sent.code}/assign/", {"assignee": odd.pk}).status_code
        == 302
    )
    sent.refresh_from_db()
    assert sent.assigned_to == odd


def test_consent_fields_are_not_marked_optional_though_drafts_may_leave_them_open(
    referrer: User,
) -> None:
    page = log_in(Client(), referrer).get("/referrals/new/").content.decode()
    label = page[page.index('<label for="id_consent_given_by">') :]
    assert label[: label.index("</label>")].endswith("Who gave the consent")
    # A field that is optional in every case still says so.
    nationality = page[page.index('<label for="id_nationality">') :]
    assert "(optional)" in nationality[: nationality.index("</label>")]
