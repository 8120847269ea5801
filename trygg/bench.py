"""Benchmarks behind `make bench`: Trygg's code against its floor, in the same run.

Each page benchmark times a real request through the whole middleware stack and compares it
with the floor: the same rows fetched by one raw SQL query. The ratio is what Trygg's layers
(access checks, sessions, ORM, templates, translation) cost on top of the data itself. The vault
benchmarks compare reading encrypted fields and a blind-index lookup with the same work on
plaintext columns of a table of the same size. Figures and how to read them:
docs/performance.md.

    .venv/bin/python -m trygg.bench                              # on a temporary SQLite file
    scripts/with-postgres.sh .venv/bin/python -m trygg.bench     # on a throwaway PostgreSQL

TRYGG_BENCH_LOOKUP_ROWS sets the size of the blind-index table (default 1,000,000; filling it
takes about a minute on SQLite and two on PostgreSQL). TRYGG_BENCH_AUDIT_EVENTS sets the size
of the audit log that `trygg audit verify` checks (default 1,000,000; filling it takes about
70 s on SQLite and 100 s on PostgreSQL).
"""

import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

USERS = 2_000
EVENTS = 20_000
ROUNDS = 40
# Audit log: appends per benchmark (split between the writers), events for `audit verify`.
APPENDS = 2_000
AUDIT_EVENTS = int(os.environ.get("TRYGG_BENCH_AUDIT_EVENTS", "1000000"))
# Vault: people with an 8-field identity, reads and lookups per round, blind-index table size.
VAULT_PEOPLE = 10_000
PER_ROUND = 50
LOOKUP_ROWS = int(os.environ.get("TRYGG_BENCH_LOOKUP_ROWS", "1000000"))
# Open referrals in the triage queue (issue 5 aims at list pages under 100 ms at 100,000).
REFERRALS = int(os.environ.get("TRYGG_BENCH_REFERRALS", "100000"))
# Rows of the made-up register imported from CSV (issue 3 aims at over 2,000 rows/s).
IMPORT_ROWS = int(os.environ.get("TRYGG_BENCH_IMPORT_ROWS", "100000"))
IDENTITY = (
    "full_name",
    "other_names",
    "birth_date",
    "phone",
    "email",
    "address",
    "nationality",
    "languages",
)


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


def _page(client: Any, path: str) -> Callable[[], bytes]:
    """A GET through Django's whole stack that must answer 200; returns the body."""

    def run() -> bytes:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return bytes(response.content)

    return run


def _raw(sql: str, params: list[Any]) -> Callable[[], object]:
    """The floor: one raw query, all rows fetched."""

    def run() -> object:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


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

    from trygg.accounts.models import AccountAction, Membership, Organisation, User
    from trygg.audit import services as audit
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
    audit.record_many(
        audit.NewEvent(action=AccountAction.LOGIN_SUCCEEDED, actor_code=admin.code)
        for _ in range(EVENTS)
    )
    admin_client = log_in(Client(), admin)
    auditor_client = log_in(Client(), auditor)

    benchmarks: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        (
            f"user list, first 50 of {USERS:,} users",
            _page(admin_client, "/manage/users/"),
            _raw(
                "SELECT u.username, u.full_name, m.role, o.name FROM accounts_user u "
                "JOIN accounts_membership m ON m.user_id = u.id "
                "JOIN accounts_organisation o ON o.id = m.organisation_id "
                "WHERE o.id = %s ORDER BY u.username LIMIT 50",
                [org.pk],
            ),
        ),
        (
            f"security events, newest 100 of {EVENTS:,}",
            _page(auditor_client, "/manage/security-events/"),
            _raw(
                "SELECT seq, at, action, actor_code, subject_code, extra FROM audit_auditevent "
                "WHERE action LIKE 'auth.%%' OR action LIKE 'account.%%' "
                "ORDER BY seq DESC LIMIT 101",
                [],
            ),
        ),
        (
            "start page of a logged-in user",
            _page(admin_client, "/"),
            _raw(
                "SELECT m.role, o.name FROM accounts_membership m "
                "JOIN accounts_organisation o ON o.id = m.organisation_id WHERE m.user_id = %s",
                [admin.pk],
            ),
        ),
    ]
    benchmarks += _vault_benchmarks()
    print(f"Trygg benchmarks on {connection.vendor}, median of {ROUNDS} rounds")
    print(f"{'benchmark':<42} {'trygg ms':>9} {'floor ms':>9} {'ratio':>7}")
    for name, code, floor in benchmarks:
        code_ms, floor_ms = _median_ms(code), _median_ms(floor)
        ratio = code_ms / floor_ms
        shown = f"{ratio:>6.2f}x" if ratio < 10 else f"{ratio:>6.0f}x"
        print(f"{name:<42} {code_ms:>9.2f} {floor_ms:>9.3f} {shown}")
    _public_benchmarks()
    _referral_benchmarks(org)
    _import_benchmark(org)
    _audit_benchmarks()


