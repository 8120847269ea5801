"""Who may use the register and see which people.

Case workers and experts of an assistance-system organisation work with the people that
organisation holds. Nobody else reaches the register, administrators included, and nobody
can browse it: people are found by exact identity, or reached by their code.
"""

from django.db.models import QuerySet
from django.http import Http404

from trygg.accounts.models import Membership, Organisation, User
from trygg.clients.models import Person

REGISTER_ROLES = (Membership.Role.CASEWORKER, Membership.Role.EXPERT)


def register_organisations(user: User) -> QuerySet[Organisation]:
    """Return the organisations whose register `user` works with."""
    if not user.is_active:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        is_active=True,
        type=Organisation.Type.ASSISTANCE_SYSTEM,
        memberships__user=user,
        memberships__role__in=REGISTER_ROLES,
    ).distinct()


def can_use_register(user: User) -> bool:
    return register_organisations(user).exists()


def people_visible_to(user: User) -> QuerySet[Person]:
    return Person.objects.filter(organisation__in=register_organisations(user))


def get_person_for_user(user: User, code: str) -> Person:
    """Return the person with `code` if `user` works with their register; else raise Http404.

    A stranger cannot tell a person who does not exist from one they may not see.
    """
    try:
        return people_visible_to(user).get(code=code)
    except Person.DoesNotExist:
        raise Http404 from None
