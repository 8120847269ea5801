from typing import Any

import pytest
from django.test import override_settings

from trygg.jurisdictions.profiles import (
    AdmissionProcedure,
    Contact,
    ContactKind,
    ResponsibleParty,
    available_profiles,
    get_profile,
    load_profile,
)


def test_finland_and_norway_are_shipped() -> None:
    assert available_profiles() == ["fi", "no"]


@pytest.mark.parametrize("code", available_profiles())
def test_every_shipped_profile_loads_and_names_a_source_for_each_fact(code: str) -> None:
    profile = load_profile(code)

    assert profile.code == code
    assert profile.default_language in profile.ui_languages
    contacts: list[Contact] = [*profile.assistance.contacts]
    if profile.child_welfare.guidance_line:
        contacts.append(profile.child_welfare.guidance_line)
    sourced: list[Any] = [
        profile.emergency,
        profile.assistance,
        profile.child_welfare,
        profile.admission,
        *([profile.admission.appeal] if profile.admission.appeal else []),
        profile.statistics,
        *contacts,
    ]
    assert all(fact.sources for fact in sourced)


def test_finland_gives_112_and_the_assistance_system_day_and_night() -> None:
    profile = load_profile("fi")

    assert (profile.name, profile.country) == ("Finland", "FI")
    assert (profile.default_language, profile.ui_languages) == ("fi", ("fi", "sv", "en"))
    assert profile.emergency.number == "112"
    assert profile.police is None
    phone, email = profile.assistance.contacts
    assert (phone.kind, phone.value, phone.is_24h) == (ContactKind.PHONE, "+358 2954 63177", True)
    assert (email.kind, email.value) == (
        ContactKind.EMAIL,
        "ihmiskauppa.auttamisjarjestelma@migri.fi",
    )
    assert profile.assistance.contacts_24h == (phone,)
    assert profile.assistance.name is not None


def test_finland_has_experts_decide_admission_and_routes_services_by_home_municipality() -> None:
    admission = load_profile("fi").admission

    assert admission.procedure == AdmissionProcedure.EXPERT_DECISION
    assert admission.responsibility is not None
    assert admission.responsibility.first_referral_to == ResponsibleParty.ASSISTANCE_SYSTEM
    assert admission.responsibility.with_home_municipality == ResponsibleParty.MUNICIPALITY
    assert admission.responsibility.without_home_municipality == (
        ResponsibleParty.ASSISTANCE_SYSTEM
    )
    assert admission.responsibility.cooperating == (ResponsibleParty.RECEPTION_CENTRE,)


def test_finland_gives_thirty_days_to_appeal_to_the_administrative_court() -> None:
    appeal = load_profile("fi").admission.appeal

    assert appeal is not None
    assert appeal.days == 30
    assert appeal.body.get("fi") == "hallinto-oikeus"
    assert appeal.body.get("en") == "the administrative court"
    assert any("808/2019" in source for source in appeal.sources)
    assert any("746/2011" in source for source in appeal.sources)


def test_finland_requires_a_child_welfare_report_and_hides_groups_under_five() -> None:
    profile = load_profile("fi")

    assert profile.child_welfare.mandatory_report is True
    assert profile.child_welfare.guidance_line is None
    assert profile.statistics.disclosure_threshold == 5
    assert profile.statistics.reports_per_year == 2


def test_norway_gives_112_the_police_on_02800_and_bufdirs_line_for_minors() -> None:
    profile = load_profile("no")

    assert (profile.name, profile.country) == ("Norway", "NO")
    assert (profile.default_language, profile.ui_languages) == ("nb", ("nb", "en"))
    assert profile.emergency.number == "112"
    assert profile.police is not None
    assert profile.police.non_emergency_number == "02800"
    assert [(c.value, c.is_24h) for c in profile.assistance.contacts] == [
        ("02800", False),
        ("466 15 000", False),
    ]
    assert profile.assistance.name is None


def test_norway_makes_reporting_to_child_welfare_mandatory_and_refers_without_admission() -> None:
    profile = load_profile("no")

    assert profile.child_welfare.mandatory_report is True
    assert profile.child_welfare.guidance_line is not None
    assert profile.child_welfare.guidance_line.value == "466 15 000"
    assert profile.admission.procedure == AdmissionProcedure.REFERRAL_TO_SERVICES
    assert profile.admission.responsibility is None
    assert profile.admission.appeal is None
    assert profile.statistics.disclosure_threshold == 5


@override_settings(TRYGG_JURISDICTION="fi")
def test_deployment_profile_follows_the_setting() -> None:
    assert get_profile().code == "fi"

    with override_settings(TRYGG_JURISDICTION="no"):
        assert get_profile().code == "no"

    assert get_profile().code == "fi"
