"""Referral intake, triage and admission decisions, as service functions.

Each function checks the actor's permission, changes the state through `_move` (which refuses
a transition the state machine does not allow), writes the audit chain in the same transaction,
and raises ReferralError with a translated message when the rules refuse the request.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from uuid import UUID

from django.db import transaction
from django.db.models import BooleanField, QuerySet, TextChoices
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from trygg.accounts.models import Organisation, User
from trygg.audit import services as audit
from trygg.cases import services as cases
from trygg.clients import services as clients
from trygg.clients.models import Person
from trygg.consent import services as consents
from trygg.consent.models import Consent
from trygg.jurisdictions.profiles import ResponsibleParty, get_profile
from trygg.referrals import permissions
from trygg.referrals.models import (
    OPEN_STATUSES,
    Appeal,
    Decision,
    HotlineCall,
    Referral,
    Transition,
)
from trygg.vault import vault
from trygg.vault.clear import InClear

TABLE = "referrals_referral"
DECISION_TABLE = "referrals_decision"
CALL_TABLE = "referrals_hotlinecall"
Status = Referral.Status

# The state machine: from each status, the statuses a referral may move to.
TRANSITIONS: Mapping[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.RECEIVED, Status.WITHDRAWN}),
    Status.RECEIVED: frozenset({Status.IN_TRIAGE, Status.WITHDRAWN}),
    Status.IN_TRIAGE: frozenset({Status.INFORMATION_REQUESTED, Status.DECIDED, Status.WITHDRAWN}),
    Status.INFORMATION_REQUESTED: frozenset({Status.IN_TRIAGE, Status.WITHDRAWN}),
    # An appeal that overturns a decision sends the referral back to triage.
    Status.DECIDED: frozenset({Status.IN_TRIAGE}),
    Status.WITHDRAWN: frozenset(),
}


class ReferralError(Exception):
    """A request the referral rules refuse; the message is for the user, translated."""


class InvalidTransitionError(ReferralError):
    """The referral's status does not allow the requested step."""


@dataclass(frozen=True, repr=False)
class PersonDetails(InClear):
    """The encrypted part of a referral, in clear: only ever held in memory."""

    FIELDS = Referral.ENCRYPTED_FIELDS

    full_name: str = ""
    birth_date: date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    nationality: str = ""
    identity_number: str = ""
    children: str = ""
    circumstances: str = ""
    referrer_contact: str = ""
    contact_preferences: str = ""

    @property
    def identifies(self) -> bool:
        """Whether anything here could identify the person."""
        return any(
            getattr(self, name)
            for name in ("full_name", "birth_date", "phone", "email", "address", "identity_number")
        )

    def identity(self) -> clients.Identity:
        """The register identity of an admitted person: what they told once, kept."""
        return clients.Identity(
            full_name=self.full_name,
            birth_date=self.birth_date,
            phone=self.phone,
            email=self.email,
            address=self.address,
            nationality=self.nationality,
            identity_number=self.identity_number,
        )


@dataclass(frozen=True)
class Needs:
    """What triage needs in clear: urgency, exploitation, language. Nothing identifying."""

    safety_threat: bool = False
    shelter_tonight: bool = False
    medical_need: bool = False
    possible_minor: bool = False
    children_count: int = 0
    forms: tuple[str, ...] = field(default_factory=tuple)
    place: str = Referral.Place.UNKNOWN
    sector: str = Referral.Sector.NONE
    language: str = ""
    interpreter_needed: bool = False

    def check(self) -> None:
        unknown = [form for form in self.forms if form not in Referral.Form.values]
        if unknown:
            raise ReferralError(_("Choose the forms of exploitation from the list."))
        if self.place not in Referral.Place.values:
            raise ReferralError(_("Choose where the exploitation happened from the list."))
        if self.sector not in Referral.Sector.values:
            raise ReferralError(_("Choose the sector from the list."))
        if not 0 <= self.children_count <= 20:
            raise ReferralError(_("The number of children must be between 0 and 20."))
        if len(self.language) > 32:
            raise ReferralError(_("Give the language in at most 32 characters."))


