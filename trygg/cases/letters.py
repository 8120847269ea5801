"""Decision letters: an expert's decision as a PDF in the person's language.

Two decisions get a letter: admission to the assistance system (admitted or not, made from a
referral) and removal from it. The letter tells the person the decision, the expert's reasons as
written, how to appeal and that the assistance system will explain it with an interpreter. Its
texts are content files (``trygg/content/letter/<language>.toml``), like the public help texts;
the days to appeal come from the jurisdiction profile, the name of the body that hears appeals
from the content file, in each language's own grammar. The letter names no exploiter and tells
nothing of what happened; the reasons are the only free text on it.

WeasyPrint renders it from a string with the machine's Noto fonts and fetches nothing.
"""

import enum
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from django.template.loader import render_to_string
from django.utils import timezone

from trygg.jurisdictions.profiles import ContactKind, Profile
from trygg.lib.content import Content, offered_languages
from trygg.lib.pdf import render_pdf

STYLE_SHEET = Path(__file__).resolve().parent / "letter.css"


class LetterKind(enum.StrEnum):
    """What the letter says was decided; each is a key of the content's [letter] table."""

    ADMITTED = "admitted"
    NOT_ADMITTED = "not_admitted"
    REMOVED = "removed"


class LetterError(RuntimeError):
    """There is no letter for this decision in this jurisdiction."""


def letter_languages(profile: Profile) -> list[str]:
    """The languages a decision letter can be made in for the profile's jurisdiction.

    None where the profile says nothing of appeals (Norway): such a letter would be incomplete.
    """
    if profile.admission.appeal is None:
        return []
    return offered_languages("letter", profile)


def letter_context(
    *,
    kind: LetterKind,
    decided_at: datetime,
    reference: str,
    reasons: str,
    content: Content,
    profile: Profile,
) -> dict[str, Any]:
    """What the letter shows, all of it already in the letter's language."""
    appeal = profile.admission.appeal
    if appeal is None:
        raise LetterError("There is no decision letter in this jurisdiction.")
    texts = content["letter"]
    return {
        "c": content,
        "letter": texts,
        "heading": texts["removal_heading"] if kind == LetterKind.REMOVED else texts["heading"],
        "decision_text": texts[kind.value],
        # ISO dates read the same in every language and script.
        "date": timezone.localdate(decided_at).isoformat(),
        "reference": reference,
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


def render_letter(**facts: Any) -> bytes:
    """Render the letter for the decision described by `facts` (see `letter_context`).

    Raise LetterError for a jurisdiction without letters, and
    trygg.lib.pdf.PdfUnavailableError when WeasyPrint cannot be loaded.
    """
    html = render_to_string("cases/letter.html", letter_context(**facts))
    return render_pdf(html, STYLE_SHEET.read_text(encoding="utf-8"))
