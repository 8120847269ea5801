"""The discreet help card: a business-card-sized PDF with the round-the-clock numbers.

The card must be safe to carry past an exploiter, so it shows only neutral words, phone
numbers and a QR code to the help page: no e-mail address (Finland's names trafficking), no
organisation names. WeasyPrint renders it with the Noto fonts of the machine; the QR code is
inline SVG, and the renderer may fetch nothing at all.
"""

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from trygg.jurisdictions.profiles import ContactKind, Profile
from trygg.lib.content import Content
from trygg.lib.pdf import render_pdf

STYLE_SHEET = Path(__file__).resolve().parent / "card.css"


def card_sides(
    contents: Sequence[Content], profile: Profile, help_url: Callable[[str], str]
) -> list[dict[str, Any]]:
    """What each side of the card shows: its texts, the phone numbers and the QR code."""
    phones = [
        contact
        for contact in profile.assistance.public_contacts
        if contact.kind == ContactKind.PHONE
    ]
    sides = []
    for content in contents:
        url = help_url(content.language)
        qr = segno.make(url, error="m")
        sides.append(
            {
                "c": content,
                "card": content["card"],
                "around_the_clock": [phone for phone in phones if phone.is_24h],
                "other_phones": [phone for phone in phones if not phone.is_24h],
                "emergency": profile.emergency.number,
                # A viewBox without a fixed size, so that the style sheet sizes it.
                "qr": mark_safe(qr.svg_inline(scale=1, border=0, omitsize=True)),  # noqa: S308
            }
        )
    return sides


def render_card(
    contents: Sequence[Content], profile: Profile, help_url: Callable[[str], str]
) -> bytes:
    """Render the card with one side per content (one or two languages) and return the PDF.

    Raise trygg.lib.pdf.PdfUnavailableError when WeasyPrint cannot be loaded.
    """
    html = render_to_string("public/card.html", {"sides": card_sides(contents, profile, help_url)})
    return render_pdf(html, STYLE_SHEET.read_text(encoding="utf-8"))
