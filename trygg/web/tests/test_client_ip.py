"""Login throttling keys on the real client address, even behind a reverse proxy."""

from django.http import HttpRequest
from django.test import RequestFactory, override_settings

from trygg.lib.http import client_ip


def request_with(forwarded: str | None, remote: str = "10.0.0.5") -> HttpRequest:
    request = RequestFactory().get("/")
    request.META["REMOTE_ADDR"] = remote
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


@override_settings(TRYGG_PROXY_COUNT=0)
def test_without_a_proxy_the_forwarded_header_is_ignored() -> None:
    assert client_ip(request_with("203.0.113.9")) == "10.0.0.5"


@override_settings(TRYGG_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_saw_is_used_and_forged_entries_are_not() -> None:
    assert client_ip(request_with("198.51.100.1, 203.0.113.9")) == "203.0.113.9"


@override_settings(TRYGG_PROXY_COUNT=2)
def test_missing_forwarded_entries_fall_back_to_the_peer_address() -> None:
    assert client_ip(request_with("203.0.113.9")) == "10.0.0.5"
