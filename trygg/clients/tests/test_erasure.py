"""Erasure: four eyes in the web, then crypto-shredding that nothing can undo."""

import pytest
from django.test import Client
from django.urls import reverse

from trygg.accounts.models import User
from trygg.audit.models import AuditEvent
from trygg.clients.models import Person
from trygg.clients.services import (
    RegisterError,
    approve_erasure,
    find_people,
    read_identity,
    request_erasure,
)
from trygg.clients.tests.conftest import CANARY_PHONE
from trygg.testing import in_sudo_mode, log_in
from trygg.vault import vault


def test_the_requester_cannot_approve_their_own_erasure(
    caseworker: User, client_person: Person
) -> None:
    request = request_erasure(actor=caseworker, person=client_person, reason="client_request")
    with pytest.raises(RegisterError):
        approve_erasure(actor=caseworker, request=request)
    client_person.refresh_from_db()
    assert not client_person.is_shredded


def test_an_approved_erasure_leaves_nothing_readable_even_from_old_copies(
    caseworker: User, expert: User, client_person: Person
) -> None:
    copies = {
        name: bytes(getattr(client_person, f"{name}_enc"))
        for name in Person.ENCRYPTED_FIELDS
        if getattr(client_person, f"{name}_enc") is not None
    }
    request = request_erasure(actor=caseworker, person=client_person, reason="client_request")
    approve_erasure(actor=expert, request=request)
    client_person.refresh_from_db()
    assert client_person.is_shredded
    assert all(getattr(client_person, f"{name}_enc") is None for name in Person.ENCRYPTED_FIELDS)
    vault.clear_caches()
    for name, blob in copies.items():
        with pytest.raises(vault.ShreddedError):
            vault.decrypt(
                client_person.code,
                table="clients_person",
                field=name,
                row=client_person.code,
                blob=blob,
            )
    assert find_people(actor=caseworker, phone=CANARY_PHONE) == []
    with pytest.raises(RegisterError):
        read_identity(actor=caseworker, person=client_person)


def test_the_code_and_the_audit_history_remain_after_erasure(
    caseworker: User, expert: User, client_person: Person
) -> None:
    request = request_erasure(actor=caseworker, person=client_person, reason="retention_ended")
    approve_erasure(actor=expert, request=request)
    actions = list(
        AuditEvent.objects.filter(person_code=client_person.code)
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["person.registered", "person.erasure_requested", "person.shredded"]
    assert Person.objects.filter(code=client_person.code).exists()


def test_web_erasure_needs_a_second_case_worker_in_sudo_mode(
    client: Client, caseworker: User, expert: User, client_person: Person
) -> None:
    log_in(client, caseworker)
    client.post(reverse("clients:erase", args=[client_person.code]), {"reason": "duplicate"})
    request = client_person.erasure_requests.get()
    own = client.post(reverse("clients:erase_approve", args=[client_person.code, request.pk]))
    assert own.status_code == 302  # to sudo mode; then refused as the requester's own

    second = log_in(Client(), expert)
    in_sudo_mode(second)
    second.post(reverse("clients:erase_approve", args=[client_person.code, request.pk]))
    client_person.refresh_from_db()
    assert client_person.is_shredded
