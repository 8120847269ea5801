"""Every write and read of a person's data, each with its audit event.

Identity fields go to the vault encrypted under the person's own key; blind indexes of name and
birth date, phone number and identity number find possible duplicates without decrypting
anybody. Audit events carry codes and counts only, never what was searched for or read.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.accounts.models import Organisation, User
from trygg.audit import services as audit
from trygg.clients.models import ChildLink, ErasureRequest, Person, new_code
from trygg.clients.permissions import people_visible_to, register_organisations
from trygg.lib.db import bulk_insert
from trygg.vault import vault
from trygg.vault.clear import InClear
from trygg.vault.models import DataKey
from trygg.vault.normalise import (
    normalise_document,
    normalise_name_birth_date,
    normalise_phone,
)

TABLE = "clients_person"


class ParsedRowLike(Protocol):
    """A checked row of an import (trygg.clients.importer.ParsedRow)."""

    number: int
    identity: "Identity"
    gender: str


class RegisterError(Exception):
    """A request the register's rules refuse; the message is for the user, translated."""


@dataclass(frozen=True, repr=False)
class Identity(InClear):
    """The encrypted part of a person's record, in clear: only ever held in memory."""

    FIELDS = Person.ENCRYPTED_FIELDS

    full_name: str
    other_names: str = ""
    birth_date: date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    languages: str = ""
    nationality: str = ""
    identity_number: str = ""
    documents: str = ""
    notes: str = ""

    def blind_index_values(self) -> dict[str, str]:
        """Return the values to index. A low-variety field (birth date alone) never is."""
        values = {}
        if self.full_name and self.birth_date:
            values["name_birth_date"] = f"{self.full_name}|{self.birth_date.isoformat()}"
        if self.phone:
            values["phone"] = self.phone
        if self.identity_number:
            values["document"] = self.identity_number
        return values


def possible_duplicates(identity: Identity, *, exclude: str | None = None) -> list[str]:
    """Return the codes of people sharing a blind index with `identity`."""
    codes: set[str] = set()
    for index_field, value in identity.blind_index_values().items():
        codes.update(vault.find(index_field, value))
    codes.discard(exclude or "")
    return sorted(codes)


def _check_register(actor: User, organisation: Organisation) -> None:
    if not register_organisations(actor).filter(pk=organisation.pk).exists():
        raise RegisterError(_("You do not work with this organisation's register."))


def _encrypt_into(person: Person, identity: Identity) -> None:
    blobs = vault.encrypt_fields(
        person.code, table=TABLE, row=person.code, values=identity.as_strings()
    )
    for name in Person.ENCRYPTED_FIELDS:
        setattr(person, f"{name}_enc", blobs.get(name))


@transaction.atomic
def register_person(
    *,
    actor: User,
    organisation: Organisation,
    identity: Identity,
    gender: str = Person.Gender.NOT_KNOWN,
    kind: str = Person.Kind.CLIENT,
    parent: Person | None = None,
    code: str | None = None,
) -> tuple[Person, list[str]]:
    """Register a person; return them and the codes of possible duplicates (not merged).

    `code` keeps a code the person already has (an admitted referral's), with its data key.
    """
    _check_register(actor, organisation)
    if not identity.full_name.strip():
        raise RegisterError(_("Enter the person's name."))
    if parent is not None and (parent.organisation_id != organisation.pk or parent.is_shredded):
        raise RegisterError(_("The parent must be a client in the same register."))
    duplicates = possible_duplicates(identity, exclude=code)
    person = Person(organisation=organisation, gender=gender, kind=kind)
    if code is not None:
        person.code = code
    else:
        person.code = free_code()
    vault.create_key(person.code)
    _encrypt_into(person, identity)
    person.full_clean(exclude=[f"{name}_enc" for name in Person.ENCRYPTED_FIELDS])
    person.save()
    vault.set_blind_indexes(person.code, identity.blind_index_values())
    if parent is not None:
        ChildLink.objects.create(parent=parent, child=person)
    audit.record(
        action="person.registered",
        actor_code=actor.code,
        person_code=person.code,
        organisation_code=organisation.code,
        extra={
            "kind": kind,
            "possible_duplicates": len(duplicates),
            "parent": parent.code if parent else None,
        },
    )
    return person, duplicates


def read_identity(*, actor: User, person: Person, purpose: str = "view") -> Identity:
    """Decrypt a person's identity for `actor`, who must work with their register.

    Every call is an audited read; `purpose` is an enumerated word (view, export, letter).
    """
    _check_register(actor, person.organisation)
    if person.is_shredded:
        raise RegisterError(_("This person has been erased. Nothing of their identity remains."))
    blobs = {
        name: bytes(blob)
        for name in Person.ENCRYPTED_FIELDS
        if (blob := getattr(person, f"{name}_enc")) is not None
    }
    values = vault.decrypt_fields(person.code, table=TABLE, row=person.code, blobs=blobs)
    audit.record(
        action="person.identity_viewed",
        actor_code=actor.code,
        person_code=person.code,
        organisation_code=person.organisation.code,
        extra={"purpose": purpose},
    )
    return Identity.from_strings(values)


