"""Read a register kept in a spreadsheet (CSV or XLSX) and check every row before anything is saved.

Columns (header names are matched without regard to case or surrounding spaces; the HTCDS 2.0
person field names are accepted too). docs/import.md documents them for users.

| Trygg column | also accepted | content |
|---|---|---|
| full_name | name, prs_FirstName + prs_MiddleName + prs_SecondName | required |
| other_names | aliases | names the person has used |
| birth_date | prs_Birthdate, date_of_birth | YYYY-MM-DD or DD.MM.YYYY |
| gender | prs_Gender | HTCDS value or Trygg code (female, male, not_known, ...) |
| nationality | prs_Citizenship | ISO 3166 two-letter codes, stateless or unknown; several |
| languages | language, prs_PrimaryLanguage, prs_SecondaryLanguage | ISO 639 codes; several with ; |
| phone | prs_MobilePhone, prs_HomePhone | digits, spaces, + ( ) - |
| email | prs_Email | an e-mail address |
| address | prs_MailingStreet | free text |
| identity_number | prs_IdentityNumber, document_number | the number of an identity document |
| documents | | documents the person holds |
| notes | | free text |

Nothing here touches the database: `parse_file` returns rows and errors, and the caller imports
only when there are no errors.
"""

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from trygg.clients.models import Person
from trygg.clients.services import Identity

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
MAX_LENGTH = {"notes": 4000, "documents": 1000, "address": 500}
DEFAULT_MAX_LENGTH = 200

# Header (normalised) -> Trygg column.
ALIASES = {
    "full_name": "full_name",
    "name": "full_name",
    "prs_firstname": "first_name",
    "first_name": "first_name",
    "prs_middlename": "middle_name",
    "prs_secondname": "second_name",
    "last_name": "second_name",
    "other_names": "other_names",
    "aliases": "other_names",
    "birth_date": "birth_date",
    "prs_birthdate": "birth_date",
    "date_of_birth": "birth_date",
    "gender": "gender",
    "prs_gender": "gender",
    "nationality": "nationality",
    "prs_citizenship": "nationality",
    "languages": "languages",
    "language": "languages",
    "prs_primarylanguage": "languages",
    "prs_secondarylanguage": "secondary_language",
    "phone": "phone",
    "prs_mobilephone": "phone",
    "prs_homephone": "home_phone",
    "email": "email",
    "prs_email": "email",
    "address": "address",
    "prs_mailingstreet": "address",
    "identity_number": "identity_number",
    "prs_identitynumber": "identity_number",
    "document_number": "identity_number",
    "documents": "documents",
    "notes": "notes",
}

GENDERS = {
    **{value: value for value in Person.Gender.values},
    "feminine": "feminine",
    "masculine": "masculine",
    "transgenderfeminine": "transgender_feminine",
    "transgendermasculine": "transgender_masculine",
    "nonconforming": "non_conforming",
    "nonspecifiedunknown": "not_known",
    "female": "feminine",
    "f": "feminine",
    "male": "masculine",
    "m": "masculine",
    "unknown": "not_known",
    "": "not_known",
}

PHONE = re.compile(r"^\+?[0-9 ()\-]{6,24}$")
IDENTITY_NUMBER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z /\-.]{0,63}$")
COUNTRY = re.compile(r"^([A-Za-z]{2}|stateless|unknown)$")
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z]{2})?$")
# Spreadsheet programs run a cell starting with these as a formula (CSV injection).
FORMULA_START = ("=", "@", "+", "-", "\t", "\r")


@dataclass
class ParsedRow:
    number: int  # as the user sees it: the header is row 1
    identity: Identity
    gender: str


