"""The help card: a real PDF, read back with pdftotext, in the scripts the person reads.

The card must be safe to carry past an exploiter: nothing on it may name trafficking. The
words are this test's own list, per language, so that a translation cannot pass by changing
both the card and the list.
"""

import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from django.test import Client, override_settings

from trygg.jurisdictions.profiles import get_profile
from trygg.lib import content

pytestmark = pytest.mark.django_db

# Stems of the word for (human) trafficking, and of words that would give the card away.
GIVEAWAYS: dict[str, list[str]] = {
    "en": ["traffick", "exploit", "victim", "police", "shelter"],
    "sv": ["människohand", "utnyttj", "offer", "polis"],
    "fi": ["ihmiskaup", "hyväksikä", "uhri", "poliisi"],
    "nb": ["menneskehand", "utnytt", "offer", "politi"],
    "ru": ["торговл", "эксплуат", "жертв", "полици"],
    "uk": ["торгівл", "експлуат", "жертв", "поліці"],
    "ro": ["trafic", "exploat", "victim", "poliți"],
    "es": ["trata de", "tráfico", "explota", "víctima", "policía"],
    "fr": ["traite", "trafic", "exploit", "victime", "police"],
    "ar": ["اتجار", "إتجار", "استغلال", "ضحي", "شرطة"],
    "fa": ["قاچاق", "بهره‌کشی", "قربانی", "پلیس"],
    "so": ["ganacsiga dadka", "tahriib", "dhibbane", "booliis"],
    "vi": ["mua bán người", "buôn bán người", "bóc lột", "nạn nhân", "công an", "cảnh sát"],
    "th": ["ค้ามนุษย์", "แสวงประโยชน์", "เหยื่อ", "ตำรวจ"],
}

# Letters that show the text came out in the language's own script.
SCRIPTS = {
    "ru": r"[\u0400-\u04FF]",
    "uk": r"[\u0400-\u04FF]",
    "ar": r"[\u0600-\u06FF]",
    "fa": r"[\u0600-\u06FF]",
    "th": r"[\u0E00-\u0E7F]",
}

pdftotext_missing = shutil.which("pdftotext") is None


def normalised(text: str) -> str:
    """pdftotext's text without bidi controls, with Arabic presentation forms unfolded."""
    text = re.sub(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)
    return unicodedata.normalize("NFKC", text).casefold()


def read_back(pdf: bytes, tmp_path: Path) -> str:
    if pdftotext_missing:
        pytest.fail("pdftotext is missing: install poppler-utils (scripts/system-packages.sh).")
    path = tmp_path / "card.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout


def pdf_info(tmp_path: Path) -> dict[str, str]:
    """pdfinfo's fields for the card written by read_back."""
    result = subprocess.run(
        ["pdfinfo", str(tmp_path / "card.pdf")],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return dict(line.split(":", 1) for line in result.stdout.splitlines() if ":" in line)


def test_every_help_language_has_a_list_of_giveaway_words() -> None:
    assert set(GIVEAWAYS) == set(content.offered_languages("help", get_profile()))


@pytest.mark.parametrize(
    ("front", "back"),
    [("fi", "ar"), ("ru", "th"), ("fa", "en"), ("uk", None), ("vi", "so"), ("sv", "ro")],
)
def test_card_holds_the_numbers_in_the_chosen_scripts_and_never_names_trafficking(
    client: Client, tmp_path: Path, front: str, back: str | None
) -> None:
    query = f"?front={front}" + (f"&back={back}" if back else "")
    response = client.get(f"/help/{front}/card/{query}")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="card.pdf"'
    assert response.cookies == {}
    pdf = response.content
    assert pdf.startswith(b"%PDF-")

    text = normalised(read_back(pdf, tmp_path))
    info = pdf_info(tmp_path)
    assert int(info["Pages"]) == (2 if back else 1)
    # A business card: 85 x 55 mm is 240.9 x 155.9 points.
    assert info["Page size"].split()[:3] == ["240.945", "x", "155.906"]
    assert "+358 2954 63177" in text
    assert "112" in text
    # No e-mail address: Finland's names trafficking in Finnish.
    assert "@" not in text
    for language in filter(None, (front, back)):
        card = content.get_content("help", language, get_profile())["card"]
        assert normalised(card["emergency"]) in text, language
        if language in SCRIPTS:
            assert len(re.findall(SCRIPTS[language], text)) > 20, language
        for word in GIVEAWAYS[language]:
            assert normalised(word) not in text, (language, word)


@pytest.mark.parametrize("language", sorted(GIVEAWAYS))
def test_no_card_text_in_any_language_gives_the_card_away(language: str) -> None:
    # The PDF read-back above covers a sample; the card's texts themselves cover every language.
    card = content.get_content("help", language, get_profile())["card"]
    keys = ("heading", "call_any_time", "call", "emergency", "scan")
    printed = " ".join(card[key] for key in keys)
    for word in GIVEAWAYS[language]:
        assert normalised(word) not in normalised(printed), (language, word)


def test_norways_card_gives_the_police_number_without_naming_the_police(
    client: Client, tmp_path: Path
) -> None:
    with override_settings(TRYGG_JURISDICTION="no"):
        response = client.get("/help/nb/card/?front=nb&back=en")
    text = normalised(read_back(response.content, tmp_path))

    assert "02800" in text
    assert "112" in text
    # The guidance line for professionals is not the person's number.
    assert "466 15 000" not in text
    for word in GIVEAWAYS["nb"] + GIVEAWAYS["en"]:
        assert normalised(word) not in text


@pytest.mark.parametrize("query", ["?front=xx", "?front=", "?front=en&back=klingon"])
def test_an_unknown_language_is_refused_in_the_pages_language(client: Client, query: str) -> None:
    response = client.get(f"/help/sv/card/{query}")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    message = content.get_content("help", "sv", get_profile())["card"]["invalid_language"]
    assert message in response.content.decode()


def test_without_weasyprint_the_form_says_so_and_the_start_up_check_warns(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trygg.public.checks import check_card_renderer

    # As on a machine without Pango: importing WeasyPrint fails.
    monkeypatch.setitem(sys.modules, "weasyprint", None)

    response = client.get("/help/fi/card/?front=fi&back=ar")

    assert response.status_code == 503
    message = content.get_content("help", "fi", get_profile())["card"]["unavailable"]
    assert message in response.content.decode()
    warnings = check_card_renderer()
    assert [warning.id for warning in warnings] == ["public.W001"]
    assert "libpango-1.0-0" in warnings[0].msg
