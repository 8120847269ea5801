"""The client relationship: a case opens when an expert admits a person, and ends either at the
client's wish (they withdraw their consent to being a client) or by an expert's reasoned
decision to remove them from the assistance system, which can be appealed.

A case is known by its client's code. The client's minor children admitted with them are
linked to the client in the register (`clients.ChildLink`) and belong to the same case.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.accounts.models import Organisation
from trygg.clients.models import Person
from trygg.jurisdictions.profiles import ResponsibleParty


class HomeMunicipality(models.TextChoices):
    """Whether an admitted person has a home municipality: it decides who arranges services."""

    YES = "yes", _("The person has a home municipality in the country")
    NO = "no", _("The person has no home municipality in the country")
    UNKNOWN = "unknown", _("Not known yet")


class AppealOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    UPHELD = "upheld", _("The decision was upheld")
    OVERTURNED = "overturned", _("The decision was overturned")


class Case(models.Model):
    class Status(models.TextChoices):
        CLIENT = "client", _("Client")
        REMOVED = "removed", _("Removed from the assistance system")
        ENDED = "ended", _("Ended at the client's wish")

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="case")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cases", verbose_name=_("organisation")
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.CLIENT
    )
    opened_at = models.DateTimeField(_("client since"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("ended on"), null=True, blank=True)
    # Who arranges the services, by the jurisdiction's rule, as decided at admission.
    home_municipality = models.CharField(
        _("home municipality"), max_length=8, choices=HomeMunicipality.choices
    )
    responsible_party = models.CharField(
        _("arranges the services"), max_length=24, choices=ResponsibleParty.choices
    )
    cooperating = models.JSONField(_("in cooperation with"), default=list, blank=True)

    class Meta:
        ordering = ["-opened_at", "pk"]
        indexes = [
            models.Index(fields=["organisation", "status", "-opened_at"], name="case_list_idx")
        ]
        constraints = [
            # An open case has no end; an ended or removed one has.
            models.CheckConstraint(
                condition=(models.Q(status="client") & models.Q(closed_at__isnull=True))
                | (~models.Q(status="client") & models.Q(closed_at__isnull=False)),
                name="case_closed_iff_not_client",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return self.person.code

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.CLIENT

    @property
    def cooperating_labels(self) -> list[str]:
        return [str(ResponsibleParty(party).label) for party in self.cooperating]


class CaseTransition(models.Model):
    """One change of a case's status: its history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=8, choices=Case.Status.choices, blank=True)
    to_status = models.CharField(max_length=8, choices=Case.Status.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} -> {self.to_status}"


class Removal(models.Model):
    """An expert's reasoned decision to remove a client from the assistance system.

    It can be appealed once here; the appeal's outcome is recorded when known, and an overturned
    removal makes the person a client again.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="removals")
    # The reasons may name the person or what happened to them: encrypted under the client's code.
    reasons_enc = models.BinaryField()
    letter_language = models.CharField(_("language of the letter"), max_length=16)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    appeal_lodged_at = models.DateField(_("appeal lodged on"), null=True, blank=True)
    appeal_outcome = models.CharField(
        _("outcome"), max_length=16, choices=AppealOutcome.choices, blank=True
    )
    appeal_outcome_at = models.DateField(_("outcome on"), null=True, blank=True)

    class Meta:
        ordering = ["-decided_at"]
        constraints = [
            # An outcome only for a lodged appeal.
            models.CheckConstraint(
                condition=models.Q(appeal_lodged_at__isnull=False) | models.Q(appeal_outcome=""),
                name="removal_outcome_needs_appeal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: removal"

    @property
    def appeal_pending(self) -> bool:
        return self.appeal_outcome == AppealOutcome.PENDING
