"""The coded register of people: clients and their minor children.

A person is known everywhere by a pseudonymous code (`K7F3-Q92X`). Identity and other sensitive
fields are stored only encrypted by the vault, under a data key of the person's own, bound to
this table, the field and the person's code; erasing the person destroys that key.
"""

import secrets
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from trygg.accounts.models import Organisation

# No 0/O, 1/I/L or U: a code is read aloud on the phone and typed by hand.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_PATTERN = r"[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}"


def new_code() -> str:
    """Return a random, non-sequential person code such as K7F3-Q92X (about 39 bits)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


class Person(models.Model):
    """A person in the register. Every column that could identify them is encrypted.

    Plain columns: the code, whether a client or a client's child, the organisation that holds
    the record, gender (needed for statistics), and the record's own dates. The `*_enc` columns
    are vault blobs (trygg/vault); `docs/privacy.md` lists each with its purpose.
    """

    class Kind(models.TextChoices):
        CLIENT = "client", _("Client")
        CHILD = "child", _("Minor child of a client")

    class Gender(models.TextChoices):
        # HTCDS 2.0 prs_Gender, plus explicit unknowns instead of a magic value.
        FEMININE = "feminine", _("Female")
        MASCULINE = "masculine", _("Male")
        TRANSGENDER_FEMININE = "transgender_feminine", _("Transgender female")
        TRANSGENDER_MASCULINE = "transgender_masculine", _("Transgender male")
        NON_CONFORMING = "non_conforming", _("Non-binary or gender non-conforming")
        NOT_KNOWN = "not_known", _("Not known")
        NOT_ASKED = "not_asked", _("Not asked")
        DECLINED = "declined", pgettext_lazy("gender", "Declined to say")

    # The encrypted fields, in the order forms and exports show them.
    ENCRYPTED_FIELDS: ClassVar[tuple[str, ...]] = (
        "full_name",
        "other_names",
        "birth_date",
        "phone",
        "email",
        "address",
        "languages",
        "nationality",
        "identity_number",
        "documents",
        "notes",
    )

    code = models.CharField(_("code"), max_length=9, unique=True, default=new_code, editable=False)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.CLIENT)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("organisation"),
    )
    gender = models.CharField(
        _("gender"), max_length=24, choices=Gender.choices, default=Gender.NOT_KNOWN
    )
    registered_at = models.DateTimeField(default=timezone.now, editable=False)
    shredded_at = models.DateTimeField(null=True, blank=True, editable=False)

    full_name_enc = models.BinaryField(null=True)
    other_names_enc = models.BinaryField(null=True)
    birth_date_enc = models.BinaryField(null=True)
    phone_enc = models.BinaryField(null=True)
    email_enc = models.BinaryField(null=True)
    address_enc = models.BinaryField(null=True)
    languages_enc = models.BinaryField(null=True)
    nationality_enc = models.BinaryField(null=True)
    identity_number_enc = models.BinaryField(null=True)
    documents_enc = models.BinaryField(null=True)
    notes_enc = models.BinaryField(null=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            # A shredded person keeps no ciphertext either: the key is gone, the columns are null.
            models.CheckConstraint(
                condition=models.Q(shredded_at__isnull=True) | models.Q(full_name_enc__isnull=True),
                name="person_shredded_has_no_identity",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_shredded(self) -> bool:
        return self.shredded_at is not None


class ChildLink(models.Model):
    """A minor child of a client, registered alongside them."""

    parent = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="child_links")
    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="parent_links")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="childlink_unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("child")), name="childlink_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent_id} -> {self.child_id}"


class ErasureRequest(models.Model):
    """A request to erase a person, carried out only when a second person approves it."""

    class Reason(models.TextChoices):
        CLIENT_REQUEST = "client_request", _("The person asked to be erased")
        RETENTION_ENDED = "retention_ended", _("The retention period has ended")
        REGISTERED_IN_ERROR = "registered_in_error", _("Registered by mistake")
        DUPLICATE = "duplicate", _("A duplicate of another record")
        OTHER = "other", pgettext_lazy("erasure reason", "Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        CARRIED_OUT = "carried_out", _("Carried out")
        CANCELLED = "cancelled", _("Cancelled")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="erasure_requests")
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    # Codes of the users, not foreign keys: the record must outlive accounts.
    requested_by_code = models.UUIDField()
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by_code = models.UUIDField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            # At most one open request per person.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="pending"),
                name="erasurerequest_one_pending_per_person",
            ),
            # The second person must be another person.
            models.CheckConstraint(
                condition=~models.Q(decided_by_code=models.F("requested_by_code")),
                name="erasurerequest_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} ({self.status})"
