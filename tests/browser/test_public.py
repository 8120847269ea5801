"""The public pages in a real browser: the toolkit, the quick exit, right to left, the help card.

Two servers: `trygg_server` with the Finnish profile and `trygg_server_no` with the Norwegian.
The test machine has no internet, so the neutral site the quick exit leads to is answered by
the browser itself (page.route), never fetched.
"""

import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, ViewportSize, expect

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "trygg" / "content"
PROFILES = REPO / "trygg" / "jurisdictions" / "profile_data"
NEUTRAL_PAGE = "<!doctype html><html lang='en'><title>Weather</title><h1>Weather</h1></html>"
TOOLKIT_STEPS = [
    "danger",
    "age",
    "minor",
    "indicators",
    "conversation",
    "holding",
    "outcomes",
    "strengthened",
    "reduced",
    "declined",
    "accepted",
]
OUTCOMES = ["strengthened", "reduced", "declined", "accepted"]


class TryggServer(Protocol):
    """What these tests use of conftest.TryggServer."""

    url: str


def _toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        return tomllib.load(file)


HELP_EN = _toml(CONTENT / "help" / "en.toml")
TOOLKIT_EN = _toml(CONTENT / "toolkit" / "en.toml")


@dataclass(frozen=True)
class Jurisdiction:
    fixture: str
    code: str
    quick_exit_url: str
    # The tel: links on the acute danger page: the emergency number, and the police in Norway.
    danger_phones: list[str]
    guidance_line: str | None

    @property
    def profile(self) -> dict[str, Any]:
        return _toml(PROFILES / f"{self.code}.toml")

    def server(self, request: pytest.FixtureRequest) -> TryggServer:
        server: TryggServer = request.getfixturevalue(self.fixture)
        return server


FINLAND = Jurisdiction(
    fixture="trygg_server",
    code="fi",
    quick_exit_url="https://www.ilmatieteenlaitos.fi/",
    danger_phones=["tel:112"],
    guidance_line=None,
)
NORWAY = Jurisdiction(
    fixture="trygg_server_no",
    code="no",
    quick_exit_url="https://www.yr.no/",
    danger_phones=["tel:112", "tel:02800"],
    guidance_line="466 15 000",
)
JURISDICTIONS = pytest.mark.parametrize("place", [FINLAND, NORWAY], ids=["fi", "no"])


def answer_neutral_site(target: Page | BrowserContext, url: str) -> None:
    """Serve a tiny page for the neutral site: the test machine cannot reach it."""

    def fulfil(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=NEUTRAL_PAGE)

    target.route(url + "**", fulfil)


def click_link(page: Page, name: str) -> None:
    page.get_by_role("link", name=name, exact=True).click()


def tel_links(page: Page) -> list[str]:
    return [
        href
        for href in page.locator("main a[href^='tel:']").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        )
        if href
    ]


# a. The toolkit, clicked through as a professional would


