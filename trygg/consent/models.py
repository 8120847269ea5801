"""Consents as first-class records: who agreed to what, how, when, and when they withdrew.

A consent names the person by code only (a referral's or a client's pseudonymous code). Nothing
is shared and nobody is helped without a consent that covers it, except what the law mandates
(a child welfare report). The consent ledger and the disclosure gate build on these records.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Consent(models.Model):
    class Purpose(models.TextChoices):
        REFERRAL = "referral", _("Referral to the assistance system")
        CLIENT = "client", _("Becoming a client of the assistance system")

    class GivenBy(models.TextChoices):
        PERSON = "person", pgettext_lazy("consent given by", "The person themselves")
        GUARDIAN = "guardian", _("A guardian or representative of a minor")

    class Method(models.TextChoices):
        ORAL = "oral", _("Orally")
        WRITTEN = "written", _("In writing")
        ELECTRONIC = "electronic", _("Electronically, by the person")

    class Interpreter(models.TextChoices):
        NONE = "none", _("No interpreter: the person understood the language used")
        ON_SITE = "on_site", _("A professional interpreter on site")
        REMOTE = "remote", _("A professional interpreter by phone or video")
        OTHER = "other", pgettext_lazy("interpreter", "Other")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The person's pseudonymous code: a referral's code, or a client's register code.
    person_code = models.CharField(_("person"), max_length=9, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    # What the consent covers, as a code: the organisation that receives, for example.
    scope = models.CharField(_("scope"), max_length=64)
    given_by = models.CharField(_("given by"), max_length=16, choices=GivenBy.choices)
    method = models.CharField(_("how it was given"), max_length=16, choices=Method.choices)
    # The language the person was informed in (a language code such as "ru").
    language = models.CharField(_("language"), max_length=16)
    interpreter = models.CharField(
        _("interpreter"), max_length=16, choices=Interpreter.choices, default=Interpreter.NONE
    )
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-given_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True)
                | models.Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_code}: {self.purpose}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
