"""A case worker registers a person and reveals their identity, in Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SUBMIT = "main form.stacked button[type=submit]"


def test_case_worker_registers_a_person_and_reveals_the_identity_after_confirming(
    page: Page, trygg_server, browser_log_in, submit_form, screenshot_dir, axe_violations
) -> None:
    user = trygg_server.user("demo-caseworker")
    page.goto("/accounts/login/")
    browser_log_in(page, user)

    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Client register"
    ).click()
    page.get_by_role("link", name="Register a person").click()
    found = axe_violations(page)
    page.get_by_label("Full name").fill("Browser Testperson")
    page.get_by_label("Birth date").fill("1991-03-04")
    page.get_by_label("Phone number").fill("+358 40 555 0101")
    submit_form(page, page.locator(SUBMIT).click)

    # The coded record: a code in the URL and the heading, the identity hidden.
    expect(page).to_have_url(re.compile(r"/clients/[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/$"))
    code = page.url.rstrip("/").rsplit("/", 1)[1]
    expect(page.locator("main h1")).to_have_text(code)
    expect(page.locator("main")).not_to_contain_text("Browser Testperson")
    found += axe_violations(page)

    # Showing the identity asks for the password and a new code first.
    submit_form(page, page.get_by_role("button", name="Show identity").click)
    expect(page).to_have_url(re.compile(r"/accounts/sudo/"))
    page.get_by_label("Password").fill(user.password)
    page.locator("#id_token").fill(trygg_server.fresh_code(user))
    submit_form(page, page.locator(SUBMIT).click)
    expect(page).to_have_url(re.compile(rf"/clients/{code}/$"))
    submit_form(page, page.get_by_role("button", name="Show identity").click)
    expect(page.locator("#identity")).to_contain_text("Browser Testperson")
    expect(page.locator("#identity")).to_contain_text("1991-03-04")
    page.screenshot(path=str(screenshot_dir / "en-identity.png"), full_page=True)
    found += axe_violations(page)

    # Found again by phone number, spelled differently; the search never enters the URL.
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Client register"
    ).click()
    page.get_by_label("Phone number").fill("+35840 5550101")
    submit_form(page, page.get_by_role("button", name="Find").click)
    expect(page.locator("#results")).to_contain_text(code)
    assert "555" not in page.url
    found += axe_violations(page)
    assert found == [], "\n".join(found)