@JURISDICTIONS
def test_toolkit_flow_shows_the_numbers_of_the_profile(
    page: Page, request: pytest.FixtureRequest, place: Jurisdiction
) -> None:
    server = place.server(request)
    heading = page.locator("main h1")
    page.goto(server.url + "/toolkit/en/")
    expect(heading).to_have_text(TOOLKIT_EN["start"]["heading"])
    expect(page.locator("a[data-quick-exit]")).to_have_attribute("href", place.quick_exit_url)

    # "No" twice: past the acute danger and the minor pages, straight to the signs.
    click_link(page, "No")
    expect(page).to_have_url(server.url + "/toolkit/en/age/")
    expect(heading).to_have_text(TOOLKIT_EN["age"]["heading"])
    click_link(page, "No")
    expect(page).to_have_url(server.url + "/toolkit/en/indicators/")
    expect(heading).to_have_text(TOOLKIT_EN["indicators"]["heading"])
    click_link(page, "Start again")
    expect(page).to_have_url(server.url + "/toolkit/en/")

    # "Yes" to acute danger: the emergency number, and in Norway the police.
    click_link(page, "Yes")
    expect(page).to_have_url(server.url + "/toolkit/en/danger/")
    expect(heading).to_have_text(TOOLKIT_EN["danger"]["heading"])
    expect(page.locator("main .emergency")).to_contain_text("112")
    expect(page.get_by_role("link", name="112", exact=True)).to_be_visible()
    assert tel_links(page) == place.danger_phones
    police = page.get_by_text("contact the police on")
    if place.code == "no":
        expect(police).to_be_visible()
        expect(page.get_by_role("link", name="02800", exact=True)).to_be_visible()
    else:
        expect(police).to_have_count(0)
        expect(page.locator("main")).not_to_contain_text("02800")

    # "Yes" to under 18: the child welfare text of the profile, and Norway's guidance line.
    click_link(page, "Continue")
    expect(heading).to_have_text(TOOLKIT_EN["age"]["heading"])
    click_link(page, "Yes")
    expect(page).to_have_url(server.url + "/toolkit/en/minor/")
    expect(heading).to_have_text(TOOLKIT_EN["minor"]["heading"])
    child_welfare = page.locator("main .child-welfare")
    expect(child_welfare).to_contain_text(place.profile["child_welfare"]["description"]["en"])
    expect(child_welfare).to_contain_text(TOOLKIT_EN["minor"]["duty"])
    if place.guidance_line:
        expect(page.get_by_role("link", name=place.guidance_line, exact=True)).to_be_visible()
        assert tel_links(page) == ["tel:" + place.guidance_line.replace(" ", "")]
    else:
        expect(page.get_by_text("For advice on a suspected child victim")).to_have_count(0)
        assert tel_links(page) == []

    for step, link in [
        ("indicators", "Continue"),
        ("conversation", "Continue"),
        ("holding", "Continue"),
        ("outcomes", "Go to the possible outcomes"),
    ]:
        click_link(page, link)
        expect(page).to_have_url(f"{server.url}/toolkit/en/{step}/")
        expect(heading).to_have_text(TOOLKIT_EN[step]["heading"])

    # Each outcome from the outcomes page, and back.
    for outcome in OUTCOMES:
        click_link(page, TOOLKIT_EN["outcomes"][outcome])
        expect(page).to_have_url(f"{server.url}/toolkit/en/{outcome}/")
        expect(heading).to_have_text(TOOLKIT_EN[f"outcome_{outcome}"]["heading"])
        if outcome == "accepted":
            if place.code == "fi":
                expect(page.get_by_role("link", name="+358 2954 63177", exact=True)).to_be_visible()
                assert "tel:+358295463177" in tel_links(page)
            else:
                expect(page.get_by_role("link", name="02800", exact=True)).to_be_visible()
                expect(page.locator("main")).not_to_contain_text("+358 2954 63177")
        click_link(page, "Back to the previous step")
        expect(page).to_have_url(server.url + "/toolkit/en/outcomes/")


# b. Quick exit


def assert_back_cannot_return_to_public_pages(
    page: Page, server: TryggServer, neutral_url: str, length_before: int
) -> None:
    """On the neutral site: the history holds it and what came before, no public page."""
    expect(page).to_have_url(neutral_url)
    expect(page.get_by_role("heading", name="Weather")).to_be_visible()
    # Every public page was replaced in turn: one entry was added in all.
    assert page.evaluate("history.length") == length_before + 1
    seen = []
    for _ in range(3):
        page.go_back()
        seen.append(page.url)
    assert all(not url.startswith(server.url) for url in seen), f"Back went to {seen}"
    assert not any("/help/" in url or "/toolkit/" in url for url in seen), seen
    assert page.url == "about:blank"
    page.go_forward()
    expect(page).to_have_url(neutral_url)


