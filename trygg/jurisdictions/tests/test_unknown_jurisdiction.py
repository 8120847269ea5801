import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from trygg.jurisdictions.checks import check_jurisdiction_profile
from trygg.jurisdictions.profiles import ProfileError, get_profile, load_profile

REPOSITORY = Path(__file__).resolve().parents[3]


def test_unknown_code_lists_the_available_profiles() -> None:
    with pytest.raises(ProfileError) as excinfo:
        load_profile("xx")

    assert (
        str(excinfo.value) == "There is no jurisdiction profile 'xx'. Available profiles: fi, no."
    )


def test_code_cannot_reach_a_file_outside_the_profiles_directory() -> None:
    with pytest.raises(
        ProfileError, match=r"^There is no jurisdiction profile '\.\./profiles/fi'\."
    ):
        load_profile("../profiles/fi")


def test_empty_directory_has_no_profiles(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match=r"Available profiles: none\.$"):
        load_profile("fi", directory=tmp_path)


@override_settings(TRYGG_JURISDICTION="xx")
def test_unknown_setting_is_named_in_the_error() -> None:
    with pytest.raises(ProfileError) as excinfo:
        get_profile()

    assert str(excinfo.value) == (
        "TRYGG_JURISDICTION is 'xx', but there is no jurisdiction profile 'xx'. "
        "Available profiles: fi, no."
    )


@override_settings(TRYGG_JURISDICTION="xx")
def test_system_check_reports_an_unknown_jurisdiction() -> None:
    [error] = check_jurisdiction_profile()

    assert error.id == "jurisdictions.E001"
    assert error.msg == "There is no jurisdiction profile 'xx'. Available profiles: fi, no."


@override_settings(TRYGG_JURISDICTION="no")
def test_system_check_passes_with_a_shipped_profile() -> None:
    assert check_jurisdiction_profile() == []


def test_django_refuses_to_start_with_an_unknown_jurisdiction() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
        "TRYGG_JURISDICTION": "xx",
        "TRYGG_ENV": "test",
        "TRYGG_SECRET_KEY": "x" * 50,
    }
    result = subprocess.run(
        [sys.executable, "-m", "trygg", "check"],
        cwd=REPOSITORY,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode != 0
    assert (
        "TRYGG_JURISDICTION is 'xx', but there is no jurisdiction profile 'xx'. "
        "Available profiles: fi, no." in result.stderr
    )
