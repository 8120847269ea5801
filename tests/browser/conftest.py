"""Browser tests: a real Trygg server process driven by Debian's Chromium through Playwright.

One server per test session, started the way an operator starts one: `trygg migrate`,
`trygg demo` (whose printed credentials the tests log in with), then gunicorn. It gets a
temporary TRYGG_VAR_DIR, a generated secret key and a database of its own: a fresh database
on the PostgreSQL server that TRYGG_DATABASE_URL points at, if it does (as under
scripts/with-postgres.sh), or else a SQLite file in the temporary directory.

`trygg_server` has the default jurisdiction profile (Finland). `trygg_server_no`, started only
by the tests that ask for it, is a second server with the Norwegian profile
(TRYGG_JURISDICTION=no) and a database of its own.

pytest-django's live_server is not used: it flushes the database between tests, and the
audit log refuses DELETE and TRUNCATE by design.
"""

import base64
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django_otp.oath import hotp
from playwright.sync_api import Page, expect

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BIN_DIR = Path(sys.executable).parent
TOTP_STEP = 30
SERVER_START_TIMEOUT = 30.0
CREDENTIALS_LINE = re.compile(
    r"^\s+(?P<username>\S+)\s+password: (?P<password>\S+)\s+totp secret: (?P<secret>[A-Z2-7=]+)\s*$"
)
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    secret: str

    @property
    def key(self) -> bytes:
        padded = self.secret + "=" * (-len(self.secret) % 8)
        return base64.b32decode(padded)

    def code_at(self, step: int) -> str:
        return f"{hotp(self.key, step, digits=6):06d}"


@dataclass
class TryggServer:
    url: str
    users: dict[str, DemoUser]
    log_path: Path
    _last_step: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def user(self, username: str) -> DemoUser:
        return self.users[username]

    def fresh_code(self, user: DemoUser) -> str:
        """The code the user's authenticator shows now, never one the server has seen.

        django-otp refuses a code from a time step it has already accepted for the device, so
        a second login of the same user within one 30-second step waits for the next step.
        """
        with self._lock:
            step = int(time.time()) // TOTP_STEP
            if step <= self._last_step.get(user.username, -1):
                time.sleep(TOTP_STEP - time.time() % TOTP_STEP + 0.2)
                step = int(time.time()) // TOTP_STEP
            self._last_step[user.username] = step
            return user.code_at(step)

    def wrong_code(self, user: DemoUser) -> str:
        """A six-digit code that the server will not accept at any step it tolerates now."""
        step = int(time.time()) // TOTP_STEP
        valid = {user.code_at(step + delta) for delta in range(-2, 3)}
        code = int(user.code_at(step))
        while f"{code:06d}" in valid:
            code = (code + 111_111) % 1_000_000
        return f"{code:06d}"

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]
        except OSError:
            return ""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_env(var_dir: Path, database_url: str) -> dict[str, str]:
    """The environment of a development deployment, with nothing inherited from the suite."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("TRYGG_")
        and key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="trygg.settings",
        TRYGG_ENV="development",
        TRYGG_SECRET_KEY=secrets.token_urlsafe(50),
        TRYGG_VAR_DIR=str(var_dir),
        TRYGG_DATABASE_URL=database_url,
        TRYGG_LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _trygg(args: list[str], env: dict[str, str], cwd: Path) -> str:
    result = subprocess.run(
        [str(BIN_DIR / "trygg"), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"`trygg {' '.join(args)}` failed with exit code {result.returncode}:\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}",
            pytrace=False,
        )
    return result.stdout


def _parse_credentials(output: str) -> dict[str, DemoUser]:
    users = {}
    for line in output.splitlines():
        match = CREDENTIALS_LINE.match(line)
        if match:
            users[match["username"]] = DemoUser(
                match["username"], match["password"], match["secret"]
            )
    if not users:
        pytest.fail(f"`trygg demo` printed no credentials:\n{output}", pytrace=False)
    return users


@contextmanager
def _fresh_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database for one server alone: fresh on the suite's PostgreSQL, or a SQLite file."""
    from trygg.lib.env import env_secret

    suite_url = env_secret("DATABASE_URL")
    parts = urlsplit(suite_url)
    if parts.scheme not in POSTGRES_SCHEMES:
        var_dir = tmp_path_factory.mktemp("browser-db")
        yield f"sqlite:///{var_dir / 'trygg.sqlite3'}"
        return

    import psycopg
    from psycopg import sql

    name = f"trygg_browser_{secrets.token_hex(4)}"
    admin_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture(scope="session")
def _database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The database of `trygg_server`."""
    with _fresh_database(tmp_path_factory) as url:
        yield url


@pytest.fixture(scope="session")
def _database_url_no(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The database of `trygg_server_no`."""
    with _fresh_database(tmp_path_factory) as url:
        yield url


