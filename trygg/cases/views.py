"""Case pages: the list of the team's cases and one case, with its end, removal and appeal."""

import logging
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.accounts.decorators import check_required
from trygg.cases import letters, permissions, services
from trygg.cases.forms import AppealForm, EndForm, RemovalForm
from trygg.cases.letters import LetterKind
from trygg.cases.models import Case
from trygg.jurisdictions.profiles import get_profile
from trygg.lib.content import get_content, language_names
from trygg.lib.http import AuthenticatedHttpRequest
from trygg.lib.pdf import PdfUnavailableError

logger = logging.getLogger(__name__)

# The list needs the role (403 without it); a case's own pages answer 404 to anyone who may
# not see it, so that a stranger cannot tell whether the person is a client.
cases_required = check_required(permissions.can_see_cases)
PAGE_SIZE = 50


def _letter_languages() -> list[tuple[str, str]]:
    return language_names("letter", letters.letter_languages(get_profile()))


@cases_required
@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The team's cases, open ones first, newest first; filtered by status if asked."""
    status = request.GET.get("status", Case.Status.CLIENT)
    if status not in Case.Status.values:
        status = Case.Status.CLIENT
    cases = (
        permissions.cases_visible_to(request.user)
        .filter(status=status)
        .select_related("person")
        .order_by("-opened_at", "-pk")
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/index.html",
        {"page": page, "status": status, "statuses": Case.Status.choices},
    )


@never_cache
@require_GET
def detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    case = permissions.get_case_for_user(request.user, code)
    languages = _letter_languages()
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "children": services.children_of(case),
            "transitions": case.transitions.select_related("actor"),
            "removals": list(case.removals.select_related("decided_by")),
            "has_letters": bool(languages),
            "end_form": EndForm(),
            "removal_form": RemovalForm(languages=languages)
            if permissions.can_remove(request.user, case)
            else None,
            "appeal_form": AppealForm(),
        },
    )


def _back_to(case: Case) -> HttpResponse:
    return redirect("cases:detail", case.code)


@never_cache
@require_http_methods(["GET", "POST"])
def end(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The client withdraws their consent to being a client: the case ends."""
    case = permissions.get_case_for_user(request.user, code)
    form = EndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_at_clients_wish(actor=request.user, case=case)
        except services.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The client relationship has ended."))
            return _back_to(case)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/end.html", {"case": case, "form": form}, status=status)


@never_cache
@require_POST
def remove(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    case = permissions.get_case_for_user(request.user, code)
    form = RemovalForm(request.POST, languages=_letter_languages())
    if form.is_valid():
        try:
            services.remove(
                actor=request.user,
                case=case,
                reasons=form.cleaned_data["reasons"],
                letter_language=form.cleaned_data["letter_language"],
            )
        except services.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The decision has been recorded."))
            return _back_to(case)
    return render(request, "cases/remove.html", {"case": case, "form": form}, status=400)


@require_POST
def appeal(request: AuthenticatedHttpRequest, code: str, removal: UUID) -> HttpResponse:
    case = permissions.get_case_for_user(request.user, code)
    found = case.removals.filter(code=removal).first()
    form = AppealForm(request.POST)
    if found is None:
        raise Http404
    if not form.is_valid():
        messages.error(request, _("Give the date the appeal was lodged."))
        return _back_to(case)
    try:
        services.record_removal_appeal(
            actor=request.user, removal=found, lodged_at=form.cleaned_data["lodged_at"]
        )
    except services.CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The appeal has been recorded."))
    return _back_to(case)


@require_POST
def appeal_outcome(request: AuthenticatedHttpRequest, code: str, removal: UUID) -> HttpResponse:
    case = permissions.get_case_for_user(request.user, code)
    found = case.removals.filter(code=removal).first()
    if found is None:
        raise Http404
    try:
        services.record_removal_appeal_outcome(
            actor=request.user,
            removal=found,
            outcome=request.POST.get("outcome", ""),
            on=timezone.localdate(),
        )
    except services.CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The outcome of the appeal has been recorded."))
    return _back_to(case)


@never_cache
@require_GET
def letter(request: AuthenticatedHttpRequest, code: str, removal: UUID) -> HttpResponse:
    """The removal decision letter as a PDF, in the language chosen with the decision."""
    case = permissions.get_case_for_user(request.user, code)
    found = case.removals.filter(code=removal).first()
    profile = get_profile()
    if found is None or found.letter_language not in letters.letter_languages(profile):
        raise Http404
    reasons = services.read_removal_reasons(actor=request.user, removal=found)
    try:
        pdf = letters.render_letter(
            kind=LetterKind.REMOVED,
            decided_at=found.decided_at,
            reference=case.code,
            reasons=reasons,
            content=get_content("letter", found.letter_language, profile),
            profile=profile,
        )
    except PdfUnavailableError:
        logger.exception("The decision letter could not be made.")
        messages.error(request, _("The decision letter cannot be made on this server just now."))
        return _back_to(case)
    services.record_removal_letter(actor=request.user, removal=found)
    response = HttpResponse(pdf, content_type="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="decision-{case.code}.pdf"'
    return response