@transaction.atomic
def update_identity(*, actor: User, person: Person, identity: Identity) -> Person:
    """Replace a person's identity fields and their blind indexes."""
    _check_register(actor, person.organisation)
    if person.is_shredded:
        raise RegisterError(_("This person has been erased. Nothing of their identity remains."))
    _encrypt_into(person, identity)
    person.save(update_fields=[f"{name}_enc" for name in Person.ENCRYPTED_FIELDS])
    vault.set_blind_indexes(person.code, identity.blind_index_values())
    audit.record(
        action="person.identity_changed",
        actor_code=actor.code,
        person_code=person.code,
        organisation_code=person.organisation.code,
    )
    return person


def find_people(
    *,
    actor: User,
    name: str = "",
    birth_date: date | None = None,
    phone: str = "",
    document: str = "",
) -> list[Person]:
    """Return the people whose name and birth date, phone or identity number match exactly.

    Only people in the actor's registers are returned. The audit event records which kinds of
    value were searched and how many matched, never the values.
    """
    if not any([name and birth_date, phone, document]):
        raise RegisterError(
            _("Search by name and birth date together, by phone number or by identity number.")
        )
    probe = Identity(full_name=name, birth_date=birth_date, phone=phone, identity_number=document)
    codes: set[str] | None = None
    used = []
    for index_field, value in probe.blind_index_values().items():
        used.append(index_field)
        found = set(vault.find(index_field, value))
        codes = found if codes is None else codes & found
    people = list(people_visible_to(actor).filter(code__in=codes or set()))
    audit.record(
        action="person.searched",
        actor_code=actor.code,
        extra={"by": ".".join(sorted(used)), "matches": len(people)},
    )
    return people


@transaction.atomic
def request_erasure(*, actor: User, person: Person, reason: str) -> ErasureRequest:
    """Ask for a person to be erased; a second person must approve."""
    _check_register(actor, person.organisation)
    if person.is_shredded:
        raise RegisterError(_("This person has been erased already."))
    if reason not in ErasureRequest.Reason.values:
        raise RegisterError(_("Choose one of the listed reasons."))
    if person.erasure_requests.filter(status=ErasureRequest.Status.PENDING).exists():
        raise RegisterError(_("An erasure of this person is already waiting for approval."))
    request = ErasureRequest.objects.create(
        person=person, reason=reason, requested_by_code=actor.code
    )
    audit.record(
        action="person.erasure_requested",
        actor_code=actor.code,
        person_code=person.code,
        organisation_code=person.organisation.code,
        extra={"reason": reason, "request": request.pk},
    )
    return request


@transaction.atomic
def approve_erasure(*, actor: User, request: ErasureRequest) -> Person:
    """Carry out a pending erasure; the approver must be someone other than the requester."""
    person = request.person
    _check_register(actor, person.organisation)
    if request.status != ErasureRequest.Status.PENDING:
        raise RegisterError(_("This request is no longer waiting for approval."))
    if request.requested_by_code == actor.code:
        raise RegisterError(_("Another person must approve the erasure you asked for."))
    request.status = ErasureRequest.Status.CARRIED_OUT
    request.decided_by_code = actor.code
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by_code", "decided_at"])
    return _shred(actor=actor, person=person, reason=request.reason, approved_by=actor)


@transaction.atomic
def cancel_erasure(*, actor: User, request: ErasureRequest) -> ErasureRequest:
    """Withdraw a pending erasure request."""
    _check_register(actor, request.person.organisation)
    if request.status != ErasureRequest.Status.PENDING:
        raise RegisterError(_("This request is no longer waiting for approval."))
    request.status = ErasureRequest.Status.CANCELLED
    request.decided_by_code = None if request.requested_by_code == actor.code else actor.code
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by_code", "decided_at"])
    audit.record(
        action="person.erasure_cancelled",
        actor_code=actor.code,
        person_code=request.person.code,
        organisation_code=request.person.organisation.code,
        extra={"request": request.pk},
    )
    return request


@transaction.atomic
def shred_person(*, actor: User, person: Person, reason: str) -> Person:
    """Erase a person at once (the operator's command); the web asks a second person first."""
    _check_register(actor, person.organisation)
    if reason not in ErasureRequest.Reason.values:
        raise RegisterError(_("Choose one of the listed reasons."))
    return _shred(actor=actor, person=person, reason=reason, approved_by=None)


