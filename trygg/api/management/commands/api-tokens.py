"""`trygg api-tokens`: the operator's way to create, list and revoke API tokens."""

# ruff: noqa: N999 (the command is named api-tokens, as typed on the command line)

from typing import Any
from uuid import UUID

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet

from trygg.accounts.models import Organisation, User
from trygg.api import services
from trygg.api.models import ApiToken
from trygg.referrals.permissions import referring_organisations

DEFAULT_NAME = "Created with trygg api-tokens"


class Command(BaseCommand):
    help = (
        "Manage the organisation API tokens of the JSON API (/api/v1/, docs/api.md). Each "
        "command writes the audit log (api_token.created, api_token.revoked) with no actor: "
        "the operator ran it.\n"
        "  create --actor USERNAME [--organisation NAME_OR_CODE] [--name NAME] "
        "[--scope referrals:write] [--scope referrals:read]: create a token (table "
        "api_apitoken) that acts as the user USERNAME, who must be an active referrer of the "
        "organisation; referrals sent with it are that user's own. The organisation defaults to "
        "the one where USERNAME is a referrer (give --organisation when there are several). "
        "Without --scope the token gets both scopes. The token is printed once, on the last "
        "line; only its SHA-256 hash is stored.\n"
        "  list: print every token's prefix, organisation, user, scopes and dates; never a "
        "token.\n"
        "  revoke PREFIX: revoke the token with that prefix at once (its revoked_at is set); it "
        "never works again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        creating = commands.add_parser("create", help="Create a token; print it once.")
        creating.add_argument(
            "--actor", required=True, help="User name of the referrer the token acts as."
        )
        creating.add_argument(
            "--organisation",
            help="Name or code of the organisation (default: the actor's own).",
        )
        creating.add_argument("--name", default=DEFAULT_NAME, help="What the token is for.")
        creating.add_argument(
            "--scope",
            action="append",
            choices=ApiToken.Scope.values,
            help="What the token may do; repeat for several (default: all).",
        )
        commands.add_parser("list", help="List the tokens, without their secrets.")
        revoking = commands.add_parser("revoke", help="Revoke a token.")
        revoking.add_argument("prefix", help="The token's prefix: the 8 characters after trygg_.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['command']}")(options)
        except services.TokenError as error:
            raise CommandError(str(error)) from None

    def _create(self, options: dict[str, Any]) -> None:
        actor = User.objects.filter(username=options["actor"], is_active=True).first()
        if actor is None:
            raise CommandError("No active user has the user name given with --actor.")
        organisation = self._organisation(actor, options["organisation"])
        token, token_text = services.create_token(
            actor=None,
            organisation=organisation,
            acting_user=actor,
            name=options["name"],
            scopes=options["scope"] or services.ALL_SCOPES,
        )
        self.stdout.write(
            f"Token {token.prefix} created for {organisation.name}, acting as "
            f"{actor.username}, scopes: {' '.join(token.scopes)}."
        )
        self.stdout.write("The token is shown only now; store it in the partner system:")
        self.stdout.write(token_text)

    def _organisation(self, actor: User, wanted: str | None) -> Organisation:
        organisations: QuerySet[Organisation] = referring_organisations(actor)
        if wanted:
            try:
                found = organisations.filter(code=UUID(wanted)).first()
            except ValueError:
                found = organisations.filter(name=wanted).first()
            if found is None:
                raise CommandError(
                    "The actor is not an active referrer of an organisation with that name or "
                    "code; a token can act only as a referrer of its organisation."
                )
            return found
        count = organisations.count()
        if count == 0:
            raise CommandError(
                "The actor is not an active referrer of any organisation; a token can act "
                "only as a referrer of its organisation."
            )
        if count > 1:
            raise CommandError("The actor refers for several organisations: give --organisation.")
        return organisations.get()

    def _list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("organisation", "acting_user").order_by(
            "organisation__name", "-created_at", "-pk"
        )
        if not tokens.exists():
            self.stdout.write("No API tokens.")
            return
        for token in tokens:
            last_used = token.last_used_at.isoformat() if token.last_used_at else "never"
            state = f"revoked {token.revoked_at.isoformat()}" if token.revoked_at else "active"
            self.stdout.write(
                f"{token.prefix}  {token.organisation.name}  as {token.acting_user.username}  "
                f"[{' '.join(token.scopes)}]  created {token.created_at.isoformat()}  "
                f"last used {last_used}  {state}  {token.name}"
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        token = ApiToken.objects.filter(prefix=options["prefix"].strip().lower()).first()
        if token is None:
            raise CommandError("No API token has this prefix.")
        services.revoke_token(actor=None, token=token)
        self.stdout.write(f"Token {token.prefix} revoked; it no longer works.")
