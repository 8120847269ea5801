"""Who may manage which accounts and organisations, and who may read security events.

Administrators manage the users of the organisations they administer; administrators of an
assistance-system organisation also create organisations. No role here reaches case content.
"""

from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from trygg.accounts.models import Membership, Organisation, User

Role = Membership.Role


def administered_organisations(user: User) -> QuerySet[Organisation]:
    """Return the active organisations in which `user` is an administrator."""
    if not user.is_active:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        is_active=True, memberships__user=user, memberships__role=Role.ADMINISTRATOR
    )


def is_administrator(user: User) -> bool:
    return administered_organisations(user).exists()


def can_create_organisations(user: User) -> bool:
    """Administrators of the assistance system set up the other organisations."""
    return (
        administered_organisations(user).filter(type=Organisation.Type.ASSISTANCE_SYSTEM).exists()
    )


def can_view_security_events(user: User) -> bool:
    """Auditors of the assistance system read the security events of every organisation."""
    return (
        user.is_active
        and Membership.objects.filter(
            user=user,
            role=Role.AUDITOR,
            organisation__is_active=True,
            organisation__type=Organisation.Type.ASSISTANCE_SYSTEM,
        ).exists()
    )


def organisations_for_admin(user: User) -> QuerySet[Organisation]:
    """Organisations the administrator may see: all for the assistance system's, else own."""
    if can_create_organisations(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Role.ADMINISTRATOR
    ).distinct()


def users_for_admin(user: User) -> QuerySet[User]:
    """Users with a role in an organisation the administrator administers.

    The assistance system's administrators also see users left without any role, so that
    nobody becomes unmanageable.
    """
    visible = Q(memberships__organisation__in=administered_organisations(user))
    if can_create_organisations(user):
        visible |= Q(memberships__isnull=True)
    return User.objects.filter(visible).distinct()


def get_managed_user_for_user(actor: User, code: UUID) -> User:
    """Return the user `code` if `actor` administers them; raise Http404 otherwise."""
    return get_object_or_404(users_for_admin(actor), code=code)


def get_organisation_for_admin(actor: User, code: UUID) -> Organisation:
    """Return the organisation if `actor` may manage it; raise Http404 otherwise."""
    return get_object_or_404(organisations_for_admin(actor), code=code)


def get_membership_for_admin(actor: User, user: User, membership_id: int) -> Membership:
    """Return one of `user`'s memberships in an organisation `actor` administers."""
    try:
        return user.memberships.select_related("organisation", "user").get(
            pk=membership_id, organisation__in=administered_organisations(actor)
        )
    except Membership.DoesNotExist:
        raise Http404 from None
