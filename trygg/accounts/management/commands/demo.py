"""Load the demo data: organisations of the Finnish profile and one user per role."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.accounts import services
from trygg.accounts.models import Membership, Organisation, User

Role = Membership.Role
Type = Organisation.Type

DEMO_JURISDICTION = "fi"
# Made-up organisations: no real organisation's name is used.
DEMO_ORGANISATIONS = {
    "assistance": ("Demo Assistance System", Type.ASSISTANCE_SYSTEM),
    "reception": ("Demo Reception Centre", Type.RECEPTION_CENTRE),
    "wellbeing": ("Demo Wellbeing Services County", Type.MUNICIPALITY),
    "ngo": ("Demo Support Association", Type.NGO),
}
DEMO_USERS = [
    ("demo-referrer", "Demo Referrer", "ngo", Role.REFERRER),
    ("demo-caseworker", "Demo Caseworker", "assistance", Role.CASEWORKER),
    ("demo-expert", "Demo Expert", "assistance", Role.EXPERT),
    ("demo-partner", "Demo Partner", "reception", Role.PARTNER),
    ("demo-statistician", "Demo Statistician", "assistance", Role.STATISTICIAN),
    ("demo-auditor", "Demo Auditor", "assistance", Role.AUDITOR),
    ("demo-admin", "Demo Admin", "assistance", Role.ADMINISTRATOR),
]


class Command(BaseCommand):
    help = (
        "Create or refresh the demo data: four made-up organisations of the Finnish profile and "
        "one user per role (demo-referrer, demo-caseworker, demo-expert, demo-partner, "
        "demo-statistician, demo-auditor, demo-admin). Running it again creates nothing twice; "
        "it gives every demo user a new password and keeps their TOTP secret. It prints each "
        "password and TOTP secret. Refused when TRYGG_ENV=production."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo data cannot be loaded when TRYGG_ENV=production.")
        credentials = load_demo()
        self.stdout.write(self.style.WARNING("DEMO INSTANCE: all data is made up."))
        self.stdout.write("Demo logins (user, password, TOTP secret for an authenticator app):")
        for username, password, secret in credentials:
            self.stdout.write(f"  {username:<18} password: {password}  totp secret: {secret}")


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Create the demo organisations and users; return (user, password, TOTP secret) rows."""
    organisations = {}
    for key, (name, type_) in DEMO_ORGANISATIONS.items():
        organisation = Organisation.objects.filter(
            jurisdiction=DEMO_JURISDICTION, name=name
        ).first()
        if organisation is None:
            organisation = services.create_organisation(
                actor=None, name=name, type=type_, jurisdiction=DEMO_JURISDICTION, is_demo=True
            )
        organisations[key] = organisation

    rows = []
    for username, full_name, org_key, role in DEMO_USERS:
        password = services.generate_password()
        user = User.objects.filter(username=username).first()
        if user is None:
            user, _ = services.create_user(
                actor=None,
                username=username,
                full_name=full_name,
                email="",
                organisation=organisations[org_key],
                role=role,
                password=password,
            )
        else:
            user.set_password(password)
            user.is_active = True
            user.save(update_fields=["password", "is_active"])
            services.grant_role(
                actor=None, user=user, organisation=organisations[org_key], role=role
            )
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=user, name=services.TOTP_DEVICE_NAME, confirmed=True
            )
        rows.append((username, password, services.totp_secret(device)))
    return rows