def _timings_ms(work: Callable[[], object], rounds: int = ROUNDS) -> tuple[float, float]:
    """Median and 95th percentile of `rounds` runs after one warm-up, in milliseconds."""
    work()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def _referral_benchmarks(org: Any) -> None:
    """Referrals: submitting one, and the triage queue and one referral at REFERRALS open ones.

    Submitting: the referral form's work (a data key, encrypted details, the consent record,
    the state change, blind indexes, audit events) against a bare INSERT of the same plain
    columns. The queue: the page through the whole stack against one raw query for the same
    50 rows. The queue's rows are anonymous consultations made in bulk (no ciphertext): the
    queue page never decrypts.
    """
    import itertools
    from datetime import timedelta

    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from trygg.accounts.models import Membership, Organisation
    from trygg.clients.models import new_code
    from trygg.consent.models import Consent
    from trygg.consent.services import GivenConsent
    from trygg.referrals import services
    from trygg.referrals.models import Referral
    from trygg.testing import log_in, make_user

    referrer_org = Organisation.objects.create(name="Bench Referrer", type="ngo", jurisdiction="fi")
    referrer = make_user("bench-referrer", referrer_org, Membership.Role.REFERRER)
    caseworker = make_user("bench-caseworker", org, Membership.Role.CASEWORKER)
    consent = GivenConsent(
        given_by=Consent.GivenBy.PERSON, method=Consent.Method.ORAL, language="ru"
    )
    counter = itertools.count()

    def submit() -> object:
        n = next(counter)
        draft = services.save_draft(
            actor=referrer,
            organisation=referrer_org,
            needs=services.Needs(shelter_tonight=True, forms=("labour",), language="ru"),
            details=services.PersonDetails(
                full_name=f"Bench Person {n}",
                phone=f"+358 40 {n:07d}",
                circumstances="Works nights without pay; the employer keeps the passport.",
            ),
        )
        return services.submit(actor=referrer, referral=draft, consent=consent)

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_referral_plain (code varchar(9), channel varchar(8), "
            "status varchar(24), shelter boolean, forms text, language varchar(32), "
            "created_at timestamp)"
        )

    def bare_insert() -> object:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_referral_plain VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [new_code(), "partner", "received", True, '["labour"]', "ru", timezone.now()],
            )
        return None

    submit_ms = _timings_ms(submit)
    insert_ms = _timings_ms(bare_insert)

    # Fill the queue.
    start = time.perf_counter()
    now = timezone.now()
    batch = []
    for n in range(REFERRALS):
        received = now - timedelta(minutes=n % 10_000)
        batch.append(
            Referral(
                code=new_code(),
                channel=Referral.Channel.PARTNER,
                status=Referral.Status.RECEIVED if n % 3 else Referral.Status.IN_TRIAGE,
                is_consultation=True,
                assistance_organisation=org,
                referring_organisation=referrer_org,
                created_by=referrer,
                assigned_to=caseworker if n % 3 == 0 else None,
                medical_need=n % 7 == 0,
                received_at=received,
                respond_by=received + timedelta(days=3),
            )
        )
        if len(batch) == 5_000:
            Referral.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Referral.objects.bulk_create(batch, ignore_conflicts=True)
    filled = time.perf_counter() - start
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE referrals_referral")

    client = log_in(Client(), caseworker)

    from trygg.api.services import create_token

    _token, secret = create_token(
        actor=None,
        organisation=referrer_org,
        acting_user=referrer,
        name="Bench partner system",
        scopes=["referrals:write", "referrals:read"],
    )
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    def api_create() -> object:
        n = next(counter)
        response = api.post(
            "/api/v1/referrals",
            {
                "needs": {"shelter_tonight": True, "forms": ["labour"], "language": "ru"},
                "person": {
                    "full_name": f"Bench Person {n}",
                    "phone": f"+358 41 {n:07d}",
                    "circumstances": "Works nights without pay.",
                },
                "consent": {"given_by": "person", "method": "oral", "language": "ru"},
            },
            content_type="application/json",
        )
        if response.status_code != 201:
            raise RuntimeError(f"the API answered {response.status_code}")
        return response.content

    one = Referral.objects.filter(assistance_organisation=org).order_by("respond_by").first()
    assert one is not None  # noqa: S101 (the queue was just filled)
    rows = [
        ("submit a referral (form's work) / bare INSERT", submit_ms, insert_ms),
        (
            f"triage queue, first 50 of {REFERRALS:,}",
            _timings_ms(_page(client, "/referrals/triage/")),
            _timings_ms(
                _raw(
                    "SELECT code, channel, status, respond_by, received_at, assigned_to_id "
                    "FROM referrals_referral WHERE assistance_organisation_id = %s "
                    "AND status IN ('received', 'in_triage', 'information_requested') "
                    "ORDER BY respond_by, id LIMIT 50",
                    [org.pk],
                )
            ),
        ),
        (
            f"triage queue, page 1,000 of {REFERRALS // 50:,}",
            _timings_ms(_page(client, "/referrals/triage/?page=1000")),
            _timings_ms(
                _raw(
                    "SELECT code, channel, status, respond_by, received_at, assigned_to_id "
                    "FROM referrals_referral WHERE assistance_organisation_id = %s "
                    "AND status IN ('received', 'in_triage', 'information_requested') "
                    "ORDER BY respond_by, id LIMIT 50 OFFSET 49950",
                    [org.pk],
                )
            ),
        ),
        (
            "triage queue, first 50 assigned to me",
            _timings_ms(_page(client, "/referrals/triage/?show=mine")),
            _timings_ms(
                _raw(
                    "SELECT code, channel, status, respond_by, received_at, assigned_to_id "
                    "FROM referrals_referral WHERE assistance_organisation_id = %s "
                    "AND status IN ('received', 'in_triage', 'information_requested') "
                    "AND assigned_to_id = %s ORDER BY respond_by, id LIMIT 50",
                    [org.pk, caseworker.pk],
                )
            ),
        ),
        (
            "triage queue, first 50 not assigned",
            _timings_ms(_page(client, "/referrals/triage/?show=unassigned")),
            _timings_ms(
                _raw(
                    "SELECT code, channel, status, respond_by, received_at, assigned_to_id "
                    "FROM referrals_referral WHERE assistance_organisation_id = %s "
                    "AND status IN ('received', 'in_triage', 'information_requested') "
                    "AND assigned_to_id IS NULL ORDER BY respond_by, id LIMIT 50",
                    [org.pk],
                )
            ),
        ),
        ("API: create and submit a referral / bare INSERT", _timings_ms(api_create), insert_ms),
        (
            f"API: list own referrals, first 50 of {REFERRALS:,}",
            _timings_ms(_page(api, "/api/v1/referrals")),
            _timings_ms(
                _raw(
                    "SELECT code, status, created_at FROM referrals_referral "
                    "WHERE referring_organisation_id = %s AND created_by_id = %s "
                    "ORDER BY created_at DESC, id DESC LIMIT 50",
                    [referrer_org.pk, referrer.pk],
                )
            ),
        ),
        (
            "API: one referral",
            _timings_ms(_page(api, f"/api/v1/referrals/{one.code}")),
            _timings_ms(_raw("SELECT * FROM referrals_referral WHERE code = %s", [one.code])),
        ),
        (
            "one referral's triage page",
            _timings_ms(_page(client, f"/referrals/triage/{one.code}/")),
            _timings_ms(_raw("SELECT * FROM referrals_referral WHERE code = %s", [one.code])),
        ),
    ]
    rows += _served_api_benchmarks(secret, one.code, counter, caseworker)
    print()
    print(
        f"Referrals on {connection.vendor}, {REFERRALS:,} open referrals "
        f"(filled in {filled:.0f} s), {ROUNDS} rounds"
    )
    print(f"{'benchmark':<52} {'median':>7} {'p95':>7} {'floor':>7} {'ratio':>7}")
    for name, (median, p95), (floor_median, _floor_p95) in rows:
        print(
            f"{name:<52} {median:>7.2f} {p95:>7.2f} {floor_median:>7.3f} "
            f"{median / floor_median:>6.1f}x"
        )


