"""Automated accessibility check (axe-core, WCAG 2.2 A and AA rules) of the staff pages.

axe-core comes from the npm registry (package.json; `make test` installs it) and is loaded
into each page by the test, never served by Trygg. The browser context bypasses the Content
Security Policy for that one script only; the policy itself is tested in test_resources.py.
"""

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser


@pytest.fixture
def axe_page(browser: Browser, base_url: str) -> Page:
    context = browser.new_context(base_url=base_url, bypass_csp=True, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_staff_pages_have_no_serious_accessibility_violations(
    axe_page: Page, axe_violations, trygg_server, browser_log_in
) -> None:
    page = axe_page
    found: list[str] = []
    for language in ["en", "fi"]:
        page.goto("/accounts/login/")
        page.locator("#language-select").select_option(language)
        page.locator("form.language-form button[type=submit]").click()
        expect(page.locator("html")).to_have_attribute("lang", language)
        found += axe_violations(page)
    page.locator("#language-select").select_option("en")
    page.locator("form.language-form button[type=submit]").click()
    browser_log_in(page, trygg_server.user("demo-admin"))
    found += axe_violations(page)
    for path in ["/manage/users/", "/manage/organisations/", "/accounts/", "/accounts/sudo/"]:
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        found += axe_violations(page)
    page.goto("/manage/users/")
    page.locator("main table a").first.click()
    expect(page.locator("main h1")).to_be_visible()
    found += axe_violations(page)
    assert found == [], "\n".join(found)
