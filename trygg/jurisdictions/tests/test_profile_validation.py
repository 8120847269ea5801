import copy
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from trygg.jurisdictions.profiles import PROFILES_DIR, ProfileError, load_profile, parse_profile

Mutation = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="module")
def finland() -> dict[str, Any]:
    with (PROFILES_DIR / "fi.toml").open("rb") as file:
        return tomllib.load(file)


def error_for(data: dict[str, Any], mutate: Mutation, file_name: str = "fi.toml") -> str:
    data = copy.deepcopy(data)
    mutate(data)
    with pytest.raises(ProfileError) as excinfo:
        parse_profile(data, file_name=file_name)
    return str(excinfo.value)


def test_removed_emergency_number_is_named_in_the_error(tmp_path: Path) -> None:
    text = (PROFILES_DIR / "fi.toml").read_text(encoding="utf-8")
    assert text.count('number = "112"\n') == 1
    (tmp_path / "fi.toml").write_text(text.replace('number = "112"\n', ""), encoding="utf-8")

    with pytest.raises(ProfileError) as excinfo:
        load_profile("fi", directory=tmp_path)

    assert str(excinfo.value) == "Jurisdiction profile fi.toml: emergency.number is missing."


def test_file_that_is_not_toml_is_named_in_the_error(tmp_path: Path) -> None:
    (tmp_path / "fi.toml").write_text('code = "fi\n', encoding="utf-8")

    with pytest.raises(ProfileError, match=r"^Jurisdiction profile fi\.toml is not valid TOML: "):
        load_profile("fi", directory=tmp_path)


def test_profile_copied_under_another_name_is_refused(tmp_path: Path) -> None:
    shutil.copy(PROFILES_DIR / "fi.toml", tmp_path / "se.toml")

    with pytest.raises(ProfileError) as excinfo:
        load_profile("se", directory=tmp_path)

    assert str(excinfo.value) == (
        "Jurisdiction profile se.toml: code is 'fi', but the file is se.toml: they must match."
    )


def test_professional_contacts_are_kept_off_the_public_list() -> None:
    norway = load_profile("no")

    public = [contact.value for contact in norway.assistance.public_contacts]
    every = [contact.value for contact in norway.assistance.contacts]

    # Bufdir's guidance line is for professionals: the help page and the card leave it out.
    assert "466 15 000" in every
    assert public == ["02800"]


def test_profile_may_leave_out_the_police_and_the_guidance_line(finland: dict[str, Any]) -> None:
    assert "police" not in finland
    assert "guidance_line" not in finland["child_welfare"]

    assert parse_profile(finland, file_name="fi.toml").police is None


def set_value(path: str, value: object) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for parent in parents:
            data = data[parent]
        data[last] = value

    return mutate