def receiving_organisation(chosen: Organisation | None) -> Organisation:
    """The organisation a new referral goes to.

    With an admission decision, the jurisdiction's assistance system; where referrals go to
    the responsible services, the service the referrer chose, which must be of a kind the
    profile lists, active and in this jurisdiction.
    """
    if not permissions.routes_to_services():
        return assistance_system()
    if (
        chosen is None
        or not chosen.is_active
        or chosen.jurisdiction != get_profile().code
        or chosen.type not in permissions.receiving_types()
    ):
        raise ReferralError(_("Choose the service to refer the person to."))
    return chosen


def services_to_refer_to() -> QuerySet[Organisation]:
    """The services a referrer may choose, where referrals go to the responsible services."""
    if not permissions.routes_to_services():
        return Organisation.objects.none()
    return Organisation.objects.filter(
        is_active=True, jurisdiction=get_profile().code, type__in=permissions.receiving_types()
    ).order_by("type", "name")


def assistance_system() -> Organisation:
    """The assistance system of this deployment's jurisdiction, which receives referrals."""
    organisation = (
        Organisation.objects.filter(
            type=Organisation.Type.ASSISTANCE_SYSTEM,
            jurisdiction=get_profile().code,
            is_active=True,
        )
        .order_by("pk")
        .first()
    )
    if organisation is None:
        raise ReferralError(_("No assistance system is set up to receive referrals."))
    return organisation


# State changes


def _move(referral: Referral, to: str, *, actor: User | None) -> None:
    """Change the status, or refuse with a clear message; record the step and audit it."""
    current = referral.status
    if to not in TRANSITIONS[current]:
        raise InvalidTransitionError(
            _("This referral's status is “%(current)s”; it cannot change to “%(target)s”.")
            % {"current": Status(current).label, "target": Status(to).label}
        )
    referral.status = to
    Transition.objects.create(referral=referral, from_status=current, to_status=to, actor=actor)


def _audit(
    action: str,
    referral: Referral,
    actor: User | None,
    *,
    subject_code: UUID | None = None,
    **extra: str | int | None,
) -> None:
    audit.record(
        action=action,
        actor_code=actor.code if actor else None,
        person_code=referral.code,
        subject_code=subject_code,
        organisation_code=referral.assistance_organisation.code,
        extra={"status": referral.status, **extra},
    )


def _locked(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update()
        .select_related("assistance_organisation")
        .get(pk=referral.pk)
    )


def _encrypt_into(referral: Referral, details: PersonDetails) -> None:
    blobs = vault.encrypt_fields(
        referral.code, table=TABLE, row=referral.code, values=details.as_strings()
    )
    for name in Referral.ENCRYPTED_FIELDS:
        setattr(referral, f"{name}_enc", blobs.get(name))


def _apply_needs(referral: Referral, needs: Needs) -> None:
    needs.check()
    for name in (f.name for f in fields(Needs)):
        value = getattr(needs, name)
        setattr(referral, name, list(value) if name == "forms" else value)


# Intake


@transaction.atomic
def save_draft(
    *,
    actor: User,
    organisation: Organisation,
    needs: Needs,
    details: PersonDetails,
    is_consultation: bool = False,
    referral: Referral | None = None,
    channel: str = Referral.Channel.PARTNER,
    receiving: Organisation | None = None,
) -> Referral:
    """Create or update a referral draft; its personal details are encrypted like any other.

    `channel` is PARTNER for the web form and API for the JSON API (trygg/api); it is set
    when the draft is created.
    """
    if not permissions.referring_organisations(actor).filter(pk=organisation.pk).exists():
        raise ReferralError(_("You cannot refer on behalf of this organisation."))
    if is_consultation and details.identifies:
        raise ReferralError(
            _(
                "An anonymous consultation cannot hold the person's name, birth date or contact "
                "details."
            )
        )
    if referral is None:
        referral = Referral(
            code=clients.free_code(),
            channel=channel,
            assistance_organisation=receiving_organisation(receiving),
            referring_organisation=organisation,
            created_by=actor,
        )
        vault.create_key(referral.code)
        action = "referral.draft_created"
    else:
        referral = _locked(referral)
        if referral.created_by_id != actor.pk or referral.status != Status.DRAFT:
            raise ReferralError(_("Only the referrer's own drafts can be changed."))
        action = "referral.draft_changed"
    referral.is_consultation = is_consultation
    _apply_needs(referral, needs)
    _encrypt_into(referral, details)
    referral.save()
    _audit(action, referral, actor)
    return referral


