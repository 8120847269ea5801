"""Request types for views that need a logged-in user."""

from django.http import HttpRequest

from trygg.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User  # type: ignore[assignment]
