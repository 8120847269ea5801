"""The decision letter: a real PDF in the person's language, read back with pdftotext.

The words that show the decision are this test's own list, per language, so that a translation
cannot pass by changing both the letter and the list.
"""

import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.test import Client

from trygg.accounts.models import Organisation, User
from trygg.audit.models import AuditEvent
from trygg.consent.models import Consent
from trygg.consent.services import GivenConsent
from trygg.jurisdictions.profiles import get_profile, load_profile
from trygg.lib import content
from trygg.public.tests.test_card import GIVEAWAYS, normalised, read_back
from trygg.referrals import letters, services
from trygg.referrals.models import Decision
from trygg.referrals.services import Needs, PersonDetails
from trygg.testing import log_in

pytestmark = pytest.mark.django_db

CANARY_NAME = "Canary Letterperson"
CANARY_PHONE = "+358 40 555 0123"
CIRCUMSTANCES = "Picked berries for a man called Exploiterson who kept the passport."
CONSENT = GivenConsent(
    given_by=Consent.GivenBy.PERSON,
    method=Consent.Method.ORAL,
    language="ru",
    interpreter=Consent.Interpreter.ON_SITE,
)
# The expert writes the reasons in a language of their choice: here Finnish for the Arabic
# letter, the person's own language for the others.
REASONS = {
    "ru": "Есть ясные признаки принудительного труда.\nЛичность подтверждена.",
    "ar": "Hakemuksessa ei ole riittäviä viitteitä.\nTarvittaessa uusi arvio.",
    "th": "มีข้อบ่งชี้ชัดเจน\nยืนยันตัวตนแล้ว",
    "en": "The information given does not show the signs the law requires.",
    "fi": "Annetut tiedot eivät täytä laissa säädettyjä edellytyksiä.",
}
# Words that show the decision, in the language's own words.
DECISION_WORDS = {
    "ru": {"admit": "Вы приняты", "not_admit": "Вы не приняты"},
    "ar": {"admit": "تم قبولك", "not_admit": "لم يتم قبولك"},
    "th": {"admit": "ได้รับการตอบรับ", "not_admit": "ไม่ได้รับการตอบรับ"},
}
# The day of the decision: its date holds no "30", so the appeal days are found on their own.
DECIDED_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def squeezed(text: str) -> str:
    """Text without spaces, line breaks and combining marks, for comparing with pdftotext's.

    pdftotext breaks lines where the letter does and may move a Thai vowel or an Arabic mark
    past the next letter; the letters themselves come out in order.
    """
    text = normalised(text)
    return "".join(
        char
        for char in text
        if not char.isspace() and not unicodedata.category(char).startswith("M")
    )


def word_boxes(pdf: bytes, tmp_path: Path) -> dict[str, tuple[float, float]]:
    """Each word of the first page with its left and right edge, in points (pdftotext -bbox)."""
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", "-l", "1", str(path), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    pattern = r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
    return {
        word: (float(left), float(right))
        for left, right, word in re.findall(pattern, result.stdout)
    }


def make_decision(
    referrer: User, caseworker: User, expert: User, outcome: str, language: str
) -> Decision:
    with time_machine.travel(DECIDED_AT, tick=False):
        draft = services.save_draft(
            actor=referrer,
            organisation=referrer.memberships.get().organisation,
            needs=Needs(forms=("labour",), language=language, interpreter_needed=True),
            details=PersonDetails(
                full_name=CANARY_NAME, phone=CANARY_PHONE, circumstances=CIRCUMSTANCES
            ),
        )
        referral = services.submit(actor=referrer, referral=draft, consent=CONSENT)
        services.take_into_triage(actor=caseworker, referral=referral)
        return services.decide(
            actor=expert,
            referral=referral,
            outcome=outcome,
            reasons=REASONS.get(language, REASONS["en"]),
            letter_language=language,
            client_consent=CONSENT if outcome == Decision.Outcome.ADMIT else None,
            home_municipality="no" if outcome == Decision.Outcome.ADMIT else "",
        )


Decide = Callable[[str, str], Decision]


@pytest.fixture
def decide(referrer: User, caseworker: User, expert: User, assistance_org: Organisation) -> Decide:
    """Make a decision (outcome, letter language) on a fresh referral, through the services."""

    def make(outcome: str, language: str) -> Decision:
        return make_decision(referrer, caseworker, expert, outcome, language)

    return make


def letter_path(decision: Decision) -> str:
    return f"/referrals/triage/{decision.referral.code}/decisions/{decision.code}/letter.pdf"


def fetch(user: User, decision: Decision) -> bytes:
    response = log_in(Client(), user).get(letter_path(decision))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="decision-{decision.referral.code}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    return pdf


