"""System checks for the jurisdiction profile."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

from trygg.jurisdictions.profiles import ProfileError, available_profiles, load_profile


def check_jurisdiction_profile(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Report an unknown TRYGG_JURISDICTION or an invalid profile file as jurisdictions.E001."""
    code: str = settings.TRYGG_JURISDICTION
    try:
        # Read afresh rather than through get_profile(): the check must see the files as they are.
        load_profile(code)
    except ProfileError as exc:
        return [
            checks.Error(
                str(exc),
                hint=(
                    f"TRYGG_JURISDICTION must be one of {', '.join(available_profiles())}; "
                    "each is a file in trygg/jurisdictions/profile_data/."
                ),
                id="jurisdictions.E001",
            )
        ]
    return []
