"""Appending stays strictly linear when eight writers append at once.

On PostgreSQL the writers are threads on the test database. SQLite's in-memory test database
is shared between connections in a way that fails concurrent writers at once instead of
making them wait ("database table is locked"), so there the same threads run in a separate
process against a database file, as a deployment on the embedded default would.
"""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.db import connection

from trygg.audit import services
from trygg.audit.models import AuditEvent

WRITERS = 8
EACH = 25


def run_writers() -> dict[str, object]:
    """Let WRITERS threads append EACH events each, all at once; return what the log holds."""
    start = threading.Barrier(WRITERS)
    failures: list[str] = []

    def writer(number: int) -> None:
        try:
            start.wait()
            for n in range(EACH):
                services.record(action="test.concurrent", extra={"writer": number, "n": n})
        except Exception as error:  # reported by the test, in its own thread
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rows = AuditEvent.objects.order_by("seq").values_list("seq", "extra")
    return {
        "failures": failures,
        "count": services.verify_chain().count,
        "seqs": [seq for seq, _ in rows],
        "orders": [
            [extra["n"] for _, extra in rows if extra["writer"] == number]
            for number in range(WRITERS)
        ],
    }


SQLITE_FILE_SCRIPT = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", "audit", verbosity=0)
from trygg.audit.tests.test_concurrency import run_writers
print(json.dumps(run_writers()))
"""


def test_eight_concurrent_writers_keep_the_chain_linear(
    committed_log: None, tmp_path: Path
) -> None:
    if connection.vendor == "postgresql":
        result = run_writers()
    else:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "trygg.test_settings",
            "TRYGG_DATABASE_URL": f"sqlite:///{tmp_path / 'audit.sqlite3'}",
            "TRYGG_VAR_DIR": str(tmp_path),
        }
        done = subprocess.run(
            [sys.executable, "-c", SQLITE_FILE_SCRIPT],
            env=env,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["failures"] == []
    assert result["count"] == WRITERS * EACH
    assert result["seqs"] == list(range(1, WRITERS * EACH + 1))
    # Each writer's own events keep the order it wrote them in.
    assert result["orders"] == [list(range(EACH))] * WRITERS