@pytest.mark.parametrize(
    ("language", "outcome"),
    [("ru", "admit"), ("ar", "not_admit"), ("th", "admit"), ("th", "not_admit")],
)
def test_the_letter_gives_the_decision_the_reasons_the_appeal_and_the_reference(
    decide: Decide, caseworker: User, tmp_path: Path, language: str, outcome: str
) -> None:
    decision = decide(outcome, language)

    text = read_back(fetch(caseworker, decision), tmp_path)
    found = squeezed(text)

    assert squeezed(DECISION_WORDS[language][outcome]) in found
    if outcome == "admit":
        assert squeezed(DECISION_WORDS[language]["not_admit"]) not in found
    for line in REASONS[language].splitlines():
        assert squeezed(line) in found, line
    appeal = get_profile().admission.appeal
    assert appeal is not None
    assert str(appeal.days) in text
    assert decision.referral.code in text
    assert "2026-03-02" in text
    # In the person's own script, not only in Latin letters.
    script = {"ru": r"[\u0400-\u04FF]", "ar": r"[\u0600-\u06FF]", "th": r"[\u0E00-\u0E7F]"}
    assert len(re.findall(script[language], normalised(text))) > 200


def test_the_letter_names_nobody_and_tells_nothing_of_what_happened(
    decide: Decide, expert: User, tmp_path: Path
) -> None:
    decision = decide("admit", "ru")

    text = read_back(fetch(expert, decision), tmp_path)

    for secret in (CANARY_NAME, CANARY_PHONE, "Exploiterson", "berries", "passport"):
        assert normalised(secret) not in normalised(text)


def test_the_arabic_letter_runs_right_to_left(
    decide: Decide, caseworker: User, tmp_path: Path
) -> None:
    arabic = decide("not_admit", "ar")
    russian = decide("not_admit", "ru")

    arabic_words = word_boxes(fetch(caseworker, arabic), tmp_path)
    russian_words = word_boxes(fetch(caseworker, russian), tmp_path)

    # A4 is 595.3 points wide with margins of 22 mm (62.4 points): the reference, alone on its
    # line, sits against the right margin in Arabic and against the left one in Russian.
    left, right = arabic_words[arabic.referral.code]
    assert left > 400 and abs(right - (595.3 - 62.4)) < 1
    left, right = russian_words[russian.referral.code]
    assert abs(left - 62.4) < 1 and right < 200
    # pdftotext still reads Arabic letters from it.
    assert sum(bool(re.search(r"[\u0600-\u06FF]", word)) for word in arabic_words) > 20


@pytest.mark.parametrize(
    ("language", "days"),
    [("en", "within 30 days"), ("fi", "30 päivän kuluessa")],
)
def test_a_letter_of_non_admission_tells_how_to_appeal(
    decide: Decide, expert: User, tmp_path: Path, language: str, days: str
) -> None:
    decision = decide("not_admit", language)
    texts = content.get_content("letter", language, get_profile())

    found = squeezed(read_back(fetch(expert, decision), tmp_path))

    assert squeezed(texts["letter"]["not_admitted"]) in found
    assert squeezed(texts["letter"]["appeal_heading"]) in found
    assert squeezed(days) in found
    assert squeezed(texts["local"]["appeal_body"]) in found
    assert squeezed("+358 2954 63177") in found


def test_strangers_get_404_and_so_does_a_request_for_more_information(
    decide: Decide,
    referrer: User,
    partner: User,
    outsider: User,
    auditor: User,
    administrator: User,
    expert: User,
    caseworker: User,
) -> None:
    decision = decide("not_admit", "ru")
    path = letter_path(decision)

    # The referrer who sent the referral, too: they learn only the outcome, never the reasons.
    for stranger in (referrer, partner, outsider, auditor, administrator):
        assert log_in(Client(), stranger).get(path).status_code == 404, stranger.username
    assert Client().get(path).status_code == 302  # to the login page

    staff = log_in(Client(), caseworker)
    other = decide("not_admit", "ar")
    # A decision of another referral, under this referral's code.
    mixed = f"/referrals/triage/{decision.referral.code}/decisions/{other.code}/letter.pdf"
    assert staff.get(mixed).status_code == 404

    draft = services.save_draft(
        actor=referrer,
        organisation=referrer.memberships.get().organisation,
        needs=Needs(),
        details=PersonDetails(circumstances="x"),
        is_consultation=True,
    )
    received = services.submit(actor=referrer, referral=draft, consent=None)
    services.take_into_triage(actor=caseworker, referral=received)
    asked = services.decide(
        actor=expert,
        referral=received,
        outcome=Decision.Outcome.MORE_INFORMATION,
        reasons="Describe the working hours.",
        letter_language="ru",
    )
    assert staff.get(letter_path(asked)).status_code == 404


