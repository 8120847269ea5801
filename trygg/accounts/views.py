"""Logging in with a password and a second factor, sudo mode, and one's own account."""

from typing import Any
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice

from trygg.accounts import services
from trygg.accounts.decorators import sudo_required
from trygg.accounts.forms import EnrolForm, LoginForm, SudoForm, TokenForm
from trygg.accounts.models import AccountAction, User
from trygg.accounts.sessions import (
    begin_pending_login,
    complete_login,
    grant_sudo,
    in_sudo_mode,
    pending_user,
)
from trygg.lib.http import AuthenticatedHttpRequest, set_language_cookie

Action = AccountAction


def _safe_next(request: HttpRequest, default: str = "web:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


@login_not_required
@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            # AxesMiddleware replaces the response with `locked_out` below.
            known = User.objects.filter(username=username).first()
            services.record_event(action=Action.LOCKED_OUT, subject=known, actor=None)
            return locked_out(request)
        if isinstance(user, User):
            begin_pending_login(request, user)
            if services.has_mfa(user):
                return redirect(reverse("accounts:verify") + _next_query(request))
            return redirect(reverse("accounts:enrol") + _next_query(request))
        known = User.objects.filter(username=username).first()
        services.record_event(action=Action.LOGIN_FAILED, subject=known, actor=None)
        # One message whether or not the account exists, is inactive or the password is wrong.
        form.add_error(None, _("The user name or password is not right. Try again."))
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": _safe_next(request)},
        status=400 if form.errors else 200,
    )


def _next_query(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "?" + urlencode({"next": target})
    return ""


@login_not_required
@never_cache
def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """The page for too many failed attempts; it reads the same for every user name."""
    return render(request, "accounts/locked_out.html", status=429)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = pending_user(request)
    if user is None:
        messages.info(request, _("Please log in again."))
        return redirect("accounts:login")
    if not services.has_mfa(user):
        return redirect("accounts:enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"])
        if device is not None:
            if isinstance(device, StaticDevice):
                services.record_event(action=Action.RECOVERY_CODE_USED, actor=user)
            return _finish(request, user, device)
        services.record_event(action=Action.MFA_FAILED, actor=user)
        form.add_error("token", _("That code is not right, or it has expired. Try again."))
    return render(
        request,
        "accounts/verify.html",
        {"form": form, "next": _safe_next(request)},
        status=400 if form.errors else 200,
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """First login: connect an authenticator app by QR code, then show recovery codes once."""
    user = pending_user(request)
    if user is None:
        messages.info(request, _("Please log in again."))
        return redirect("accounts:login")
    if services.has_mfa(user):
        return redirect("accounts:verify")
    device = services.pending_totp_device(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_totp_device(
            user=user, device=device, token=form.cleaned_data["token"]
        )
        if codes is not None:
            device.refresh_from_db()
            _finish(request, user, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _after_login_url(request, user)},
            )
        services.record_event(action=Action.MFA_FAILED, actor=user)
        form.add_error(
            "token", _("That code is not right. Check the time on your phone and try again.")
        )
    qr = segno.make(device.config_url, error="m")
    b32 = services.totp_secret(device)
    context = {
        "form": form,
        # segno writes a self-contained SVG; it is rendered inline so that no image URL
        # carries the secret.
        "qr_svg": mark_safe(qr.svg_inline(scale=5, title=_("QR code for your authenticator app"))),  # noqa: S308
        "secret_groups": [b32[i : i + 4] for i in range(0, len(b32), 4)],
        "next": _safe_next(request),
    }
    return render(request, "accounts/enrol.html", context, status=400 if form.errors else 200)


def _finish(request: HttpRequest, user: User, device: Any) -> HttpResponseRedirect:
    target = _after_login_url(request, user)
    complete_login(request, user, device)
    services.record_event(action=Action.LOGIN_SUCCEEDED, actor=user)
    response = HttpResponseRedirect(target)
    if user.language:
        set_language_cookie(response, user.language)
    return response


def _after_login_url(request: HttpRequest, user: User) -> str:
    if user.must_change_password:
        return reverse("accounts:password")
    return _safe_next(request)


@require_POST
def logout_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    logout(request)
    services.record_event(action=Action.LOGOUT, actor=user)
    messages.info(request, _("You have logged out."))
    return redirect("accounts:login")


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def sudo(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Confirm the password and a fresh second-factor code before a sensitive action."""
    form = SudoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=request.user.username, password=form.cleaned_data["password"]
        )
        device = match_token(request.user, form.cleaned_data["token"]) if user else None
        if user is not None and device is not None:
            grant_sudo(request)
            services.record_event(action=Action.SUDO_GRANTED, actor=request.user)
            return redirect(_safe_next(request))
        services.record_event(action=Action.SUDO_FAILED, actor=request.user)
        form.add_error(None, _("The password or the code is not right. Try again."))
    return render(
        request,
        "accounts/sudo.html",
        {"form": form, "next": _safe_next(request)},
        status=400 if form.errors else 200,
    )


@never_cache
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("organisation")
    return render(
        request,
        "accounts/account.html",
        {"memberships": memberships, "in_sudo_mode": in_sudo_mode(request)},
    )


@never_cache
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_password(
            actor=request.user, user=request.user, password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password has been changed."))
        return redirect("web:home")
    return render(
        request, "accounts/password.html", {"form": form}, status=400 if form.errors else 200
    )


@never_cache
@require_POST
@sudo_required
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Replace the recovery codes; the new ones are shown once, on this response only."""
    codes = services.create_recovery_codes(actor=request.user, user=request.user)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:account")},
    )
