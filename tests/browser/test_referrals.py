"""From a partner's referral to an expert's admission decision, in Chromium.

Three people, three browsers: the referrer sends a referral with the person's consent (on a
phone-sized screen), a case worker takes it into triage, an expert admits the person, and the
referrer learns only that the person was admitted.
"""

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

SUBMIT_SEND = "main form button[value=send]"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def pages(browser: Browser, trygg_server) -> Iterator[Callable[..., Page]]:
    """A fresh browser (its own cookies) per person, each logged in."""
    contexts = []

    def open_as(
        username: str, browser_log_in: Callable[[Page, object], None], **options: object
    ) -> Page:
        context = browser.new_context(base_url=trygg_server.url, locale="en-GB", **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto("/accounts/login/")
        browser_log_in(page, trygg_server.user(username))
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_a_referral_goes_from_the_referrer_to_an_admission_decision(
    pages, browser_log_in, submit_form, axe_violations, screenshot_dir
) -> None:
    # The referrer, on a phone.
    referrer = pages("demo-referrer", browser_log_in, viewport=PHONE, is_mobile=True)
    referrer.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="My referrals"
    ).click()
    referrer.get_by_role("link", name="New referral").click()
    found = axe_violations(referrer)
    wide = referrer.evaluate("document.scrollingElement.scrollWidth > window.innerWidth")
    assert not wide, "the referral form scrolls sideways on a phone"

    referrer.get_by_label("Yes: the person agrees that their details are sent").check()
    referrer.get_by_label("Who gave the consent").select_option("person")
    referrer.get_by_label("How the consent was given").select_option("oral")
    referrer.get_by_label("Language the person was informed in").fill("ru")
    referrer.locator("#id_consent_interpreter").select_option("remote")
    referrer.get_by_label("Full name").fill("Browser Referralperson")
    referrer.get_by_label("Birth date").fill("1993-05-06")
    referrer.get_by_label("The person needs a safe place to stay tonight").check()
    referrer.get_by_label("Minor children to include").fill("1")
    referrer.get_by_label("The children: first names and ages").fill("Browser Child, 7")
    referrer.get_by_label("Forced labour or labour exploitation").check()
    referrer.get_by_label("What is known of the situation").fill("Works nights without pay.")
    referrer.screenshot(path=str(screenshot_dir / "referral-form-phone.png"), full_page=True)
    submit_form(referrer, referrer.locator(SUBMIT_SEND).click)

    expect(referrer).to_have_url(
        re.compile(r"/referrals/[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/$")
    )
    code = referrer.url.rstrip("/").rsplit("/", 1)[1]
    expect(referrer.locator(".referral-status")).to_have_text("Received")
    assert "Referralperson" not in referrer.url

    # A case worker: the queue, the referral, triage.
    caseworker = pages("demo-caseworker", browser_log_in)
    caseworker.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Triage queue"
    ).click()
    row = caseworker.locator("tr", has_text=code)
    expect(row).to_contain_text("Urgent")
    found += axe_violations(caseworker)
    # Nobody has taken it yet: it is among the unassigned, not among the case worker's own.
    caseworker.get_by_label("Show").select_option("unassigned")
    caseworker.get_by_role("button", name="Show").click()
    expect(caseworker).to_have_url(re.compile(r"show=unassigned"))
    expect(row).to_contain_text("Not assigned")
    caseworker.get_by_label("Show").select_option("mine")
    caseworker.get_by_role("button", name="Show").click()
    expect(caseworker).to_have_url(re.compile(r"show=mine"))
    expect(row).to_have_count(0)
    caseworker.get_by_label("Show").select_option("all")
    caseworker.get_by_role("button", name="Show").click()
    expect(caseworker).to_have_url(re.compile(r"show=all"))
    row.get_by_role("link", name=code).click()
    expect(caseworker.locator("main")).to_contain_text("Browser Referralperson")
    found += axe_violations(caseworker)
    submit_form(caseworker, caseworker.get_by_role("button", name="Take into triage").click)
    expect(caseworker.locator(".referral-status")).to_have_text("In triage")
    # Taking it into triage made it the case worker's own.
    caseworker.goto("/referrals/triage/?show=mine")
    expect(row).to_contain_text("In triage")

    # An expert admits the person, with the person's own consent.
    expert = pages("demo-expert", browser_log_in)
    expert.goto(f"/referrals/triage/{code}/")
    expert.get_by_label("Admitted", exact=True).check()
    expert.get_by_label("Reasons").fill("Clear indicators of labour exploitation.")
    expert.get_by_label("Language of the decision letter").select_option("ru")
    expert.get_by_label("Who gave the consent").select_option("person")
    expert.get_by_label("How the consent was given").select_option("oral")
    expert.get_by_label("Language the person was informed in").fill("ru")
    expert.get_by_label("The person has no home municipality in the country").check()
    # The child named in the referral is admitted with the parent.
    expert.get_by_label("Name of child 1").fill("Browser Child")
    expert.get_by_label("Birth date of child 1").fill("2019-03-04")
    found += axe_violations(expert)
    submit_form(expert, expert.get_by_role("button", name="Record the decision").click)
    expect(expert.locator(".referral-status")).to_have_text("Decided")
    expect(expert.locator(".decisions")).to_contain_text("Admitted")
    expect(expert.locator(".responsibility")).to_contain_text("Assistance system")
    with expert.expect_download() as letter:
        expert.get_by_role("link", name="Decision letter (PDF)").click()
    assert letter.value.suggested_filename == f"decision-{code}.pdf"
    assert letter.value.failure() is None

    # The client's case: the child has a code of their own; then an expert removes the client
    # with reasons, and the removal has its own letter.
    expert.get_by_role("link", name="The client's case").click()
    expect(expert.locator(".case-status")).to_have_text("Client")
    expect(expert.locator(".children a")).to_have_count(1)
    expect(expert.locator("main")).not_to_contain_text("Browser Child")
    found += axe_violations(expert)
    expert.get_by_label("Reasons").fill("The client has moved abroad for good.")
    expert.get_by_label("Language of the decision letter").select_option("ru")
    submit_form(expert, expert.get_by_role("button", name="Record the removal").click)
    expect(expert.locator(".case-status")).to_have_text("Removed from the assistance system")
    with expert.expect_download() as removal_letter:
        expert.get_by_role("link", name="Decision letter (PDF)").click()
    assert removal_letter.value.failure() is None

    # The referrer is told the outcome, and nothing of the reasons.
    referrer.reload()
    expect(referrer.locator(".referral-status")).to_have_text("Admitted")
    expect(referrer.locator("main")).not_to_contain_text("indicators")
    assert found == [], "\n".join(found)


