"""Organisation API tokens: how a partner system refers through the JSON API.

A token acts as one user (`acting_user`), a referrer of the token's organisation, so that
referrals made through the API are that user's own and the ordinary permission rules apply.
Only the SHA-256 hash of a token is stored; the token itself is shown once, when it is made.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.accounts.models import Organisation


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        REFERRALS_WRITE = "referrals:write", _("Create and send referrals")
        REFERRALS_READ = "referrals:read", _("Read the status of own referrals")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("organisation"),
    )
    # Empty when an operator made the token with `trygg api-tokens create`.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("acts as"),
    )
    name = models.CharField(_("name"), max_length=100)
    # The first part of the token, shown in lists and used to find the token; not a secret.
    prefix = models.CharField(_("prefix"), max_length=8, unique=True)
    # SHA-256 of the whole token, in hex; the token itself is never stored.
    token_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return self.prefix

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
