"""Who may see and change cases.

A case belongs to the assistance-system organisation that admitted the client: its case workers
and experts work with it, and only its experts remove a client. Nobody else reaches a case,
administrators included; a stranger cannot tell a case that does not exist from one they may
not see (404).
"""

from django.db.models import QuerySet
from django.http import Http404

from trygg.accounts.models import Membership, User
from trygg.cases.models import Case
from trygg.clients.permissions import register_organisations


def cases_visible_to(user: User) -> QuerySet[Case]:
    # A list of ids, not a subquery: the planner then walks the list index per organisation.
    return Case.objects.filter(
        organisation_id__in=list(register_organisations(user).values_list("pk", flat=True))
    )


def can_see_cases(user: User) -> bool:
    return register_organisations(user).exists()


def get_case_for_user(user: User, code: str) -> Case:
    """Return the case of the client `code` if `user` works with it; else raise Http404."""
    try:
        return cases_visible_to(user).select_related("person").get(person__code=code)
    except Case.DoesNotExist:
        raise Http404 from None


def can_remove(user: User, case: Case) -> bool:
    """Only an expert of the case's organisation decides a removal."""
    return (
        user.is_active
        and case.organisation.is_active
        and Membership.objects.filter(
            user=user, organisation=case.organisation, role=Membership.Role.EXPERT
        ).exists()
    )
