"""The public pages: the help page and help card for possible victims, and the toolkit.

Nothing here needs a login, and nothing here stores anything: no session, no cookie, no
database row. The language is part of the address (/help/ar/), so that switching it needs no
cookie, and the address never carries anything about the person.
"""

import functools
import logging
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString
from django.utils.translation import override
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from trygg.jurisdictions.profiles import AdmissionProcedure, Profile, get_profile
from trygg.lib.content import Content, Kind, get_content, language_names, offered_languages
from trygg.lib.pdf import PdfUnavailableError
from trygg.public import card, selfreferral
from trygg.public.templatetags.public_text import phone_link
from trygg.referrals import services

logger = logging.getLogger(__name__)


View = Callable[..., HttpResponse]


def _referrer_policy(policy: str, view: View) -> View:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.headers["Referrer-Policy"] = policy
        return response

    return wrapper


def public_page(view: View) -> View:
    """Open to all, GET and HEAD only, and sending no Referer header onwards."""
    return login_not_required(require_safe(_referrer_policy("no-referrer", view)))


def _render(template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """Render without the request: no context processor runs, so no page reads the database
    or the session, and the public side keeps working when the database does not."""
    return HttpResponse(render_to_string(template, context), status=status)


def _best_language(request: HttpRequest, offered: list[str], default: str) -> str:
    """The first of the browser's preferred languages that is offered, else `default`."""
    header = request.headers.get("Accept-Language", "")
    for code, _quality in parse_accept_lang_header(header):
        code = code.lower()
        for candidate in (code, code.split("-")[0], {"no": "nb", "nn": "nb"}.get(code, "")):
            if candidate in offered:
                return candidate
    return default if default in offered else offered[0]


def _content(kind: Kind, language: str, profile: Profile) -> Content:
    if language not in offered_languages(kind, profile):
        raise Http404
    return get_content(kind, language, profile)


def _numbers(profile: Profile) -> dict[str, SafeString]:
    """The values of the placeholders in the content files, as ready phone links."""
    numbers = {"emergency": phone_link(profile.emergency.number, "tel:" + profile.emergency.number)}
    if profile.police is not None:
        number = profile.police.non_emergency_number
        numbers["police"] = phone_link(number, "tel:" + number.replace(" ", ""))
    if profile.child_welfare.guidance_line is not None:
        line = profile.child_welfare.guidance_line
        numbers["line"] = phone_link(line.value, line.href)
    return numbers


def _page_context(
    kind: Kind, content: Content, profile: Profile, url_for: Callable[[str], str]
) -> dict[str, Any]:
    """What every public page shows; `url_for(language)` is this page in another language."""
    return {
        "c": content,
        "ui": content["ui"],
        "numbers": _numbers(profile),
        "profile": profile,
        "languages": [
            (code, name, url_for(code))
            for code, name in language_names(kind, offered_languages(kind, profile))
        ],
        "quick_exit_url": profile.quick_exit_url,
    }


# The help page and the help card


def _to_best_language(request: HttpRequest, kind: Kind, url_name: str) -> HttpResponse:
    """Redirect to the page `url_name` in the browser's language, if offered."""
    profile = get_profile()
    offered = offered_languages(kind, profile)
    language = _best_language(request, offered, profile.default_language)
    return HttpResponseRedirect(reverse(url_name, args=[language]))


@public_page
def help_start(request: HttpRequest) -> HttpResponse:
    """Send the visitor to the help page in the browser's language."""
    return _to_best_language(request, "help", "public:help")


@public_page
def help_page(request: HttpRequest, language: str) -> HttpResponse:
    profile = get_profile()
    content = _content("help", language, profile)
    context = _page_context(
        "help", content, profile, lambda code: reverse("public:help", args=[code])
    )
    context["takes_self_referrals"] = _takes_self_referrals(profile)
    contacts = profile.assistance.public_contacts
    # Only numbers the profile says answer day and night are listed as such.
    context["contact_groups"] = [
        (content["contact"]["around_the_clock"], [c for c in contacts if c.is_24h]),
        (content["contact"]["other"], [c for c in contacts if not c.is_24h]),
    ]
    return _render("public/help.html", context)


class CardForm(forms.Form):
    """The languages of the card's front and (optional) back, from those the page offers."""

    def __init__(self, *args: Any, languages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["front"] = forms.ChoiceField(choices=languages)
        self.fields["back"] = forms.ChoiceField(choices=[("", ""), *languages], required=False)


@public_page
def help_card(request: HttpRequest, language: str) -> HttpResponse:
    """The help card form; with a valid choice of languages, the card itself as a PDF."""
    profile = get_profile()
    content = _content("help", language, profile)
    context = _page_context(
        "help", content, profile, lambda code: reverse("public:help_card", args=[code])
    )
    choices = [(code, name) for code, name, _url in context["languages"]]
    form = CardForm(request.GET or None, languages=choices)
    if form.is_bound and form.is_valid():
        sides = [form.cleaned_data["front"]]
        if form.cleaned_data["back"] and form.cleaned_data["back"] != sides[0]:
            sides.append(form.cleaned_data["back"])
        try:
            pdf = card.render_card(
                [get_content("help", side, profile) for side in sides],
                profile,
                help_url=lambda side: request.build_absolute_uri(
                    reverse("public:help", args=[side])
                ),
            )
        except PdfUnavailableError:
            logger.exception("The help card could not be made.")
            context.update(form=form, front=sides[0], back="", error=content["card"]["unavailable"])
            return _render("public/card_form.html", context, status=503)
        response = HttpResponse(pdf, content_type="application/pdf")
        # A neutral file name: it shows in the download list of a possibly shared device.
        response.headers["Content-Disposition"] = 'attachment; filename="card.pdf"'
        return response
    context["form"] = form
    if form.errors:
        context["error"] = content["card"]["invalid_language"]
    context["front"] = request.GET.get("front", language)
    context["back"] = request.GET.get("back", "")
    status = 400 if form.is_bound else 200
    return _render("public/card_form.html", context, status=status)


# The self-referral form


def _takes_self_referrals(profile: Profile) -> bool:
    """Only an assistance system that decides admission takes referrals from the person."""
    return profile.admission.procedure == AdmissionProcedure.EXPERT_DECISION


def public_form(view: View) -> View:
    """Open to all; GET, HEAD and POST; a Referer only to this site.

    Exempt from the CSRF check, which would need a cookie: the view checks the Origin instead,
    which browsers send truthfully only when the page's referrer policy allows it (with
    `no-referrer` a form's post carries `Origin: null`).
    """
    allowed = require_http_methods(["GET", "HEAD", "POST"])
    return login_not_required(csrf_exempt(allowed(_referrer_policy("same-origin", view))))


@public_form
def self_referral(request: HttpRequest, language: str) -> HttpResponse:
    profile = get_profile()
    if not _takes_self_referrals(profile):
        raise Http404
    content = _content("help", language, profile)
    context = _page_context(
        "help", content, profile, lambda code: reverse("public:self_referral", args=[code])
    )
    text = content["self_referral"]
    if request.method == "POST":
        if not selfreferral.same_origin(request):
            return HttpResponse(status=403)
        form = selfreferral.SelfReferralForm(request.POST, content=content)
        if form.is_valid():
            if not selfreferral.allowed_now(request):
                context.update(form=form, error=text["too_many"])
                return _render("public/self_referral.html", context, status=429)
            try:
                form.refer(language)
            except services.ReferralError:
                logger.exception("A self-referral could not be received.")
                context.update(form=form, error=text["unavailable"])
                return _render("public/self_referral.html", context, status=503)
            # Post, then redirect: going back or reloading cannot show or send the form again.
            return HttpResponseRedirect(reverse("public:self_referral_sent", args=[language]))
        context.update(form=form)
        return _render("public/self_referral.html", context, status=400)
    context.update(form=selfreferral.SelfReferralForm(content=content))
    return _render("public/self_referral.html", context)


@public_page
def self_referral_sent(request: HttpRequest, language: str) -> HttpResponse:
    profile = get_profile()
    if not _takes_self_referrals(profile):
        raise Http404
    content = _content("help", language, profile)
    context = _page_context(
        "help", content, profile, lambda code: reverse("public:self_referral_sent", args=[code])
    )
    return _render("public/self_referral_sent.html", context)


# The identification toolkit

# The steps in order. Each main step has a number; "danger" and "minor" belong to the step
# before them, and the four outcomes to the last.
STEPS: dict[str, int] = {
    "start": 1,
    "danger": 1,
    "age": 2,
    "minor": 2,
    "indicators": 3,
    "conversation": 4,
    "holding": 5,
    "outcomes": 6,
    "strengthened": 6,
    "reduced": 6,
    "declined": 6,
    "accepted": 6,
}
OUTCOMES = ("strengthened", "reduced", "declined", "accepted")
TOTAL_STEPS = 6


@public_page
def toolkit_start(request: HttpRequest) -> HttpResponse:
    """Send the visitor to the toolkit in the browser's language."""
    return _to_best_language(request, "toolkit", "public:toolkit")


@public_page
def toolkit_step(request: HttpRequest, language: str, step: str = "start") -> HttpResponse:
    profile = get_profile()
    if step not in STEPS:
        raise Http404
    content = _content("toolkit", language, profile)
    context = _page_context(
        "toolkit",
        content,
        profile,
        lambda code: reverse("public:toolkit_step", args=[code, step]),
    )
    context.update(
        step=step,
        step_label=content["ui"]["step"].format(number=STEPS[step], total=TOTAL_STEPS),
        outcomes=[(outcome, content["outcomes"][outcome]) for outcome in OUTCOMES],
        child_welfare=profile.child_welfare.description.get(language),
        guidance_line=profile.child_welfare.guidance_line,
        contacts=profile.assistance.contacts,
        referral_url=_referral_url(),
    )
    with override(language):
        return _render(f"public/toolkit/{step}.html", context)


def _referral_url() -> str | None:
    """The referral form, where this version of Trygg has one."""
    try:
        return reverse("referrals:new")
    except NoReverseMatch:
        return None
