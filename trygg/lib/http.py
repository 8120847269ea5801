"""Request types for views that need a logged-in user, and small response helpers."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    # For the type only: lib imports no Trygg app at run time.
    from trygg.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: "User"


def set_language_cookie(response: HttpResponse, language: str) -> None:
    """Remember the interface language for this browser session only."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )


def client_ip(request: HttpRequest) -> str | None:
    """Return the client's address, trusting X-Forwarded-For only from known proxies.

    With TRYGG_PROXY_COUNT=N, the N-th address from the right of X-Forwarded-For is the one
    the outermost trusted proxy saw; anything further left could be forged by the client.
    """
    count = settings.TRYGG_PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
