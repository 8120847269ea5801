"""WeasyPrint, loaded on demand, for the documents Trygg renders: the help card and letters.

WeasyPrint loads Pango and HarfBuzz when it is imported. A machine without them still serves
every page; only the PDFs are missing, and the system check `public.W001` says so at start-up.
"""

from typing import Any


class PdfUnavailableError(RuntimeError):
    """WeasyPrint or the libraries it loads (Pango, HarfBuzz) are not installed."""


def load_weasyprint() -> Any:
    """Import and return WeasyPrint, or raise PdfUnavailableError naming what is missing."""
    try:
        import weasyprint
        import weasyprint.urls
    except (ImportError, OSError) as exc:
        raise PdfUnavailableError(
            "WeasyPrint cannot be loaded, so no PDF (help card, decision letter) can be made: "
            f"{exc}. Install libpango-1.0-0, libpangoft2-1.0-0 and libharfbuzz-subset0 "
            "(docs/operations.md)."
        ) from exc
    return weasyprint


def render_pdf(html: str, style_sheet: str) -> bytes:
    """Render `html` with `style_sheet` and return the PDF; nothing may be fetched.

    An empty set of allowed protocols means no file and no network address is ever read, so a
    document cannot leak through a remote image or font.
    """
    weasyprint = load_weasyprint()
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=set(), fail_on_errors=True)
    style = weasyprint.CSS(string=style_sheet, url_fetcher=fetcher)
    pdf = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[style])
    if pdf is None:
        raise RuntimeError("WeasyPrint returned no PDF.")
    return bytes(pdf)