def test_making_a_letter_is_audited_with_its_language_and_no_name(
    decide: Decide, caseworker: User, tmp_path: Path
) -> None:
    decision = decide("admit", "th")
    before = AuditEvent.objects.count()

    fetch(caseworker, decision)

    events = list(AuditEvent.objects.order_by("seq")[before:])
    assert [event.action for event in events] == [
        "referral.reasons_viewed",
        "referral.letter_made",
    ]
    made = events[-1]
    assert made.person_code == decision.referral.code
    assert made.subject_code == decision.code
    assert made.actor_code == caseworker.code
    assert made.extra == {"status": "decided", "language": "th"}
    logged = repr(list(AuditEvent.objects.values_list("action", "extra")))
    for secret in (CANARY_NAME, CANARY_PHONE, "Exploiterson", *REASONS["th"].splitlines()):
        assert secret not in logged


def test_without_weasyprint_the_page_says_so_and_nothing_is_recorded_as_made(
    decide: Decide, caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    decision = decide("not_admit", "ru")
    # As on a machine without Pango: importing WeasyPrint fails.
    monkeypatch.setitem(sys.modules, "weasyprint", None)

    response = log_in(Client(), caseworker).get(letter_path(decision), follow=True)

    assert response.redirect_chain == [(f"/referrals/triage/{decision.referral.code}/", 302)]
    assert "The decision letter cannot be made" in response.content.decode()
    assert not AuditEvent.objects.filter(action="referral.letter_made").exists()


def test_the_referral_page_links_each_decided_letter(decide: Decide, expert: User) -> None:
    decision = decide("not_admit", "ar")

    page = log_in(Client(), expert).get(f"/referrals/triage/{decision.referral.code}/")

    html = page.content.decode()
    assert letter_path(decision) in html
    assert "العربية" in html


def test_every_finnish_help_language_has_a_letter_and_norway_none() -> None:
    # The decision form offers the help languages: each must be able to give a letter.
    finland = load_profile("fi")
    assert letters.letter_languages(finland) == content.offered_languages("help", finland)
    # Norway makes no admission decisions: no letter file has its table, nor its profile appeals.
    assert letters.letter_languages(load_profile("no")) == []


@pytest.mark.parametrize("language", sorted(GIVEAWAYS))
def test_no_letter_text_names_trafficking(language: str) -> None:
    # The person keeps the letter, perhaps where the exploiter can read it.
    texts = content.get_content("letter", language, load_profile("fi"))
    printed = " ".join([*texts["letter"].values(), *texts["local"].values()])
    for word in GIVEAWAYS[language]:
        assert normalised(word) not in normalised(printed), (language, word)


# The content files


@pytest.fixture
def letter_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the shipped letter files that a test may break."""
    shutil.copytree(content.CONTENT_DIR / "letter", tmp_path / "letter")
    monkeypatch.setattr(content, "CONTENT_DIR", tmp_path)
    content._load_file.cache_clear()
    yield tmp_path / "letter"
    content._load_file.cache_clear()


def break_file(directory: Path, language: str, old: str, new: str) -> None:
    path = directory / f"{language}.toml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not exactly once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("language", "old", "new", "message"),
    [
        (
            "ru",
            "в течение {appeal_days} дней",
            "в течение 30 дней",
            "Content file letter/ru.toml: letter.appeal must have the placeholders "
            "{appeal_body}, {appeal_days}, like the English file, but has {appeal_body}.",
        ),
        (
            "ar",
            'appeal_body = "المحكمة الإدارية"\n',
            "",
            "Content file letter/ar.toml: jurisdiction.fi lacks appeal_body "
            "(the English file has them).",
        ),
        (
            "th",
            'phone = "โทรศัพท์"\n',
            'phone = "โทรศัพท์"\nfax = "แฟกซ์"\n',
            "Content file letter/th.toml: letter has fax, which the English file does not have.",
        ),
    ],
)
def test_a_broken_letter_file_is_named_with_its_key(
    letter_dir: Path, language: str, old: str, new: str, message: str
) -> None:
    break_file(letter_dir, language, old, new)

    assert content.validate_all() == [message]


def test_a_letter_file_without_a_jurisdiction_is_refused(letter_dir: Path) -> None:
    path = letter_dir / "so.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("[jurisdiction.fi]")], encoding="utf-8")

    assert content.validate_all() == [
        "Content file letter/so.toml: there is no [jurisdiction.<code>] table."
    ]
