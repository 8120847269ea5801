"""Referral pages: the referrer's form and status list, the triage queue, decisions, calls."""

import logging
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.accounts.decorators import check_required
from trygg.accounts.models import Membership, User
from trygg.cases.forms import AppealForm
from trygg.jurisdictions.profiles import get_profile
from trygg.lib.content import get_content, language_names, offered_languages
from trygg.lib.http import AuthenticatedHttpRequest
from trygg.lib.pdf import PdfUnavailableError
from trygg.referrals import letters, permissions, services
from trygg.referrals.contact import ContactPreferences
from trygg.referrals.forms import (
    AnswerForm,
    AssignForm,
    CallForm,
    DecisionForm,
    ReferralForm,
)
from trygg.referrals.models import Appeal, Decision, HotlineCall, Referral

logger = logging.getLogger(__name__)

# Lists and forms need the role (403 without it); a referral's own pages answer 404 to anyone
# who may not see that referral, so that a stranger cannot tell it exists.
referrer_required = check_required(permissions.can_refer)
triage_required = check_required(permissions.can_triage)
PAGE_SIZE = 50


# The referrer


@referrer_required
@require_GET
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The referrer's own referrals and where each one is; nothing more."""
    referrals = permissions.own_referrals(request.user).order_by("-created_at", "-pk")
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(referral, services.status_for_referrer(referral)) for referral in page]
    return render(request, "referrals/mine.html", {"page": page, "rows": rows})


