from datetime import date

import pytest

from trygg.accounts.models import Organisation, User
from trygg.clients.models import Person
from trygg.clients.services import Identity, register_person

CANARY_NAME = "Canaryname Zqxwv Ödmjukhet"
CANARY_PHONE = "+358 40 777 1234"
CANARY_NOTE = "CANARY-NOTE-7f3a9 met near the harbour"


def canary_identity(**overrides: object) -> Identity:
    values: dict[str, object] = {
        "full_name": CANARY_NAME,
        "birth_date": date(1994, 5, 17),
        "phone": CANARY_PHONE,
        "email": "canary.zqxwv@example.org",
        "address": "Canarystreet 9 B 12",
        "identity_number": "CANARYDOC4471",
        "nationality": "VN",
        "languages": "vi;en",
        "notes": CANARY_NOTE,
    }
    values.update(overrides)
    return Identity(**values)  # type: ignore[arg-type]


@pytest.fixture
def client_person(caseworker: User, assistance_org: Organisation) -> Person:
    person, _ = register_person(
        actor=caseworker, organisation=assistance_org, identity=canary_identity()
    )
    return person
