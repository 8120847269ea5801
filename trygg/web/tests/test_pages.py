"""Headers, assets and behaviour every page shares."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from trygg.accounts.models import User
from trygg.testing import log_in

PACKAGE = Path(settings.PACKAGE_DIR)


def test_login_page_carries_a_strict_content_security_policy(client: Client) -> None:
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert "camera=()" in response["Permissions-Policy"]


def test_no_template_or_stylesheet_refers_to_another_host() -> None:
    offenders = []
    for path in [*PACKAGE.rglob("*.html"), *PACKAGE.rglob("*.css"), *PACKAGE.rglob("*.js")]:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.IGNORECASE):
            offenders.append(f"{path.relative_to(PACKAGE)}: {match.group(0)}")
    assert offenders == []


def test_no_template_uses_inline_script_or_style() -> None:
    for path in PACKAGE.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script>" not in text and " style=" not in text and "<style" not in text, path


def test_stylesheet_is_served(client: Client) -> None:
    response = client.get("/static/trygg/trygg.css")
    assert response.status_code == 200
    assert b"--accent" in b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_unknown_address_gives_the_plain_404_page_without_technical_details(
    client: Client, caseworker: User
) -> None:
    response = log_in(client, caseworker).get("/no/such/page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "Traceback" not in body and "urlpatterns" not in body


def test_health_check_answers_without_login(client: Client, db: None) -> None:
    response = client.get(reverse("web:healthz"))
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize(
    ("language", "word"), [("sv", 'lang="sv"'), ("fi", 'lang="fi"'), ("nb", 'lang="nb"')]
)
def test_language_switch_changes_the_page_language(
    client: Client, db: None, language: str, word: str
) -> None:
    response = client.post(
        reverse("web:set_language"), {"language": language, "next": reverse("accounts:login")}
    )
    assert response["Location"] == reverse("accounts:login")
    assert word in client.get(reverse("accounts:login")).content.decode()


def test_language_choice_is_remembered_on_the_account(client: Client, caseworker: User) -> None:
    log_in(client, caseworker).post(reverse("web:set_language"), {"language": "fi"})
    caseworker.refresh_from_db()
    assert caseworker.language == "fi"


def test_language_switch_ignores_unknown_languages_and_foreign_redirects(
    client: Client, db: None
) -> None:
    response = client.post(
        reverse("web:set_language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("web:home")
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_demo_banner_is_shown_while_demo_data_exists(client: Client, db: None) -> None:
    from django.core.cache import cache
    from django.core.management import call_command

    cache.clear()
    assert "demonstration instance" not in client.get(reverse("accounts:login")).content.decode()
    call_command("demo", stdout=StringIO())
    cache.clear()
    assert "demonstration instance" in client.get(reverse("accounts:login")).content.decode()
