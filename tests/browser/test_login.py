"""Logging in through the real pages, in every interface language, and logging out."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from trygg.accounts.models import Membership

pytestmark = pytest.mark.browser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# One demo user per language, so that no two logins share a user's TOTP step.
LOGINS = [
    ("en", "demo-caseworker", "Demo Caseworker", Membership.Role.CASEWORKER),
    ("sv", "demo-expert", "Demo Expert", Membership.Role.EXPERT),
    ("fi", "demo-partner", "Demo Partner", Membership.Role.PARTNER),
    ("nb", "demo-statistician", "Demo Statistician", Membership.Role.STATISTICIAN),
]


def translate(language: str, message: str) -> str:
    with translation.override(language):
        return str(gettext(message))


def role_label(language: str, role: Membership.Role) -> str:
    with translation.override(language):
        return str(role.label)


def assert_png(path: Path) -> None:
    data = path.read_bytes()
    assert len(data) > len(PNG_SIGNATURE), f"{path} is empty"
    assert data.startswith(PNG_SIGNATURE), f"{path} is not a PNG file"


@pytest.mark.parametrize(
    ("language", "username", "full_name", "role"), LOGINS, ids=[row[0] for row in LOGINS]
)
def test_a_demo_user_logs_in_with_password_and_totp_and_reaches_the_start_page_in_their_language(
    page: Page,
    browser_log_in: Callable[[Page, object], None],
    submit_form,
    trygg_server,
    screenshot_dir: Path,
    language: str,
    username: str,
    full_name: str,
    role: Membership.Role,
) -> None:
    user = trygg_server.user(username)
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # Switch the language through the form in the page header, as a person would.
    page.get_by_label("Language").select_option(language)
    submit_form(page, page.locator("form.language-form button[type=submit]").click)
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    login_shot = screenshot_dir / f"{language}-login.png"
    page.screenshot(path=str(login_shot), full_page=True)
    login_heading = page.locator("main h1").inner_text()

    browser_log_in(page, user)
    expect(page.locator("html")).to_have_attribute("lang", language)
    home_shot = screenshot_dir / f"{language}-home.png"
    page.screenshot(path=str(home_shot), full_page=True)
    assert_png(login_shot)
    assert_png(home_shot)

    # The screenshots are taken first, so that a missing translation still leaves them.
    expected_login = translate(language, "Log in to Trygg")
    expected_welcome = translate(language, "Welcome, %(name)s") % {"name": full_name}
    expected_roles = translate(language, "Your roles")
    expected_role = role_label(language, role)
    assert login_heading == expected_login
    expect(page.locator("main h1")).to_have_text(expected_welcome)
    expect(page.locator("main h2").first).to_have_text(expected_roles)
    expect(page.locator("main .card h3")).to_have_text([expected_role])
    if language != "en":
        for message, translated in [
            ("Log in to Trygg", expected_login),
            ("Welcome, %(name)s", translate(language, "Welcome, %(name)s")),
            ("Your roles", expected_roles),
        ]:
            assert translated != message, f"{message!r} has no {language} translation"


def test_a_wrong_totp_code_is_refused_with_a_visible_error_and_the_user_stays_on_the_code_step(
    page: Page, trygg_server, submit_password, submit_code
) -> None:
    user = trygg_server.user("demo-auditor")
    page.goto("/accounts/login/")
    submit_password(page, user)

    submit_code(page, trygg_server.wrong_code(user))

    expect(page).to_have_url(re.compile(r"/accounts/login/verify/"))
    error = page.get_by_role("alert")
    expect(error).to_be_visible()
    expect(error).to_have_text("That code is not right, or it has expired. Try again.")
    expect(page.locator("#id_token")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("main h1")).to_have_text("Enter your code")


def test_logging_out_ends_the_session_so_the_start_page_asks_for_a_login_again(
    page: Page, trygg_server, browser_log_in, submit_form
) -> None:
    page.goto("/accounts/login/")
    browser_log_in(page, trygg_server.user("demo-referrer"))

    submit_form(page, page.get_by_role("button", name="Log out").click)

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("status")).to_have_text("You have logged out.")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("main h1")).to_have_text("Log in to Trygg")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
