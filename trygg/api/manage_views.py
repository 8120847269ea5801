"""Pages under /manage/api-tokens/: administrators create and revoke their organisations' tokens."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.accounts.decorators import check_required, sudo_redirect
from trygg.accounts.permissions import is_administrator
from trygg.api import permissions, services
from trygg.api.forms import ApiTokenForm
from trygg.lib.http import AuthenticatedHttpRequest

admin_required = check_required(is_administrator)
PAGE_SIZE = 50


@admin_required
@require_GET
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    tokens = permissions.tokens_for_admin(request.user).select_related(
        "organisation", "acting_user"
    )
    page = Paginator(tokens, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "api/apitoken_list.html", {"tokens": page.object_list, "page": page})


@admin_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create a token; in sudo mode, since the token can send referrals on its own."""
    memberships = permissions.referrer_memberships_for_admin(request.user)
    form = ApiTokenForm(request.POST or None, memberships=memberships)
    if request.method == "POST":
        if redirect_to_sudo := sudo_redirect(request):
            return redirect_to_sudo
        if form.is_valid():
            membership = form.cleaned_data["membership"]
            try:
                token, token_text = services.create_token(
                    actor=request.user,
                    organisation=membership.organisation,
                    acting_user=membership.user,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                )
            except services.TokenError as error:
                form.add_error(None, str(error))
            else:
                # The token is on this response only; it is stored nowhere in clear.
                return render(
                    request, "api/apitoken_created.html", {"token": token, "token_text": token_text}
                )
    return render(
        request,
        "api/apitoken_new.html",
        {"form": form, "has_referrers": memberships.exists()},
        status=400 if form.errors else 200,
    )


@admin_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, prefix: str) -> HttpResponse:
    token = permissions.get_token_for_admin(request.user, prefix)
    if redirect_to_sudo := sudo_redirect(request):
        return redirect_to_sudo
    try:
        services.revoke_token(actor=request.user, token=token)
    except services.TokenError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The token has been revoked. It no longer works."))
    return redirect("manage:api_tokens")
