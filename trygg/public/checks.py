"""System check: warn at start-up when the help card cannot be rendered on this machine."""

from typing import Any

from django.core.checks import CheckMessage, Warning, register

from trygg.lib.pdf import PdfUnavailableError, load_weasyprint


@register()
def check_card_renderer(**kwargs: Any) -> list[CheckMessage]:
    try:
        load_weasyprint()
    except PdfUnavailableError as exc:
        return [
            Warning(
                str(exc),
                hint=(
                    "The help and toolkit pages work without it; only the help card and the "
                    "decision letter are missing."
                ),
                id="public.W001",
            )
        ]
    return []