@transaction.atomic
def submit(
    *, actor: User | None, referral: Referral, consent: consents.GivenConsent | None
) -> Referral:
    """Send a draft to the assistance system, with the person's consent or as a consultation.

    Without consent nothing identifying may be sent: the referral must be an anonymous
    consultation. With consent, the consent is recorded first, as its own record.
    """
    referral = _locked(referral)
    if actor is not None and referral.created_by_id not in (None, actor.pk):
        raise ReferralError(_("Only the referrer can send this referral."))
    details = read_details(actor=None, referral=referral, purpose="submit", audited=False)
    if consent is None:
        if not referral.is_consultation or details.identifies:
            raise ReferralError(
                _(
                    "Without the person's consent, send an anonymous consultation: "
                    "leave out the name, birth date and contact details."
                )
            )
    else:
        if referral.is_consultation:
            raise ReferralError(_("An anonymous consultation needs no consent."))
        # A person who refers themselves need not give a name; a referrer must.
        if not details.full_name and referral.channel != Referral.Channel.SELF:
            raise ReferralError(_("Enter the person's name, or send an anonymous consultation."))
        consents.record_consent(
            actor=actor,
            person_code=referral.code,
            purpose=Consent.Purpose.REFERRAL,
            scope=str(referral.assistance_organisation.code),
            given=consent,
        )
    _move(referral, Status.RECEIVED, actor=actor)
    referral.received_at = timezone.now()
    referral.respond_by = referral.received_at + referral.response_time
    referral.save()
    if not referral.is_consultation:
        indexes = clients.Identity(
            full_name=details.full_name,
            birth_date=details.birth_date,
            phone=details.phone,
            identity_number=details.identity_number,
        ).blind_index_values()
        vault.set_blind_indexes(referral.code, indexes)
    _audit("referral.received", referral, actor, channel=referral.channel)
    return referral


@transaction.atomic
def self_refer(*, needs: Needs, details: PersonDetails, language: str) -> Referral:
    """A person refers themselves from the public help page: received at once, no account.

    Sending the form is the person's own consent to be contacted, recorded as such.
    """
    if not details.contact_preferences.strip():
        raise ReferralError(_("Say how the assistance system can contact you safely."))
    referral = Referral(
        code=clients.free_code(),
        channel=Referral.Channel.SELF,
        assistance_organisation=assistance_system(),
    )
    vault.create_key(referral.code)
    _apply_needs(referral, needs)
    _encrypt_into(referral, details)
    referral.save()
    given = consents.GivenConsent(
        given_by=Consent.GivenBy.PERSON, method=Consent.Method.ELECTRONIC, language=language
    )
    return submit(actor=None, referral=referral, consent=given)


@transaction.atomic
def log_call(
    *,
    actor: User,
    caller: str,
    is_anonymous: bool,
    urgent: bool,
    summary: str,
    organisation: Organisation | None = None,
) -> HotlineCall:
    """Record a call to the 24-hour line; the summary is encrypted under the call's key."""
    organisation = organisation or _triage_organisation(actor)
    if caller not in HotlineCall.Caller.values:
        raise ReferralError(_("Say who called."))
    call = HotlineCall(
        assistance_organisation=organisation,
        caller=caller,
        is_anonymous=is_anonymous,
        urgent=urgent,
        logged_by=actor,
    )
    if summary.strip():
        vault.create_key(call.vault_owner)
        call.summary_enc = vault.encrypt(
            call.vault_owner, table=CALL_TABLE, field="summary", row=str(call.code), value=summary
        )
    call.save()
    audit.record(
        action="hotline.call_logged",
        actor_code=actor.code,
        subject_code=call.code,
        organisation_code=organisation.code,
        extra={"caller": caller, "anonymous": str(is_anonymous).lower()},
    )
    return call