@dataclass
class ImportResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, for the user."""


def _header_key(value: object) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).strip().lower()
    return text.lstrip("\ufeff").replace(" ", "_")


def _read_csv(path: Path) -> Iterator[list[object]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportFileError(
            _(
                "The file is not UTF-8 text (first bad byte on line %(line)s). "
                "Save it as “CSV UTF-8” and try again."
            )
            % {"line": line}
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("The file contains binary data. Save it as CSV or XLSX."))
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    csv.field_size_limit(MAX_FILE_BYTES)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file is malformed: %(error)s.") % {"error": error}
        ) from None


def _read_xlsx(path: Path) -> Iterator[list[object]]:
    from openpyxl import load_workbook

    try:
        # read_only streams rows; data_only=False keeps formulas as text, so that they are
        # refused below instead of their cached results being imported.
        workbook = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(
            _("The file cannot be read as an XLSX workbook (%(error)s).")
            % {"error": type(error).__name__}
        ) from None
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def read_rows(path: Path) -> Iterator[list[object]]:
    """Yield the rows of a CSV or XLSX file, header first."""
    if not path.exists():
        raise ImportFileError(_("There is no file at %(path)s.") % {"path": path})
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than 50 MB. Split it and import each part."))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return _read_xlsx(path)
    raise ImportFileError(_("Import a .csv or an .xlsx file."))


def parse_file(path: Path) -> ImportResult:
    """Check every row of the file; return the rows that are valid and the errors found."""
    rows = read_rows(path)
    header = next(rows, None)
    if header is None:
        raise ImportFileError(_("The file is empty."))
    columns = [_header_key(name) for name in header]
    # Positions, not header texts: a file without a header row would echo a person's data.
    unknown = [
        str(number) for number, key in enumerate(columns, start=1) if key and key not in ALIASES
    ]
    if unknown:
        raise ImportFileError(
            _(
                "The headers of columns %(columns)s are not ones Trygg reads. The first row "
                "must hold the column names listed in docs/import.md."
            )
            % {"columns": ", ".join(unknown)}
        )
    mapped = [ALIASES.get(key) for key in columns]
    if "full_name" not in mapped and "first_name" not in mapped and "second_name" not in mapped:
        raise ImportFileError(
            _("The file has no name column (full_name, or prs_FirstName and prs_SecondName).")
        )
    result = ImportResult()
    for offset, cells in enumerate(rows, start=2):
        if offset - 1 > MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(count)s rows. Split it and import each part.")
                % {"count": MAX_ROWS}
            )
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        if len(cells) > len(mapped):
            result.errors.append((offset, _("The row has more cells than the header has columns.")))
            continue
        values: dict[str, object] = {}
        for column, cell in zip(mapped, cells, strict=False):
            if column is None or cell is None:
                continue
            if column in values and values[column] not in ("", None):
                values[column] = f"{values[column]};{cell}"
            else:
                values[column] = cell
        try:
            result.rows.append(_parse_row(offset, values))
        except ValidationError as error:
            result.errors.append((offset, " ".join(error.messages)))
    return result


def _text(column: str, value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = unicodedata.normalize("NFC", str(value)).strip()
    limit = MAX_LENGTH.get(column, DEFAULT_MAX_LENGTH)
    if len(text) > limit:
        raise ValidationError(
            _("%(column)s is longer than %(limit)s characters.")
            % {"column": column, "limit": limit}
        )
    allowed_controls = {"\n"} if column in {"notes", "address", "documents"} else set()
    if any(unicodedata.category(c) == "Cc" and c not in allowed_controls for c in text):
        raise ValidationError(_("%(column)s contains control characters.") % {"column": column})
    if text.startswith(FORMULA_START) and not (
        column in {"phone", "home_phone"} and PHONE.match(text)
    ):
        raise ValidationError(
            _(
                "%(column)s starts with “%(char)s”, which spreadsheet programs run as a formula. "
                "Remove the character and import again."
            )
            % {"column": column, "char": text[0]}
        )
    return text


def _parse_row(number: int, values: dict[str, object]) -> ParsedRow:
    text = {column: _text(column, value) for column, value in values.items()}
    name = text.get("full_name") or " ".join(
        part
        for part in (text.get("first_name"), text.get("middle_name"), text.get("second_name"))
        if part
    )
    if not name:
        raise ValidationError(_("The name is missing."))
    if len(name) > DEFAULT_MAX_LENGTH:
        raise ValidationError(_("The name is longer than 200 characters."))
    birth_date = _birth_date(values.get("birth_date"))
    gender_key = re.sub(r"[\s_-]", "", text.get("gender", "").lower())
    gender = GENDERS.get(gender_key) or GENDERS.get(text.get("gender", "").lower())
    if gender is None:
        raise ValidationError(_("The gender is not one of the values listed in docs/import.md."))
    phone = text.get("phone") or text.get("home_phone", "")
    if phone and not PHONE.match(phone):
        raise ValidationError(_("The phone number may hold only digits, spaces and + ( ) -."))
    email = text.get("email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(_("The e-mail address is not valid.")) from None
    identity_number = text.get("identity_number", "")
    if identity_number and not IDENTITY_NUMBER.match(identity_number):
        raise ValidationError(
            _("The identity number may hold only letters, digits, spaces and / - .")
        )
    nationality = _codes(
        text.get("nationality", ""),
        COUNTRY,
        _("The nationality must be two-letter country codes, stateless or unknown."),
        upper=True,
    )
    languages = _codes(
        ";".join(part for part in (text.get("languages"), text.get("secondary_language")) if part),
        LANGUAGE,
        _("The languages must be two- or three-letter language codes."),
        upper=False,
    )
    return ParsedRow(
        number=number,
        gender=gender,
        identity=Identity(
            full_name=name,
            other_names=text.get("other_names", ""),
            birth_date=birth_date,
            phone=phone,
            email=email,
            address=text.get("address", ""),
            languages=languages,
            nationality=nationality,
            identity_number=identity_number,
            documents=text.get("documents", ""),
            notes=text.get("notes", ""),
        ),
    )


def _codes(value: str, pattern: re.Pattern[str], message: str, *, upper: bool) -> str:
    codes = [part.strip() for part in re.split(r"[;,]", value) if part.strip()]
    for code in codes:
        if not pattern.match(code):
            # The value itself is not echoed: error output must not carry personal data.
            raise ValidationError(message)
    if upper:
        return ";".join(c.upper() if len(c) == 2 else c.lower() for c in codes)
    return ";".join(c.lower() for c in codes)


def _birth_date(value: object) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        parsed = value.date()
    elif isinstance(value, date):
        parsed = value
    else:
        text = str(value).strip()
        found = None
        for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
            try:
                found = datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date, not a time
                break
            except ValueError:
                continue
        if found is None:
            raise ValidationError(_("The birth date is not a date: write it as YYYY-MM-DD."))
        parsed = found
    if not date(1900, 1, 1) <= parsed <= date.today():  # noqa: DTZ011 - a birth date has no zone
        raise ValidationError(_("The birth date must be between 1900 and today."))
    return parsed
