"""Texts given to people in their language: one TOML file per language, a table per jurisdiction.

The files live in ``trygg/content/``, apart from the apps that show them: the public pages and
the referral letters read the same loader, so neither app imports the other for it.

``content/help/<language>.toml`` holds the help page for possible victims and the help card;
``content/toolkit/<language>.toml`` the identification guide for frontline workers;
``content/letter/<language>.toml`` the admission decision letter (``trygg.referrals.letters``),
which is no public page but is given to the person in their language. English is the source:
every other file must have the same keys, lists of the same length and the same {placeholders},
so that a translation can never silently drop a sentence or a phone number.
Jurisdiction-specific text sits under ``[jurisdiction.<code>]``; a language is offered for a
jurisdiction only when its file has that table. Numbers, hours and duties are never written in
these files: they come from the jurisdiction profile.
"""

import functools
import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import ImproperlyConfigured
from django.db import models

if TYPE_CHECKING:  # lib imports no trygg app at run time
    from trygg.jurisdictions.profiles import Profile

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
SOURCE_LANGUAGE = "en"
Kind = Literal["help", "toolkit", "letter"]
KINDS: tuple[Kind, ...] = ("help", "toolkit", "letter")
_LANGUAGE_FILE_RE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*")


class ContentError(ImproperlyConfigured):
    """A content file is missing or does not match its English source."""


class Review(models.TextChoices):
    SOURCE = "source", "Source text"
    REVIEWED = "reviewed", "Checked by a fluent reviewer"
    UNREVIEWED = "unreviewed", "Not yet checked by a fluent reviewer"


@dataclass(frozen=True)
class Content:
    """The texts of one kind (a public page, the letter) in one language, for one jurisdiction."""

    kind: Kind
    language: str
    language_name: str
    direction: Literal["ltr", "rtl"]
    review: Review
    unreviewed_notice: str
    # The file's tables, with [jurisdiction.<code>] of this jurisdiction as `local`.
    texts: Mapping[str, Any]

    @property
    def needs_review_notice(self) -> bool:
        return self.review == Review.UNREVIEWED

    def __getitem__(self, key: str) -> Any:
        return self.texts[key]


def available_languages(kind: Kind) -> list[str]:
    """The languages that have a `kind` file, sorted."""
    return sorted(
        path.stem
        for path in (CONTENT_DIR / kind).glob("*.toml")
        if _LANGUAGE_FILE_RE.fullmatch(path.stem)
    )


def offered_languages(kind: Kind, profile: "Profile") -> list[str]:
    """The languages the texts of `kind` are offered in, in the profile's order.

    The help page and the decision letter follow the profile's help languages (the languages
    the people it helps speak), the toolkit its interface languages; either way only languages
    whose file covers the jurisdiction.
    """
    wanted = profile.ui_languages if kind == "toolkit" else profile.help_languages
    available = set(available_languages(kind))
    return [
        language
        for language in wanted
        if language in available and profile.code in _load_file(kind, language)["jurisdiction"]
    ]


def get_content(kind: Kind, language: str, profile: "Profile") -> Content:
    """Return the texts of `kind` in `language` for the profile's jurisdiction.

    Raise ContentError if the language is not offered there.
    """
    if language not in offered_languages(kind, profile):
        raise ContentError(
            f"There is no {kind} text in {language!r} for jurisdiction {profile.code!r}."
        )
    data = _load_file(kind, language)
    texts = {key: value for key, value in data.items() if key not in {"meta", "jurisdiction"}}
    texts["local"] = data["jurisdiction"][profile.code]
    meta = data["meta"]
    return Content(
        kind=kind,
        language=language,
        language_name=meta["language_name"],
        direction=meta["direction"],
        review=Review(meta["review"]),
        unreviewed_notice=meta["unreviewed_notice"],
        texts=texts,
    )


def language_names(kind: Kind, languages: list[str]) -> list[tuple[str, str]]:
    """Pairs of (code, name of the language in itself), for a language menu."""
    return [
        (language, _load_file(kind, language)["meta"]["language_name"]) for language in languages
    ]