@transaction.atomic
def refer_call(
    *,
    actor: User,
    call: HotlineCall,
    needs: Needs,
    details: PersonDetails,
    consent: consents.GivenConsent | None,
) -> Referral:
    """Turn a hotline call into a referral, received at once."""
    organisation = _triage_organisation(actor, call.assistance_organisation)
    if call.referral_id is not None:
        raise ReferralError(_("This call has already become a referral."))
    referral = Referral(
        code=clients.free_code(),
        channel=Referral.Channel.HOTLINE,
        assistance_organisation=organisation,
        created_by=actor,
        is_consultation=consent is None,
    )
    if referral.is_consultation and details.identifies:
        raise ReferralError(
            _("Without the person's consent, leave out the name, birth date and contact details.")
        )
    vault.create_key(referral.code)
    _apply_needs(referral, needs)
    _encrypt_into(referral, details)
    referral.save()
    call.referral = referral
    call.save(update_fields=["referral"])
    return submit(actor=actor, referral=referral, consent=consent)


def _triage_organisation(actor: User, organisation: Organisation | None = None) -> Organisation:
    allowed = permissions.triage_organisations(actor)
    if organisation is not None:
        if not allowed.filter(pk=organisation.pk).exists():
            raise ReferralError(_("You do not work in this assistance system."))
        return organisation
    found = allowed.order_by("pk").first()
    if found is None:
        raise ReferralError(_("You do not work in an assistance system."))
    return found


# Reading


def read_details(
    *, actor: User | None, referral: Referral, purpose: str = "view", audited: bool = True
) -> PersonDetails:
    """Decrypt a referral's details; an audited read unless the service reads for itself."""
    blobs = {
        name: bytes(blob)
        for name in Referral.ENCRYPTED_FIELDS
        if (blob := getattr(referral, f"{name}_enc")) is not None
    }
    values = vault.decrypt_fields(referral.code, table=TABLE, row=referral.code, blobs=blobs)
    if audited:
        _audit("referral.details_viewed", referral, actor, purpose=purpose)
    return PersonDetails.from_strings(values)


def possible_duplicates(referral: Referral) -> list[str]:
    """Codes of people in the register and of other referrals sharing a blind index.

    For the assistance system's staff only: a referrer must never learn whether a person is
    already known.
    """
    return vault.owners_sharing(referral.code)


# Triage and decisions


@transaction.atomic
def take_into_triage(*, actor: User, referral: Referral, assignee: User | None = None) -> Referral:
    """Start triage of a received referral, assigned to `assignee` (default: the actor)."""
    referral = _locked(referral)
    _triage_organisation(actor, referral.assistance_organisation)
    assignee = assignee or actor
    _triage_organisation(assignee, referral.assistance_organisation)
    _move(referral, Status.IN_TRIAGE, actor=actor)
    referral.assigned_to = assignee
    referral.save()
    _audit("referral.triage_started", referral, actor, assignee=str(assignee.code))
    return referral


@transaction.atomic
def assign(*, actor: User, referral: Referral, assignee: User) -> Referral:
    """Give an open referral to another case worker of the same assistance system."""
    referral = _locked(referral)
    _triage_organisation(actor, referral.assistance_organisation)
    _triage_organisation(assignee, referral.assistance_organisation)
    if referral.status not in OPEN_STATUSES:
        raise InvalidTransitionError(_("Only an open referral can be assigned to a case worker."))
    referral.assigned_to = assignee
    referral.save(update_fields=["assigned_to", "updated_at"])
    _audit("referral.assigned", referral, actor, assignee=str(assignee.code))
    return referral


