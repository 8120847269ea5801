"""Benchmarks behind `make bench`: Trygg's code against its floor, in the same run.

Each benchmark times a real request through the whole middleware stack and compares it with
the floor: the same rows fetched by one raw SQL query. The ratio is what Trygg's layers
(access checks, sessions, ORM, templates, translation) cost on top of the data itself.
Figures and how to read them: docs/performance.md.

    .venv/bin/python -m trygg.bench                              # on a temporary SQLite file
    scripts/with-postgres.sh .venv/bin/python -m trygg.bench     # on a throwaway PostgreSQL
"""

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

USERS = 2_000
EVENTS = 20_000
ROUNDS = 40


def _prepare_database() -> None:
    url = os.environ.get("TRYGG_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        admin_url = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute("DROP DATABASE IF EXISTS trygg_bench")
            connection.execute("CREATE DATABASE trygg_bench")
        os.environ["TRYGG_DATABASE_URL"] = url.rsplit("/", 1)[0] + "/trygg_bench"
    else:
        directory = Path(tempfile.mkdtemp(prefix="trygg-bench-"))
        os.environ["TRYGG_DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"


def _median_ms(work: Callable[[], object]) -> float:
    work()  # warm caches and connections
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.test_settings")
    # The test client's host name; the suite's instrumented templates are left off.
    os.environ.setdefault("TRYGG_ALLOWED_HOSTS", "testserver")
    _prepare_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from trygg.accounts.models import Membership, Organisation, SecurityEvent, User
    from trygg.testing import log_in, make_user

    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(
        name="Bench Assistance", type="assistance_system", jurisdiction="fi"
    )
    admin = make_user("bench-admin", org, Membership.Role.ADMINISTRATOR)
    auditor = make_user("bench-auditor", org, Membership.Role.AUDITOR)
    users = User.objects.bulk_create(User(username=f"staff-{n:05d}") for n in range(USERS))
    Membership.objects.bulk_create(
        Membership(user=user, organisation=org, role=Membership.Role.CASEWORKER) for user in users
    )
    SecurityEvent.objects.bulk_create(
        SecurityEvent(action=SecurityEvent.Action.LOGIN_SUCCEEDED, actor_code=admin.code)
        for _ in range(EVENTS)
    )
    admin_client = log_in(Client(), admin)
    auditor_client = log_in(Client(), auditor)

    def raw(sql: str, params: list[int]) -> Callable[[], object]:
        def run() -> object:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        return run

    def page(client: Client, path: str) -> Callable[[], object]:
        def run() -> object:
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
            return response.content

        return run

    benchmarks = [
        (
            f"user list, first 50 of {USERS:,} users",
            page(admin_client, "/manage/users/"),
            raw(
                "SELECT u.username, u.full_name, m.role, o.name FROM accounts_user u "
                "JOIN accounts_membership m ON m.user_id = u.id "
                "JOIN accounts_organisation o ON o.id = m.organisation_id "
                "WHERE o.id = %s ORDER BY u.username LIMIT 50",
                [org.pk],
            ),
        ),
        (
            f"security events, newest 100 of {EVENTS:,}",
            page(auditor_client, "/manage/security-events/"),
            raw(
                "SELECT at, action, actor_code, subject_code, extra FROM accounts_securityevent "
                "ORDER BY at DESC, id DESC LIMIT 101",
                [],
            ),
        ),
        (
            "start page of a logged-in user",
            page(admin_client, "/"),
            raw(
                "SELECT m.role, o.name FROM accounts_membership m "
                "JOIN accounts_organisation o ON o.id = m.organisation_id WHERE m.user_id = %s",
                [admin.pk],
            ),
        ),
    ]
    print(f"Trygg benchmarks on {connection.vendor}, median of {ROUNDS} rounds")
    print(f"{'benchmark':<42} {'trygg ms':>9} {'floor ms':>9} {'ratio':>7}")
    for name, code, floor in benchmarks:
        code_ms, floor_ms = _median_ms(code), _median_ms(floor)
        print(f"{name:<42} {code_ms:>9.2f} {floor_ms:>9.3f} {code_ms / floor_ms:>6.0f}x")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
