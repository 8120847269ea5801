"""Lists of users and organisations are paged, fifty to a page."""

import re

from django.test import Client
from django.urls import reverse

from trygg.accounts import services
from trygg.accounts.models import Organisation, User
from trygg.testing import log_in


def test_user_list_shows_fifty_users_a_page(
    client: Client, administrator: User, assistance_org: Organisation
) -> None:
    for number in range(59):
        services.create_user(
            actor=administrator,
            username=f"staff-{number:02d}",
            full_name="",
            email="",
            organisation=assistance_org,
            role="caseworker",
        )
    log_in(client, administrator)
    first = client.get(reverse("manage:users")).content.decode()
    second = client.get(reverse("manage:users"), {"page": 2}).content.decode()
    user_links = re.findall(r'href="/manage/users/[0-9a-f-]{36}/"', first)
    assert len(user_links) == 50
    assert "Page 1 of 2" in first
    assert "staff-58" in second and "staff-00" not in second


def test_a_page_number_out_of_range_shows_the_last_page(
    client: Client, administrator: User
) -> None:
    response = log_in(client, administrator).get(reverse("manage:users"), {"page": "999"})
    assert response.status_code == 200
    assert "administrator" in response.content.decode()
