"""Pages load nothing from other hosts and break no rule of the Content Security Policy."""

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

pytestmark = pytest.mark.browser

# Collects the CSP violations that any page reports, across navigations.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def test_pages_load_nothing_from_other_hosts_and_break_no_content_security_policy_rule(
    page: Page, trygg_server, browser_log_in, submit_form
) -> None:
    requested: list[str] = []
    console_errors: list[str] = []
    page_errors: list[str] = []
    violations: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            console_errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.expose_function("reportCspViolation", lambda text: violations.append(text))
    page.add_init_script(REPORT_CSP_VIOLATIONS)

    page.goto("/accounts/login/")
    page.get_by_label("Language").select_option("sv")
    submit_form(page, page.locator("form.language-form button[type=submit]").click)
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    page.locator("#language-select").select_option("en")
    submit_form(page, page.locator("form.language-form button[type=submit]").click)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    browser_log_in(page, trygg_server.user("demo-admin"))
    # Every page in the main menu of an administrator.
    menu = page.get_by_role("navigation", name="Main menu").get_by_role("link")
    expect(menu).not_to_have_count(0)
    for index in range(menu.count()):
        menu.nth(index).click()
        page.wait_for_load_state("load")
        expect(page.locator("main h1")).to_be_visible()

    assert requested, "no request was seen"
    origin = trygg_server.url + "/"
    foreign = [url for url in requested if not url.startswith(origin)]
    assert foreign == [], f"requests to other hosts: {foreign}"
    assert any("/static/" in url for url in requested), "the style sheet was not loaded"
    assert violations == [], f"Content Security Policy violations: {violations}"
    csp_errors = [text for text in console_errors if "Content Security Policy" in text]
    assert csp_errors == []
    assert page_errors == [], f"uncaught script errors: {page_errors}"
