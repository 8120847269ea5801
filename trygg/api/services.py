"""Create, revoke and check API tokens; creating and revoking are written to the audit chain.

A token reads `trygg_<prefix>_<secret>`: the prefix (8 characters) finds the row and is shown
in lists, the secret (40 characters, about 238 bits) is known only to whoever holds the token.
The database keeps the SHA-256 of the whole token, compared in constant time.
"""

import hashlib
import hmac
import re
import secrets
import string
from collections.abc import Iterable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.accounts.models import Organisation, User
from trygg.api.models import ApiToken
from trygg.audit import services as audit
from trygg.referrals import permissions as referral_permissions

PREFIX_ALPHABET = string.ascii_lowercase + string.digits
SECRET_ALPHABET = string.ascii_letters + string.digits
PREFIX_LENGTH = 8
SECRET_LENGTH = 40
TOKEN_RE = re.compile(rf"^trygg_([a-z0-9]{{{PREFIX_LENGTH}}})_([A-Za-z0-9]{{{SECRET_LENGTH}}})$")
# Writing the time of use on every request would cost a write each time.
LAST_USED_RESOLUTION = timedelta(minutes=1)
ALL_SCOPES = tuple(ApiToken.Scope.values)


class TokenError(Exception):
    """A token request the rules refuse; the message is for the user, translated."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _new_prefix() -> str:
    return "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))


def _new_secret() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


def _checked_scopes(scopes: Iterable[str]) -> list[str]:
    chosen = sorted(set(scopes))
    if not chosen or any(scope not in ALL_SCOPES for scope in chosen):
        raise TokenError(_("Choose at least one scope from the list."))
    return chosen


def may_act_for(user: User, organisation: Organisation) -> bool:
    """Whether a token of `organisation` may act as `user`: an active referrer there."""
    return referral_permissions.referring_organisations(user).filter(pk=organisation.pk).exists()


@transaction.atomic
def create_token(
    *,
    actor: User | None,
    organisation: Organisation,
    acting_user: User,
    name: str,
    scopes: Iterable[str],
) -> tuple[ApiToken, str]:
    """Create a token for `organisation` that acts as `acting_user`; return it and its text.

    The text is returned only here and stored nowhere. `actor` is None for the operator's
    command. Raises TokenError when `acting_user` is not a referrer of the organisation.
    """
    name = name.strip()
    if not name or len(name) > 100:
        raise TokenError(_("Give the token a name of at most 100 characters."))
    chosen = _checked_scopes(scopes)
    if not may_act_for(acting_user, organisation):
        raise TokenError(_("A token can act only as a referrer of its organisation."))
    for _attempt in range(5):
        prefix = _new_prefix()
        token_text = f"trygg_{prefix}_{_new_secret()}"
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    organisation=organisation,
                    created_by=actor,
                    acting_user=acting_user,
                    name=name,
                    prefix=prefix,
                    token_hash=hash_token(token_text),
                    scopes=chosen,
                )
            break
        except IntegrityError:
            # Two tokens drew the same prefix (about one chance in 2.8 million million): draw again.
            continue
    else:  # pragma: no cover - five collisions in a row do not happen
        raise TokenError(_("The token could not be created. Try again."))
    audit.record(
        action="api_token.created",
        actor_code=actor.code if actor else None,
        subject_code=acting_user.code,
        organisation_code=organisation.code,
        extra={"prefix": token.prefix, "scopes": chosen},
    )
    return token, token_text


@transaction.atomic
def revoke_token(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke a token at once; it can never be used again. Revoking twice is refused."""
    token = ApiToken.objects.select_for_update().select_related("organisation").get(pk=token.pk)
    if token.revoked_at is not None:
        raise TokenError(_("This token has already been revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        action="api_token.revoked",
        actor_code=actor.code if actor else None,
        organisation_code=token.organisation.code,
        extra={"prefix": token.prefix},
    )
    return token


def authenticate(header: str) -> ApiToken | None:
    """Return the active token named by an `Authorization: Bearer …` header, else None.

    None also when the token is revoked, its organisation inactive, or its user no longer an
    active referrer there. The time of use is noted, at most once a minute.
    """
    scheme, _space, value = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    match = TOKEN_RE.fullmatch(value.strip())
    if match is None:
        return None
    token = (
        ApiToken.objects.select_related("organisation", "acting_user")
        .filter(prefix=match.group(1), revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.token_hash, hash_token(match.group(0))):
        return None
    if not token.organisation.is_active or not may_act_for(token.acting_user, token.organisation):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
