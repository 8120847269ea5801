"""The audit log: one append-only, hash-chained table, and the head row that orders appends."""

from typing import Any

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from trygg.audit.chain import GENESIS_HASH


class AppendOnlyError(Exception):
    """Raised on an attempt to change or delete an append-only record."""


class AuditEvent(models.Model):
    """One append-only row for every write, every read of a person's data and every login.

    Written only by `trygg.audit.services.record` and `record_many`. Columns:

    - `seq`: the event's place in the chain: 1 for the first event, then strictly consecutive
      (no gaps, no repeats). It is also the primary key; leaf index `seq - 1` in the Merkle tree.
    - `at`: when the event was recorded (UTC, microseconds), taken while appends are serialised,
      so it does not go backwards along `seq` unless the server clock does.
    - `action`: what happened, as a dotted code such as "auth.login.succeeded" or
      "person.viewed"; the vocabulary belongs to the app that records it (e.g.
      `accounts.models.AccountAction`).
    - `actor_code`: the `User.code` of who did it; empty for the system or an unknown account.
    - `person_code`: the pseudonymous code of the person (client) concerned, e.g. "K7F3-Q92X".
    - `subject_code`: the UUID of another record the event is about, e.g. the user whose role
      changed; empty when that is the actor or nothing.
    - `organisation_code`: the `Organisation.code` concerned, if any.
    - `extra`: JSON with codes and enumerated values only, never names, free text or secrets
      (`services.record` refuses anything else).
    - `prev_hash`: `hash` of the event `seq - 1`; 64 zeros for the first event.
    - `hash`: SHA-256 (hex) of the canonical serialisation of all the columns above
      (`trygg.audit.chain`), so that each event commits to the whole history before it.

    Codes rather than foreign keys: the history must outlive the rows it is about, and
    erasing a person never erases who saw their file.
    """

    seq = models.PositiveBigIntegerField(primary_key=True, editable=False)
    at = models.DateTimeField(editable=False)
    action = models.CharField(max_length=64, editable=False)
    actor_code = models.UUIDField(null=True, blank=True, editable=False)
    person_code = models.CharField(  # noqa: DJ001 (null is "no person", never "")
        max_length=16, null=True, blank=True, editable=False
    )
    subject_code = models.UUIDField(null=True, blank=True, editable=False)
    organisation_code = models.UUIDField(null=True, blank=True, editable=False)
    extra = models.JSONField(default=dict, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            # The auditors' filter by action, newest first.
            models.Index(fields=["action", "-seq"], name="audit_event_action"),
            # A person's access history; most events concern no person.
            models.Index(
                fields=["person_code", "-seq"],
                name="audit_event_person",
                condition=models.Q(person_code__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="audit_event_seq_from_1"),
            models.CheckConstraint(
                condition=Exact(Length("prev_hash"), 64), name="audit_event_prev_hash_length"
            ),
            models.CheckConstraint(
                condition=Exact(Length("hash"), 64), name="audit_event_hash_length"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seq} {self.at:%Y-%m-%d %H:%M:%S} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditHead(models.Model):
    """The single row holding the last event's `seq` and `hash`.

    Every append locks this row first, so appends happen one at a time in `seq` order; and
    `trygg audit verify` checks that it matches the last event, which shows a truncated tail.
    The table holds no row until the first append.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit head")
        constraints = [
            # A second head row would let two writers append past each other.
            models.CheckConstraint(condition=models.Q(id=1), name="audit_head_singleton"),
        ]

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"
