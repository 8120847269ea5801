"""The start page, the language switch and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from trygg.accounts.forms import LanguageForm
from trygg.lib.http import AuthenticatedHttpRequest, set_language_cookie


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    memberships = user.memberships.select_related("organisation").filter(
        organisation__is_active=True
    )
    # The task links use the menu's permission flags (`nav`, from the context processor).
    return render(request, "web/home.html", {"memberships": memberships})


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered on the account when logged in."""
    form = LanguageForm(request.POST)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("web:home")
    response = HttpResponseRedirect(target)
    if not form.is_valid():
        return response
    language = form.cleaned_data["language"]
    set_language_cookie(response, language)
    if request.user.is_authenticated:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Tell a load balancer whether this instance can reach its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain an expired or blocked form without Django's technical page."""
    return render(request, "403_csrf.html", status=403)
