from collections.abc import Iterator

import pytest

from trygg.audit.tests.helpers import empty_the_log


@pytest.fixture
def committed_log(transactional_db: None) -> Iterator[None]:
    """A database whose writes are really committed, with the audit log emptied afterwards.

    Django's flush after a transactional test empties every table; the append-only triggers
    refuse that for audit events, so they are removed here first, the test-only way.
    """
    yield
    empty_the_log()