@transaction.atomic
def decide(
    *,
    actor: User,
    referral: Referral,
    outcome: str,
    reasons: str,
    letter_language: str,
    client_consent: consents.GivenConsent | None = None,
    home_municipality: str = "",
    children: Sequence[clients.Identity] = (),
) -> Decision:
    """An expert's decision, with reasons. Admission needs the person's own consent.

    For an admission, `home_municipality` (yes, no, unknown) decides, by the profile's rule,
    who arranges the services; while it is unknown, the rule for "no home municipality" holds.
    Admission opens the client's case; `children` are the minor children admitted with them,
    each registered under a code of their own and linked to the parent.
    """
    referral = _locked(referral)
    if (
        not permissions.decision_organisations(actor)
        .filter(pk=referral.assistance_organisation_id)
        .exists()
    ):
        raise ReferralError(_("Only an expert of the assistance system decides admission."))
    if outcome not in decision_outcomes():
        raise ReferralError(_("Choose a decision."))
    if not reasons.strip():
        raise ReferralError(_("Give the reasons for the decision."))
    if outcome == Decision.Outcome.ADMIT:
        if referral.is_consultation:
            raise ReferralError(
                _("An anonymous consultation cannot lead to admission: make a referral first.")
            )
        if client_consent is None:
            raise ReferralError(
                _("Nobody is admitted against their will: record the person's consent first.")
            )
        if home_municipality not in Decision.HomeMunicipality.values:
            raise ReferralError(
                _(
                    "Say whether the person has a home municipality: "
                    "it decides who arranges the services."
                )
            )
    target = (
        Status.INFORMATION_REQUESTED
        if outcome == Decision.Outcome.MORE_INFORMATION
        else Status.DECIDED
    )
    _move(referral, target, actor=actor)
    decision = Decision(
        referral=referral, outcome=outcome, letter_language=letter_language, decided_by=actor
    )
    if outcome == Decision.Outcome.ADMIT:
        _route(decision, home_municipality)
    decision.reasons_enc = vault.encrypt(
        referral.code, table=DECISION_TABLE, field="reasons", row=str(decision.code), value=reasons
    )
    decision.save()
    if target == Status.DECIDED:
        referral.decided_at = decision.decided_at
    if outcome == Decision.Outcome.ADMIT and client_consent is not None:
        consents.record_consent(
            actor=actor,
            person_code=referral.code,
            purpose=Consent.Purpose.CLIENT,
            scope=str(referral.assistance_organisation.code),
            given=client_consent,
        )
        referral.person = _admit(actor, referral, decision, children)
    referral.save()
    _audit(
        "referral.decided",
        referral,
        actor,
        outcome=outcome,
        responsible=decision.responsible_party or None,
    )
    return decision


def decision_outcomes() -> tuple[str, ...]:
    """The decisions this jurisdiction knows: admission, or taking on the referral."""
    if permissions.routes_to_services():
        return (
            Decision.Outcome.TAKEN_ON,
            Decision.Outcome.NOT_TAKEN_ON,
            Decision.Outcome.MORE_INFORMATION,
        )
    return (Decision.Outcome.ADMIT, Decision.Outcome.NOT_ADMIT, Decision.Outcome.MORE_INFORMATION)


def _route(decision: Decision, home_municipality: str) -> None:
    """Record who arranges the admitted person's services, by the jurisdiction's rule."""
    decision.home_municipality = home_municipality
    rule = get_profile().admission.responsibility
    if rule is None:
        # No rule in the profile: the assistance system that admitted the person arranges them.
        decision.responsible_party = ResponsibleParty.ASSISTANCE_SYSTEM
        return
    if home_municipality == Decision.HomeMunicipality.YES:
        decision.responsible_party = rule.with_home_municipality
    else:
        decision.responsible_party = rule.without_home_municipality
    decision.cooperating = [
        party for party in rule.cooperating if party != decision.responsible_party
    ]


def _admit(
    actor: User, referral: Referral, decision: Decision, children: Sequence[clients.Identity]
) -> Person:
    """Register the admitted person under the referral's code, with what they already told,
    and open their case with the children admitted with them."""
    person = Person.objects.filter(code=referral.code).first()
    if person is None:
        details = read_details(actor=None, referral=referral, audited=False)
        person, _duplicates = clients.register_person(
            actor=actor,
            organisation=referral.assistance_organisation,
            identity=details.identity(),
            code=referral.code,
        )
    try:
        cases.open_case(
            actor=actor,
            person=person,
            organisation=referral.assistance_organisation,
            home_municipality=decision.home_municipality,
            responsible_party=decision.responsible_party,
            cooperating=decision.cooperating,
            children=children,
        )
    except cases.CaseError as exc:
        raise ReferralError(str(exc)) from exc
    return person


def read_reasons(*, actor: User, decision: Decision) -> str:
    """Decrypt a decision's reasons for the assistance system's staff; audited."""
    referral = decision.referral
    _triage_organisation(actor, referral.assistance_organisation)
    reasons = vault.decrypt(
        referral.code,
        table=DECISION_TABLE,
        field="reasons",
        row=str(decision.code),
        blob=bytes(decision.reasons_enc),
    )
    _audit("referral.reasons_viewed", referral, actor)
    return reasons


