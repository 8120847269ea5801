"""The client relationship, as service functions: open at admission, end, remove, appeal.

Each function checks the actor's permission, changes the status through `_move` (which refuses
a step that `TRANSITIONS` does not allow), writes the audit chain in the same transaction, and
raises CaseError with a translated message when the rules refuse the request.
"""

from collections.abc import Mapping, Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.accounts.models import Organisation, User
from trygg.audit import services as audit
from trygg.cases import permissions
from trygg.cases.models import AppealOutcome, Case, CaseTransition, HomeMunicipality, Removal
from trygg.clients import services as clients
from trygg.clients.models import Person
from trygg.consent import services as consents
from trygg.consent.models import Consent
from trygg.vault import vault

REMOVAL_TABLE = "cases_removal"
Status = Case.Status

# The state machine: from each status, the statuses a case may move to. A client who ended
# the relationship comes back through a new referral; an overturned removal restores it.
TRANSITIONS: Mapping[str, frozenset[str]] = {
    Status.CLIENT: frozenset({Status.REMOVED, Status.ENDED}),
    Status.REMOVED: frozenset({Status.CLIENT}),
    Status.ENDED: frozenset(),
}

# At most this many children are admitted with one parent (as in a referral).
MAX_CHILDREN = 20


class CaseError(Exception):
    """A request the case rules refuse; the message is for the user, translated."""


class InvalidTransitionError(CaseError):
    """The case's status does not allow the requested step."""


def _move(case: Case, to: str, *, actor: User) -> None:
    current = case.status
    if to not in TRANSITIONS[current]:
        raise InvalidTransitionError(
            _("This case's status is “%(current)s”; it cannot change to “%(target)s”.")
            % {"current": Status(current).label, "target": Status(to).label}
        )
    case.status = to
    case.closed_at = None if to == Status.CLIENT else timezone.now()
    CaseTransition.objects.create(case=case, from_status=current, to_status=to, actor=actor)


def _audit(action: str, case: Case, actor: User, **extra: str | int | None) -> None:
    audit.record(
        action=action,
        actor_code=actor.code,
        person_code=case.person.code,
        organisation_code=case.organisation.code,
        extra={"status": case.status, **extra},
    )


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("person", "organisation").get(pk=case.pk)


def _check_works_with(actor: User, case: Case) -> None:
    if not permissions.cases_visible_to(actor).filter(pk=case.pk).exists():
        raise CaseError(_("You do not work with this case."))


@transaction.atomic
def open_case(
    *,
    actor: User,
    person: Person,
    organisation: Organisation,
    home_municipality: str,
    responsible_party: str,
    cooperating: Sequence[str] = (),
    children: Sequence[clients.Identity] = (),
) -> Case:
    """Open the case of a newly admitted client, and register the children admitted with them.

    Called by the admission decision, which has already checked the expert and the client's
    consent. Each child is registered in the same register under a code of their own, linked
    to the parent.
    """
    if home_municipality not in HomeMunicipality.values:
        raise CaseError(_("Say whether the person has a home municipality."))
    if len(children) > MAX_CHILDREN:
        raise CaseError(_("The number of children must be between 0 and 20."))
    if Case.objects.filter(person=person).exists():
        raise CaseError(_("This person is already a client."))
    case = Case.objects.create(
        person=person,
        organisation=organisation,
        opened_by=actor,
        home_municipality=home_municipality,
        responsible_party=responsible_party,
        cooperating=list(cooperating),
    )
    CaseTransition.objects.create(case=case, from_status="", to_status=Status.CLIENT, actor=actor)
    for child in children:
        try:
            clients.register_person(
                actor=actor,
                organisation=organisation,
                identity=child,
                kind=Person.Kind.CHILD,
                parent=person,
            )
        except clients.RegisterError as exc:
            raise CaseError(str(exc)) from exc
    _audit("case.opened", case, actor, children=len(children), responsible=responsible_party)
    return case


def children_of(case: Case) -> list[Person]:
    """The client's minor children admitted with them, by code."""
    return list(Person.objects.filter(parent_links__parent=case.person).order_by("code"))


