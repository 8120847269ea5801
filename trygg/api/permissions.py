"""Who manages which API tokens.

Administrators manage the tokens of the organisations they administer; nobody else sees a
token. A token outside an administrator's organisations answers 404, as if it did not exist.
"""

from django.db.models import QuerySet
from django.http import Http404

from trygg.accounts.models import Membership, User
from trygg.accounts.permissions import administered_organisations
from trygg.api.models import ApiToken


def tokens_for_admin(user: User) -> QuerySet[ApiToken]:
    """The tokens of the organisations `user` administers."""
    return ApiToken.objects.filter(organisation__in=administered_organisations(user))


def get_token_for_admin(user: User, prefix: str) -> ApiToken:
    """Return the token `prefix` if `user` administers its organisation; raise Http404 else."""
    try:
        return tokens_for_admin(user).select_related("organisation").get(prefix=prefix)
    except ApiToken.DoesNotExist:
        raise Http404 from None


def referrer_memberships_for_admin(user: User) -> QuerySet[Membership]:
    """The referrers a new token may act as: active referrers of the administered organisations."""
    return (
        Membership.objects.active()
        .filter(
            role=Membership.Role.REFERRER,
            organisation__in=administered_organisations(user),
        )
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__username")
    )
