"""View decorators for roles and for re-authentication before sensitive actions."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from trygg.accounts.sessions import in_sudo_mode

View = Callable[..., HttpResponse]


def role_required(*roles: str) -> Callable[[View], View]:
    """Allow the view only to users holding one of `roles`; others get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_role(*roles):  # type: ignore[union-attr]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def check_required(check: Callable[[Any], bool]) -> Callable[[View], View]:
    """Allow the view only when `check(request.user)` is true; others get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def sudo_required(view: View) -> View:
    """Ask for the password and a fresh second factor unless given in the last minutes.

    A POST that arrives outside sudo mode is not carried out: the user re-authenticates and
    is sent back to the page the form was on, to submit it again.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if in_sudo_mode(request):
            return view(request, *args, **kwargs)
        target = request.get_full_path()
        if request.method != "GET":
            # Forms behind sudo mode carry the page they are on as `next`.
            back = request.POST.get("next", "")
            safe = url_has_allowed_host_and_scheme(
                back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
            target = back if safe and back else reverse("web:home")
        return redirect(reverse("accounts:sudo") + "?" + urlencode({"next": target}))

    return wrapper
