"""The content files: every translation matches the English source, and mistakes are named."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from trygg.jurisdictions.profiles import load_profile
from trygg.lib import content
from trygg.lib.content import ContentError, Review

HELP_LANGUAGES = [
    *["en", "sv", "fi", "nb"],
    *["ru", "uk", "ar", "fa", "so", "vi", "th", "ro", "es", "fr"],
]


def test_every_shipped_content_file_matches_the_english_source() -> None:
    assert content.validate_all() == []


@pytest.mark.parametrize("code", ["fi", "no"])
def test_help_is_offered_in_the_languages_victims_speak(code: str) -> None:
    assert content.offered_languages("help", load_profile(code)) == HELP_LANGUAGES


def test_toolkit_is_offered_in_each_jurisdictions_interface_languages() -> None:
    assert content.offered_languages("toolkit", load_profile("fi")) == ["fi", "sv", "en"]
    assert content.offered_languages("toolkit", load_profile("no")) == ["nb", "en"]


def test_only_the_english_source_claims_to_be_more_than_unreviewed() -> None:
    # Nobody fluent has checked the translations yet: none may say otherwise until one has.
    finland = load_profile("fi")
    for kind in content.KINDS:
        for language in content.offered_languages(kind, finland):
            expected = Review.SOURCE if language == "en" else Review.UNREVIEWED
            assert content.get_content(kind, language, finland).review == expected, (
                kind,
                language,
            )


@pytest.fixture
def content_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the shipped help files that a test may break."""
    shutil.copytree(content.CONTENT_DIR / "help", tmp_path / "help")
    (tmp_path / "toolkit").mkdir()
    monkeypatch.setattr(content, "CONTENT_DIR", tmp_path)
    content._load_file.cache_clear()
    yield tmp_path / "help"
    content._load_file.cache_clear()


def break_file(directory: Path, language: str, old: str, new: str) -> None:
    path = directory / f"{language}.toml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not exactly once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems(directory: Path) -> list[str]:
    return content.validate_all()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'heading = "Что такое торговля людьми?"\n',
            "",
            "Content file help/ru.toml: what lacks heading (the English file has them).",
        ),
        (
            "[rights]\n",
            '[rights]\nextra = "лишнее"\n',
            "Content file help/ru.toml: rights has extra, which the English file does not have.",
        ),
        (
            'review = "unreviewed"\n',
            'review = "perfect"\n',
            "Content file help/ru.toml: meta.review must be one of source, reviewed, unreviewed, "
            "got 'perfect'.",
        ),
        (
            'direction = "ltr"\n',
            'direction = "down"\n',
            "Content file help/ru.toml: meta.direction must be ltr or rtl, got 'down'.",
        ),
    ],
)
def test_a_broken_translation_is_named_with_its_key(
    content_dir: Path, old: str, new: str, message: str
) -> None:
    break_file(content_dir, "ru", old, new)

    assert problems(content_dir) == [message]


def test_a_dropped_emergency_number_is_caught(content_dir: Path) -> None:
    path = content_dir / "fr.toml"
    text = path.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if "{emergency}" in line)
    path.write_text(text.replace(line, line.replace("{emergency}", "le 112")), encoding="utf-8")

    assert problems(content_dir) == [
        "Content file help/fr.toml: contact.emergency must have the placeholders {emergency}, "
        "like the English file, but has none."
    ]


def test_a_shortened_list_is_caught(content_dir: Path) -> None:
    path = content_dir / "es.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("[rights]")
    items_end = text.index("]", text.index("items = [", start) + len("items = ["))
    items = text[text.index("items = [", start) : items_end + 1]
    first_item = items.split("\n")[1]
    path.write_text(text.replace(first_item + "\n", "", 1), encoding="utf-8")

    assert problems(content_dir) == [
        "Content file help/es.toml: rights.items must be a list of 4 items, like the English file."
    ]


def test_a_language_without_a_jurisdiction_is_not_offered_there(content_dir: Path) -> None:
    path = content_dir / "uk.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("[jurisdiction.no]")
    # The table runs to the next top-level table, or to the end of the file.
    end = text.find("\n[", start + 1)
    path.write_text(text[:start] + (text[end + 1 :] if end != -1 else ""), encoding="utf-8")

    assert problems(content_dir) == []
    assert "uk" in content.offered_languages("help", load_profile("fi"))
    assert "uk" not in content.offered_languages("help", load_profile("no"))
    with pytest.raises(ContentError, match="There is no help text in 'uk' for jurisdiction 'no'"):
        content.get_content("help", "uk", load_profile("no"))
