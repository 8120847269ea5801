"""The four interface languages: every string translated, catalogues compiled and current."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
TRANSLATED = [code for code, _ in settings.LANGUAGES if code != "en"]


def catalogue(language: str):
    with (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return read_po(handle, locale=language)


def test_interface_ships_english_swedish_finnish_and_norwegian() -> None:
    assert [code for code, _ in settings.LANGUAGES] == ["en", "sv", "fi", "nb"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_is_translated(language: str) -> None:
    untranslated = [
        message.id
        for message in catalogue(language)
        if message.id
        and (not message.string or (isinstance(message.string, tuple) and not all(message.string)))
    ]
    fuzzy = [message.id for message in catalogue(language) if message.id and message.fuzzy]
    assert untranslated == [], f"{language}: untranslated {untranslated[:5]}"
    assert fuzzy == [], f"{language}: fuzzy {fuzzy[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_compiled_catalogue_matches_its_source(language: str) -> None:
    mo_path = LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"
    assert mo_path.exists(), f"Run `make messages`: {mo_path} is missing."
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in catalogue(language):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            got = compiled.ngettext(message.id[0], message.id[1], 1)
            expected = message.string[0]
        else:
            msgid = f"{message.context}\x04{message.id}" if message.context else message.id
            got = compiled.gettext(msgid)
            expected = message.string
        assert got == expected, (
            f"{language}: {message.id!r} is stale in django.mo; run make messages"
        )


def test_catalogues_hold_exactly_the_strings_in_the_code(tmp_path: Path) -> None:
    """Running makemessages would change nothing: no string is missing or obsolete."""
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext is missing: install gettext (scripts/system-packages.sh does).")
    backup = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, backup)
    before = {language: {m.id for m in catalogue(language) if m.id} for language in TRANSLATED}
    try:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "trygg",
                "makemessages",
                *[f"-l{language}" for language in TRANSLATED],
                "--no-obsolete",
                "--no-location",
                "--ignore=.venv",
                "--ignore=var",
                "--ignore=tests",
                "--ignore=*/tests/*",
                "--ignore=conftest.py",
            ],
            cwd=settings.BASE_DIR,
            check=True,
            capture_output=True,
        )
        after = {language: {m.id for m in catalogue(language) if m.id} for language in TRANSLATED}
    finally:
        shutil.rmtree(LOCALE_DIR)
        shutil.copytree(backup, LOCALE_DIR)
    for language in TRANSLATED:
        missing = sorted(map(str, after[language] - before[language]))
        obsolete = sorted(map(str, before[language] - after[language]))
        assert not missing and not obsolete, (
            f"{language}: run `make messages`; missing {missing[:5]}, obsolete {obsolete[:5]}"
        )
