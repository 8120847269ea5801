"""The client register for case workers: find, register, view, reveal identity, erase."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from trygg.accounts.decorators import check_required, sudo_redirect
from trygg.clients import permissions, services
from trygg.clients.forms import ErasureForm, FindForm, RegisterForm
from trygg.clients.models import ErasureRequest, Person
from trygg.lib.http import AuthenticatedHttpRequest

register_required = check_required(permissions.can_use_register)


@register_required
@never_cache
@require_http_methods(["GET", "POST"])
def find(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Search by exact identity. POST only: what is searched for never enters a URL."""
    form = FindForm(request.POST or None)
    people = None
    if request.method == "POST" and form.is_valid():
        people = services.find_people(
            actor=request.user,
            name=form.cleaned_data["name"],
            birth_date=form.cleaned_data["birth_date"],
            phone=form.cleaned_data["phone"],
            document=form.cleaned_data["document"],
        )
    return render(
        request,
        "clients/find.html",
        {"form": form, "people": people},
        status=400 if form.errors else 200,
    )


@register_required
@never_cache
@require_http_methods(["GET", "POST"])
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None)
    organisations = permissions.register_organisations(request.user)
    if request.method == "POST" and form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            try:
                parent = permissions.get_person_for_user(request.user, form.cleaned_data["parent"])
            except Http404:
                form.add_error("parent", _("There is no client with this code in your register."))
        if not form.errors:
            try:
                person, duplicates = services.register_person(
                    actor=request.user,
                    organisation=parent.organisation if parent else organisations.first(),  # type: ignore[arg-type]
                    identity=form.identity(),
                    gender=form.cleaned_data["gender"],
                    kind=Person.Kind.CHILD if parent else Person.Kind.CLIENT,
                    parent=parent,
                )
            except services.RegisterError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The person has been registered."))
                if duplicates:
                    messages.warning(
                        request,
                        _(
                            "Possible duplicates share a name and birth date, phone number or "
                            "identity number with this person: %(codes)s. Check them; nothing "
                            "has been merged."
                        )
                        % {"codes": ", ".join(duplicates)},
                    )
                return redirect("clients:person", person.code)
    return render(
        request, "clients/register.html", {"form": form}, status=400 if form.errors else 200
    )


def person(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The coded record: what the register knows without revealing who the person is."""
    subject = permissions.get_person_for_user(request.user, code)
    pending = subject.erasure_requests.filter(status=ErasureRequest.Status.PENDING).first()
    return render(
        request,
        "clients/person.html",
        {
            "person": subject,
            "children": Person.objects.filter(parent_links__parent=subject),
            "parents": Person.objects.filter(child_links__child=subject),
            "pending": pending,
            "own_request": pending is not None and pending.requested_by_code == request.user.code,
            "erasure_form": ErasureForm(),
        },
    )


@never_cache
@require_POST
def identity(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Reveal a person's identity: needs a fresh re-authentication, and is an audited read."""
    subject = permissions.get_person_for_user(request.user, code)
    if redirect_to_sudo := sudo_redirect(request):
        return redirect_to_sudo
    try:
        revealed = services.read_identity(actor=request.user, person=subject)
    except services.RegisterError as error:
        messages.error(request, str(error))
        return redirect("clients:person", subject.code)
    return render(request, "clients/identity.html", {"person": subject, "identity": revealed})


@require_POST
def erase(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    subject = permissions.get_person_for_user(request.user, code)
    form = ErasureForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed reasons."))
        return redirect("clients:person", subject.code)
    try:
        services.request_erasure(
            actor=request.user, person=subject, reason=form.cleaned_data["reason"]
        )
    except services.RegisterError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The erasure has been requested. Another case worker must approve it.")
        )
    return redirect("clients:person", subject.code)


def _pending_request(request: AuthenticatedHttpRequest, code: str, pk: int) -> ErasureRequest:
    subject = permissions.get_person_for_user(request.user, code)
    try:
        return subject.erasure_requests.get(pk=pk)
    except ErasureRequest.DoesNotExist:
        raise Http404 from None


@require_POST
def erase_approve(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    erasure = _pending_request(request, code, pk)
    if redirect_to_sudo := sudo_redirect(request):
        return redirect_to_sudo
    try:
        services.approve_erasure(actor=request.user, request=erasure)
    except services.RegisterError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The person has been erased. Only their code remains."))
    return redirect("clients:person", erasure.person.code)


@require_POST
def erase_cancel(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    erasure = _pending_request(request, code, pk)
    try:
        services.cancel_erasure(actor=request.user, request=erasure)
    except services.RegisterError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The erasure request has been cancelled."))
    return redirect("clients:person", erasure.person.code)