@functools.cache
def _load_file(kind: Kind, language: str) -> dict[str, Any]:
    """Read and validate one content file against the English source; cached for the process."""
    path = CONTENT_DIR / kind / f"{language}.toml"
    if language not in available_languages(kind):
        raise ContentError(f"There is no {kind} text in {language!r} ({path.name} is missing).")
    name = f"{kind}/{path.name}"
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"Content file {name} is not valid TOML: {exc}.") from exc
    _check_meta(name, data)
    if language != SOURCE_LANGUAGE:
        source = _load_file(kind, SOURCE_LANGUAGE)
        _check_same_shape(name, _without_meta(source), _without_meta(data), "")
    return data


def validate_all() -> list[str]:
    """Load every content file; return the problems found, one message per file."""
    problems = []
    for kind in KINDS:
        for language in available_languages(kind):
            try:
                _load_file(kind, language)
            except ContentError as exc:
                problems.append(str(exc))
    return problems


def _without_meta(data: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "meta"}


def _check_meta(name: str, data: Mapping[str, Any]) -> None:
    meta = data.get("meta")
    if not isinstance(meta, dict):
        raise ContentError(f"Content file {name}: the [meta] table is missing.")
    for key in ("language_name", "unreviewed_notice"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise ContentError(f"Content file {name}: meta.{key} must be non-empty text.")
    direction = meta.get("direction")
    if direction not in ("ltr", "rtl"):
        raise ContentError(
            f"Content file {name}: meta.direction must be ltr or rtl, got {direction!r}."
        )
    if meta.get("review") not in Review.values:
        raise ContentError(
            f"Content file {name}: meta.review must be one of {', '.join(Review.values)}, "
            f"got {meta.get('review')!r}."
        )
    if not isinstance(data.get("jurisdiction"), dict):
        raise ContentError(f"Content file {name}: there is no [jurisdiction.<code>] table.")


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def _check_same_shape(name: str, source: Any, translation: Any, key: str) -> None:
    """Compare a translation with its source, naming the first difference by its dotted key."""
    where = key or "the top level"
    if isinstance(source, dict):
        if not isinstance(translation, dict):
            raise ContentError(f"Content file {name}: {where} must be a table.")
        if key == "jurisdiction":
            # A translation may leave out a jurisdiction; it is then not offered there.
            unknown = set(translation) - set(source)
            missing: set[str] = set()
        else:
            unknown = set(translation) - set(source)
            missing = set(source) - set(translation)
        if missing:
            raise ContentError(
                f"Content file {name}: {where} lacks {', '.join(sorted(missing))} "
                "(the English file has them)."
            )
        if unknown:
            raise ContentError(
                f"Content file {name}: {where} has {', '.join(sorted(unknown))}, "
                "which the English file does not have."
            )
        for child in translation:
            _check_same_shape(name, source[child], translation[child], _dotted(key, child))
    elif isinstance(source, list):
        if not isinstance(translation, list) or len(translation) != len(source):
            raise ContentError(
                f"Content file {name}: {where} must be a list of {len(source)} items, "
                "like the English file."
            )
        for index, (item_source, item) in enumerate(zip(source, translation, strict=True)):
            _check_same_shape(name, item_source, item, f"{key}[{index}]")
    else:
        if not isinstance(translation, str) or not translation.strip():
            raise ContentError(f"Content file {name}: {where} must be non-empty text.")
        try:
            found = _placeholders(translation)
        except ValueError as exc:
            raise ContentError(f"Content file {name}: {where} has a stray brace: {exc}.") from exc
        expected = _placeholders(source)
        if found != expected:
            raise ContentError(
                f"Content file {name}: {where} must have the placeholders "
                f"{_braced(expected)}, like the English file, but has {_braced(found)}."
            )


def _dotted(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _braced(fields: set[str]) -> str:
    return ", ".join("{" + field + "}" for field in sorted(fields)) or "none"
