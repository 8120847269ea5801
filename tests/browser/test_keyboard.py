"""The login works with the keyboard alone."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_the_login_page_works_with_the_keyboard_alone_starting_at_the_skip_link(
    page: Page, trygg_server, submit_form
) -> None:
    user = trygg_server.user("demo-auditor")
    page.goto("/accounts/login/")

    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    expect(skip_link).to_have_text("Skip to main content")

    # The skip link moves the focus into the main content: the next stop is the user name.
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#id_username")).to_be_focused()
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(user.password)
    submit_form(page, lambda: page.keyboard.press("Enter"))

    expect(page).to_have_url(re.compile(r"/accounts/login/verify/"))
    expect(page.locator("main h1")).to_have_text("Enter your code")
