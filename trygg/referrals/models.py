"""Referrals, hotline calls and admission decisions: the front door of the assistance system.

A referral is known by a pseudonymous code in the register's code space (`K7F3-Q92X`): it is
the vault owner of the referral's encrypted fields and the `person_code` of its audit events, and
it becomes the client's code if the person is admitted, so that nobody types the identity twice.
Plain columns hold only what triage and statistics need and what cannot identify anyone alone.
"""

import uuid
from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from trygg.accounts.models import Organisation
from trygg.cases.models import AppealOutcome, HomeMunicipality
from trygg.clients.models import Person, new_code
from trygg.jurisdictions.profiles import ResponsibleParty

# How soon the assistance system must act on a referral: urgent ones around the clock.
URGENT_RESPONSE = timedelta(hours=4)
NORMAL_RESPONSE = timedelta(days=3)


class Referral(models.Model):
    class Channel(models.TextChoices):
        PARTNER = "partner", _("Referral by an organisation")
        SELF = "self", _("Self-referral")
        HOTLINE = "hotline", _("Call to the 24-hour line")
        API = "api", _("Referral from a partner system")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RECEIVED = "received", _("Received")
        IN_TRIAGE = "in_triage", _("In triage")
        INFORMATION_REQUESTED = "information_requested", _("More information requested")
        DECIDED = "decided", _("Decided")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Form(models.TextChoices):
        # The forms of exploitation of the Finnish statistics (../shared/reference/statistics.md).
        LABOUR = "labour", _("Forced labour or labour exploitation")
        SEXUAL = "sexual", _("Sexual exploitation")
        MARRIAGE = "marriage", _("Forced marriage")
        CRIMINAL = "criminal", _("Exploitation in criminal activity")
        BEGGING = "begging", _("Forced begging")
        BENEFIT_FRAUD = "benefit_fraud", _("Benefit fraud")
        ORGANS = "organs", _("Trafficking in organs or tissue")
        OTHER = "other", _("Other or unclear")

    class Place(models.TextChoices):
        IN_COUNTRY = "in_country", _("Wholly in this country")
        BEGUN_ABROAD = "begun_abroad", _("Begun abroad and continued in this country")
        ABROAD = "abroad", _("Wholly abroad")
        UNKNOWN = "unknown", _("Not known")

    class Sector(models.TextChoices):
        NONE = "", _("Not labour exploitation, or not known")
        AGRICULTURE = "agriculture", _("Agriculture, berry or wild-produce picking, greenhouses")
        CONSTRUCTION = "construction", _("Construction")
        CLEANING = "cleaning", _("Cleaning")
        RESTAURANTS = "restaurants", _("Restaurants and food services")
        BEAUTY = "beauty", _("Beauty and personal care")
        DOMESTIC = "domestic", _("Domestic work in a household")
        TRANSPORT = "transport", _("Transport and storage")
        MANUFACTURING = "manufacturing", _("Manufacturing")
        OTHER = "other", pgettext_lazy("sector", "Other")

    # The encrypted fields, in the order the forms show them.
    ENCRYPTED_FIELDS: ClassVar[tuple[str, ...]] = (
        "full_name",
        "birth_date",
        "phone",
        "email",
        "address",
        "nationality",
        "identity_number",
        "children",
        "circumstances",
        "referrer_contact",
        "contact_preferences",
    )

    code = models.CharField(_("code"), max_length=9, unique=True, default=new_code, editable=False)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.DRAFT
    )
    # An anonymous consultation: the assistance system is asked for advice, but receives
    # nothing that identifies the person (no encrypted field is ever set).
    is_consultation = models.BooleanField(_("anonymous consultation"), default=False)
    assistance_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="incoming_referrals",
        verbose_name=_("assistance system"),
    )
    # Empty for a self-referral.
    referring_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outgoing_referrals",
        verbose_name=_("referring organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_referrals",
        verbose_name=_("case worker"),
    )
    # Set when the person is admitted: the client in the register (same code).
    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="referral"
    )

    # Urgent needs: any of them makes the referral urgent.
    safety_threat = models.BooleanField(_("the person's safety is threatened"), default=False)
    shelter_tonight = models.BooleanField(_("the person needs a safe place tonight"), default=False)
    medical_need = models.BooleanField(_("the person needs medical care now"), default=False)
    possible_minor = models.BooleanField(_("the person may be under 18"), default=False)
    children_count = models.PositiveSmallIntegerField(_("minor children to include"), default=0)
    forms = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    place = models.CharField(
        _("where the exploitation happened"),
        max_length=16,
        choices=Place.choices,
        default=Place.UNKNOWN,
    )
    sector = models.CharField(
        _("sector"), max_length=16, choices=Sector.choices, default=Sector.NONE, blank=True
    )
    language = models.CharField(_("the person's language"), max_length=32, blank=True)
    interpreter_needed = models.BooleanField(_("an interpreter is needed"), default=False)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    received_at = models.DateTimeField(null=True, blank=True)
    respond_by = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    full_name_enc = models.BinaryField(null=True)
    birth_date_enc = models.BinaryField(null=True)
    phone_enc = models.BinaryField(null=True)
    email_enc = models.BinaryField(null=True)
    address_enc = models.BinaryField(null=True)
    nationality_enc = models.BinaryField(null=True)
    identity_number_enc = models.BinaryField(null=True)
    children_enc = models.BinaryField(null=True)
    circumstances_enc = models.BinaryField(null=True)
    referrer_contact_enc = models.BinaryField(null=True)
    contact_preferences_enc = models.BinaryField(null=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The triage queue: open referrals of one assistance system in deadline order. Partial,
            # so that the three open statuses are one range to walk, not three to merge and sort.
            models.Index(
                fields=["assistance_organisation", "respond_by", "id"],
                condition=models.Q(status__in=["received", "in_triage", "information_requested"]),
                name="referral_open_queue_idx",
            ),
            # The queue narrowed to one case worker's referrals, or to those nobody has taken
            # (`assigned_to IS NULL`). `status` last, so that the page's count reads only the index.
            models.Index(
                fields=["assistance_organisation", "assigned_to", "respond_by", "id", "status"],
                condition=models.Q(status__in=["received", "in_triage", "information_requested"]),
                name="referral_open_assignee_idx",
            ),
            # One status of one organisation, in deadline order. (SQLite uses the partial index
            # above only because `services.queue` writes the open statuses as literals.)
            models.Index(
                fields=["assistance_organisation", "status", "respond_by"],
                name="referral_queue_idx",
            ),
            models.Index(
                fields=["referring_organisation", "created_by", "-created_at"],
                name="referral_referrer_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_consultation=False) | models.Q(full_name_enc__isnull=True),
                name="referral_consultation_holds_no_identity",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_urgent(self) -> bool:
        return self.safety_threat or self.shelter_tonight or self.medical_need

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def response_time(self) -> timedelta:
        return URGENT_RESPONSE if self.is_urgent else NORMAL_RESPONSE


OPEN_STATUSES = (
    Referral.Status.RECEIVED,
    Referral.Status.IN_TRIAGE,
    Referral.Status.INFORMATION_REQUESTED,
)


class Transition(models.Model):
    """One change of a referral's status: its history, shown to the assistance system."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=24, choices=Referral.Status.choices)
    to_status = models.CharField(max_length=24, choices=Referral.Status.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.from_status} -> {self.to_status}"


class Decision(models.Model):
    """An expert's decision on a referral, with reasons; open to appeal.

    An admission also records who arranges the services, by the jurisdiction's rule: with a
    home municipality, the municipality; without one (an asylum seeker, for example), the
    assistance system, in cooperation with the reception centre.
    """

    class Outcome(models.TextChoices):
        ADMIT = "admit", _("Admitted")
        NOT_ADMIT = "not_admit", _("Not admitted")
        MORE_INFORMATION = "more_information", _("More information needed")
        # Where referrals go to the responsible services instead (Norway's profile).
        TAKEN_ON = "taken_on", _("Taken on by the service")
        NOT_TAKEN_ON = "not_taken_on", _("Not taken on by the service")

    HomeMunicipality = HomeMunicipality

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=16, choices=Outcome.choices)
    # The reasons may name the person or what happened to them: encrypted with the referral.
    reasons_enc = models.BinaryField()
    # The language of the decision letter: the person's language where Trygg has it.
    letter_language = models.CharField(_("language of the letter"), max_length=16)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    # Admissions only: the home municipality and, from it, who arranges the services.
    home_municipality = models.CharField(
        _("home municipality"), max_length=8, choices=HomeMunicipality.choices, blank=True
    )
    responsible_party = models.CharField(
        _("arranges the services"), max_length=24, choices=ResponsibleParty.choices, blank=True
    )
    cooperating = models.JSONField(_("in cooperation with"), default=list, blank=True)

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.outcome}"

    @property
    def cooperating_labels(self) -> list[str]:
        return [str(ResponsibleParty(party).label) for party in self.cooperating]


class Appeal(models.Model):
    """An appeal against a decision, and its outcome once known."""

    Outcome = AppealOutcome

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="appeals")
    lodged_at = models.DateField(_("appeal lodged on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_at = models.DateField(_("outcome on"), null=True, blank=True)

    class Meta:
        ordering = ["-lodged_at"]

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.outcome}"


class HotlineCall(models.Model):
    """A call to the 24-hour line, anonymous or identified; may become a referral."""

    class Caller(models.TextChoices):
        PERSON = "person", pgettext_lazy("caller", "The person themselves")
        PROFESSIONAL = "professional", _("A professional")
        RELATIVE = "relative", _("A relative or friend")
        OTHER = "other", pgettext_lazy("caller", "Other")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assistance_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="hotline_calls"
    )
    received_at = models.DateTimeField(_("call received at"), default=timezone.now)
    caller = models.CharField(_("caller"), max_length=16, choices=Caller.choices)
    is_anonymous = models.BooleanField(_("anonymous call"), default=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    # What was said: may identify someone, so encrypted under the call's own key.
    summary_enc = models.BinaryField(null=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="hotline_call"
    )

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return str(self.code)

    @property
    def vault_owner(self) -> str:
        # The vault's owners are at most 32 characters: the UUID without dashes.
        return self.code.hex
