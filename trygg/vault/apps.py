from typing import Any

from django.apps import AppConfig
from django.core.signals import setting_changed
from django.utils.translation import gettext_lazy as _


def _clear_key_caches(*, setting: str, **kwargs: Any) -> None:
    from trygg.vault.vault import clear_caches

    if setting.startswith("TRYGG_VAULT_"):
        clear_caches()


class VaultConfig(AppConfig):
    name = "trygg.vault"
    label = "vault"
    verbose_name = _("Vault")

    def ready(self) -> None:
        from trygg.vault.providers import get_provider

        setting_changed.connect(_clear_key_caches, dispatch_uid="trygg.vault.key_caches")
        # Refuse to start with a broken key configuration (a malformed TRYGG_VAULT_KEYS, an
        # unknown provider) rather than fail at the first person's record. The file provider
        # touches no file here: it creates its first key on first use.
        get_provider()
