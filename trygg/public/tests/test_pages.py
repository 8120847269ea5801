"""The public pages answer without login, store nothing, load nothing from elsewhere, weigh little.

The pages are requested through Django's test client, in both jurisdictions and every language
they are offered in. The browser tests (tests/browser/test_public.py) drive the same pages in
Chromium.
"""

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, override_settings

from trygg.jurisdictions.profiles import get_profile
from trygg.lib import content
from trygg.public.views import STEPS

pytestmark = pytest.mark.django_db

# The aim of the issue: under 100 KB for a public page with everything it loads (not the card).
PAGE_BUDGET = 100_000


@pytest.fixture(params=["fi", "no"])
def jurisdiction(request: pytest.FixtureRequest) -> Iterator[str]:
    with override_settings(TRYGG_JURISDICTION=request.param):
        yield request.param


def public_urls(code: str) -> list[str]:
    """Every public page of the jurisdiction, in every language it is offered in."""
    profile = get_profile()
    assert profile.code == code
    urls = []
    for language in content.offered_languages("help", profile):
        urls += [f"/help/{language}/", f"/help/{language}/card/"]
    for language in content.offered_languages("toolkit", profile):
        urls += [f"/toolkit/{language}/{step}/" for step in STEPS]
    return urls


class References(HTMLParser):
    """Collect every address a page refers to, with the tag and attribute it is in."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str, bool]] = []
        self.html_attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "html":
            self.html_attrs = names
        for name in ("href", "src", "action", "srcset", "poster", "data", "formaction"):
            if names.get(name):
                self.found.append((tag, name, names[name] or "", "data-quick-exit" in names))


def references(html: str) -> References:
    parser = References()
    parser.feed(html)
    return parser


def test_every_public_page_answers_without_login_and_sets_no_cookie(
    client: Client, jurisdiction: str, django_assert_num_queries
) -> None:
    urls = public_urls(jurisdiction)
    assert len(urls) > 30
    for url in urls:
        # Not even a query: the public side does not depend on the database.
        with django_assert_num_queries(0):
            response = client.get(url)
        assert response.status_code == 200, url
        assert response.cookies == {}, url
        assert "Set-Cookie" not in response.headers, url
        assert response.headers["Referrer-Policy"] == "no-referrer", url
        assert response.headers["Cache-Control"] == "no-store", url
    assert client.cookies == {}


def test_pages_carry_their_language_and_direction(client: Client, jurisdiction: str) -> None:
    profile = get_profile()
    for language in content.offered_languages("help", profile):
        page = references(client.get(f"/help/{language}/").content.decode())
        expected = "rtl" if language in {"ar", "fa"} else "ltr"
        assert page.html_attrs == {"lang": language, "dir": expected}


def test_no_public_page_refers_to_another_host(client: Client, jurisdiction: str) -> None:
    quick_exit_url = get_profile().quick_exit_url
    for url in public_urls(jurisdiction):
        html = client.get(url).content.decode()
        for tag, attribute, address, is_quick_exit in references(html).found:
            if is_quick_exit:
                # The one way out: a link (never a resource), to the profile's neutral site.
                assert (tag, attribute, address) == ("a", "href", quick_exit_url), url
                continue
            assert address.startswith(("/", "tel:", "mailto:", "#")) or address == "", (
                url,
                tag,
                attribute,
                address,
            )
    for static in ("trygg/public.css", "trygg/public.js"):
        text = Path(str(finders.find(static))).read_text(encoding="utf-8")
        assert not re.search(r"url\(|@import|https?://", text), static


def test_every_public_page_with_what_it_loads_stays_under_100_kb(
    client: Client, jurisdiction: str
) -> None:
    for url in public_urls(jurisdiction):
        response = client.get(url)
        weight = len(response.content)
        for tag, _attribute, address, _exit in references(response.content.decode()).found:
            if tag in {"link", "script", "img"} and address.startswith("/static/"):
                path = finders.find(address.removeprefix("/static/"))
                weight += len(Path(str(path)).read_bytes())
        assert weight < PAGE_BUDGET, (url, weight)


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("ar-EG,ar;q=0.9,en;q=0.5", "/help/ar/"),
        ("de-DE,de;q=0.9,ru;q=0.8", "/help/ru/"),
        ("nb-NO", "/help/nb/"),
        ("no", "/help/nb/"),
        ("de", "/help/fi/"),
        ("", "/help/fi/"),
    ],
)
def test_help_opens_in_the_browsers_language(
    client: Client, accept_language: str, expected: str
) -> None:
    response = client.get("/help/", HTTP_ACCEPT_LANGUAGE=accept_language)

    assert response.status_code == 302
    assert response["Location"] == expected
    assert response.cookies == {}


def test_the_toolkit_opens_in_an_interface_language_of_the_jurisdiction(client: Client) -> None:
    assert client.get("/toolkit/", HTTP_ACCEPT_LANGUAGE="sv-FI")["Location"] == "/toolkit/sv/"
    # Russian is a help language, not an interface language: the profile's default instead.
    assert client.get("/toolkit/", HTTP_ACCEPT_LANGUAGE="ru")["Location"] == "/toolkit/fi/"
    with override_settings(TRYGG_JURISDICTION="no"):
        assert client.get("/toolkit/", HTTP_ACCEPT_LANGUAGE="sv")["Location"] == "/toolkit/nb/"


@pytest.mark.parametrize(
    "url",
    ["/help/de/", "/help/xx/card/", "/toolkit/ru/", "/toolkit/en/verdict/", "/toolkit/sv/x/"],
)
def test_unknown_languages_and_steps_are_not_found(client: Client, url: str) -> None:
    assert client.get(url).status_code == 404


def test_public_pages_accept_only_get_and_head(client: Client) -> None:
    assert client.head("/help/en/").status_code == 200
    assert client.post("/help/en/").status_code == 405
    assert client.post("/toolkit/en/start/").status_code == 405


def test_an_unreviewed_translation_says_so_and_the_source_does_not(client: Client) -> None:
    arabic = client.get("/help/ar/").content.decode()
    english = client.get("/help/en/").content.decode()
    finland = get_profile()

    notice = content.get_content("help", "ar", finland).unreviewed_notice
    assert 'class="review-notice"' in arabic
    assert notice in arabic
    assert 'class="review-notice"' not in english


def test_the_help_page_gives_the_jurisdictions_numbers(client: Client) -> None:
    finnish = client.get("/help/en/").content.decode()
    assert 'href="tel:112"' in finnish
    assert 'href="tel:+358295463177"' in finnish
    assert "Help in Finland" in finnish

    with override_settings(TRYGG_JURISDICTION="no"):
        norwegian = client.get("/help/en/").content.decode()
    assert 'href="tel:112"' in norwegian
    assert 'href="tel:02800"' in norwegian
    assert "Help in Norway" in norwegian
    # The guidance line is for professionals; Finland's number is not Norway's.
    assert "466 15 000" not in norwegian
    assert "2954 63177" not in norwegian
    # No number in Norway's profile answers round the clock: the page must not claim one does.
    assert "These numbers answer day and night" not in norwegian


def test_the_toolkit_follows_the_jurisdiction(client: Client) -> None:
    finnish_danger = client.get("/toolkit/en/danger/").content.decode()
    finnish_minor = client.get("/toolkit/en/minor/").content.decode()
    with override_settings(TRYGG_JURISDICTION="no"):
        norwegian_danger = client.get("/toolkit/en/danger/").content.decode()
        norwegian_minor = client.get("/toolkit/nb/minor/").content.decode()

    assert 'href="tel:112"' in finnish_danger
    assert "tel:02800" not in finnish_danger
    assert 'href="tel:02800"' in norwegian_danger
    assert "child welfare notification" in finnish_minor
    assert "You have a legal duty to report to child welfare" in finnish_minor
    assert "466 15 000" not in finnish_minor
    assert "barnevernet" in norwegian_minor
    assert 'href="tel:46615000"' in norwegian_minor


def test_indicators_are_a_guide_and_never_a_score(client: Client) -> None:
    page = client.get("/toolkit/en/indicators/").content.decode()

    for group in content.get_content("toolkit", "en", get_profile())["indicators"]["groups"]:
        assert group["name"] in page
    assert "not a test, a score or a verdict" in page
    # Nothing to tick or count: the page has no form at all.
    assert "<form" not in page
    assert "<input" not in page
