"""Request types for views that need a logged-in user, and small response helpers."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from trygg.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User


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