def test_escape_leaves_for_the_neutral_site_and_back_cannot_return(
    page: Page, trygg_server: TryggServer
) -> None:
    answer_neutral_site(page, FINLAND.quick_exit_url)
    page.goto("about:blank")
    length_before = page.evaluate("history.length")
    page.goto(trygg_server.url + "/help/en/")
    click_link(page, HELP_EN["ui"]["card_link"])
    expect(page).to_have_url(trygg_server.url + "/help/en/card/")
    expect(page.locator("main h1")).to_have_text(HELP_EN["card"]["form_heading"])

    page.keyboard.press("Escape")
    assert_back_cannot_return_to_public_pages(
        page, trygg_server, FINLAND.quick_exit_url, length_before
    )


@JURISDICTIONS
def test_quick_exit_button_in_the_toolkit_leaves_for_the_neutral_site(
    page: Page, request: pytest.FixtureRequest, place: Jurisdiction
) -> None:
    server = place.server(request)
    answer_neutral_site(page, place.quick_exit_url)
    page.goto("about:blank")
    length_before = page.evaluate("history.length")
    page.goto(server.url + "/toolkit/en/")
    click_link(page, "Yes")
    expect(page).to_have_url(server.url + "/toolkit/en/danger/")
    click_link(page, "Continue")
    expect(page).to_have_url(server.url + "/toolkit/en/age/")

    page.locator("a[data-quick-exit]").click()
    assert_back_cannot_return_to_public_pages(page, server, place.quick_exit_url, length_before)


