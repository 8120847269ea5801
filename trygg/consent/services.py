"""Record and withdraw consents; every change is written to the audit chain."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.accounts.models import User
from trygg.audit import services as audit
from trygg.consent.models import Consent


class ConsentError(Exception):
    """A consent the rules refuse; the message is for the user, translated."""


@dataclass(frozen=True)
class GivenConsent:
    """How a person gave their consent, as the form or the API received it."""

    given_by: str
    method: str
    language: str
    interpreter: str = Consent.Interpreter.NONE

    def check(self) -> None:
        if self.given_by not in Consent.GivenBy.values:
            raise ConsentError(_("Say who gave the consent."))
        if self.method not in Consent.Method.values:
            raise ConsentError(_("Say how the consent was given."))
        if self.interpreter not in Consent.Interpreter.values:
            raise ConsentError(_("Say whether an interpreter took part."))
        if not self.language.strip() or len(self.language) > 16:
            raise ConsentError(_("Give the language the person was informed in."))


@transaction.atomic
def record_consent(
    *,
    actor: User | None,
    person_code: str,
    purpose: str,
    scope: str,
    given: GivenConsent,
) -> Consent:
    """Record a consent given now; `actor` is None when the person gave it themselves."""
    given.check()
    consent = Consent.objects.create(
        person_code=person_code,
        purpose=purpose,
        scope=scope,
        given_by=given.given_by,
        method=given.method,
        language=given.language.strip().lower(),
        interpreter=given.interpreter,
        recorded_by=actor,
    )
    audit.record(
        action="consent.given",
        actor_code=actor.code if actor else None,
        person_code=person_code,
        subject_code=consent.code,
        extra={"purpose": purpose, "method": given.method, "given_by": given.given_by},
    )
    return consent


@transaction.atomic
def withdraw_consent(*, actor: User | None, consent: Consent) -> Consent:
    """Record that the person withdrew the consent; a withdrawal cannot be undone."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise ConsentError(_("This consent has already been withdrawn."))
    consent.withdrawn_at = timezone.now()
    consent.withdrawal_recorded_by = actor
    consent.save(update_fields=["withdrawn_at", "withdrawal_recorded_by"])
    audit.record(
        action="consent.withdrawn",
        actor_code=actor.code if actor else None,
        person_code=consent.person_code,
        subject_code=consent.code,
        extra={"purpose": consent.purpose},
    )
    return consent


def active_consent(person_code: str, purpose: str) -> Consent | None:
    """The person's newest consent for `purpose` that has not been withdrawn."""
    return (
        Consent.objects.filter(person_code=person_code, purpose=purpose, withdrawn_at__isnull=True)
        .order_by("-given_at")
        .first()
    )
