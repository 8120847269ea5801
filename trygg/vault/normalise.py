"""Normalisation before blind indexing: spellings that mean the same person give the same text.

Every function here is idempotent: normalising a normalised value changes nothing.
"""

import unicodedata
from datetime import date

# Format characters (zero-width space and joiners, soft hyphen, direction marks) are invisible
# and creep in through copy and paste; nonspacing marks are the diacritics.
_DROPPED_CATEGORIES = {"Mn", "Cf"}


def normalise(value: str) -> str:
    """Return `value` compatibility-composed, case-folded, without diacritics, spaces collapsed.

    Steps: Unicode NFKC (full-width letters and ligatures become plain letters), case folding
    (ß becomes ss), NFKC again as Unicode's NFKC_Casefold asks, then NFKD and removal of
    nonspacing marks and invisible format characters (é becomes e, ø stays ø: it has no
    decomposition), NFC, and finally every run of whitespace becomes one space, with none at
    either end. "José  GARCÍA" and "jose garcia" both become "jose garcia".
    """
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())
    text = "".join(
        char
        for char in unicodedata.normalize("NFKD", text)
        if unicodedata.category(char) not in _DROPPED_CATEGORIES
    )
    text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def normalise_phone(value: str) -> str:
    """Return the digits of a phone number, with a leading + if it had one or began with 00.

    "+358 40 123-4567", "00358401234567" and "(+358) 401234567" all give "+358401234567". Digits
    of other scripts count as digits. A national number ("040 123 4567") is not turned into an
    international one: that needs the country, which a number alone does not tell.
    """
    text = unicodedata.normalize("NFKC", value).strip()
    digits = "".join(str(unicodedata.decimal(char)) for char in text if char.isdecimal())
    international = text.lstrip("(").startswith("+")
    if not international and digits.startswith("00"):
        digits, international = digits[2:], True
    if not digits:
        return ""
    return ("+" if international else "") + digits


def normalise_document(value: str) -> str:
    """Return a document number upper-cased, without whitespace, hyphens or other dashes."""
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).upper())
    kept = "".join(
        char for char in text if not char.isspace() and unicodedata.category(char) != "Pd"
    )
    # Once a space is gone, a mark that followed it may compose with the letter before it.
    return unicodedata.normalize("NFKC", kept)


def normalise_name_birth_date(value: str) -> str:
    """Return "NAME|YYYY-MM-DD" with the name part normalised; "" if either part is empty.

    The caller passes f"{name}|{birth_date.isoformat()}". The split is at the last "|", so a
    name may itself hold one. Raise ValueError when the date part is not an ISO date.
    """
    name, separator, birth_date = value.rpartition("|")
    if not separator:
        raise ValueError("name_birth_date must be NAME|YYYY-MM-DD.")
    name, birth_date = normalise(name), birth_date.strip()
    if not name or not birth_date:
        return ""
    try:
        parsed = date.fromisoformat(birth_date)
    except ValueError:
        raise ValueError("The birth date part of name_birth_date must be YYYY-MM-DD.") from None
    return f"{name}|{parsed.isoformat()}"