def _served_api_benchmarks(
    secret: str, code: str, counter: Any, caseworker: Any
) -> list[tuple[str, tuple[float, float], tuple[float, float]]]:
    """The API and the triage queue served by gunicorn (2 workers, as on this 2-core machine).

    The server shares the benchmark's database and key files; each request is timed from
    sending to the last byte on one kept-alive connection. The floor is the same request's
    round trip to /healthz, which runs one `SELECT 1`. The queue is requested as `caseworker`
    with a session as the two-step login leaves it (see `_served_queue`).
    """
    import http.client
    import json
    import socket
    import subprocess

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trygg.settings",
        "TRYGG_ENV": "development",
        "TRYGG_ALLOWED_HOSTS": "127.0.0.1",
        "TRYGG_LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "trygg.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--threads=4",
            "--worker-class=gthread",
            "--log-level=warning",
        ],
        env=env,
    )
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        deadline = time.monotonic() + 30
        while True:
            try:
                connection.request("GET", "/healthz")
                connection.getresponse().read()
                break
            except OSError:
                connection.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}

        def call(
            method: str, path: str, body: Any = None, expect: int = 200
        ) -> Callable[[], object]:
            def run() -> object:
                payload = json.dumps(body() if callable(body) else body) if body else None
                connection.request(method, path, body=payload, headers=headers)
                response = connection.getresponse()
                data = response.read()
                if response.status != expect:
                    raise RuntimeError(f"{method} {path} answered {response.status}")
                return data

            return run

        def new_referral() -> dict[str, Any]:
            n = next(counter)
            return {
                "needs": {"medical_need": True, "language": "ru"},
                "person": {"full_name": f"Served Person {n}", "phone": f"+358 42 {n:07d}"},
                "consent": {"given_by": "person", "method": "oral", "language": "ru"},
            }

        floor = _timings_ms(call("GET", "/healthz"), rounds=100)
        return [
            (
                "served: API create and submit / healthz",
                _timings_ms(call("POST", "/api/v1/referrals", new_referral, 201), rounds=100),
                floor,
            ),
            (
                f"served: API list, first 50 of {REFERRALS:,} / healthz",
                _timings_ms(call("GET", "/api/v1/referrals"), rounds=100),
                floor,
            ),
            (
                "served: API one referral / healthz",
                _timings_ms(call("GET", f"/api/v1/referrals/{code}"), rounds=100),
                floor,
            ),
            *_served_queue(connection, caseworker, floor),
        ]
    finally:
        server.terminate()
        server.wait(timeout=30)


