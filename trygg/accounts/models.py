"""Users, organisations, roles, and the vocabulary of their audit events."""

import uuid
from typing import ClassVar, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Organisation(models.Model):
    """An organisation taking part in the assistance system's work, in one jurisdiction."""

    class Type(models.TextChoices):
        # Aligned with HTCDS 2.0 org_Type; see `htcds_type` for the mapping.
        ASSISTANCE_SYSTEM = "assistance_system", _("Assistance system")
        RECEPTION_CENTRE = "reception_centre", _("Reception centre")
        MUNICIPALITY = "municipality", _("Municipality or wellbeing services county")
        NGO = "ngo", _("Non-governmental organisation")
        HEALTH_SERVICE = "health_service", _("Health service")
        CHILD_WELFARE = "child_welfare", _("Child welfare")
        POLICE = "police", _("Police")
        IMMIGRATION_SERVICE = "immigration_service", _("Immigration service")
        LEGAL_SERVICE = "legal_service", _("Legal service")
        OTHER = "other", pgettext_lazy("organisation type", "Other")

    HTCDS_TYPES: ClassVar[dict[str, str]] = {
        Type.ASSISTANCE_SYSTEM: "CentralGovernmentOrganisation",
        Type.RECEPTION_CENTRE: "CentralGovernmentOrganisation",
        Type.MUNICIPALITY: "LocalGovernmentOrganisation",
        Type.NGO: "NGO",
        Type.HEALTH_SERVICE: "HealthServiceOrganisation",
        Type.CHILD_WELFARE: "LocalGovernmentOrganisation",
        Type.POLICE: "LawEnforcement",
        Type.IMMIGRATION_SERVICE: "ImmigrationService",
        Type.LEGAL_SERVICE: "LegalService",
    }

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=32, choices=Type.choices)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=8)
    is_active = models.BooleanField(_("active"), default=True)
    # Set by `trygg demo`; the interface shows a demo banner while any exists.
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            # Two organisations with one name in one jurisdiction would make referrals ambiguous.
            models.UniqueConstraint(
                fields=["jurisdiction", "name"], name="organisation_unique_name_per_jurisdiction"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def htcds_type(self) -> str | None:
        """Return the HTCDS 2.0 org_Type value, or None where HTCDS has no match."""
        return self.HTCDS_TYPES.get(self.type)


class TryggUserManager(UserManager["User"]):
    pass


class User(AbstractUser):
    """A staff member. Case data is never reached through the user: roles decide."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # One field for the name people use (no first/last split).
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    language = models.CharField(_("language"), max_length=8, blank=True)
    must_change_password = models.BooleanField(default=False)

    objects: ClassVar[TryggUserManager] = TryggUserManager()

    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username

    def roles(self) -> set[str]:
        """Return the roles this user holds in any active organisation."""
        return set(
            self.memberships.filter(organisation__is_active=True).values_list("role", flat=True)
        )

    def has_role(self, *roles: str) -> bool:
        return (
            self.is_active
            and self.memberships.filter(role__in=roles, organisation__is_active=True).exists()
        )


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> Self:
        return self.filter(organisation__is_active=True, user__is_active=True)


class Membership(models.Model):
    """A user's role in one organisation. DESIGN.md says what each role may see."""

    class Role(models.TextChoices):
        REFERRER = "referrer", _("Referrer")
        CASEWORKER = "caseworker", _("Case worker")
        EXPERT = "expert", _("Expert")
        PARTNER = "partner", _("Partner staff")
        STATISTICIAN = "statistician", _("Statistician")
        AUDITOR = "auditor", _("Auditor")
        ADMINISTRATOR = "administrator", _("Administrator")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            # One role per person per organisation: a change of role replaces the old one.
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_one_role_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}: {self.role}"


class AccountAction(models.TextChoices):
    """The audit-log actions of logins, sessions, second factors, users, roles and organisations.

    Recorded through `accounts.services.record_event` into the audit log (`trygg.audit`);
    auditors read them at /manage/security-events/. Every code starts with "auth." or
    "account.".
    """

    LOGIN_SUCCEEDED = "auth.login.succeeded", _("Login succeeded")
    LOGIN_FAILED = "auth.login.failed", _("Login failed")
    LOCKED_OUT = "auth.locked_out", _("Locked out after too many failed attempts")
    MFA_FAILED = "auth.mfa.failed", _("Two-factor code rejected")
    MFA_ENROLLED = "auth.mfa.enrolled", _("Two-factor authentication enrolled")
    MFA_RESET = "auth.mfa.reset", _("Two-factor authentication reset")
    RECOVERY_CODE_USED = "auth.recovery_code.used", _("Recovery code used")
    RECOVERY_CODES_CREATED = "auth.recovery_codes.created", _("New recovery codes created")
    LOGOUT = "auth.logout", _("Logged out")
    SESSION_EXPIRED = "auth.session.expired", _("Session expired")
    SUDO_GRANTED = "auth.sudo.granted", _("Re-authenticated for a sensitive action")
    SUDO_FAILED = "auth.sudo.failed", _("Re-authentication failed")
    PASSWORD_CHANGED = "account.password.changed", _("Password changed")
    USER_CREATED = "account.user.created", _("User created")
    USER_DEACTIVATED = "account.user.deactivated", _("User deactivated")
    USER_REACTIVATED = "account.user.reactivated", _("User reactivated")
    ROLE_GRANTED = "account.role.granted", _("Role granted")
    ROLE_CHANGED = "account.role.changed", _("Role changed")
    ROLE_REVOKED = "account.role.revoked", _("Role revoked")
    ORGANISATION_CREATED = "account.organisation.created", _("Organisation created")
    ORGANISATION_UPDATED = "account.organisation.updated", _("Organisation updated")


# The namespaces of AccountAction: the auditors' page lists the audit events in them.
ACCOUNT_ACTION_PREFIXES = ("auth.", "account.")