def decide_as_expert(
    expert: Page, code: str, outcome: str, reasons: str, letter_language: str
) -> None:
    expert.goto(f"/referrals/triage/{code}/")
    expert.get_by_label(outcome, exact=True).check()
    expert.get_by_label("Reasons").fill(reasons)
    expert.get_by_label("Language of the decision letter").select_option(letter_language)
    expert.get_by_role("button", name="Record the decision").click()
    expect(expert.locator(".referral-status")).to_have_text("Decided")


def take_from_queue(caseworker: Page, code: str) -> None:
    caseworker.goto("/referrals/triage/")
    caseworker.locator("tr", has_text=code).get_by_role("link", name=code).click()
    caseworker.get_by_role("button", name="Take into triage").click()
    expect(caseworker.locator(".referral-status")).to_have_text("In triage")


def test_a_self_referral_from_the_help_page_reaches_a_decision_and_a_letter_in_arabic(
    page: Page, pages, browser_log_in, trygg_server, axe_violations
) -> None:
    # The person, on the public help page in Arabic: no login, no cookie.
    page.goto(f"{trygg_server.url}/help/ar/")
    page.locator("a[href='/help/ar/contact/']").first.click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    found = axe_violations(page)
    page.locator("input[name=channel][value=text]").check()
    page.locator("#id_reach").fill("+358 40 555 0177")
    page.locator("input[name=leave_message][value=no]").check()
    page.locator("#id_in_danger").check()
    page.locator("form.self-referral button[type=submit]").click()
    expect(page).to_have_url(f"{trygg_server.url}/help/ar/contact/sent/")
    expect(page.locator("main")).not_to_contain_text("555 0177")
    assert page.context.cookies() == []

    # A case worker finds it at the top of the queue: urgent, a self-referral.
    caseworker = pages("demo-caseworker", browser_log_in)
    caseworker.goto("/referrals/triage/")
    row = caseworker.locator("tr", has_text="Self-referral").first
    expect(row).to_contain_text("Urgent")
    code = row.get_by_role("link").first.inner_text()
    take_from_queue(caseworker, code)
    expect(caseworker.locator("main")).to_contain_text("A text message: +358 40 555 0177")
    expect(caseworker.locator("main")).to_contain_text("Do not leave a message.")

    expert = pages("demo-expert", browser_log_in)
    decide_as_expert(expert, code, "Not admitted", "No signs of exploitation were found.", "ar")
    with expert.expect_download() as letter:
        expert.get_by_role("link", name="Decision letter (PDF)").click()
    assert letter.value.failure() is None
    assert found == [], "\n".join(found)


def test_a_call_to_the_24_hour_line_becomes_a_referral_and_a_decision(
    pages, browser_log_in
) -> None:
    caseworker = pages("demo-caseworker", browser_log_in)
    caseworker.goto("/referrals/triage/calls/")
    caseworker.get_by_label("Who called").select_option("professional")
    caseworker.get_by_label("Urgent").check()
    caseworker.get_by_label("What the call was about").fill("A nurse worried about a patient.")
    caseworker.get_by_role("button", name="Log the call").click()
    caseworker.get_by_role("link", name="Make a referral").first.click()

    caseworker.get_by_label(
        "No, or not yet: ask for advice without anything that identifies the person"
    ).check()
    caseworker.get_by_label("What is known of the situation").fill("Works at a farm, no pay.")
    caseworker.get_by_role("button", name="Make the referral").click()
    expect(caseworker).to_have_url(re.compile(r"/referrals/triage/[2-9A-HJKMNP-TV-Z-]{9}/$"))
    code = caseworker.url.rstrip("/").rsplit("/", 1)[1]
    expect(caseworker.locator("main")).to_contain_text("anonymous consultation")
    caseworker.get_by_role("button", name="Take into triage").click()

    expert = pages("demo-expert", browser_log_in)
    decide_as_expert(expert, code, "Not admitted", "An anonymous consultation: advice given.", "en")
    expect(expert.locator(".decisions")).to_contain_text("Not admitted")
