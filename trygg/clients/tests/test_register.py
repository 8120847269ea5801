"""Registering a person: a code, encrypted fields, duplicates reported, every step audited."""

import re
from datetime import date

import pytest

from trygg.accounts.models import Organisation, User
from trygg.audit.models import AuditEvent
from trygg.clients.models import ChildLink, Person
from trygg.clients.services import (
    Identity,
    RegisterError,
    read_identity,
    register_person,
    update_identity,
)
from trygg.clients.tests.conftest import CANARY_NAME, canary_identity


def test_a_registered_person_gets_a_pseudonymous_code(client_person: Person) -> None:
    assert re.fullmatch(r"[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}", client_person.code)


def test_identity_fields_are_stored_only_encrypted(client_person: Person) -> None:
    stored = Person.objects.get(pk=client_person.pk)
    for name in Person.ENCRYPTED_FIELDS:
        blob = getattr(stored, f"{name}_enc")
        if blob is not None:
            assert CANARY_NAME.encode() not in bytes(blob)
            assert b"Canary" not in bytes(blob)


def test_identity_reads_back_for_a_case_worker_and_the_read_is_audited(
    caseworker: User, client_person: Person
) -> None:
    identity = read_identity(actor=caseworker, person=client_person)
    assert identity == canary_identity()
    event = AuditEvent.objects.filter(action="person.identity_viewed").get()
    assert (event.actor_code, event.person_code) == (caseworker.code, client_person.code)
    assert event.extra == {"purpose": "view"}


def test_registration_is_audited_with_codes_only(caseworker: User, client_person: Person) -> None:
    event = AuditEvent.objects.filter(action="person.registered").get()
    assert event.person_code == client_person.code
    assert CANARY_NAME not in str(event.extra)


def test_same_person_spelled_differently_is_reported_as_a_possible_duplicate(
    caseworker: User, assistance_org: Organisation, client_person: Person
) -> None:
    _second, duplicates = register_person(
        actor=caseworker,
        organisation=assistance_org,
        identity=Identity(
            full_name="  canaryname   zqxwv ODMJUKHET ", birth_date=date(1994, 5, 17)
        ),
    )
    assert duplicates == [client_person.code]


def test_same_birth_date_alone_is_not_a_duplicate(
    caseworker: User, assistance_org: Organisation, client_person: Person
) -> None:
    _second, duplicates = register_person(
        actor=caseworker,
        organisation=assistance_org,
        identity=Identity(full_name="Someone Else", birth_date=date(1994, 5, 17)),
    )
    assert duplicates == []


def test_a_minor_child_is_linked_to_their_parent(
    caseworker: User, assistance_org: Organisation, client_person: Person
) -> None:
    child, _ = register_person(
        actor=caseworker,
        organisation=assistance_org,
        identity=Identity(full_name="Child Of Canary", birth_date=date(2019, 1, 2)),
        kind=Person.Kind.CHILD,
        parent=client_person,
    )
    assert ChildLink.objects.get(child=child).parent == client_person


@pytest.mark.parametrize(
    "persona", ["referrer", "partner", "statistician", "auditor", "administrator", "outsider"]
)
def test_other_roles_cannot_register_or_read(
    request: pytest.FixtureRequest,
    persona: str,
    assistance_org: Organisation,
    client_person: Person,
) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(RegisterError):
        register_person(actor=user, organisation=assistance_org, identity=Identity(full_name="X Y"))
    with pytest.raises(RegisterError):
        read_identity(actor=user, person=client_person)


def test_updating_the_identity_replaces_its_blind_indexes(
    caseworker: User, assistance_org: Organisation, client_person: Person
) -> None:
    from trygg.clients.services import find_people

    update_identity(
        actor=caseworker, person=client_person, identity=canary_identity(phone="+358 50 000 0001")
    )
    assert find_people(actor=caseworker, phone="+358 50 000 0001") == [client_person]
    assert find_people(actor=caseworker, phone="+358 40 777 1234") == []
