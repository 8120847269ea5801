from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.core.signals import setting_changed
from django.utils.translation import gettext_lazy as _


def _clear_profile_cache(*, setting: str, **kwargs: Any) -> None:
    from trygg.jurisdictions.profiles import get_profile

    if setting in {"TRYGG_JURISDICTION", "LANGUAGES"}:
        get_profile.cache_clear()


class JurisdictionsConfig(AppConfig):
    name = "trygg.jurisdictions"
    label = "jurisdictions"
    verbose_name = _("Jurisdictions")

    def ready(self) -> None:
        from trygg.jurisdictions.checks import check_jurisdiction_profile
        from trygg.jurisdictions.profiles import get_profile

        checks.register(check_jurisdiction_profile)
        setting_changed.connect(_clear_profile_cache, dispatch_uid="trygg.jurisdictions.profile")
        # Refuse to start with an unknown jurisdiction or a broken profile: every public page
        # and referral depends on its emergency numbers and contacts being right.
        get_profile()
