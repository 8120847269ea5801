"""Finding people by exact identity, within one's own register only."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from trygg.accounts.models import Organisation, User
from trygg.audit.models import AuditEvent
from trygg.clients.models import Person
from trygg.clients.services import RegisterError, find_people
from trygg.clients.tests.conftest import CANARY_NAME, CANARY_PHONE
from trygg.testing import log_in


def test_name_and_birth_date_together_find_the_person(
    caseworker: User, client_person: Person
) -> None:
    found = find_people(actor=caseworker, name=CANARY_NAME.upper(), birth_date=date(1994, 5, 17))
    assert found == [client_person]


def test_phone_number_finds_the_person_whatever_its_spacing(
    caseworker: User, client_person: Person
) -> None:
    assert find_people(actor=caseworker, phone="+35840 7771234") == [client_person]


def test_name_alone_is_refused(caseworker: User, client_person: Person) -> None:
    with pytest.raises(RegisterError):
        find_people(actor=caseworker, name=CANARY_NAME)


def test_search_is_audited_without_the_values_searched_for(
    caseworker: User, client_person: Person
) -> None:
    find_people(actor=caseworker, phone=CANARY_PHONE)
    event = AuditEvent.objects.get(action="person.searched")
    assert event.extra == {"by": "phone", "matches": 1}
    assert "358" not in str(event.extra)


def test_people_of_another_register_are_not_found(
    client_person: Person, other_org: Organisation
) -> None:
    from trygg.testing import make_user

    other_org.type = Organisation.Type.ASSISTANCE_SYSTEM
    other_org.save()
    stranger = make_user("stranger", other_org, "caseworker")
    assert find_people(actor=stranger, phone=CANARY_PHONE) == []


def test_the_web_search_posts_so_that_nothing_searched_enters_a_url(
    client: Client, caseworker: User, client_person: Person
) -> None:
    log_in(client, caseworker)
    response = client.post(reverse("clients:find"), {"phone": CANARY_PHONE})
    assert response.status_code == 200
    assert client_person.code in response.content.decode()
    assert client.get(reverse("clients:find"), {"phone": CANARY_PHONE}).status_code == 200
    assert AuditEvent.objects.filter(action="person.searched").count() == 1
