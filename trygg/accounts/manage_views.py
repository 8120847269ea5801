"""Administration of organisations and users. None of these pages shows case content."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from trygg.accounts import permissions, services
from trygg.accounts.decorators import check_required, sudo_redirect
from trygg.accounts.forms import MembershipForm, NewOrganisationForm, NewUserForm, OrganisationForm
from trygg.accounts.models import ACCOUNT_ACTION_PREFIXES, AccountAction
from trygg.audit.models import AuditEvent
from trygg.jurisdictions.profiles import get_profile
from trygg.lib.http import AuthenticatedHttpRequest

admin_required = check_required(permissions.is_administrator)
# Lists are paged: a list that grows with the organisation must not load it all at once.
PAGE_SIZE = 50
# Far beyond any real log; keeps the offset inside the databases' integer range.
MAX_EVENT_PAGE = 1_000_000

# Organisations


@admin_required
def organisation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisations = permissions.organisations_for_admin(request.user)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/organisation_list.html",
        {
            "organisations": page.object_list,
            "page": page,
            "can_create": permissions.can_create_organisations(request.user),
        },
    )


@check_required(permissions.can_create_organisations)
@require_http_methods(["GET", "POST"])
def organisation_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = NewOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.create_organisation(
            actor=request.user,
            name=form.cleaned_data["name"],
            type=form.cleaned_data["type"],
            jurisdiction=get_profile().code,
        )
        messages.success(request, _("The organisation has been created."))
        return redirect("manage:organisation", organisation.code)
    return render(
        request,
        "accounts/organisation_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@admin_required
@require_http_methods(["GET", "POST"])
def organisation_detail(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    organisation = permissions.get_organisation_for_admin(request.user, code)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST":
        if not permissions.can_create_organisations(request.user):
            raise PermissionDenied
        if form.is_valid():
            services.update_organisation(
                actor=request.user,
                organisation=organisation,
                name=form.cleaned_data["name"],
                type=form.cleaned_data["type"],
                is_active=form.cleaned_data["is_active"],
            )
            messages.success(request, _("The organisation has been saved."))
            return redirect("manage:organisation", organisation.code)
        organisation.refresh_from_db()
    members = organisation.memberships.select_related("user").order_by("user__username")
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "form": form,
            "members": members,
            "can_edit": permissions.can_create_organisations(request.user),
        },
        status=400 if form.errors else 200,
    )


# Users


@admin_required
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    users = permissions.users_for_admin(request.user).prefetch_related("memberships__organisation")
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"users": page.object_list, "page": page})


@admin_required
@never_cache
@require_http_methods(["GET", "POST"])
def user_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisations = permissions.administered_organisations(request.user)
    form = NewUserForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        user, password = services.create_user(
            actor=request.user,
            username=form.cleaned_data["username"],
            full_name=form.cleaned_data["full_name"],
            email=form.cleaned_data["email"],
            organisation=form.cleaned_data["organisation"],
            role=form.cleaned_data["role"],
        )
        # The one-time password is on this response only; it is stored nowhere in clear.
        return render(
            request, "accounts/user_created.html", {"new_user": user, "password": password}
        )
    return render(
        request, "accounts/user_new.html", {"form": form}, status=400 if form.errors else 200
    )


@admin_required
def user_detail(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    user = permissions.get_managed_user_for_user(request.user, code)
    administered = permissions.administered_organisations(request.user)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "managed": user,
            "memberships": user.memberships.select_related("organisation"),
            "administered_ids": set(administered.values_list("pk", flat=True)),
            "form": MembershipForm(organisations=administered),
            "has_mfa": services.has_mfa(user),
            "is_self": user.pk == request.user.pk,
        },
    )


@admin_required
@require_POST
def user_role(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    """Grant a role, or change the role held, in an organisation the actor administers."""
    user = permissions.get_managed_user_for_user(request.user, code)
    if redirect_to_sudo := sudo_redirect(request):
        return redirect_to_sudo
    form = MembershipForm(
        request.POST, organisations=permissions.administered_organisations(request.user)
    )
    if not form.is_valid():
        messages.error(request, _("Choose an organisation and a role."))
        return redirect("manage:user", user.code)
    try:
        services.grant_role(
            actor=request.user,
            user=user,
            organisation=form.cleaned_data["organisation"],
            role=form.cleaned_data["role"],
        )
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The role has been saved."))
    return redirect("manage:user", user.code)


@admin_required
@require_POST
def user_role_revoke(
    request: AuthenticatedHttpRequest, code: UUID, membership: int
) -> HttpResponse:
    user = permissions.get_managed_user_for_user(request.user, code)
    target = permissions.get_membership_for_admin(request.user, user, membership)
    if redirect_to_sudo := sudo_redirect(request):
        return redirect_to_sudo
    try:
        services.revoke_role(actor=request.user, membership=target)
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The role has been removed."))
    if permissions.users_for_admin(request.user).filter(pk=user.pk).exists():
        return redirect("manage:user", user.code)
    return redirect("manage:users")


@admin_required
@require_POST
def user_active(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    user = permissions.get_managed_user_for_user(request.user, code)
    if redirect_to_sudo := sudo_redirect(request):
        return redirect_to_sudo
    active = request.POST.get("active") == "1"
    try:
        services.set_user_active(actor=request.user, user=user, is_active=active)
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        if active:
            messages.success(request, _("The account has been reactivated."))
        else:
            messages.success(request, _("The account has been deactivated."))
    return redirect("manage:user", user.code)


@admin_required
@require_POST
def user_reset_mfa(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    user = permissions.get_managed_user_for_user(request.user, code)
    if redirect_to_sudo := sudo_redirect(request):
        return redirect_to_sudo
    try:
        services.reset_mfa(actor=request.user, user=user)
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Two-factor authentication has been reset. "
                "The user sets it up again at the next login."
            ),
        )
    return redirect("manage:user", user.code)


# Security events (auditors)


@check_required(permissions.can_view_security_events)
def security_events(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the audit log's account events (`AccountAction`), newest first, 100 a page."""
    in_namespaces = Q()
    for prefix in ACCOUNT_ACTION_PREFIXES:
        in_namespaces |= Q(action__startswith=prefix)
    events = AuditEvent.objects.filter(in_namespaces).order_by("-seq")
    action = request.GET.get("action", "")
    if action in AccountAction.values:
        events = events.filter(action=action)
    page_size = 100
    try:
        page = min(max(int(request.GET.get("page", "1")), 1), MAX_EVENT_PAGE)
    except ValueError:
        page = 1
    rows = list(events[(page - 1) * page_size : page * page_size + 1])
    labels = dict(AccountAction.choices)
    shown = rows[:page_size]
    return render(
        request,
        "accounts/security_events.html",
        {
            "events": [(event, labels.get(event.action, event.action)) for event in shown],
            "page": page,
            "has_next": len(rows) > page_size,
            "actions": AccountAction.choices,
            "action": action,
        },
    )
