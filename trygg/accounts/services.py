"""Every write to users, organisations, roles and second factors, each with its audit event."""

import secrets
from base64 import b32encode
from collections.abc import Mapping

from django.contrib.auth import password_validation
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.accounts.models import AccountAction, Membership, Organisation, User
from trygg.audit import services as audit
from trygg.audit.models import AuditEvent

Action = AccountAction

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery"
TOTP_DEVICE_NAME = "authenticator"


class AccountError(Exception):
    """A request that the account rules refuse; the message is for the user, translated."""


def record_event(
    *,
    action: str,
    actor: User | None = None,
    subject: User | None = None,
    organisation: Organisation | None = None,
    extra: Mapping[str, audit.ExtraValue] | None = None,
) -> AuditEvent:
    """Append one account event (an `AccountAction`) to the audit log.

    People and organisations are recorded by their codes; `subject` is left out when it is
    the actor. `extra` holds codes and enumerated values only (audit.AuditDetailError).
    """
    return audit.record(
        action=action,
        actor_code=actor.code if actor else None,
        subject_code=subject.code if subject and subject != actor else None,
        organisation_code=organisation.code if organisation else None,
        extra=extra,
    )


# Organisations


@transaction.atomic
def create_organisation(
    *, actor: User | None, name: str, type: str, jurisdiction: str, is_demo: bool = False
) -> Organisation:
    """Create an organisation. `actor` is None only for commands run by the operator."""
    organisation = Organisation(name=name, type=type, jurisdiction=jurisdiction, is_demo=is_demo)
    organisation.full_clean()
    organisation.save()
    record_event(
        action=Action.ORGANISATION_CREATED,
        actor=actor,
        organisation=organisation,
        extra={"type": type, "jurisdiction": jurisdiction},
    )
    return organisation


@transaction.atomic
def update_organisation(
    *, actor: User, organisation: Organisation, name: str, type: str, is_active: bool
) -> Organisation:
    """Change an organisation's name, type or whether it is active."""
    changed = sorted(
        field
        for field, value in (("name", name), ("type", type), ("is_active", is_active))
        if getattr(organisation, field) != value
    )
    organisation.name, organisation.type, organisation.is_active = name, type, is_active
    organisation.full_clean()
    organisation.save()
    if changed:
        record_event(
            action=Action.ORGANISATION_UPDATED,
            actor=actor,
            organisation=organisation,
            extra={"fields": changed},
        )
    return organisation


# Users and roles


def generate_password() -> str:
    """Return a random one-time password that satisfies the password validators."""
    return "-".join(secrets.token_urlsafe(6) for _ in range(3))


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    email: str,
    organisation: Organisation,
    role: str,
    password: str | None = None,
) -> tuple[User, str]:
    """Create a user with one role and a one-time password; return both.

    The password is shown once to whoever creates the account and must be changed at first
    login unless it was given explicitly.
    """
    one_time = password is None
    password = password or generate_password()
    user = User(username=username, full_name=full_name, email=email, must_change_password=one_time)
    user.set_password(password)
    user.full_clean()
    user.save()
    record_event(action=Action.USER_CREATED, actor=actor, subject=user, organisation=organisation)
    grant_role(actor=actor, user=user, organisation=organisation, role=role)
    return user, password


@transaction.atomic
def grant_role(
    *, actor: User | None, user: User, organisation: Organisation, role: str
) -> Membership:
    """Give `user` the role `role` in `organisation`, replacing any role held there."""
    if actor is not None and actor.pk == user.pk:
        raise AccountError(_("You cannot change your own roles. Ask another administrator."))
    if role not in Membership.Role.values:
        raise AccountError(_("Choose one of the listed roles."))
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None:
        membership = Membership.objects.create(user=user, organisation=organisation, role=role)
        record_event(
            action=Action.ROLE_GRANTED,
            actor=actor,
            subject=user,
            organisation=organisation,
            extra={"role": role},
        )
    elif membership.role != role:
        previous = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        record_event(
            action=Action.ROLE_CHANGED,
            actor=actor,
            subject=user,
            organisation=organisation,
            extra={"role": role, "previous_role": previous},
        )
    return membership


@transaction.atomic
def revoke_role(*, actor: User, membership: Membership) -> None:
    """Remove a user's role in one organisation."""
    if actor.pk == membership.user_id:
        raise AccountError(_("You cannot change your own roles. Ask another administrator."))
    record_event(
        action=Action.ROLE_REVOKED,
        actor=actor,
        subject=membership.user,
        organisation=membership.organisation,
        extra={"role": membership.role},
    )
    membership.delete()


@transaction.atomic
def set_user_active(*, actor: User, user: User, is_active: bool) -> User:
    """Deactivate or reactivate an account. A deactivated user cannot log in."""
    if actor.pk == user.pk:
        raise AccountError(_("You cannot deactivate your own account."))
    if user.is_active != is_active:
        user.is_active = is_active
        user.save(update_fields=["is_active"])
        record_event(
            action=Action.USER_REACTIVATED if is_active else Action.USER_DEACTIVATED,
            actor=actor,
            subject=user,
        )
        if not is_active:
            end_sessions(user)
    return user


@transaction.atomic
def change_password(*, actor: User, user: User, password: str) -> User:
    """Set a new password after validating it; clears the must-change flag."""
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    record_event(action=Action.PASSWORD_CHANGED, actor=actor, subject=user)
    return user


def end_sessions(user: User) -> None:
    """Log the user out everywhere by deleting their stored sessions."""
    from django.contrib.sessions.models import Session

    for session in Session.objects.all().iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


# Second factor


def has_mfa(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_totp_device(user: User) -> TOTPDevice:
    """Return the user's unconfirmed authenticator device, creating it on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def confirm_totp_device(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm enrolment when `token` is right; return fresh recovery codes, or None."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    record_event(action=Action.MFA_ENROLLED, actor=user)
    return create_recovery_codes(actor=user, user=user)


@transaction.atomic
def create_recovery_codes(*, actor: User, user: User) -> list[str]:
    """Replace the user's recovery codes with new ones; each works once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    record_event(action=Action.RECOVERY_CODES_CREATED, actor=actor, subject=user)
    return codes


def _recovery_code() -> str:
    # 10 characters from an alphabet without look-alikes: about 50 bits each.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def reset_mfa(*, actor: User, user: User) -> None:
    """Remove the user's second factors; they enrol again at their next login."""
    if actor.pk == user.pk:
        raise AccountError(_("You cannot reset your own two-factor authentication."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    end_sessions(user)
    record_event(action=Action.MFA_RESET, actor=actor, subject=user)


def totp_secret(device: TOTPDevice) -> str:
    """Return the device's key in the base32 form that authenticator apps take."""
    return b32encode(device.bin_key).decode().rstrip("=")
