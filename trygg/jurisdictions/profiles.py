"""Jurisdiction profiles: one country's emergency numbers, contacts, duties and procedures.

A profile is a TOML file in ``profile_data/`` named after its code (``fi.toml``, ``no.toml``). It is
data, not code: adding a jurisdiction means adding a file. Every file is validated in full when it
is read, and any problem raises ProfileError naming the file and the key.
"""

import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

PROFILES_DIR = Path(__file__).resolve().parent / "profile_data"

# Digits and spaces with an optional leading +; 3 to 15 digits (112 to a full E.164 number).
_PHONE_RE = re.compile(r"\+?[0-9][0-9 ]*[0-9]")
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_COUNTRY_RE = re.compile(r"[A-Z]{2}")
# Help pages may use more languages than the interface: lowercase codes such as "ru", "zh-hans".
_LANGUAGE_CODE_RE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*")
# The quick exit of the public pages leaves for this neutral site; only https is allowed.
_HTTPS_URL_RE = re.compile(r"https://[a-z0-9.-]+\.[a-z]{2,}(/[A-Za-z0-9._~/?=&%-]*)?")

_Choice = TypeVar("_Choice", bound=models.TextChoices)


class ProfileError(ImproperlyConfigured):
    """A jurisdiction profile is unknown or invalid."""


class UnknownJurisdictionError(ProfileError):
    """No profile file exists for the requested code."""

    def __init__(self, code: str, available: list[str]) -> None:
        self.code = code
        self.available = available
        super().__init__(
            f"There is no jurisdiction profile {code!r}. "
            f"Available profiles: {_join(available) or 'none'}."
        )


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Telephone")
    EMAIL = "email", _("E-mail")


class Audience(models.TextChoices):
    """Who a contact is for. Public contacts are given to the person: help page, help card."""

    PUBLIC = "public"
    PROFESSIONALS = "professionals"


class AdmissionProcedure(models.TextChoices):
    EXPERT_DECISION = "expert_decision", _("Experts of the assistance system decide admission")
    REFERRAL_TO_SERVICES = (
        "referral_to_services",
        _("Referral to the responsible services, without an admission decision"),
    )


class ReceivingService(models.TextChoices):
    """Services a referral can be routed to where there is no admission decision.

    The values are organisation types (accounts.Organisation.Type); a test keeps them so.
    """

    MUNICIPALITY = "municipality", _("Municipality or wellbeing services county")
    CHILD_WELFARE = "child_welfare", _("Child welfare")
    POLICE = "police", _("Police")
    HEALTH_SERVICE = "health_service", _("Health service")


class ResponsibleParty(models.TextChoices):
    ASSISTANCE_SYSTEM = "assistance_system", _("Assistance system")
    MUNICIPALITY = "municipality", _("Home municipality")
    RECEPTION_CENTRE = "reception_centre", _("Reception centre")


@dataclass(frozen=True)
class Label:
    """A short text in every interface language, keyed by language code."""

    texts: Mapping[str, str]

    def get(self, language: str | None = None) -> str:
        """Return the text in `language` (default: the active language), else in English."""
        language = (language or translation.get_language() or settings.LANGUAGE_CODE).lower()
        for candidate in (language, language.split("-")[0], "en", settings.LANGUAGE_CODE):
            if candidate in self.texts:
                return self.texts[candidate]
        return next(iter(self.texts.values()))

    def __str__(self) -> str:
        return self.get()


@dataclass(frozen=True)
class Contact:
    """A telephone number or e-mail address to give to a person or a professional."""

    kind: ContactKind
    value: str
    # False also when the hours are not known: the interface must not promise round-the-clock help.
    is_24h: bool
    label: Label
    sources: tuple[str, ...]
    # Who the contact is for: public contacts appear on the help page and the help card.
    audience: Audience = Audience.PUBLIC

    @property
    def href(self) -> str:
        """The tel: or mailto: link for the contact."""
        if self.kind == ContactKind.PHONE:
            return "tel:" + self.value.replace(" ", "")
        return "mailto:" + self.value

    def get_label(self, language: str | None = None) -> str:
        """Return the label in `language` (default: the active language), else in English."""
        return self.label.get(language)


