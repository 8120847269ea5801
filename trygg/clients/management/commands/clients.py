"""Operator commands for the client register; each acts as --actor and is audited."""

import re
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from trygg.accounts.models import Organisation, User
from trygg.clients import services
from trygg.clients.importer import ImportFileError, parse_file
from trygg.clients.models import CODE_PATTERN, ErasureRequest
from trygg.clients.permissions import get_person_for_user, register_organisations


class Command(BaseCommand):
    help = (
        "Work with the client register as the user named by --actor, whose roles decide what "
        "is allowed; every command writes the audit log.\n"
        "  import FILE [--organisation ORG]: register the people in a CSV or XLSX file "
        "(columns: docs/import.md). Every row is checked first; if any row is wrong nothing is "
        "imported and each bad row is listed with the reason. Possible duplicates are reported, "
        "never merged.\n"
        "  find --name NAME --birth-date YYYY-MM-DD | --phone PHONE | --document NUMBER: print the "
        "codes of the people that match exactly.\n"
        "  shred CODE --reason REASON: erase a person by destroying their key (crypto-shredding); "
        "their code and audit history remain, with no personal data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        importing = commands.add_parser("import", help="Import people from a CSV or XLSX file.")
        importing.add_argument("file", type=Path)
        importing.add_argument("--actor", required=True, help="User name of who imports.")
        importing.add_argument(
            "--organisation",
            help="Name of the organisation whose register receives the people "
            "(default: the actor's own register).",
        )
        finding = commands.add_parser("find", help="Print the codes of people who match exactly.")
        finding.add_argument("--actor", required=True)
        finding.add_argument("--name", default="")
        finding.add_argument("--birth-date", default="")
        finding.add_argument("--phone", default="")
        finding.add_argument("--document", default="")
        shredding = commands.add_parser("shred", help="Erase a person by crypto-shredding.")
        shredding.add_argument("code")
        shredding.add_argument("--actor", required=True)
        shredding.add_argument(
            "--reason", required=True, choices=ErasureRequest.Reason.values, help="Why."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["actor"], is_active=True).first()
        if actor is None:
            raise CommandError("No active user has the user name given with --actor.")
        try:
            getattr(self, f"_{options['command']}")(actor, options)
        except services.RegisterError as error:
            raise CommandError(str(error)) from None

    def _import(self, actor: User, options: dict[str, Any]) -> None:
        organisation = self._organisation(actor, options.get("organisation"))
        try:
            result = parse_file(options["file"])
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        if result.errors:
            for number, reason in result.errors:
                self.stderr.write(f"row {number}: {reason}")
            raise CommandError(
                f"Nothing was imported: {len(result.errors)} row(s) need correcting first."
            )
        if not result.rows:
            raise CommandError("Nothing was imported: the file has no rows.")
        imported = services.import_people(actor=actor, organisation=organisation, rows=result.rows)
        self.stdout.write(f"Imported {len(imported)} people into {organisation.name}.")
        for report in imported:
            line = f"row {report.row}: {report.code}"
            if report.duplicates_registered:
                line += " possible duplicate of " + ", ".join(report.duplicates_registered)
            if report.duplicates_rows:
                line += " same person as row(s) " + ", ".join(map(str, report.duplicates_rows))
            self.stdout.write(line)

    def _find(self, actor: User, options: dict[str, Any]) -> None:
        birth_date = None
        if options["birth_date"]:
            try:
                birth_date = date.fromisoformat(options["birth_date"])
            except ValueError:
                raise CommandError("--birth-date must be a date written YYYY-MM-DD.") from None
        people = services.find_people(
            actor=actor,
            name=options["name"],
            birth_date=birth_date,
            phone=options["phone"],
            document=options["document"],
        )
        for person in people:
            self.stdout.write(person.code)
        if not people:
            self.stderr.write("No match.")

    def _shred(self, actor: User, options: dict[str, Any]) -> None:
        code = options["code"].strip().upper()
        if not re.fullmatch(CODE_PATTERN, code):
            raise CommandError("A person code looks like K7F3-Q92X.")
        try:
            person = get_person_for_user(actor, code)
        except Http404:
            raise CommandError(f"No person {code} in a register the actor works with.") from None
        services.shred_person(actor=actor, person=person, reason=options["reason"])
        self.stdout.write(
            f"{person.code} erased: their key is destroyed; the code and audit history remain."
        )

    def _organisation(self, actor: User, name: str | None) -> Organisation:
        registers = register_organisations(actor)
        if name:
            organisation = registers.filter(name=name).first()
            if organisation is None:
                raise CommandError(
                    "The actor does not work with the register of an organisation by that name."
                )
            return organisation
        if registers.count() != 1:
            raise CommandError(
                "Give --organisation: the actor works with no register or with several."
            )
        return registers.get()
