"""Importing a spreadsheet register: all rows checked first, then all imported or none."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from trygg.accounts.models import User
from trygg.audit.models import AuditEvent
from trygg.clients.models import Person
from trygg.clients.services import find_people, read_identity

HTCDS_HEADER = (
    "prs_FirstName,prs_SecondName,prs_Birthdate,prs_Gender,prs_Citizenship,"
    "prs_PrimaryLanguage,prs_MobilePhone,prs_IdentityNumber\n"
)


def run(path: Path, actor: str = "caseworker") -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("clients", "import", str(path), "--actor", actor, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path: Path, text: str, name: str = "register.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_htcds_columns_are_imported_and_the_codes_printed(tmp_path: Path, caseworker: User) -> None:
    path = write(
        tmp_path,
        HTCDS_HEADER
        + "Anna,Testinen,1990-04-01,Feminine,UA,uk,+380 44 123 4567,FA123456\n"
        + "Bo,Provsson,15.06.1985,Masculine,VN;LA,vi,,\n",
    )
    out, _ = run(path)
    assert "Imported 2 people" in out
    assert Person.objects.count() == 2
    anna = find_people(actor=caseworker, phone="+380441234567")[0]
    identity = read_identity(actor=caseworker, person=anna)
    assert (identity.full_name, identity.nationality, identity.languages) == (
        "Anna Testinen",
        "UA",
        "uk",
    )
    assert anna.gender == "feminine"
    assert anna.code in out


def test_one_bad_row_imports_nothing_and_names_every_bad_row(
    tmp_path: Path, caseworker: User
) -> None:
    path = write(
        tmp_path,
        "full_name,birth_date,phone\n"
        "Good Person,1990-01-01,+358 40 1\n"
        ",1990-01-01,\n"
        "Date Wrong,31.31.1990,\n"
        "Phone Wrong,1990-01-01,call me maybe\n",
    )
    with pytest.raises(CommandError, match="Nothing was imported: 3 row"):
        run(path)
    assert Person.objects.count() == 0
    assert not AuditEvent.objects.filter(action="person.registered").exists()


def test_bad_rows_are_listed_with_their_numbers_and_reasons(
    tmp_path: Path, caseworker: User
) -> None:
    path = write(tmp_path, "full_name,birth_date\nGood One,1990-01-01\nBad Date,1990-13-01\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("clients", "import", str(path), "--actor", "caseworker", stderr=err)
    assert "row 3: The birth date is not a date" in err.getvalue()
    assert "Bad Date" not in err.getvalue()


def test_duplicates_within_the_file_and_with_the_register_are_reported_not_merged(
    tmp_path: Path, caseworker: User
) -> None:
    first = write(tmp_path, "full_name,birth_date\nDup Person,1991-02-03\n", "a.csv")
    run(first)
    second = write(
        tmp_path,
        "full_name,birth_date\n"
        "DUP  PERSON,1991-02-03\nOther One,1980-01-01\ndup person,1991-02-03\n",
        "b.csv",
    )
    out, _ = run(second)
    assert Person.objects.count() == 4
    assert out.count("possible duplicate of") == 2
    assert "same person as row(s) 2" in out


def test_xlsx_register_is_imported(tmp_path: Path, caseworker: User) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["prs_FirstName", "prs_SecondName", "prs_Birthdate", "prs_MobilePhone"])
    from datetime import datetime

    birth = datetime(1988, 8, 8)  # noqa: DTZ001 - a spreadsheet date cell has no zone
    sheet.append(["Xl", "Person", birth, "+46 70 123 45 67"])
    path = tmp_path / "register.xlsx"
    book.save(path)
    out, _ = run(path)
    assert "Imported 1 people" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('full_name\n=HYPERLINK("http://x")\n', "formula"),
        ("full_name,notes\nA Person,@SUM(1)\n", "formula"),
        ("full_name,notes\nA Person,-2+3\n", "formula"),
        ("full_name,notes\nA Person," + "x" * 5000 + "\n", "longer than"),
        ("full_name\nA\x07Person\n", "control characters"),
    ],
)
def test_dangerous_or_oversized_cells_are_refused(
    tmp_path: Path, caseworker: User, content: str, message: str
) -> None:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "clients", "import", str(write(tmp_path, content)), "--actor", "caseworker", stderr=err
        )
    assert message in err.getvalue()
    assert Person.objects.count() == 0


def test_a_formula_in_an_xlsx_cell_is_refused(tmp_path: Path, caseworker: User) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["full_name", "notes"])
    sheet.append(["Formula Person", "=1+1"])
    path = tmp_path / "formula.xlsx"
    book.save(path)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("clients", "import", str(path), "--actor", "caseworker", stderr=err)
    assert "formula" in err.getvalue()
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("latin1.csv", "full_name\nJosé Pérez\n".encode("latin-1"), "not UTF-8"),
        ("nonames.csv", b"birth_date\n1990-01-01\n", "no name column"),
        ("unknown.csv", b"full_name,favourite_colour\nA B,blue\n", "columns 2"),
        ("empty.csv", b"", "empty"),
        ("broken.xlsx", b"PK\x03\x04 this is no workbook", "XLSX"),
        ("register.txt", b"full_name\nA B\n", ".csv or an .xlsx"),
        ("binary.csv", b"full_name\nA\x00B\n", "binary"),
    ],
)
def test_malformed_files_give_a_clear_error_and_import_nothing(
    tmp_path: Path, caseworker: User, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError, match=message):
        run(path)
    assert Person.objects.count() == 0


def test_import_needs_an_actor_who_works_with_the_register(tmp_path: Path, referrer: User) -> None:
    path = write(tmp_path, "full_name\nA Person\n")
    with pytest.raises(CommandError):
        run(path, actor="referrer")
    assert Person.objects.count() == 0


def test_import_is_audited_per_person_and_as_a_whole(tmp_path: Path, caseworker: User) -> None:
    run(write(tmp_path, "full_name\nOne Person\nTwo Person\n"))
    assert AuditEvent.objects.filter(action="person.registered").count() == 2
    assert AuditEvent.objects.get(action="people.imported").extra == {"count": 2}


def test_find_and_shred_commands(tmp_path: Path, caseworker: User) -> None:
    run(write(tmp_path, "full_name,birth_date\nFind Me,1970-07-07\n"))
    out = StringIO()
    call_command(
        "clients",
        "find",
        "--actor",
        "caseworker",
        "--name",
        "find me",
        "--birth-date",
        "1970-07-07",
        stdout=out,
    )
    code = out.getvalue().strip()
    assert Person.objects.filter(code=code).exists()
    call_command(
        "clients",
        "shred",
        code,
        "--actor",
        "caseworker",
        "--reason",
        "client_request",
        stdout=StringIO(),
    )
    assert Person.objects.get(code=code).is_shredded