@dataclass(frozen=True)
class Emergency:
    number: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Police:
    non_emergency_number: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Assistance:
    """The assistance system, or the services that stand in for one, and their contacts."""

    # None where the jurisdiction has no single named assistance system.
    name: Label | None
    contacts: tuple[Contact, ...]
    sources: tuple[str, ...]

    @property
    def contacts_24h(self) -> tuple[Contact, ...]:
        """The contacts that answer day and night."""
        return tuple(contact for contact in self.contacts if contact.is_24h)

    @property
    def public_contacts(self) -> tuple[Contact, ...]:
        """The contacts to give to the person: round-the-clock ones first."""
        public = [contact for contact in self.contacts if contact.audience == Audience.PUBLIC]
        return tuple(sorted(public, key=lambda contact: not contact.is_24h))


@dataclass(frozen=True)
class ChildWelfare:
    """What to do when the person may be under 18."""

    # Whether professionals have a legal duty to report to child welfare.
    mandatory_report: bool
    description: Label
    guidance_line: Contact | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Responsibility:
    """Who arranges the services of an admitted person."""

    first_referral_to: ResponsibleParty
    with_home_municipality: ResponsibleParty
    without_home_municipality: ResponsibleParty
    cooperating: tuple[ResponsibleParty, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Appeal:
    """Where and how soon a person may appeal an admission decision."""

    # The body that hears appeals, in the interface languages. The decision letter, which has
    # more languages, names the body in its own content files instead.
    body: Label
    # The time to appeal, in days from the day the person received the decision.
    days: int
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Admission:
    procedure: AdmissionProcedure
    responsibility: Responsibility | None
    # None where there is no decision to appeal, or the profile does not say how.
    appeal: Appeal | None
    sources: tuple[str, ...]
    # With procedure referral_to_services: the kinds of service a referral may be routed to.
    services: tuple[ReceivingService, ...] = ()


@dataclass(frozen=True)
class Statistics:
    # Published tables hide groups of fewer than this many people.
    disclosure_threshold: int
    reports_per_year: int | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    """The facts Trygg needs about one jurisdiction."""

    code: str
    name: str
    country: str
    default_language: str
    ui_languages: tuple[str, ...]
    # The languages of the public help pages; the interface languages unless the file says more.
    help_languages: tuple[str, ...]
    # The neutral site that the quick exit of the public pages leaves for.
    quick_exit_url: str
    emergency: Emergency
    police: Police | None
    assistance: Assistance
    child_welfare: ChildWelfare
    admission: Admission
    statistics: Statistics

    def label(self, obj: Label | Contact, language: str | None = None) -> str:
        """Return the text of a label or contact in `language`, falling back to English."""
        if isinstance(obj, Contact):
            return obj.get_label(language)
        return obj.get(language)


def available_profiles(directory: Path | str | None = None) -> list[str]:
    """Return the codes of the profiles in `directory` (default: the shipped profiles), sorted."""
    directory = PROFILES_DIR if directory is None else Path(directory)
    return sorted(path.stem for path in directory.glob("*.toml"))


def load_profile(code: str, *, directory: Path | str | None = None) -> Profile:
    """Read and validate the profile `code` from `directory` (default: the shipped profiles).

    Raise UnknownJurisdictionError if there is no such profile, ProfileError if it is invalid.
    """
    directory = PROFILES_DIR if directory is None else Path(directory)
    available = available_profiles(directory)
    # Checked against the listing, so that a code can never reach outside the directory.
    if code not in available:
        raise UnknownJurisdictionError(code, available)
    path = directory / f"{code}.toml"
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"Jurisdiction profile {path.name} is not valid TOML: {exc}.") from exc
    return parse_profile(data, file_name=path.name)


def parse_profile(data: Mapping[str, Any], *, file_name: str) -> Profile:
    """Validate the parsed contents of a profile file and return the Profile.

    `file_name` names the file in error messages; its stem must equal the profile's code.
    """
    return _Reader(file_name).profile(data)