def _shred(*, actor: User, person: Person, reason: str, approved_by: User | None) -> Person:
    if person.is_shredded:
        raise RegisterError(_("This person has been erased already."))
    vault.shred(person.code)
    for name in Person.ENCRYPTED_FIELDS:
        setattr(person, f"{name}_enc", None)
    person.shredded_at = timezone.now()
    person.save(update_fields=["shredded_at", *(f"{name}_enc" for name in Person.ENCRYPTED_FIELDS)])
    audit.record(
        action="person.shredded",
        actor_code=actor.code,
        person_code=person.code,
        organisation_code=person.organisation.code,
        extra={
            "reason": reason,
            "approved_by": str(approved_by.code) if approved_by else None,
        },
    )
    return person


def free_code() -> str:
    """A new code that neither the register nor a referral uses yet."""
    for _attempt in range(5):
        code = new_code()
        if not DataKey.objects.filter(owner=code).exists():
            return code
    # 30^8 codes: five collisions in a row mean something is broken.
    raise IntegrityError("Could not find a free person code.")


def _free_codes(count: int) -> list[str]:
    """Mint `count` distinct person codes that no registered person has."""
    codes: set[str] = set()
    while len(codes) < count:
        minted = list({new_code() for _ in range(count - len(codes))} - codes)
        taken: set[str] = set()
        for start in range(0, len(minted), 5000):
            batch = minted[start : start + 5000]
            taken.update(Person.objects.filter(code__in=batch).values_list("code", flat=True))
        codes.update(code for code in minted if code not in taken)
    return list(codes)


@dataclass(frozen=True)
class ImportedPerson:
    row: int
    code: str
    # Codes of people already registered, or row numbers in the same file, that share a
    # blind index with this row: reported for a person to look at, never merged.
    duplicates_registered: tuple[str, ...]
    duplicates_rows: tuple[int, ...]


@transaction.atomic
def import_people(
    *, actor: User, organisation: Organisation, rows: Sequence[ParsedRowLike]
) -> list[ImportedPerson]:
    """Register every row of a checked import in one transaction: all or nothing.

    Uses the vault's bulk paths (keys, encryption, blind indexes and duplicate checks in
    batches) and appends the audit events under one lock.
    """
    _check_register(actor, organisation)
    codes = _free_codes(len(rows))
    index_values = [row.identity.blind_index_values() for row in rows]

    # Possible duplicates: with people already registered, then with earlier rows of the file.
    registered: dict[int, set[str]] = {i: set() for i in range(len(rows))}
    for index_field in vault.INDEXED_FIELDS:
        wanted = [values[index_field] for values in index_values if index_field in values]
        matches = vault.find_many(index_field, wanted)
        for i, values in enumerate(index_values):
            if index_field in values:
                registered[i].update(matches.get(values[index_field], []))
    # Within the file, the normalised values (what the blind indexes are computed from) are
    # compared in memory; they never leave this function.
    normalisers = {
        "name_birth_date": normalise_name_birth_date,
        "phone": normalise_phone,
        "document": normalise_document,
    }
    seen: dict[tuple[str, str], int] = {}
    same_rows: dict[int, set[int]] = {i: set() for i in range(len(rows))}
    for i, (row, values) in enumerate(zip(rows, index_values, strict=True)):
        for index_field, value in values.items():
            normalised = normalisers[index_field](value)
            if not normalised:
                continue
            earlier = seen.setdefault((index_field, normalised), row.number)
            if earlier != row.number:
                same_rows[i].add(earlier)

    vault.create_keys(codes, new_owners=True)
    blobs = vault.encrypt_many(
        table=TABLE,
        rows=[
            (code, code, row.identity.as_strings()) for code, row in zip(codes, rows, strict=True)
        ],
    )
    now = timezone.now()
    bulk_insert(
        Person,
        ["code", "kind", "organisation", "gender", "registered_at"]
        + [f"{name}_enc" for name in Person.ENCRYPTED_FIELDS],
        [
            [code, Person.Kind.CLIENT, organisation.pk, row.gender, now]
            + [fields_blobs.get(name) for name in Person.ENCRYPTED_FIELDS]
            for code, row, fields_blobs in zip(codes, rows, blobs, strict=True)
        ],
    )
    vault.set_blind_indexes_many(
        {code: values for code, values in zip(codes, index_values, strict=True) if values},
        new_owners=True,
    )
    reports = [
        ImportedPerson(
            row=row.number,
            code=code,
            duplicates_registered=tuple(sorted(registered[i])),
            duplicates_rows=tuple(sorted(same_rows[i])),
        )
        for i, (code, row) in enumerate(zip(codes, rows, strict=True))
    ]
    audit.record_many(
        [
            {
                "action": "person.registered",
                "actor_code": actor.code,
                "person_code": report.code,
                "organisation_code": organisation.code,
                "extra": {
                    "kind": Person.Kind.CLIENT,
                    "via": "import",
                    "possible_duplicates": len(report.duplicates_registered)
                    + len(report.duplicates_rows),
                },
            }
            for report in reports
        ]
    )
    audit.record(
        action="people.imported",
        actor_code=actor.code,
        organisation_code=organisation.code,
        extra={"count": len(reports)},
    )
    return reports
