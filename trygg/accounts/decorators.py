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


def sudo_redirect(request: HttpRequest) -> HttpResponse | None:
    """Return a redirect to re-authentication unless the user is in sudo mode.

    Views that load an object call this after the access check, so that a stranger gets the
    same 404 whether or not they are in sudo mode. A POST outside sudo mode is not carried
    out: the user re-authenticates and comes back to the page the form was on (sent as
    `next`) to submit it again.
    """
    if in_sudo_mode(request):
        return None
    target = request.get_full_path()
    if request.method != "GET":
        back = request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        target = back if safe and back else reverse("web:home")
    return redirect(reverse("accounts:sudo") + "?" + urlencode({"next": target}))


def sudo_required(view: View) -> View:
    """Require a recent re-authentication (see `sudo_redirect`) for a view with no object."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return sudo_redirect(request) or view(request, *args, **kwargs)

    return wrapper