@contextmanager
def _serve(database_url: str, extra_env: Mapping[str, str] | None = None) -> Iterator[TryggServer]:
    """Migrate, load the demo data and serve Trygg with gunicorn until the block ends.

    The server's environment is that of a development deployment (`_server_env`), plus
    `extra_env`, such as TRYGG_JURISDICTION.
    """
    var_dir = Path(tempfile.mkdtemp(prefix="trygg-browser-"))
    env = {**_server_env(var_dir, database_url), **(extra_env or {})}
    _trygg(["migrate", "--no-input"], env, var_dir)
    users = _parse_credentials(_trygg(["demo"], env, var_dir))

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = var_dir / "server.log"
    log = log_path.open("w", encoding="utf-8")
    process = subprocess.Popen(
        [
            str(BIN_DIR / "gunicorn"),
            "trygg.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            "--threads=8",
            "--worker-class=gthread",
            "--graceful-timeout=2",
            "--log-level=warning",
        ],
        env=env,
        cwd=var_dir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = TryggServer(url=url, users=users, log_path=log_path)
    try:
        _wait_until_up(process, server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
        shutil.rmtree(var_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def trygg_server(_database_url: str) -> Iterator[TryggServer]:
    """Trygg with the default jurisdiction profile (Finland), for the whole session."""
    with _serve(_database_url) as server:
        yield server


@pytest.fixture(scope="session")
def trygg_server_no(_database_url_no: str) -> Iterator[TryggServer]:
    """A second server with the Norwegian profile and a database of its own."""
    with _serve(_database_url_no, {"TRYGG_JURISDICTION": "no"}) as server:
        yield server


def _wait_until_up(process: subprocess.Popen[bytes], server: TryggServer) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"The Trygg server exited with code {process.returncode}:\n{server.log()}",
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(
        f"The Trygg server did not answer within {SERVER_START_TIMEOUT:.0f} s:\n{server.log()}",
        pytrace=False,
    )


# pytest-playwright


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium: Playwright's own browser downloads are not available here."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        message = (
            f"Chromium not found at {CHROMIUM} (install the Debian package `chromium`, "
            "or set CHROMIUM_PATH)."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} CI=true: browser tests must run.", pytrace=False)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(trygg_server: TryggServer) -> str:
    """page.goto("/path") goes to the test server."""
    return trygg_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # A fixed browser language, so that pages start in English whatever the machine's locale.
    return {**browser_context_args, "locale": "en-GB", "viewport": {"width": 1280, "height": 800}}


@pytest.fixture(autouse=True)
def _short_timeouts(page: Page) -> None:
    """Fail within seconds, not Playwright's default 30 s, when a page is not as expected."""
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)


# Steps shared by the tests

SUBMIT = "main form.stacked button[type=submit]"


def submit_form(page: Page, action: Callable[[], None]) -> None:
    """Post a form by `action` (a click or a key press); fail clearly if the post is refused.

    A 403 here is Django's CSRF check refusing the post: say so and show the Origin header,
    rather than leaving a later URL assertion to time out.
    """
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        action()
    response = posted.value
    assert response.status != 403, (
        f"The server refused the form post to {response.url} with 403 (CSRF check); "
        f"the browser sent Origin: {response.request.headers.get('origin')!r}"
    )


@pytest.fixture(name="submit_form")
def submit_form_fixture() -> Callable[[Page, Callable[[], None]], None]:
    return submit_form


@pytest.fixture
def submit_password(trygg_server: TryggServer) -> Callable[[Page, DemoUser], None]:
    """Fill in the first login step on the current login page and reach the code step."""

    def step(page: Page, user: DemoUser) -> None:
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(user.password)
        submit_form(page, page.locator(SUBMIT).click)
        expect(page).to_have_url(re.compile(r"/accounts/login/verify/"))

    return step


@pytest.fixture
def submit_code() -> Callable[[Page, str], None]:
    def step(page: Page, code: str) -> None:
        page.locator("#id_token").fill(code)
        submit_form(page, page.locator(SUBMIT).click)

    return step


@pytest.fixture
def browser_log_in(
    trygg_server: TryggServer,
    submit_password: Callable[[Page, DemoUser], None],
    submit_code: Callable[[Page, str], None],
) -> Callable[[Page, DemoUser], None]:
    """Log in from the current login page with password and TOTP; end on the start page."""

    def steps(page: Page, user: DemoUser) -> None:
        submit_password(page, user)
        submit_code(page, trygg_server.fresh_code(user))
        expect(page).to_have_url(trygg_server.url + "/")

    return steps


@pytest.fixture(scope="session")
def screenshot_dir(pytestconfig: pytest.Config) -> Path:
    path = pytestconfig.rootpath / "test-results" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


# Accessibility: axe-core from the npm registry (package.json), loaded into pages by the tests.
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        message = f"{AXE} is missing: run `make testtools` (npm ci)."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def serious_violations(page: Page, axe_source: str) -> list[str]:
    page.evaluate(axe_source)
    result: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{page.url}: {violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in BLOCKING
    ]


@pytest.fixture
def axe_violations(axe_source: str) -> Callable[[Page], list[str]]:
    """Return a function listing a page's serious and critical WCAG violations."""
    return lambda page: serious_violations(page, axe_source)
