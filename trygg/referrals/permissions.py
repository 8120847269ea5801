"""Who may refer, triage and decide, and which referrals each person sees.

- Referrers (any organisation) and case workers of an assistance system make referrals; a
  referrer sees only the referrals they made, and of those only the status.
- Case workers and experts of the assistance system that receives a referral see it whole, in
  the triage queue; only experts decide admission.
- Everyone else, partner staff and administrators included, sees nothing here: 404.
"""

from django.db.models import QuerySet
from django.http import Http404

from trygg.accounts.models import Membership, Organisation, User
from trygg.jurisdictions.profiles import AdmissionProcedure, get_profile
from trygg.referrals.models import Referral

TRIAGE_ROLES = (Membership.Role.CASEWORKER, Membership.Role.EXPERT)


def _organisations(user: User, roles: tuple[str, ...], **filters: object) -> QuerySet[Organisation]:
    if not user.is_active:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        is_active=True, memberships__user=user, memberships__role__in=roles, **filters
    ).distinct()


def referring_organisations(user: User) -> QuerySet[Organisation]:
    """The organisations on whose behalf `user` may refer."""
    return _organisations(user, (Membership.Role.REFERRER,))


def routes_to_services() -> bool:
    """True where referrals go to the responsible services, without an admission decision."""
    return get_profile().admission.procedure == AdmissionProcedure.REFERRAL_TO_SERVICES


def receiving_types() -> tuple[str, ...]:
    """The kinds of organisation that receive referrals in this jurisdiction."""
    if routes_to_services():
        return tuple(get_profile().admission.services)
    return (Organisation.Type.ASSISTANCE_SYSTEM,)


def triage_organisations(user: User) -> QuerySet[Organisation]:
    """The receiving organisations whose incoming referrals `user` works with."""
    return _organisations(user, TRIAGE_ROLES, type__in=receiving_types())


def decision_organisations(user: User) -> QuerySet[Organisation]:
    """Where `user` decides: experts of the assistance system; where referrals go to the
    responsible services, the case workers of the service that received it."""
    roles = TRIAGE_ROLES if routes_to_services() else (Membership.Role.EXPERT,)
    return _organisations(user, roles, type__in=receiving_types())


def can_refer(user: User) -> bool:
    return referring_organisations(user).exists()


def can_triage(user: User) -> bool:
    return triage_organisations(user).exists()


def own_referrals(user: User) -> QuerySet[Referral]:
    """The referrals `user` made as a referrer."""
    return Referral.objects.filter(
        created_by=user, referring_organisation__in=referring_organisations(user)
    )


def incoming_referrals(user: User) -> QuerySet[Referral]:
    """The referrals that reached the assistance systems `user` works in (no drafts)."""
    # The organisations' ids as a list, not a subquery: the planner then walks the queue's
    # index in deadline order instead of sorting every open referral.
    organisations = list(triage_organisations(user).values_list("pk", flat=True))
    return Referral.objects.filter(assistance_organisation_id__in=organisations).exclude(
        status=Referral.Status.DRAFT
    )


def get_own_referral(user: User, code: str) -> Referral:
    """A referral `user` made, else 404: a stranger cannot tell it exists."""
    try:
        return own_referrals(user).get(code=code)
    except Referral.DoesNotExist:
        raise Http404 from None


def get_incoming_referral(user: User, code: str) -> Referral:
    """A referral in `user`'s triage queue, else 404."""
    try:
        return incoming_referrals(user).get(code=code)
    except Referral.DoesNotExist:
        raise Http404 from None
