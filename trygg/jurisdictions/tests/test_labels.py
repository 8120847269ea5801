from django.utils import translation

from trygg.jurisdictions.profiles import load_profile


def test_contact_label_is_in_the_active_language() -> None:
    phone = load_profile("fi").assistance.contacts[0]

    with translation.override("sv"):
        assert phone.get_label() == phone.label.texts["sv"]
        assert str(phone.label) == phone.label.texts["sv"]


def test_contact_label_falls_back_to_english_for_other_languages() -> None:
    profile = load_profile("no")
    police = profile.assistance.contacts[0]

    assert police.get_label("de") == police.label.texts["en"]
    assert profile.label(police, "nb") == police.label.texts["nb"]
    assert (
        profile.label(profile.child_welfare.description, "fi-fi")
        == (profile.child_welfare.description.texts["fi"])
    )


def test_contact_links_dial_the_number_without_spaces() -> None:
    phone, email = load_profile("fi").assistance.contacts

    assert phone.href == "tel:+358295463177"
    assert email.href == "mailto:ihmiskauppa.auttamisjarjestelma@migri.fi"