def delete(path: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for parent in parents:
            data = data[parent]
        del data[last]

    return mutate


def set_contact(index: int, key: str, value: object) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data["assistance"]["contacts"][index][key] = value

    return mutate


def delete_contact_label(index: int, language: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        del data["assistance"]["contacts"][index]["label"][language]

    return mutate


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (delete("code"), "code is missing."),
        (delete("statistics"), "statistics is missing."),
        (set_value("emergency", "112"), "emergency must be a table, got '112'."),
        (
            set_value("emergency.numbr", "112"),
            "emergency.numbr is not a known key (known keys: number, sources).",
        ),
        (
            set_value("emergency.number", "11 2a"),
            "emergency.number is not a plausible phone number: '11 2a'. "
            "Use 3 to 15 digits and spaces, with an optional leading +.",
        ),
        (
            set_value("emergency.number", 112),
            "emergency.number must be non-empty text, got 112.",
        ),
        (
            set_value("police", {"non_emergency_number": "12", "sources": ["x"]}),
            "police.non_emergency_number is not a plausible phone number: '12'. "
            "Use 3 to 15 digits and spaces, with an optional leading +.",
        ),
        (
            set_value("country", "Finland"),
            "country must be an ISO 3166 alpha-2 code such as 'FI', got 'Finland'.",
        ),
        (
            set_value("ui_languages", ["fi", "de"]),
            "ui_languages has 'de', which is not an interface language (en, sv, fi, nb).",
        ),
        (
            set_value("ui_languages", []),
            "ui_languages must be a non-empty list of non-empty text, got [].",
        ),
        (
            set_value("default_language", "nb"),
            "default_language is 'nb', which is not in ui_languages (fi, sv, en).",
        ),
        (
            set_value("help_languages", ["fi", "Russian"]),
            "help_languages has 'Russian', which is not a language code.",
        ),
        (
            set_value("admission.services", ["municipality"]),
            "admission.services is only for procedure 'referral_to_services': with an admission "
            "decision, referrals go to the assistance system.",
        ),
        (
            set_value("quick_exit_url", "http://example.org/"),
            "quick_exit_url must be an https:// address of a site, got 'http://example.org/'.",
        ),
        (
            set_value("quick_exit_url", "javascript:alert(1)"),
            "quick_exit_url must be an https:// address of a site, got 'javascript:alert(1)'.",
        ),
        (
            lambda data: data["assistance"]["contacts"][0].update(audience="everyone"),
            "assistance.contacts[0].audience must be one of public, professionals, got 'everyone'.",
        ),
        (
            set_value("admission.procedure", "lottery"),
            "admission.procedure must be one of expert_decision, referral_to_services, "
            "got 'lottery'.",
        ),
        (
            set_value("admission.responsibility.cooperating", ["police"]),
            "admission.responsibility.cooperating has 'police'; each must be one of "
            "assistance_system, municipality, reception_centre.",
        ),
        (
            set_value("admission.appeal.days", "30"),
            "admission.appeal.days must be a positive whole number, got '30'.",
        ),
        (
            set_value("admission.appeal.days", 0),
            "admission.appeal.days must be a positive whole number, got 0.",
        ),
        (
            set_value("admission.appeal.court", "hallinto-oikeus"),
            "admission.appeal.court is not a known key (known keys: body, days, sources).",
        ),
        (delete("admission.appeal.body.nb"), "admission.appeal.body.nb is missing."),
        (delete("admission.appeal.sources"), "admission.appeal.sources is missing."),
        (
            set_value("admission.procedure", "referral_to_services"),
            "admission.appeal is only for procedure 'expert_decision': without an admission "
            "decision there is nothing to appeal.",
        ),
        (
            set_value("statistics.disclosure_threshold", 0),
            "statistics.disclosure_threshold must be a positive whole number, got 0.",
        ),
        (
            set_value("statistics.disclosure_threshold", True),
            "statistics.disclosure_threshold must be a positive whole number, got True.",
        ),
        (
            set_value("statistics.disclosure_threshold", "5"),
            "statistics.disclosure_threshold must be a positive whole number, got '5'.",
        ),
        (
            set_value("child_welfare.mandatory_report", "yes"),
            "child_welfare.mandatory_report must be true or false, got 'yes'.",
        ),
        (delete("child_welfare.description.nb"), "child_welfare.description.nb is missing."),
        (
            set_value("child_welfare.description.no", "Barnevernet"),
            "child_welfare.description.no is not a known key (known keys: en, sv, fi, nb).",
        ),
        (delete("child_welfare.sources"), "child_welfare.sources is missing."),
        (
            set_value("assistance.contacts", []),
            "assistance.contacts must be a non-empty list of tables, got [].",
        ),
        (delete_contact_label(1, "sv"), "assistance.contacts[1].label.sv is missing."),
        (
            set_contact(0, "kind", "fax"),
            "assistance.contacts[0].kind must be one of phone, email, got 'fax'.",
        ),
        (
            set_contact(0, "value", "call us"),
            "assistance.contacts[0].value is not a plausible phone number: 'call us'. "
            "Use 3 to 15 digits and spaces, with an optional leading +.",
        ),
        (
            set_contact(1, "value", "migri.fi"),
            "assistance.contacts[1].value is not a plausible e-mail address: 'migri.fi'.",
        ),
        (
            set_contact(0, "is_24h", 1),
            "assistance.contacts[0].is_24h must be true or false, got 1.",
        ),
    ],
)
def test_invalid_value_is_reported_with_the_file_and_the_exact_key(
    finland: dict[str, Any], mutate: Mutation, message: str
) -> None:
    assert error_for(finland, mutate) == f"Jurisdiction profile fi.toml: {message}"


def test_norway_routes_referrals_to_services_that_are_organisation_types() -> None:
    from trygg.accounts.models import Organisation

    norway = load_profile("no")

    assert norway.admission.services == (
        "municipality",
        "child_welfare",
        "police",
        "health_service",
    )
    # Every kind of receiving service is a kind of organisation Trygg knows.
    from trygg.jurisdictions.profiles import ReceivingService

    assert set(ReceivingService.values) <= set(Organisation.Type.values)
