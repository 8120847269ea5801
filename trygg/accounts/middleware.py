"""Session clocks and the second-factor guarantee, applied to every request."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from trygg.accounts import services
from trygg.accounts.models import AccountAction, User
from trygg.accounts.sessions import AUTH_AT_KEY, SEEN_AT_KEY

# Writing the session on every request would cost a database write each time.
SEEN_AT_RESOLUTION = 30


class SessionTimeoutMiddleware:
    """End a session after 15 minutes without a request, or 12 hours after login."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            # A session without the clocks was not made by the login views: end it too.
            auth_at: float = request.session.get(AUTH_AT_KEY, 0.0)
            seen_at: float = request.session.get(SEEN_AT_KEY, 0.0)
            if (
                now - seen_at > settings.TRYGG_SESSION_IDLE_SECONDS
                or now - auth_at > settings.TRYGG_SESSION_ABSOLUTE_SECONDS
            ):
                user = request.user
                logout(request)
                services.record_event(action=AccountAction.SESSION_EXPIRED, actor=user)
                messages.info(request, _("Your session has ended. Please log in again."))
                return redirect_to_login(request.get_full_path())
            if now - seen_at > SEEN_AT_RESOLUTION:
                request.session[SEEN_AT_KEY] = now
        return self.get_response(request)


class RequireVerifiedMiddleware:
    """Refuse any session that is logged in without a verified second factor.

    The login views never create one; this is the safety net for any other way in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User):
            # OTPMiddleware adds is_verified() to the user.
            if not getattr(user, "is_verified", lambda: False)():
                logout(request)
                return redirect_to_login(request.get_full_path())
            # A one-time password from an administrator must be replaced before anything else.
            if user.must_change_password and request.path not in _password_paths():
                return redirect("accounts:password")
        return self.get_response(request)


def _password_paths() -> set[str]:
    return {reverse("accounts:password"), reverse("accounts:logout"), reverse("web:set_language")}
