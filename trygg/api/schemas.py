"""The shapes of the API's requests and responses; the OpenAPI document is built from them.

Strings are limited in length and refuse control characters, so that what the services and
the databases receive is plain text (PostgreSQL refuses NUL characters outright).
"""

import unicodedata
from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, field_validator, model_validator

from trygg.accounts.models import Organisation
from trygg.consent.models import Consent
from trygg.referrals import permissions
from trygg.referrals.models import Referral

# Control characters (C0 and C1). Texts of several lines may hold tabs and line breaks.
LINE_CONTROLS = r"\x00-\x1F\x7F-\x9F"
TEXT_CONTROLS = r"\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F"
LINE_PATTERN = rf"^[^{LINE_CONTROLS}]*$"
TEXT_PATTERN = rf"^[^{TEXT_CONTROLS}]*$"
NONBLANK_LINE_PATTERN = rf"^[^{LINE_CONTROLS}]*[^\s{LINE_CONTROLS}][^{LINE_CONTROLS}]*$"


def _check_characters(value: str, allowed: str) -> str:
    for character in value:
        if character not in allowed and unicodedata.category(character) in {"Cc", "Cs"}:
            # Cs: an unpaired surrogate, which JSON can carry and UTF-8 cannot.
            raise ValueError(_("Remove the control characters from the text."))
    return value


def _line(value: str) -> str:
    return _check_characters(value, "")


def _text(value: str) -> str:
    return _check_characters(value, "\t\n\r")


# The validators give a clear message; the patterns say the same in the OpenAPI document.
Line = Annotated[str, AfterValidator(_line), Field(json_schema_extra={"pattern": LINE_PATTERN})]
Text = Annotated[str, AfterValidator(_text), Field(json_schema_extra={"pattern": TEXT_PATTERN})]


# The status a referrer sees, as a stable code. The text in `status_for_referrer` is the same
# status in the request's language (Accept-Language).
StatusCode = Literal[
    "draft",
    "received",
    "in_progress",
    "information_requested",
    "admitted",
    "not_admitted",
    "taken_on",
    "not_taken_on",
    "withdrawn",
]
ErrorCode = Literal["bad_request", "unauthorized", "forbidden", "not_found", "conflict", "invalid"]


# Requests


class NeedsIn(Schema):
    """What triage needs in clear: urgency, the exploitation, the language. Nothing identifying."""

    safety_threat: bool = Field(False, description="The person's safety is threatened.")
    shelter_tonight: bool = Field(False, description="The person needs a safe place tonight.")
    medical_need: bool = Field(False, description="The person needs medical care now.")
    possible_minor: bool = Field(False, description="The person may be under 18.")
    children_count: int = Field(0, ge=0, le=20, description="Minor children to include.")
    forms: list[Referral.Form] = Field(
        default_factory=list, max_length=len(Referral.Form), description="Forms of exploitation."
    )
    place: Referral.Place = Field(Referral.Place.UNKNOWN, description="Where it happened.")
    sector: Referral.Sector = Field(
        Referral.Sector.NONE, description="The sector, for labour exploitation."
    )
    language: Line = Field(
        "", max_length=32, description="The person's language, such as a language code."
    )
    interpreter_needed: bool = Field(False, description="An interpreter is needed.")


class PersonIn(Schema):
    """The person's details. Encrypted at once; never part of an anonymous consultation,
    except `nationality`, `children`, `circumstances`, `referrer_contact` and
    `contact_preferences`, which do not identify the person alone."""

    full_name: Line = Field("", max_length=200)
    birth_date: date | None = None
    phone: Line = Field("", max_length=50)
    email: Line = Field("", max_length=254)
    address: Text = Field("", max_length=500)
    nationality: Line = Field("", max_length=100)
    identity_number: Line = Field("", max_length=50)
    children: Text = Field("", max_length=2000)
    circumstances: Text = Field("", max_length=10000)
    referrer_contact: Text = Field("", max_length=500)
    contact_preferences: Text = Field("", max_length=1000)


