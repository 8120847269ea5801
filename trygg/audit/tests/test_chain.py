"""Each event links to the one before; `trygg audit verify` accepts an intact chain."""

import hashlib
import itertools
from datetime import UTC, datetime
from io import StringIO
from uuid import uuid4

import pytest
import time_machine
from django.core.management import call_command

from trygg.audit import services
from trygg.audit.chain import GENESIS_HASH, event_hash
from trygg.audit.models import AuditEvent, AuditHead
from trygg.audit.tests.helpers import append

pytestmark = pytest.mark.django_db


def test_events_are_numbered_from_one_and_each_links_to_the_one_before() -> None:
    append(5)
    events = list(AuditEvent.objects.order_by("seq"))
    assert [event.seq for event in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash


def test_each_hash_is_sha256_of_the_events_canonical_json() -> None:
    actor, organisation = uuid4(), uuid4()
    with time_machine.travel(datetime(2026, 3, 2, 8, 0, 0, 123456, tzinfo=UTC), tick=False):
        event = services.record(
            action="person.viewed",
            actor_code=actor,
            person_code="K7F3-Q92X",
            organisation_code=organisation,
            extra={"purpose": "view", "count": 2},
        )
    canonical = (
        '{"action":"person.viewed","actor_code":"ACTOR","at":"2026-03-02T08:00:00.123456Z",'
        '"extra":{"count":2,"purpose":"view"},"organisation_code":"ORGANISATION",'
        '"person_code":"K7F3-Q92X","prev_hash":"PREV","seq":1,"subject_code":null}'
    )
    canonical = (
        canonical.replace("ACTOR", str(actor))
        .replace("ORGANISATION", str(organisation))
        .replace("PREV", GENESIS_HASH)
    )
    assert event.hash == hashlib.sha256(canonical.encode()).hexdigest()
    stored = AuditEvent.objects.get(seq=1)
    assert stored.hash == event_hash(
        seq=stored.seq,
        at=stored.at,
        action=stored.action,
        actor_code=stored.actor_code,
        person_code=stored.person_code,
        subject_code=stored.subject_code,
        organisation_code=stored.organisation_code,
        extra=stored.extra,
        prev_hash=stored.prev_hash,
    )


def test_the_head_follows_the_last_event() -> None:
    events = append(3)
    head = AuditHead.objects.get()
    assert (head.seq, head.hash) == (3, events[-1].hash)


def test_record_many_appends_in_order_under_one_lock() -> None:
    append(2)
    events = services.record_many(
        [
            services.NewEvent(action="test.bulk", extra={"n": 0}),
            {"action": "test.bulk", "extra": {"n": 1}},
        ]
    )
    assert [event.seq for event in events] == [3, 4]
    assert services.verify_chain().count == 4


def test_verify_accepts_an_intact_chain_and_prints_count_and_head() -> None:
    events = append(4)
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().strip() == f"OK: 4 events, head {events[-1].hash}"


def test_verify_accepts_an_empty_log() -> None:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().strip() == f"OK: 0 events, head {GENESIS_HASH}"


def test_events_at_a_whole_second_verify_on_every_database() -> None:
    # SQLite stores such a time without its fraction; the canonical form still has one.
    with time_machine.travel(datetime(2026, 1, 1, 10, 0, 0, tzinfo=UTC), tick=False):
        append(2)
    assert services.verify_chain().count == 2


def test_varied_details_survive_the_round_trip_through_the_database() -> None:
    services.record(
        action="test.varied",
        actor_code=uuid4(),
        subject_code=uuid4(),
        organisation_code=uuid4(),
        person_code="AB12-CD34",
        extra={
            "zeta": None,
            "alpha": True,
            "count": -(2**52),
            "fields": ["name", "type"],
            "code": "a.b:c@d-e_f",
            "empty": "",
            "ref": uuid4(),
        },
    )
    services.record(action="test.plain")
    assert services.verify_chain().count == 2


def test_appending_after_the_head_row_was_removed_is_refused() -> None:
    append(2)
    AuditHead.objects.all().delete()
    with pytest.raises(services.AuditChainError):
        services.record(action="test.event")
    assert AuditEvent.objects.count() == 2
