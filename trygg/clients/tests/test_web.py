"""The register in the browser's terms: forms, sudo before revealing, messages."""

from django.test import Client
from django.urls import reverse

from trygg.accounts.models import User
from trygg.audit.models import AuditEvent
from trygg.clients.models import ChildLink, Person
from trygg.clients.tests.conftest import CANARY_NAME
from trygg.testing import in_sudo_mode, log_in


def test_registering_through_the_form_leads_to_the_coded_record(
    client: Client, caseworker: User
) -> None:
    log_in(client, caseworker)
    response = client.post(
        reverse("clients:register"),
        {"full_name": "Form Person", "birth_date": "1999-09-09", "gender": "not_asked"},
    )
    person = Person.objects.get()
    assert response["Location"] == reverse("clients:person", args=[person.code])
    page = client.get(response["Location"]).content.decode()
    assert person.code in page
    assert "Form Person" not in page


def test_a_possible_duplicate_is_named_after_registering(
    client: Client, caseworker: User, client_person: Person
) -> None:
    log_in(client, caseworker)
    response = client.post(
        reverse("clients:register"),
        {"full_name": CANARY_NAME.lower(), "birth_date": "1994-05-17", "gender": "not_known"},
        follow=True,
    )
    assert client_person.code in response.content.decode()


def test_a_child_is_registered_with_the_parents_code(
    client: Client, caseworker: User, client_person: Person
) -> None:
    log_in(client, caseworker)
    client.post(
        reverse("clients:register"),
        {"full_name": "Little One", "gender": "not_known", "parent": client_person.code.lower()},
    )
    child = Person.objects.get(kind=Person.Kind.CHILD)
    assert ChildLink.objects.get(child=child).parent == client_person


def test_an_unknown_parent_code_is_refused_with_a_message(client: Client, caseworker: User) -> None:
    log_in(client, caseworker)
    response = client.post(
        reverse("clients:register"),
        {"full_name": "Little One", "gender": "not_known", "parent": "AAAA-BBBB"},
    )
    assert response.status_code == 400
    assert "There is no client with this code in your register." in response.content.decode()
    assert not Person.objects.exists()


def test_revealing_an_identity_asks_for_sudo_mode_first(
    client: Client, caseworker: User, client_person: Person
) -> None:
    log_in(client, caseworker)
    url = reverse("clients:identity", args=[client_person.code])
    first = client.post(url, {"next": reverse("clients:person", args=[client_person.code])})
    assert first["Location"].startswith(reverse("accounts:sudo"))
    assert not AuditEvent.objects.filter(action="person.identity_viewed").exists()
    revealed = in_sudo_mode(client).post(url)
    assert CANARY_NAME in revealed.content.decode()
    assert AuditEvent.objects.filter(action="person.identity_viewed").count() == 1


def test_the_register_cannot_be_browsed(
    client: Client, caseworker: User, client_person: Person
) -> None:
    log_in(client, caseworker)
    page = client.get(reverse("clients:find")).content.decode()
    assert client_person.code not in page