class ConsentIn(Schema):
    """How the person gave their consent to the referral."""

    given_by: Consent.GivenBy
    method: Consent.Method
    language: Line = Field(
        min_length=1,
        max_length=16,
        description="The language the person was informed in, such as a language code.",
        json_schema_extra={"pattern": NONBLANK_LINE_PATTERN},
    )

    @field_validator("language")
    @classmethod
    def language_is_given(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(_("Give the language the person was informed in."))
        return value

    interpreter: Consent.Interpreter = Consent.Interpreter.NONE


# What an anonymous consultation may not hold: `PersonDetails.identifies` in referrals/services.
IDENTIFYING = ("full_name", "phone", "email", "address", "identity_number")

# The two kinds of referral, stated in the OpenAPI document too; the model validator below
# and the referral services enforce them.
REFERRAL_KINDS: list[Any] = [
    {
        "title": "With consent",
        "required": ["consent", "person"],
        "properties": {
            "consent": {"type": "object"},
            "consultation": {"const": False},
            "person": {
                "required": ["full_name"],
                "properties": {"full_name": {"minLength": 1, "pattern": r"\S"}},
            },
        },
    },
    {
        "title": "Anonymous consultation",
        "required": ["consultation"],
        "properties": {
            "consultation": {"const": True},
            "consent": {"type": "null"},
            "person": {
                "properties": {
                    **{name: {"maxLength": 0} for name in IDENTIFYING},
                    "birth_date": {"type": "null"},
                }
            },
        },
    },
]


RECEIVING_SERVICE = (
    "Where referrals go to the responsible services (the Norwegian profile): the `code` of the "
    "service to refer the person to, one of those GET /api/v1/services lists; required there. "
    "Elsewhere every referral goes to the assistance system: leave it out."
)


def _referral_schema(schema: dict[str, Any]) -> None:
    """The two kinds of referral, and `receiving_service` as this deployment's profile wants it.

    The profile is fixed for a deployment, so its document states the rule exactly: where
    referrals go to the responsible services the field is a required UUID, elsewhere null.
    """
    schema["oneOf"] = list(REFERRAL_KINDS)
    if permissions.routes_to_services():
        schema["properties"]["receiving_service"] = {
            "type": "string",
            "format": "uuid",
            "title": "Receiving Service",
            "description": RECEIVING_SERVICE,
        }
        schema["required"] = [*schema.get("required", []), "receiving_service"]
    else:
        schema["properties"]["receiving_service"] = {
            "type": "null",
            "default": None,
            "title": "Receiving Service",
            "description": RECEIVING_SERVICE,
        }


class ReferralIn(Schema):
    """A referral to send at once: with the person's consent, or as an anonymous consultation.

    Give exactly one of `consent` and `"consultation": true`. With consent, the person's name
    is required; a consultation holds no name, birth date, phone, e-mail, address or identity
    number. Where referrals go to the responsible services, `receiving_service` names the
    service the person is referred to.
    """

    model_config = ConfigDict(json_schema_extra=_referral_schema)

    needs: NeedsIn = Field(default_factory=lambda: NeedsIn.model_validate({}))
    person: PersonIn = Field(default_factory=lambda: PersonIn.model_validate({}))
    consent: ConsentIn | None = None
    consultation: bool = Field(
        False, description="An anonymous consultation: nothing that identifies the person."
    )
    # Checked by the view against the services of the deployment's profile (it needs the
    # database); the document states the profile's rule (see _referral_schema).
    receiving_service: UUID | None = Field(None, description=RECEIVING_SERVICE)

    @model_validator(mode="after")
    def consent_or_consultation(self) -> "ReferralIn":
        if (self.consent is None) == (not self.consultation):
            raise ValueError(
                _('Give either the person\'s consent or "consultation": true, and not both.')
            )
        if self.consent is not None and not self.person.full_name.strip():
            raise ValueError(_("Enter the person's name, or send an anonymous consultation."))
        return self


class InformationIn(Schema):
    """The answer to a request for more information: the person's details, all of them.

    They replace the details the referral held, as the referral form does: send what was sent
    before along with what is new. A referral with consent keeps the person's name; an
    anonymous consultation still holds nothing that identifies the person.
    """

    person: PersonIn


# Responses


class ReferralOut(Schema):
    code: str = Field(description="The referral's code, such as K7F3-Q92X.")
    status: StatusCode
    status_for_referrer: str = Field(description="The status in words, in the request's language.")
    created_at: datetime
    received_at: datetime | None
    respond_by: datetime | None = Field(
        description="When the assistance system will have acted on the referral at the latest."
    )
    question: str | None = Field(
        None,
        description=(
            "What the assistance system asked, while the status is `information_requested`; "
            "given by GET /api/v1/referrals/{code} only (reading it is audited), null elsewhere."
        ),
    )


class ReferralPage(Schema):
    items: list[ReferralOut]
    page: int
    pages: int
    count: int


class ServiceOut(Schema):
    code: UUID = Field(description="Give it as `receiving_service` when sending a referral.")
    name: str
    type: Organisation.Type = Field(description="The kind of service.")


class ServiceList(Schema):
    items: list[ServiceOut] = Field(
        description="The services a referral may go to, by kind and name; empty where every "
        "referral goes to the assistance system."
    )


class Error(Schema):
    code: ErrorCode
    detail: str


class Problem(Schema):
    loc: list[str | int] = Field(description="Where the problem is, such as body, needs, place.")
    msg: str
    type: str


class ValidationErrorOut(Schema):
    code: Literal["invalid"]
    detail: list[Problem]
