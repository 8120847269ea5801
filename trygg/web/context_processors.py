from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from trygg.accounts import permissions
from trygg.accounts.models import Organisation
from trygg.clients.permissions import can_use_register
from trygg.jurisdictions.profiles import get_profile
from trygg.referrals import permissions as referral_permissions


def is_demo() -> bool:
    """True when the instance runs with demo data; cached briefly to spare a query per page."""
    if settings.TRYGG_DEMO:
        return True
    value = cache.get("trygg:is_demo")
    if value is None:
        value = Organisation.objects.filter(is_demo=True).exists()
        cache.set("trygg:is_demo", value, 60)
    return bool(value)


def trygg(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {"profile": get_profile(), "is_demo": is_demo()}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["nav"] = {
            "is_administrator": permissions.is_administrator(user),
            "can_view_security_events": permissions.can_view_security_events(user),
            "can_use_register": can_use_register(user),
            "can_refer": referral_permissions.can_refer(user),
            "can_triage": referral_permissions.can_triage(user),
        }
    return context