def record_letter(*, actor: User, decision: Decision) -> None:
    """Record that `actor` made the decision letter, and in which language; audited.

    The letter holds the reasons: reading them (`read_reasons`) is audited on its own.
    """
    referral = decision.referral
    _triage_organisation(actor, referral.assistance_organisation)
    _audit(
        "referral.letter_made",
        referral,
        actor,
        subject_code=decision.code,
        language=decision.letter_language,
    )


def _check_answer(actor: User, referral: Referral) -> None:
    """Only the referrer answers, and only while the referral waits for the answer."""
    if referral.created_by_id != actor.pk:
        raise ReferralError(_("Only the referrer can add information to this referral."))
    if referral.status != Status.INFORMATION_REQUESTED:
        raise InvalidTransitionError(_("This referral is not waiting for more information."))


def information_request(*, actor: User, referral: Referral) -> str:
    """What the assistance system asked: the reasons of the latest request for more
    information, shown to the referrer while the referral waits for the answer; audited."""
    _check_answer(actor, referral)
    request = (
        referral.decisions.filter(outcome=Decision.Outcome.MORE_INFORMATION)
        .order_by("-decided_at")
        .first()
    )
    if request is None:
        return ""
    question = vault.decrypt(
        referral.code,
        table=DECISION_TABLE,
        field="reasons",
        row=str(request.code),
        blob=bytes(request.reasons_enc),
    )
    _audit("referral.request_viewed", referral, actor, subject_code=request.code)
    return question


@transaction.atomic
def supplement(*, actor: User, referral: Referral, details: PersonDetails) -> Referral:
    """The referrer answers a request for more information with the person's details, which
    replace those the referral held; the referral returns to triage."""
    referral = _locked(referral)
    _check_answer(actor, referral)
    if referral.is_consultation and details.identifies:
        raise ReferralError(
            _(
                "An anonymous consultation cannot hold the person's name, birth date or contact "
                "details."
            )
        )
    if (
        not referral.is_consultation
        and referral.channel != Referral.Channel.SELF
        and not details.full_name.strip()
    ):
        raise ReferralError(_("Enter the person's name."))
    return _answered(actor, referral, details)


@transaction.atomic
def answer_request(*, actor: User, referral: Referral, answer: str) -> Referral:
    """The referrer answers a request for more information in words: the answer is added,
    dated, to what is known of the situation, and the referral returns to triage."""
    referral = _locked(referral)
    _check_answer(actor, referral)
    answer = answer.strip()
    if not answer:
        raise ReferralError(_("Write your answer."))
    details = read_details(actor=None, referral=referral, audited=False)
    known = details.circumstances.strip()
    dated = f"[{timezone.localdate().isoformat()}] {answer}"
    circumstances = f"{known}\n\n{dated}" if known else dated
    return _answered(actor, referral, replace(details, circumstances=circumstances))


def _answered(actor: User, referral: Referral, details: PersonDetails) -> Referral:
    _move(referral, Status.IN_TRIAGE, actor=actor)
    _encrypt_into(referral, details)
    referral.save()
    _audit("referral.supplemented", referral, actor)
    return referral


@transaction.atomic
def withdraw(*, actor: User, referral: Referral) -> Referral:
    """The person no longer wants the referral: it ends, and its consent is withdrawn."""
    referral = _locked(referral)
    is_referrer = referral.created_by_id == actor.pk
    if not is_referrer:
        _triage_organisation(actor, referral.assistance_organisation)
    _move(referral, Status.WITHDRAWN, actor=actor)
    referral.save()
    consent = consents.active_consent(referral.code, Consent.Purpose.REFERRAL)
    if consent is not None:
        consents.withdraw_consent(actor=actor, consent=consent)
    _audit("referral.withdrawn", referral, actor)
    return referral


@transaction.atomic
def record_appeal(*, actor: User, decision: Decision, lodged_at: date) -> Appeal:
    """Record that a decision has been appealed."""
    _triage_organisation(actor, decision.referral.assistance_organisation)
    if decision.outcome == Decision.Outcome.MORE_INFORMATION:
        raise ReferralError(_("A request for more information cannot be appealed."))
    if lodged_at < decision.decided_at.date() or lodged_at > timezone.localdate():
        raise ReferralError(_("The appeal date must be between the decision and today."))
    appeal = Appeal.objects.create(decision=decision, lodged_at=lodged_at, recorded_by=actor)
    _audit("referral.appealed", decision.referral, actor)
    return appeal


