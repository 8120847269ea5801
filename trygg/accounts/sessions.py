"""The steps of a login, kept in the session: password first, then the second factor.

Between the two steps nobody is logged in: the session holds only the pending user's id and
when the password was accepted. Only a verified second factor calls Django's `login`.
"""

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest
from django_otp import login as otp_login

from trygg.accounts.models import User

PENDING_KEY = "trygg_pending_login"
AUTH_AT_KEY = "trygg_auth_at"
SEEN_AT_KEY = "trygg_seen_at"
SUDO_UNTIL_KEY = "trygg_sudo_until"
# A password accepted longer ago than this must be entered again.
PENDING_SECONDS = 5 * 60


def begin_pending_login(request: HttpRequest, user: User) -> None:
    """Remember that `user` gave the right password; the second factor comes next."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
        "at": time.time(),
    }


def pending_user(request: HttpRequest) -> User | None:
    """Return the user whose password was accepted a moment ago, or None."""
    pending: dict[str, Any] | None = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).first()


def complete_login(request: HttpRequest, user: User, device: Any) -> None:
    """Log `user` in with the verified `device` and start the session clocks."""
    backend = request.session[PENDING_KEY]["backend"]
    del request.session[PENDING_KEY]
    login(request, user, backend=backend)
    otp_login(request, device)
    now = time.time()
    request.session[AUTH_AT_KEY] = now
    request.session[SEEN_AT_KEY] = now


def grant_sudo(request: HttpRequest) -> None:
    request.session[SUDO_UNTIL_KEY] = time.time() + settings.TRYGG_SUDO_SECONDS


def in_sudo_mode(request: HttpRequest) -> bool:
    return request.session.get(SUDO_UNTIL_KEY, 0) > time.time()