@functools.cache
def get_profile() -> Profile:
    """Return the profile of this deployment (settings.TRYGG_JURISDICTION), read once.

    Tests that change the setting or the files clear the cache with get_profile.cache_clear();
    override_settings(TRYGG_JURISDICTION=...) clears it by itself.
    """
    code: str = settings.TRYGG_JURISDICTION
    try:
        return load_profile(code)
    except UnknownJurisdictionError as exc:
        raise ProfileError(
            f"TRYGG_JURISDICTION is {code!r}, but there is no jurisdiction profile {code!r}. "
            f"Available profiles: {_join(exc.available) or 'none'}."
        ) from exc


def _join(items: Iterable[str]) -> str:
    return ", ".join(items)


def _key(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


class _Reader:
    """Validate one profile file, naming the file and the dotted key in every error."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.languages = tuple(code for code, _name in settings.LANGUAGES)

    def error(self, key: str, problem: str) -> ProfileError:
        return ProfileError(f"Jurisdiction profile {self.file_name}: {key} {problem}")

    # Structure

    def known_keys(self, table: Mapping[str, Any], prefix: str, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        for key in table:
            if key not in allowed:
                raise self.error(
                    _key(prefix, key), f"is not a known key (known keys: {_join(allowed)})."
                )

    def require(self, table: Mapping[str, Any], key: str, prefix: str) -> Any:
        if key not in table:
            raise self.error(_key(prefix, key), "is missing.")
        return table[key]

    def table(
        self, table: Mapping[str, Any], key: str, prefix: str, allowed: Iterable[str]
    ) -> Mapping[str, Any]:
        value = self.require(table, key, prefix)
        if not isinstance(value, dict):
            raise self.error(_key(prefix, key), f"must be a table, got {value!r}.")
        self.known_keys(value, _key(prefix, key), allowed)
        return value

    # Scalars

    def text(self, table: Mapping[str, Any], key: str, prefix: str) -> str:
        value = self.require(table, key, prefix)
        if not isinstance(value, str) or not value.strip():
            raise self.error(_key(prefix, key), f"must be non-empty text, got {value!r}.")
        return value

    def flag(self, table: Mapping[str, Any], key: str, prefix: str) -> bool:
        value = self.require(table, key, prefix)
        if not isinstance(value, bool):
            raise self.error(_key(prefix, key), f"must be true or false, got {value!r}.")
        return value

    def positive_int(self, table: Mapping[str, Any], key: str, prefix: str) -> int:
        value = self.require(table, key, prefix)
        # bool is a subclass of int in Python; `true` is not a count.
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise self.error(_key(prefix, key), f"must be a positive whole number, got {value!r}.")
        return value

    def phone(self, table: Mapping[str, Any], key: str, prefix: str) -> str:
        value = self.text(table, key, prefix)
        digits = sum(char.isdigit() for char in value)
        if not _PHONE_RE.fullmatch(value) or not 3 <= digits <= 15:
            raise self.error(
                _key(prefix, key),
                f"is not a plausible phone number: {value!r}. "
                "Use 3 to 15 digits and spaces, with an optional leading +.",
            )
        return value

    def choice(
        self, table: Mapping[str, Any], key: str, prefix: str, choices: type[_Choice]
    ) -> _Choice:
        value = self.text(table, key, prefix)
        if value not in choices.values:
            raise self.error(
                _key(prefix, key), f"must be one of {_join(choices.values)}, got {value!r}."
            )
        return choices(value)

    # Lists

    def text_list(self, table: Mapping[str, Any], key: str, prefix: str) -> tuple[str, ...]:
        value = self.require(table, key, prefix)
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(item, str) and item.strip() for item in value)
        ):
            raise self.error(
                _key(prefix, key), f"must be a non-empty list of non-empty text, got {value!r}."
            )
        if len(set(value)) != len(value):
            raise self.error(_key(prefix, key), f"lists an item twice: {value!r}.")
        return tuple(value)

    def sources(self, table: Mapping[str, Any], prefix: str) -> tuple[str, ...]:
        return self.text_list(table, "sources", prefix)

    def ui_languages(self, table: Mapping[str, Any], key: str) -> tuple[str, ...]:
        languages = self.text_list(table, key, "")
        for language in languages:
            if language not in self.languages:
                raise self.error(
                    key,
                    f"has {language!r}, which is not an interface language "
                    f"({_join(self.languages)}).",
                )
        return languages

    def help_languages(self, table: Mapping[str, Any], key: str) -> tuple[str, ...]:
        languages = self.text_list(table, key, "")
        for language in languages:
            if not _LANGUAGE_CODE_RE.fullmatch(language):
                raise self.error(key, f"has {language!r}, which is not a language code.")
        return languages

    def label(self, table: Mapping[str, Any], key: str, prefix: str) -> Label:
        texts = self.table(table, key, prefix, self.languages)
        path = _key(prefix, key)
        for language in self.languages:
            self.text(texts, language, path)
        return Label(MappingProxyType({language: texts[language] for language in self.languages}))

    # Sections

    def profile(self, data: Mapping[str, Any]) -> Profile:
        self.known_keys(data, "", [f.name for f in Profile.__dataclass_fields__.values()])

        code = self.text(data, "code", "")
        expected = Path(self.file_name).stem
        if code != expected:
            raise self.error(
                "code", f"is {code!r}, but the file is {self.file_name}: they must match."
            )
        country = self.text(data, "country", "")
        if not _COUNTRY_RE.fullmatch(country):
            raise self.error(
                "country", f"must be an ISO 3166 alpha-2 code such as 'FI', got {country!r}."
            )
        ui_languages = self.ui_languages(data, "ui_languages")
        default_language = self.text(data, "default_language", "")
        if default_language not in ui_languages:
            raise self.error(
                "default_language",
                f"is {default_language!r}, which is not in ui_languages ({_join(ui_languages)}).",
            )
        help_languages = (
            self.help_languages(data, "help_languages")
            if "help_languages" in data
            else ui_languages
        )
        quick_exit_url = self.text(data, "quick_exit_url", "")
        if not _HTTPS_URL_RE.fullmatch(quick_exit_url):
            raise self.error(
                "quick_exit_url", f"must be an https:// address of a site, got {quick_exit_url!r}."
            )
        return Profile(
            code=code,
            name=self.text(data, "name", ""),
            country=country,
            default_language=default_language,
            ui_languages=ui_languages,
            help_languages=help_languages,
            quick_exit_url=quick_exit_url,
            emergency=self.emergency(data),
            police=self.police(data),
            assistance=self.assistance(data),
            child_welfare=self.child_welfare(data),
            admission=self.admission(data),
            statistics=self.statistics(data),
        )

    def emergency(self, data: Mapping[str, Any]) -> Emergency:
        table = self.table(data, "emergency", "", ["number", "sources"])
        return Emergency(
            number=self.phone(table, "number", "emergency"),
            sources=self.sources(table, "emergency"),
        )

    def police(self, data: Mapping[str, Any]) -> Police | None:
        if "police" not in data:
            return None
        table = self.table(data, "police", "", ["non_emergency_number", "sources"])
        return Police(
            non_emergency_number=self.phone(table, "non_emergency_number", "police"),
            sources=self.sources(table, "police"),
        )

    def assistance(self, data: Mapping[str, Any]) -> Assistance:
        table = self.table(data, "assistance", "", ["name", "contacts", "sources"])
        contacts = self.require(table, "contacts", "assistance")
        if not isinstance(contacts, list) or not contacts:
            raise self.error(
                "assistance.contacts", f"must be a non-empty list of tables, got {contacts!r}."
            )
        return Assistance(
            name=self.label(table, "name", "assistance") if "name" in table else None,
            contacts=tuple(
                self.contact(contact, f"assistance.contacts[{index}]")
                for index, contact in enumerate(contacts)
            ),
            sources=self.sources(table, "assistance"),
        )

    def contact(self, table: object, path: str) -> Contact:
        if not isinstance(table, dict):
            raise self.error(path, f"must be a table, got {table!r}.")
        self.known_keys(table, path, ["kind", "value", "is_24h", "audience", "label", "sources"])
        kind = self.choice(table, "kind", path, ContactKind)
        if kind == ContactKind.PHONE:
            value = self.phone(table, "value", path)
        else:
            value = self.text(table, "value", path)
            if not _EMAIL_RE.fullmatch(value):
                raise self.error(
                    _key(path, "value"), f"is not a plausible e-mail address: {value!r}."
                )
        return Contact(
            kind=kind,
            value=value,
            is_24h=self.flag(table, "is_24h", path),
            label=self.label(table, "label", path),
            sources=self.sources(table, path),
            audience=(
                self.choice(table, "audience", path, Audience)
                if "audience" in table
                else Audience.PUBLIC
            ),
        )

    def child_welfare(self, data: Mapping[str, Any]) -> ChildWelfare:
        table = self.table(
            data,
            "child_welfare",
            "",
            ["mandatory_report", "description", "guidance_line", "sources"],
        )
        return ChildWelfare(
            mandatory_report=self.flag(table, "mandatory_report", "child_welfare"),
            description=self.label(table, "description", "child_welfare"),
            guidance_line=(
                self.contact(table["guidance_line"], "child_welfare.guidance_line")
                if "guidance_line" in table
                else None
            ),
            sources=self.sources(table, "child_welfare"),
        )

    def admission(self, data: Mapping[str, Any]) -> Admission:
        table = self.table(
            data, "admission", "", ["procedure", "responsibility", "appeal", "services", "sources"]
        )
        procedure = self.choice(table, "procedure", "admission", AdmissionProcedure)
        if "appeal" in table and procedure != AdmissionProcedure.EXPERT_DECISION:
            raise self.error(
                "admission.appeal",
                f"is only for procedure {AdmissionProcedure.EXPERT_DECISION.value!r}: "
                "without an admission decision there is nothing to appeal.",
            )
        services: tuple[ReceivingService, ...] = ()
        if procedure == AdmissionProcedure.REFERRAL_TO_SERVICES:
            names = self.text_list(table, "services", "admission")
            for name in names:
                if name not in ReceivingService.values:
                    raise self.error(
                        "admission.services",
                        f"has {name!r}; each must be one of {_join(ReceivingService.values)}.",
                    )
            services = tuple(ReceivingService(name) for name in names)
        elif "services" in table:
            raise self.error(
                "admission.services",
                f"is only for procedure {AdmissionProcedure.REFERRAL_TO_SERVICES.value!r}: "
                "with an admission decision, referrals go to the assistance system.",
            )
        return Admission(
            procedure=procedure,
            responsibility=(self.responsibility(table) if "responsibility" in table else None),
            appeal=self.appeal(table) if "appeal" in table else None,
            sources=self.sources(table, "admission"),
            services=services,
        )

    def appeal(self, admission: Mapping[str, Any]) -> Appeal:
        path = "admission.appeal"
        table = self.table(admission, "appeal", "admission", ["body", "days", "sources"])
        return Appeal(
            body=self.label(table, "body", path),
            days=self.positive_int(table, "days", path),
            sources=self.sources(table, path),
        )

    def responsibility(self, admission: Mapping[str, Any]) -> Responsibility:
        path = "admission.responsibility"
        table = self.table(
            admission,
            "responsibility",
            "admission",
            [f.name for f in Responsibility.__dataclass_fields__.values()],
        )
        cooperating = self.text_list(table, "cooperating", path)
        for party in cooperating:
            if party not in ResponsibleParty.values:
                raise self.error(
                    f"{path}.cooperating",
                    f"has {party!r}; each must be one of {_join(ResponsibleParty.values)}.",
                )
        return Responsibility(
            first_referral_to=self.choice(table, "first_referral_to", path, ResponsibleParty),
            with_home_municipality=self.choice(
                table, "with_home_municipality", path, ResponsibleParty
            ),
            without_home_municipality=self.choice(
                table, "without_home_municipality", path, ResponsibleParty
            ),
            cooperating=tuple(ResponsibleParty(party) for party in cooperating),
            sources=self.sources(table, path),
        )

    def statistics(self, data: Mapping[str, Any]) -> Statistics:
        table = self.table(
            data,
            "statistics",
            "",
            ["disclosure_threshold", "reports_per_year", "sources"],
        )
        return Statistics(
            disclosure_threshold=self.positive_int(table, "disclosure_threshold", "statistics"),
            reports_per_year=(
                self.positive_int(table, "reports_per_year", "statistics")
                if "reports_per_year" in table
                else None
            ),
            sources=self.sources(table, "statistics"),
        )