@referrer_required
@never_cache
@require_http_methods(["GET", "POST"])
def new(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _referral_form(request, None)


@never_cache
@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    referral = permissions.get_own_referral(request.user, code)
    if referral.status != Referral.Status.DRAFT:
        return redirect("referrals:status", referral.code)
    return _referral_form(request, referral)


def _referral_form(request: AuthenticatedHttpRequest, referral: Referral | None) -> HttpResponse:
    sending = request.POST.get("action") == "send"
    # Where referrals go to the responsible services, a new referral chooses its service.
    choices = (
        services.services_to_refer_to()
        if permissions.routes_to_services() and referral is None
        else None
    )
    if request.method == "POST":
        form = ReferralForm(request.POST, sending=sending, services=choices)
    elif referral is not None:
        details = services.read_details(actor=request.user, referral=referral, purpose="edit")
        form = ReferralForm(initial=ReferralForm.initial_from(referral, details))
    else:
        form = ReferralForm(services=choices)
    organisation = permissions.referring_organisations(request.user).order_by("pk").first()
    if request.method == "POST" and form.is_valid() and organisation is not None:
        try:
            referral = services.save_draft(
                actor=request.user,
                organisation=referral.referring_organisation if referral else organisation,  # type: ignore[arg-type]
                needs=form.needs(),
                details=form.details(),
                is_consultation=form.is_consultation,
                referral=referral,
                receiving=form.cleaned_data.get("receiving"),
            )
            if sending:
                consent = None if form.is_consultation else form.given_consent()
                services.submit(actor=request.user, referral=referral, consent=consent)
        except services.ReferralError as error:
            form.add_error(None, str(error))
        else:
            if sending:
                sent = _("The referral has been sent. Its code is %(code)s.")
                messages.success(request, sent % {"code": referral.code})
                return redirect("referrals:status", referral.code)
            messages.success(request, _("The draft has been saved. You can finish it later."))
            return redirect("referrals:edit", referral.code)
    return render(
        request,
        "referrals/form.html",
        {"form": form, "referral": referral},
        status=400 if form.errors else 200,
    )


@require_GET
def status(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    referral = permissions.get_own_referral(request.user, code)
    return render(
        request,
        "referrals/status.html",
        {"referral": referral, "status": services.status_for_referrer(referral)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The referrer reads the assistance system's question and answers it in words."""
    referral = permissions.get_own_referral(request.user, code)
    if referral.status != Referral.Status.INFORMATION_REQUESTED:
        messages.error(request, _("This referral is not waiting for more information."))
        return redirect("referrals:status", referral.code)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_request(
                actor=request.user, referral=referral, answer=form.cleaned_data["answer"]
            )
        except services.ReferralError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your answer has been sent."))
            return redirect("referrals:status", referral.code)
    question = services.information_request(actor=request.user, referral=referral)
    return render(
        request,
        "referrals/answer.html",
        {"referral": referral, "question": question, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# The assistance system


@triage_required
@require_GET
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open referrals, the nearest deadline first; paged, so its cost does not grow."""
    view = request.GET.get("show", services.QueueView.ALL)
    if view not in services.QueueView.values:
        view = services.QueueView.ALL
    referrals = services.queue(request.user, view)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/queue.html",
        {
            "page": page,
            "now": timezone.now(),
            "show": view,
            "views": services.QueueView.choices,
        },
    )


def _staff(referral: Referral) -> QuerySet[User]:
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation=referral.assistance_organisation,
            memberships__role__in=permissions.TRIAGE_ROLES,
        )
        .distinct()
        .order_by("full_name", "username")
    )


def _letter_languages() -> list[tuple[str, str]]:
    return language_names("help", offered_languages("help", get_profile()))


def _letter_links(decisions: list[Decision]) -> list[tuple[Decision, str]]:
    """Each decision with the name of its letter's language, or "" when it has no letter."""
    profile = get_profile()
    names = dict(language_names("letter", letters.letter_languages(profile)))
    return [
        (decision, names[decision.letter_language] if letters.has_letter(decision, profile) else "")
        for decision in decisions
    ]


@never_cache
@require_GET
def detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    referral = permissions.get_incoming_referral(request.user, code)
    details = services.read_details(actor=request.user, referral=referral, purpose="triage")
    can_decide = (
        permissions.decision_organisations(request.user)
        .filter(pk=referral.assistance_organisation_id)
        .exists()
    )
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "details": details,
            "contact": ContactPreferences.from_text(details.contact_preferences),
            "duplicates": services.possible_duplicates(referral),
            "transitions": referral.transitions.select_related("actor"),
            "decisions": _letter_links(
                list(referral.decisions.select_related("decided_by").prefetch_related("appeals"))
            ),
            "assign_form": AssignForm(staff=_staff(referral)),
            "decision_form": DecisionForm(
                languages=_letter_languages(),
                outcomes=services.decision_outcomes(),
                children=referral.children_count,
                initial={"letter_language": referral.language},
            )
            if can_decide
            else None,
            "appeal_form": AppealForm(),
            "forms_of_exploitation": [
                Referral.Form(form).label for form in referral.forms if form in Referral.Form.values
            ],
        },
    )


def _back_to(referral: Referral) -> HttpResponse:
    """After a step on the referral's page, back to that page with the step's message."""
    return redirect("referrals:detail", referral.code)


@require_POST
def take(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    referral = permissions.get_incoming_referral(request.user, code)
    try:
        services.take_into_triage(actor=request.user, referral=referral)
    except services.ReferralError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You have taken the referral into triage."))
    return _back_to(referral)


@require_POST
def assign(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    referral = permissions.get_incoming_referral(request.user, code)
    form = AssignForm(request.POST, staff=_staff(referral))
    if not form.is_valid():
        messages.error(request, _("Choose a case worker from the list."))
        return _back_to(referral)
    try:
        assignee = form.cleaned_data["assignee"]
        services.assign(actor=request.user, referral=referral, assignee=assignee)
    except services.ReferralError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The referral has been assigned."))
    return _back_to(referral)


@never_cache
@require_POST
def decide(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    referral = permissions.get_incoming_referral(request.user, code)
    form = DecisionForm(
        request.POST,
        languages=_letter_languages(),
        outcomes=services.decision_outcomes(),
        children=referral.children_count,
    )
    if form.is_valid():
        outcome = form.cleaned_data["outcome"]
        try:
            services.decide(
                actor=request.user,
                referral=referral,
                outcome=outcome,
                reasons=form.cleaned_data["reasons"],
                letter_language=form.cleaned_data["letter_language"],
                client_consent=form.given_consent() if outcome == Decision.Outcome.ADMIT else None,
                home_municipality=form.cleaned_data.get("home_municipality") or "",
                children=form.children(),
            )
        except services.ReferralError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The decision has been recorded."))
            return _back_to(referral)
    return render(
        request, "referrals/decide.html", {"referral": referral, "form": form}, status=400
    )


@require_POST
def withdraw(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    referral = permissions.get_incoming_referral(request.user, code)
    try:
        services.withdraw(actor=request.user, referral=referral)
    except services.ReferralError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The referral has been withdrawn."))
    return _back_to(referral)


@require_POST
def appeal(request: AuthenticatedHttpRequest, code: str, decision: str) -> HttpResponse:
    referral = permissions.get_incoming_referral(request.user, code)
    found = referral.decisions.filter(code=decision).first()
    form = AppealForm(request.POST)
    if found is None or not form.is_valid():
        messages.error(request, _("Give the date the appeal was lodged."))
        return _back_to(referral)
    try:
        services.record_appeal(
            actor=request.user, decision=found, lodged_at=form.cleaned_data["lodged_at"]
        )
    except services.ReferralError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The appeal has been recorded."))
    return _back_to(referral)


@never_cache
@require_GET
def letter(request: AuthenticatedHttpRequest, code: str, decision: UUID) -> HttpResponse:
    """The decision letter as a PDF, in the letter language chosen with the decision."""
    referral = permissions.get_incoming_referral(request.user, code)
    found = referral.decisions.filter(code=decision).first()
    profile = get_profile()
    # A request for more information has no letter; nor has a language without letter texts.
    if found is None or not letters.has_letter(found, profile):
        raise Http404
    reasons = services.read_reasons(actor=request.user, decision=found)
    content = get_content("letter", found.letter_language, profile)
    try:
        pdf = letters.render_letter(found, reasons, content, profile)
    except PdfUnavailableError:
        logger.exception("The decision letter could not be made.")
        messages.error(request, _("The decision letter cannot be made on this server just now."))
        return _back_to(referral)
    services.record_letter(actor=request.user, decision=found)
    response = HttpResponse(pdf, content_type="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="decision-{referral.code}.pdf"'
    return response


@require_POST
def appeal_outcome(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    referral = permissions.get_incoming_referral(request.user, code)
    found = Appeal.objects.filter(decision__referral=referral, pk=pk).first()
    outcome = request.POST.get("outcome", "")
    if found is None:
        messages.error(request, _("There is no such appeal."))
        return _back_to(referral)
    try:
        services.record_appeal_outcome(
            actor=request.user, appeal=found, outcome=outcome, on=timezone.localdate()
        )
    except services.ReferralError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The outcome of the appeal has been recorded."))
    return _back_to(referral)


@triage_required
@never_cache
@require_http_methods(["GET", "POST"])
def hotline(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Log a call to the 24-hour line; the newest calls of the line below."""
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.log_call(actor=request.user, **form.cleaned_data)
        except services.ReferralError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The call has been logged."))
            return redirect("referrals:hotline")
    calls = HotlineCall.objects.filter(
        assistance_organisation__in=permissions.triage_organisations(request.user)
    ).select_related("logged_by", "referral")
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/hotline.html",
        {"form": form, "page": page, "roles": Membership.Role},
        status=400 if form.errors else 200,
    )


@triage_required
@never_cache
@require_http_methods(["GET", "POST"])
def refer_call(request: AuthenticatedHttpRequest, call: str) -> HttpResponse:
    """Turn a logged call into a referral, with the caller's consent or as a consultation."""
    found = HotlineCall.objects.filter(
        code=call,
        assistance_organisation__in=permissions.triage_organisations(request.user),
        referral__isnull=True,
    ).first()
    if found is None:
        raise Http404
    form = ReferralForm(request.POST or None, sending=True)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.refer_call(
                actor=request.user,
                call=found,
                needs=form.needs(),
                details=form.details(),
                consent=None if form.is_consultation else form.given_consent(),
            )
        except services.ReferralError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The call has become a referral."))
            return redirect("referrals:detail", referral.code)
    return render(
        request,
        "referrals/refer_call.html",
        {"form": form, "call": found},
        status=400 if form.errors else 200,
    )