def _served_queue(
    connection: Any, caseworker: Any, floor: tuple[float, float]
) -> list[tuple[str, tuple[float, float], tuple[float, float]]]:
    """The triage queue's first page and page 1,000 over `connection` to the served app.

    The session is a real one in the database, with the keys the two-step login sets (user,
    backend and auth hash from Django's `login`, the verified device from django-otp's, and the
    session clocks): `trygg.testing.log_in`. Its cookie goes in a Cookie header, so the
    cookie's Secure flag, if set, does not matter on plain HTTP to 127.0.0.1. Each answer must
    be 200 and show a referral code of the page asked for: a redirect to the login page, or the
    wrong page, stops the benchmark.
    """
    from django.conf import settings
    from django.test import Client

    from trygg.referrals.services import queue
    from trygg.testing import log_in

    session = log_in(Client(), caseworker).cookies[settings.SESSION_COOKIE_NAME].value
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
    codes = queue(caseworker).values_list("code", flat=True)
    pages = max(1, -(-codes.count() // 50))
    deep = min(1_000, pages)

    def page(number: int) -> Callable[[], object]:
        path = f"/referrals/triage/?page={number}"
        expected = str(codes[(number - 1) * 50]).encode()

        def run() -> object:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            data = response.read()
            if response.status != 200 or expected not in data:
                raise RuntimeError(
                    f"GET {path} answered {response.status} without {expected.decode()}"
                )
            return data

        return run

    return [
        (
            f"served: triage queue, first 50 of {codes.count():,} / healthz",
            _timings_ms(page(1), rounds=100),
            floor,
        ),
        (
            f"served: triage queue, page {deep:,} of {pages:,} / healthz",
            _timings_ms(page(deep), rounds=100),
            floor,
        ),
    ]


def _public_benchmarks() -> None:
    """The public pages and the help card against their floors, and each page's weight.

    A page's floor is the same bytes read from a file; the card's floor is WeasyPrint rendering
    the same card HTML, so the ratio is what Django, the content files and the QR code add.
    """
    from django.contrib.staticfiles import finders
    from django.test import Client
    from weasyprint import CSS, HTML

    from trygg.jurisdictions.profiles import get_profile
    from trygg.lib import content
    from trygg.public import card
    from trygg.public.views import STEPS

    client = Client()
    directory = Path(tempfile.mkdtemp(prefix="trygg-bench-public-"))

    def get(path: str) -> Callable[[], bytes]:
        return _page(client, path)

    def from_file(path: str) -> Callable[[], bytes]:
        copy = directory / f"page-{abs(hash(path))}.html"
        copy.write_bytes(get(path)())
        return copy.read_bytes

    profile = get_profile()
    sides = [content.get_content("help", language, profile) for language in ("ar", "en")]
    card_html = card.render_to_string(
        "public/card.html",
        {
            "sides": card.card_sides(
                sides, profile, lambda code: f"https://example.org/help/{code}/"
            )
        },
    )
    card_css = card.STYLE_SHEET.read_text(encoding="utf-8")

    def weasyprint_alone() -> object:
        return HTML(string=card_html).write_pdf(stylesheets=[CSS(string=card_css)])

    rows = [
        ("help page, Arabic", get("/help/ar/"), from_file("/help/ar/")),
        (
            "toolkit step, the indicators",
            get("/toolkit/en/indicators/"),
            from_file("/toolkit/en/indicators/"),
        ),
        (
            "help card PDF, Arabic and English",
            get("/help/en/card/?front=ar&back=en"),
            weasyprint_alone,
        ),
    ]
    print()
    print(f"Public pages (no database), median of {ROUNDS} rounds")
    print(f"{'benchmark':<42} {'trygg ms':>9} {'floor ms':>9} {'ratio':>7}")
    for name, code, floor in rows:
        code_ms, floor_ms = _median_ms(code), _median_ms(floor)
        print(f"{name:<42} {code_ms:>9.2f} {floor_ms:>9.3f} {code_ms / floor_ms:>6.1f}x")

    # Weight: the page and everything it loads (style sheet, script, icon), heaviest language.
    assets = sum(
        len(Path(str(finders.find(name))).read_bytes())
        for name in ("trygg/public.css", "trygg/public.js", "trygg/favicon.svg")
    )
    pages: dict[str, list[str]] = {
        "help page": [f"/help/{code}/" for code in content.offered_languages("help", profile)],
        "help card form": [
            f"/help/{code}/card/" for code in content.offered_languages("help", profile)
        ],
    }
    for step in STEPS:
        pages[f"toolkit: {step}"] = [
            f"/toolkit/{code}/{step}/" for code in content.offered_languages("toolkit", profile)
        ]
    print()
    print(f"Weight of the public pages with their style sheet, script and icon ({assets:,} bytes)")
    print(f"{'page (heaviest language)':<42} {'HTML':>9} {'total':>9}")
    for name, paths in pages.items():
        heaviest = max(paths, key=lambda path: len(get(path)()))
        html = len(get(heaviest)())
        print(f"{name + ' (' + heaviest.split('/')[2] + ')':<42} {html:>9,} {html + assets:>9,}")
    card_bytes = len(get("/help/en/card/?front=ar&back=en")())
    print(f"{'help card PDF, Arabic and English':<42} {card_bytes:>9,}")


def _import_benchmark(org: Any) -> None:
    """Import IMPORT_ROWS made-up people from a CSV file against the floor.

    Trygg: `parse_file` (every row checked) then `import_people` (a key per person, eight
    encrypted fields, three blind indexes, duplicate checks, one audit event per person), in
    one transaction. Floor: the csv module reading the same file and one bulk INSERT of the
    same values in plaintext into a table of the same width.
    """
    import csv
    import tempfile

    from django.db import connection, transaction

    from trygg.clients.importer import parse_file
    from trygg.clients.services import import_people
    from trygg.testing import make_user

    rows = IMPORT_ROWS
    caseworker = make_user("bench-importer", org, "caseworker")
    directory = Path(tempfile.mkdtemp(prefix="trygg-import-"))
    path = directory / "register.csv"
    header = [
        "prs_FirstName", "prs_SecondName", "prs_Birthdate", "prs_Gender", "prs_Citizenship",
        "prs_PrimaryLanguage", "prs_MobilePhone", "prs_IdentityNumber", "notes",
    ]  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for n in range(rows):
            writer.writerow([
                f"Made{n:06d}", f"Up{n % 997:03d}",
                f"{1960 + n % 45}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                "Feminine" if n % 2 else "Masculine", "UA", "uk", f"+358 40 {n:07d}",
                f"BX{n:08d}", "Met at the drop-in centre.",
            ])  # fmt: skip

    start = time.perf_counter()
    result = parse_file(path)
    if result.errors:
        raise RuntimeError(f"the generated file has {len(result.errors)} bad rows")
    import_people(actor=caseworker, organisation=org, rows=result.rows)
    trygg_seconds = time.perf_counter() - start

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_import_plain (code varchar(9), "
            + ", ".join(f"c{i} text" for i in range(9))
            + ")"
        )
    start = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle, transaction.atomic():
        reader = csv.reader(handle)
        next(reader)
        values = [(f"P{n:08d}", *cells) for n, cells in enumerate(reader)]
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO bench_import_plain VALUES (" + ", ".join(["%s"] * 10) + ")",  # noqa: S608
                values,
            )
    floor_seconds = time.perf_counter() - start
    print()
    print(f"Import of {rows:,} rows from CSV on {connection.vendor}, one run")
    print(f"{'benchmark':<42} {'trygg':>9} {'floor':>9} {'ratio':>7}")
    print(
        f"{'import, rows per second':<42} {rows / trygg_seconds:>9.0f} {rows / floor_seconds:>9.0f}"
        f" {trygg_seconds / floor_seconds:>6.1f}x"
    )


def _vault_benchmarks() -> list[tuple[str, Callable[[], object], Callable[[], object]]]:
    """Encrypted reads and blind-index lookups against the same work on plaintext columns.

    Two person-like tables of VAULT_PEOPLE rows: one with the eight identity fields in
    plaintext, one with them encrypted. Then LOOKUP_ROWS blind-index entries for "phone", and
    as many rows in the plaintext table with an indexed phone column.
    """
    from django.db import connection, models
    from django.test.utils import isolate_apps

    from trygg.vault import vault
    from trygg.vault.models import BlindIndexEntry

    with isolate_apps("trygg.vault"):

        class PlainPerson(models.Model):
            code = models.CharField(max_length=32, unique=True)
            phone = models.CharField(max_length=40, db_index=True)
            full_name = models.TextField()
            other_names = models.TextField()
            birth_date = models.TextField()
            email = models.TextField()
            address = models.TextField()
            nationality = models.TextField()
            languages = models.TextField()

            class Meta:
                app_label = "vault"
                db_table = "bench_plain_person"

            def __str__(self) -> str:
                return self.code

        class SealedPerson(models.Model):
            code = models.CharField(max_length=32, unique=True)
            full_name_enc = models.BinaryField()
            other_names_enc = models.BinaryField()
            birth_date_enc = models.BinaryField()
            phone_enc = models.BinaryField()
            email_enc = models.BinaryField()
            address_enc = models.BinaryField()
            nationality_enc = models.BinaryField()
            languages_enc = models.BinaryField()

            class Meta:
                app_label = "vault"
                db_table = "bench_sealed_person"

            def __str__(self) -> str:
                return self.code

    with connection.schema_editor() as editor:
        editor.create_model(PlainPerson)
        editor.create_model(SealedPerson)

    def identity(n: int) -> dict[str, str]:
        return {
            "full_name": f"Person Number{n} Example",
            "other_names": f"Alias{n}",
            "birth_date": f"19{n % 90 + 10}-0{n % 9 + 1}-1{n % 9}",
            "phone": f"+35840{n:07d}",
            "email": f"person{n}@example.org",
            "address": f"Street {n % 300}, 00{n % 1000:03d} Helsinki",
            "nationality": "NG",
            "languages": "en, pcm",
        }

    codes = [f"P{n:07d}" for n in range(VAULT_PEOPLE)]
    vault.create_keys(codes)
    sealed = vault.encrypt_many(
        table="bench.person", rows=[(code, code, identity(n)) for n, code in enumerate(codes)]
    )
    SealedPerson._default_manager.bulk_create(
        (
            SealedPerson(code=code, **{f"{k}_enc": v for k, v in blobs.items()})
            for code, blobs in zip(codes, sealed, strict=True)
        ),
        batch_size=2000,
    )
    lookup_rows = max(LOOKUP_ROWS, VAULT_PEOPLE)
    for start in range(0, lookup_rows, 10_000):
        numbers = range(start, min(start + 10_000, lookup_rows))
        PlainPerson._default_manager.bulk_create(
            (PlainPerson(code=f"P{n:07d}", **identity(n)) for n in numbers), batch_size=2000
        )
        BlindIndexEntry.objects.bulk_create(
            (
                BlindIndexEntry(
                    owner=f"P{n:07d}",
                    field="phone",
                    digest=vault.blind_index("phone", f"+35840{n:07d}"),
                )
                for n in numbers
            ),
            batch_size=2000,
        )
    with connection.cursor() as cursor:
        # Fresh statistics, as a long-running database has them.
        cursor.execute("ANALYZE")
    # "New people" must find no key in the cache; the warm-up round reads the KEK again.
    vault.clear_caches()

    cycle = {"n": 0}

    def next_people() -> list[int]:
        cycle["n"] = (cycle["n"] + PER_ROUND) % (VAULT_PEOPLE - PER_ROUND)
        return list(range(cycle["n"], cycle["n"] + PER_ROUND))

    def read_sealed(people: Callable[[], list[int]]) -> Callable[[], object]:
        def run() -> object:
            result: list[dict[str, Any]] = []
            for n in people():
                code = codes[n]
                row = SealedPerson._default_manager.get(code=code)
                blobs = {name: getattr(row, f"{name}_enc") for name in IDENTITY}
                result.append(
                    vault.decrypt_fields(code, table="bench.person", row=code, blobs=blobs)
                )
            return result

        return run

    def read_plain(people: Callable[[], list[int]]) -> Callable[[], object]:
        def run() -> object:
            result: list[dict[str, Any]] = []
            for n in people():
                row = PlainPerson._default_manager.get(code=codes[n])
                result.append({name: getattr(row, name) for name in IDENTITY})
            return result

        return run

    def same_person() -> list[int]:
        return [7] * PER_ROUND

    def lookup_blind() -> object:
        return [vault.find("phone", f"+358 40 {n * 7919 % lookup_rows:07d}") for n in next_people()]

    def lookup_plain() -> object:
        return [
            list(
                PlainPerson._default_manager.filter(
                    phone=f"+35840{n * 7919 % lookup_rows:07d}"
                ).values_list("code", flat=True)
            )
            for n in next_people()
        ]

    return [
        (
            f"{PER_ROUND} reads, 8 encrypted fields, new people",
            read_sealed(next_people),
            read_plain(next_people),
        ),
        (
            f"{PER_ROUND} reads, 8 encrypted fields, key cached",
            read_sealed(same_person),
            read_plain(same_person),
        ),
        (
            f"{PER_ROUND} blind-index finds in {lookup_rows:,}",
            lookup_blind,
            lookup_plain,
        ),
    ]


def _audit_benchmarks() -> None:
    """Audit appends per second and `trygg audit verify` over AUDIT_EVENTS events.

    Appends: `audit.services.record`, one event per transaction, from 1 and from 8 threads at
    once, against the floor of plain INSERTs of the same columns into a table of the same
    shape, without the head lock or the hashes. Verify: `trygg audit verify` over the whole
    chain, against the floor of running its query and fetching every row, without converting
    or hashing anything.
    """
    import threading
    import uuid

    from django.core.management import call_command
    from django.db import connection, transaction

    from trygg.audit import services as audit

    with connection.cursor() as cursor:
        key = "BIGSERIAL" if connection.vendor == "postgresql" else "INTEGER"
        json_type = "JSONB" if connection.vendor == "postgresql" else "TEXT"
        uuid_type = "UUID" if connection.vendor == "postgresql" else "CHAR(32)"
        cursor.execute(
            f"CREATE TABLE bench_audit_floor (seq {key} PRIMARY KEY, at TIMESTAMP NOT NULL, "
            f"action VARCHAR(64) NOT NULL, actor_code {uuid_type}, person_code VARCHAR(16), "
            f"subject_code {uuid_type}, organisation_code {uuid_type}, extra {json_type}, "
            "prev_hash VARCHAR(64) NOT NULL, hash VARCHAR(64) NOT NULL)"
        )
        cursor.execute("CREATE INDEX bench_audit_floor_action ON bench_audit_floor (action, seq)")
    actor = uuid.uuid4()
    actor_value = str(actor) if connection.vendor == "postgresql" else actor.hex
    insert = (
        "INSERT INTO bench_audit_floor (at, action, actor_code, person_code, extra, prev_hash, "
        "hash) VALUES (CURRENT_TIMESTAMP, %s, %s, %s, %s, %s, %s)"
    )

    def trygg_append() -> None:
        audit.record(
            action="person.viewed",
            actor_code=actor,
            person_code="K7F3-Q92X",
            extra={"purpose": "view"},
        )

    def floor_append() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                insert,
                [
                    "person.viewed",
                    actor_value,
                    "K7F3-Q92X",
                    '{"purpose": "view"}',
                    "0" * 64,
                    "0" * 64,
                ],
            )

    def per_second(append: Callable[[], None], writers: int) -> float:
        start = threading.Barrier(writers + 1)
        failures: list[BaseException] = []

        def writer() -> None:
            try:
                start.wait()
                for _ in range(APPENDS // writers):
                    append()
            except BaseException as error:
                failures.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=writer) for _ in range(writers)]
        for thread in threads:
            thread.start()
        start.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        if failures:
            raise RuntimeError(f"an appender failed: {failures[0]!r}")
        return (APPENDS // writers) * writers / elapsed

    rows = []
    for writers in (1, 8):
        trygg_rate = per_second(trygg_append, writers)
        floor_rate = per_second(floor_append, writers)
        rows.append(
            (
                f"audit appends/s, {writers} writer{'s' if writers > 1 else ''}",
                trygg_rate,
                floor_rate,
                floor_rate / trygg_rate,
            )
        )

    # Fill the log to AUDIT_EVENTS events in large batches, as an import would.
    actors = [uuid.uuid4() for _ in range(500)]
    organisations = [uuid.uuid4() for _ in range(20)]
    missing = AUDIT_EVENTS - audit.head_state().count
    began = time.perf_counter()
    for first in range(0, missing, 20_000):
        audit.record_many(
            audit.NewEvent(
                action="person.viewed",
                actor_code=actors[n % len(actors)],
                person_code=f"K{n % 10_000:04d}-Q92X",
                organisation_code=organisations[n % len(organisations)],
                extra={"purpose": "view"},
            )
            for n in range(first, min(first + 20_000, missing))
        )
    filled = time.perf_counter() - began
    count = audit.head_state().count

    began = time.perf_counter()
    call_command("audit", "verify", stdout=io.StringIO())
    verify_s = time.perf_counter() - began
    began = time.perf_counter()
    # The floor: the very query verify runs, every row fetched, nothing computed.
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(audit.chain_query())
        while cursor.fetchmany(10_000):
            pass
    floor_s = time.perf_counter() - began
    rows.append((f"audit verify, {count:,} events, s", verify_s, floor_s, verify_s / floor_s))

    print()
    print(f"Audit log on {connection.vendor}, one run each (filling the log took {filled:.0f} s)")
    print(f"{'benchmark':<42} {'trygg':>9} {'floor':>9} {'ratio':>7}")
    for name, trygg_figure, floor_figure, ratio in rows:
        print(f"{name:<42} {trygg_figure:>9.2f} {floor_figure:>9.2f} {ratio:>6.2f}x")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
