"""Create the first administrator of a new installation."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from trygg.accounts import services
from trygg.accounts.models import Membership, Organisation, User
from trygg.jurisdictions.profiles import get_profile


class Command(BaseCommand):
    help = (
        "Create an administrator USERNAME in the organisation --organisation (created, as an "
        "assistance system of the deployment's jurisdiction, when it does not exist). Prints a "
        "one-time password; the administrator chooses a new one and sets up two-factor "
        "authentication at the first login."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--organisation", required=True, help="Organisation name.")
        parser.add_argument("--full-name", default="", help="The administrator's name.")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"A user named {username!r} exists already.")
        with transaction.atomic():
            jurisdiction = get_profile().code
            organisation = Organisation.objects.filter(
                jurisdiction=jurisdiction, name=options["organisation"]
            ).first()
            if organisation is None:
                organisation = services.create_organisation(
                    actor=None,
                    name=options["organisation"],
                    type=Organisation.Type.ASSISTANCE_SYSTEM,
                    jurisdiction=jurisdiction,
                )
            _, password = services.create_user(
                actor=None,
                username=username,
                full_name=options["full_name"],
                email="",
                organisation=organisation,
                role=Membership.Role.ADMINISTRATOR,
            )
        self.stdout.write(f"Administrator {username} created in {organisation.name}.")
        self.stdout.write(f"One-time password (shown only now): {password}")
