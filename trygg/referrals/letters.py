"""The decision letter: an expert's admission decision as a PDF in the person's language.

The letter tells the person the decision, the expert's reasons as written, how to appeal and
that the assistance system will explain it with an interpreter. Its texts are content files
(``trygg/content/letter/<language>.toml``), like the public help texts; the days to appeal
come from the jurisdiction profile, the name of the body that hears appeals from the content file,
in each language's own grammar. The letter names no exploiter and tells nothing of what happened;
the reasons are the only free text on it.

WeasyPrint renders it as the help card is rendered: from a string, with the machine's Noto fonts,
and a URL fetcher that allows no protocol, so that nothing is read from a file or the network.
"""

import unicodedata
from pathlib import Path
from typing import Any, Literal

from django.template.loader import render_to_string
from django.utils import timezone

from trygg.jurisdictions.profiles import ContactKind, Profile
from trygg.lib.content import Content, offered_languages
from trygg.lib.pdf import render_pdf
from trygg.referrals.models import Decision

STYLE_SHEET = Path(__file__).resolve().parent / "letter.css"

# The outcomes a letter is made for: a request for more information goes to the referrer.
LETTER_OUTCOMES = (Decision.Outcome.ADMIT, Decision.Outcome.NOT_ADMIT)


class LetterError(RuntimeError):
    """The letter cannot be made for this decision, or WeasyPrint returned nothing."""


def letter_languages(profile: Profile) -> list[str]:
    """The languages a decision letter can be made in for the profile's jurisdiction.

    None where the profile says nothing of appeals (Norway): such a letter would be incomplete.
    """
    if profile.admission.appeal is None:
        return []
    return offered_languages("letter", profile)


def has_letter(decision: Decision, profile: Profile) -> bool:
    """Whether a letter can be made for `decision` in its letter language."""
    return decision.outcome in LETTER_OUTCOMES and decision.letter_language in letter_languages(
        profile
    )


def letter_context(
    decision: Decision, reasons: str, content: Content, profile: Profile
) -> dict[str, Any]:
    """What the letter shows, all of it already in the letter's language."""
    appeal = profile.admission.appeal
    if appeal is None or decision.outcome not in LETTER_OUTCOMES:
        raise LetterError("There is no decision letter for this decision in this jurisdiction.")
    texts = content["letter"]
    admitted = decision.outcome == Decision.Outcome.ADMIT
    return {
        "c": content,
        "letter": texts,
        "decision_text": texts["admitted"] if admitted else texts["not_admitted"],
        # ISO dates read the same in every language and script.
        "date": timezone.localdate(decision.decided_at).isoformat(),
        "reference": decision.referral.code,
        "reasons": [
            {"text": line, "direction": _direction(line, content.direction)}
            for line in reasons.strip().splitlines()
        ],
        "appeal": texts["appeal"].format(
            appeal_body=content["local"]["appeal_body"], appeal_days=appeal.days
        ),
        "phones": [
            contact
            for contact in profile.assistance.public_contacts
            if contact.kind == ContactKind.PHONE
        ],
    }


def _direction(text: str, default: Literal["ltr", "rtl"]) -> Literal["ltr", "rtl"]:
    """The direction of a line of the reasons, from its first letter of a script with one.

    The expert may write in Finnish under an Arabic letter, or in Arabic under an English one.
    WeasyPrint does not support `dir="auto"` or `unicode-bidi: plaintext`, so it is decided here,
    line by line, as those would.
    """
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return default


def render_letter(decision: Decision, reasons: str, content: Content, profile: Profile) -> bytes:
    """Render the letter for `decision` in the content's language and return the PDF.

    Raise LetterError for a decision that has no letter, and
    trygg.lib.pdf.PdfUnavailableError when WeasyPrint cannot be loaded.
    """
    context = letter_context(decision, reasons, content, profile)
    html = render_to_string("referrals/letter.html", context)
    return render_pdf(html, STYLE_SHEET.read_text(encoding="utf-8"))