@pytest.fixture
def page_without_javascript(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_quick_exit_link_works_without_javascript(
    page_without_javascript: Page, trygg_server: TryggServer
) -> None:
    page = page_without_javascript
    answer_neutral_site(page, FINLAND.quick_exit_url)
    for path in ["/help/en/", "/toolkit/en/"]:
        page.goto(trygg_server.url + path)
        exit_link = page.get_by_role("link", name=HELP_EN["ui"]["quick_exit"], exact=True)
        expect(exit_link).to_have_attribute("href", FINLAND.quick_exit_url)
        exit_link.click()
        expect(page).to_have_url(FINLAND.quick_exit_url)
        expect(page.get_by_role("heading", name="Weather")).to_be_visible()


# c. Right to left

HEADING_AND_EXIT = """() => {
  const heading = document.querySelector("main h1");
  const range = document.createRange();
  range.selectNodeContents(heading);
  const text = range.getBoundingClientRect();
  const exit = document.querySelector("header a[data-quick-exit]").getBoundingClientRect();
  return {
    width: document.documentElement.clientWidth,
    textLeft: text.left, textRight: text.right,
    exitLeft: exit.left, exitRight: exit.right,
  };
}"""
# Narrow enough that the text column spans the window, as on a tablet or a large phone.
NARROW: ViewportSize = {"width": 600, "height": 900}
NEAR = 32  # px: the page's side padding is 16


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_right_to_left_help_page_starts_at_the_right(
    page: Page, trygg_server: TryggServer, screenshot_dir: Path, language: str
) -> None:
    page.set_viewport_size(NARROW)
    page.goto(f"{trygg_server.url}/help/{language}/")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", language)
    expect(page.locator("main h1")).to_be_visible()

    box = page.evaluate(HEADING_AND_EXIT)
    width = box["width"]
    assert box["textRight"] >= width - NEAR, box
    assert box["textLeft"] >= width / 4, f"the heading's text starts at the left: {box}"
    assert box["exitRight"] >= width - NEAR, f"the quick exit is not at the right: {box}"
    assert box["exitLeft"] >= width / 2, f"the quick exit is not at the right: {box}"

    screenshot = screenshot_dir / f"help-{language}-rtl.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 0


def test_left_to_right_help_page_starts_at_the_left(page: Page, trygg_server: TryggServer) -> None:
    """The control for the test above: the same measure finds English on the left."""
    page.set_viewport_size(NARROW)
    page.goto(trygg_server.url + "/help/en/")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    box = page.evaluate(HEADING_AND_EXIT)
    width = box["width"]
    assert box["textLeft"] <= NEAR, box
    assert box["textRight"] <= width * 3 / 4, box
    assert box["exitLeft"] <= NEAR, box
    assert box["exitRight"] <= width / 2, box


# d. Accessibility

FINNISH_PAGES = [
    "/help/en/",
    "/help/ar/",
    "/help/th/",
    "/help/en/card/",
    "/toolkit/en/",
    *(f"/toolkit/en/{step}/" for step in TOOLKIT_STEPS),
]
NORWEGIAN_PAGES = ["/toolkit/nb/", *(f"/toolkit/nb/{step}/" for step in TOOLKIT_STEPS)]


@pytest.fixture
def axe_page(browser: Browser) -> Iterator[Page]:
    """axe-core is put into the page by the test: the context lets that one script past the CSP."""
    context = browser.new_context(bypass_csp=True, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.parametrize(
    ("place", "path"),
    [(FINLAND, path) for path in FINNISH_PAGES] + [(NORWAY, path) for path in NORWEGIAN_PAGES],
    ids=[f"fi{path}" for path in FINNISH_PAGES] + [f"no{path}" for path in NORWEGIAN_PAGES],
)
def test_public_page_has_no_serious_accessibility_violations(
    axe_page: Page,
    axe_violations: Callable[[Page], list[str]],
    request: pytest.FixtureRequest,
    place: Jurisdiction,
    path: str,
) -> None:
    response = axe_page.goto(place.server(request).url + path)
    assert response is not None and response.status == 200
    expect(axe_page.locator("main h1")).to_be_visible()
    found = axe_violations(axe_page)
    assert found == [], "\n".join(found)


# e. Nothing from other hosts, no cookie


@JURISDICTIONS
def test_public_pages_request_only_their_own_server_and_set_no_cookie(
    page: Page, context: BrowserContext, request: pytest.FixtureRequest, place: Jurisdiction
) -> None:
    server = place.server(request)
    requested: list[str] = []
    page.on("request", lambda sent: requested.append(sent.url))

    # The language redirects, by the browser's language (en-GB).
    page.goto(server.url + "/help/")
    expect(page).to_have_url(server.url + "/help/en/")
    page.goto(server.url + "/toolkit/")
    expect(page).to_have_url(server.url + "/toolkit/en/")

    pages = FINNISH_PAGES if place.code == "fi" else [*NORWEGIAN_PAGES, "/help/en/", "/help/nb/"]
    visited = []
    for path in pages:
        response = page.goto(server.url + path)
        assert response is not None and response.status == 200, path
        expect(page.locator("main h1")).to_be_visible()
        visited.append(path)

    assert visited == pages
    assert any("/static/trygg/public.js" in url for url in requested), "public.js was not loaded"
    assert any("/static/trygg/public.css" in url for url in requested), "public.css not loaded"
    foreign = [url for url in requested if not url.startswith(server.url + "/")]
    assert foreign == [], f"requests to other hosts: {foreign}"
    assert context.cookies() == []


# f. The help card


def test_help_card_form_downloads_a_two_language_pdf(
    page: Page, context: BrowserContext, trygg_server: TryggServer
) -> None:
    card = HELP_EN["card"]
    page.goto(trygg_server.url + "/help/en/card/")
    page.get_by_label(card["first_language"]).select_option("ar")
    page.get_by_label(card["second_language"]).select_option("en")
    with page.expect_download() as download_info:
        page.get_by_role("button", name=card["download"]).click()
    download = download_info.value

    assert download.failure() is None
    assert download.suggested_filename == "card.pdf"
    # The address holds the two language codes and nothing else.
    parts = urlsplit(download.url)
    assert parts.path == "/help/en/card/"
    assert parse_qsl(parts.query) == [("front", "ar"), ("back", "en")]
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    # The form stays on the page; nothing was stored.
    expect(page).to_have_url(trygg_server.url + "/help/en/card/")
    assert context.cookies() == []