@transaction.atomic
def record_appeal_outcome(*, actor: User, appeal: Appeal, outcome: str, on: date) -> Appeal:
    """Record the appeal's outcome; an overturned decision sends the referral back to triage."""
    appeal = (
        Appeal.objects.select_for_update().select_related("decision__referral").get(pk=appeal.pk)
    )
    referral = appeal.decision.referral
    _triage_organisation(actor, referral.assistance_organisation)
    if appeal.outcome != Appeal.Outcome.PENDING:
        raise ReferralError(_("This appeal already has an outcome."))
    if outcome not in (Appeal.Outcome.UPHELD, Appeal.Outcome.OVERTURNED):
        raise ReferralError(_("Choose the outcome of the appeal."))
    if on < appeal.lodged_at:
        raise ReferralError(_("The outcome cannot come before the appeal."))
    appeal.outcome = outcome
    appeal.outcome_at = on
    appeal.save(update_fields=["outcome", "outcome_at"])
    if outcome == Appeal.Outcome.OVERTURNED and referral.status == Status.DECIDED:
        referral = _locked(referral)
        _move(referral, Status.IN_TRIAGE, actor=actor)
        referral.save()
    _audit("referral.appeal_decided", referral, actor, outcome=outcome)
    return appeal


# What the referrer is told


def status_for_referrer(referral: Referral) -> str:
    """The only thing a referrer learns: where the referral is, and whether the person was
    admitted. Never the reasons, never who else is known."""
    if referral.status == Status.DECIDED:
        decision = referral.decisions.order_by("-decided_at").first()
        outcome = decision.outcome if decision is not None else None
        if outcome == Decision.Outcome.ADMIT:
            return _("Admitted")
        if outcome == Decision.Outcome.TAKEN_ON:
            return _("Taken on by the service")
        if outcome == Decision.Outcome.NOT_TAKEN_ON:
            return _("Not taken on by the service")
        return _("Not admitted")
    labels = {
        Status.DRAFT: _("Draft, not sent"),
        Status.RECEIVED: _("Received"),
        Status.IN_TRIAGE: _("Being assessed"),
        Status.INFORMATION_REQUESTED: _("More information requested"),
        Status.WITHDRAWN: _("Withdrawn"),
    }
    return labels[Status(referral.status)]


# The values are the code's own status constants, never input.
OPEN_CONDITION = RawSQL(  # noqa: S611
    '"referrals_referral"."status" IN ({})'.format(
        ", ".join(f"'{status.value}'" for status in OPEN_STATUSES)
    ),
    (),
    output_field=BooleanField(),
)


class QueueView(TextChoices):
    """Which part of the triage queue a case worker looks at."""

    ALL = "all", pgettext_lazy("triage queue", "All open referrals")
    MINE = "mine", pgettext_lazy("triage queue", "Assigned to me")
    UNASSIGNED = "unassigned", pgettext_lazy("triage queue", "Not assigned to anyone")


def queue(user: User, view: str = QueueView.ALL) -> QuerySet[Referral]:
    """The triage queue: open referrals, the most pressing deadline first.

    `view` narrows it to the user's own referrals or to those nobody has taken yet.
    """
    referrals = permissions.incoming_referrals(user)
    if view == QueueView.MINE:
        referrals = referrals.filter(assigned_to=user)
    elif view == QueueView.UNASSIGNED:
        referrals = referrals.filter(assigned_to__isnull=True)
    return (
        referrals
        # The open statuses as literals, not bound parameters: only so does SQLite see that the
        # query fits the partial index `referral_open_queue_idx` and walk it in deadline order,
        # instead of sorting every open referral (page 1,000 of 100,000: 2 ms against 60 ms).
        .filter(OPEN_CONDITION)
        # A prefetch, not a join: with a join SQLite sorts every open referral instead of
        # walking the index in deadline order (50 ms against 2 ms at 100,000 referrals).
        .prefetch_related("assigned_to")
        .order_by("respond_by", "pk")
    )
