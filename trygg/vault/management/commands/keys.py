from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from trygg.vault import vault
from trygg.vault.providers import get_provider


class Command(BaseCommand):
    help = (
        "Manage the vault's key-encryption keys (KEK). "
        "`keys status` prints the provider's key ids, the current one, and how many data keys "
        "and index keys each KEK wraps; it prints no key material and changes nothing. "
        "`keys rotate` re-wraps every data key and index key (tables vault_datakey and "
        "vault_indexkey) under a new KEK in one transaction; no personal data is read or "
        "rewritten. With the file provider it first creates a new key file and makes it "
        "current; with the env provider, first add the new key to TRYGG_VAULT_KEYS, name it in "
        "TRYGG_VAULT_CURRENT_KEY and restart (docs/operations.md). Afterwards `keys status` "
        "shows whether the old KEK still wraps anything; once it wraps nothing it can be removed."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        subcommands.add_parser("status", help="Print key ids and counts per KEK.")
        rotate = subcommands.add_parser("rotate", help="Re-wrap every key under a new KEK.")
        rotate.add_argument(
            "--key-id",
            help="Re-wrap under this KEK (one the provider has) instead of making a new one.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "status":
            self.status()
        else:
            self.rotate(options["key_id"])

    def status(self) -> None:
        status = vault.key_status()
        self.stdout.write(f"Current key-encryption key: {status.current}")
        self.stdout.write(f"Keys the provider holds: {', '.join(status.available) or 'none'}")
        for kek_id in sorted(
            set(status.available) | set(status.data_keys) | set(status.index_keys)
        ):
            note = "  (current)" if kek_id == status.current else ""
            if kek_id in status.missing:
                note = "  (MISSING from the provider: these keys cannot be opened)"
            self.stdout.write(
                f"  {kek_id}: {status.data_keys.get(kek_id, 0)} data keys, "
                f"{status.index_keys.get(kek_id, 0)} index keys{note}"
            )
        if status.missing:
            raise CommandError(f"Missing key-encryption keys: {', '.join(status.missing)}.")

    def rotate(self, key_id: str | None) -> None:
        provider = get_provider()
        if key_id is None:
            add_key = getattr(provider, "add_key", None)
            if add_key is None:
                # The env provider cannot create keys: the operator adds one and restarts.
                key_id = provider.current_key_id()
                self.stdout.write(f"Re-wrapping under the current key {key_id}.")
            else:
                key_id = add_key()
                self.stdout.write(f"Created key-encryption key {key_id} and made it current.")
        try:
            counts = vault.rotate(key_id)
        except vault.VaultError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Re-wrapped {counts['data_keys']} data keys and {counts['index_keys']} index keys "
            f"under {key_id}."
        )
