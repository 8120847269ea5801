"""Any Unicode text survives encryption and decryption unchanged (property-based)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trygg.vault import vault

# The owner's key is made once per test; Hypothesis may reuse the function-scoped fixture.
_REUSE = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)


@_REUSE
@given(value=st.text(), row=st.text(min_size=1, max_size=40), field=st.text(max_size=40))
def test_any_text_round_trips(owner: str, value: str, row: str, field: str) -> None:
    blob = vault.encrypt(owner, table="clients.person", field=field, row=row, value=value)
    assert vault.decrypt(owner, table="clients.person", field=field, row=row, blob=blob) == value


@_REUSE
@given(values=st.dictionaries(st.text(min_size=1, max_size=20), st.text(), max_size=8))
def test_any_set_of_fields_round_trips(owner: str, values: dict[str, str]) -> None:
    blobs = vault.encrypt_fields(owner, table="clients.person", row="r", values=values)
    assert vault.decrypt_fields(owner, table="clients.person", row="r", blobs=blobs) == values


@_REUSE
@given(value=st.text(min_size=1), row=st.text(min_size=1, max_size=20))
def test_another_row_never_decrypts(owner: str, value: str, row: str) -> None:
    blob = vault.encrypt(owner, table="t", field="f", row=row, value=value)
    try:
        vault.decrypt(owner, table="t", field="f", row=row + "x", blob=blob)
    except vault.DecryptionError:
        return
    raise AssertionError("a blob decrypted for another row")