@transaction.atomic
def end_at_clients_wish(*, actor: User, case: Case) -> Case:
    """The client no longer wants to be a client: their consent is withdrawn and the case ends.

    Nobody is helped against their will, so this needs no decision and cannot be refused; it
    cannot be undone either: a client who wants help again is referred again.
    """
    case = _locked(case)
    _check_works_with(actor, case)
    _move(case, Status.ENDED, actor=actor)
    case.save(update_fields=["status", "closed_at"])
    consent = consents.active_consent(case.person.code, Consent.Purpose.CLIENT)
    if consent is not None:
        consents.withdraw_consent(actor=actor, consent=consent)
    _audit("case.ended", case, actor)
    return case


@transaction.atomic
def remove(*, actor: User, case: Case, reasons: str, letter_language: str) -> Removal:
    """An expert's reasoned decision to remove the client from the assistance system."""
    case = _locked(case)
    _check_works_with(actor, case)
    if not permissions.can_remove(actor, case):
        raise CaseError(_("Only an expert of the assistance system decides a removal."))
    if not reasons.strip():
        raise CaseError(_("Give the reasons for the decision."))
    _move(case, Status.REMOVED, actor=actor)
    case.save(update_fields=["status", "closed_at"])
    removal = Removal(case=case, letter_language=letter_language, decided_by=actor)
    removal.reasons_enc = vault.encrypt(
        case.person.code,
        table=REMOVAL_TABLE,
        field="reasons",
        row=str(removal.code),
        value=reasons,
    )
    removal.save()
    _audit("case.removed", case, actor)
    return removal


def read_removal_reasons(*, actor: User, removal: Removal) -> str:
    """Decrypt a removal's reasons for the case's staff; audited."""
    case = removal.case
    _check_works_with(actor, case)
    reasons = vault.decrypt(
        case.person.code,
        table=REMOVAL_TABLE,
        field="reasons",
        row=str(removal.code),
        blob=bytes(removal.reasons_enc),
    )
    _audit("case.removal_reasons_viewed", case, actor)
    return reasons


def record_removal_letter(*, actor: User, removal: Removal) -> None:
    """Record that `actor` made the removal letter, and in which language; audited."""
    _check_works_with(actor, removal.case)
    audit.record(
        action="case.letter_made",
        actor_code=actor.code,
        person_code=removal.case.person.code,
        subject_code=removal.code,
        organisation_code=removal.case.organisation.code,
        extra={"language": removal.letter_language},
    )


@transaction.atomic
def record_removal_appeal(*, actor: User, removal: Removal, lodged_at: date) -> Removal:
    """Record that a removal has been appealed."""
    removal = Removal.objects.select_for_update().select_related("case").get(pk=removal.pk)
    _check_works_with(actor, removal.case)
    if removal.appeal_lodged_at is not None:
        raise CaseError(_("This decision's appeal is already recorded."))
    if lodged_at < removal.decided_at.date() or lodged_at > timezone.localdate():
        raise CaseError(_("The appeal date must be between the decision and today."))
    removal.appeal_lodged_at = lodged_at
    removal.appeal_outcome = AppealOutcome.PENDING
    removal.save(update_fields=["appeal_lodged_at", "appeal_outcome"])
    _audit("case.removal_appealed", _locked(removal.case), actor)
    return removal


@transaction.atomic
def record_removal_appeal_outcome(
    *, actor: User, removal: Removal, outcome: str, on: date
) -> Removal:
    """Record the appeal's outcome; an overturned removal makes the person a client again."""
    removal = Removal.objects.select_for_update().select_related("case").get(pk=removal.pk)
    case = _locked(removal.case)
    _check_works_with(actor, case)
    if removal.appeal_outcome != AppealOutcome.PENDING:
        raise CaseError(_("There is no pending appeal against this decision."))
    if outcome not in (AppealOutcome.UPHELD, AppealOutcome.OVERTURNED):
        raise CaseError(_("Choose the outcome of the appeal."))
    lodged = removal.appeal_lodged_at
    if lodged is None or on < lodged or on > timezone.localdate():
        raise CaseError(_("The outcome must be between the appeal and today."))
    removal.appeal_outcome = outcome
    removal.appeal_outcome_at = on
    removal.save(update_fields=["appeal_outcome", "appeal_outcome_at"])
    if outcome == AppealOutcome.OVERTURNED:
        _move(case, Status.CLIENT, actor=actor)
        case.save(update_fields=["status", "closed_at"])
    _audit("case.removal_appeal_decided", case, actor, outcome=outcome)
    return removal
