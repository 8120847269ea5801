"""Normalisation: idempotent, and blind to case, diacritics and spacing (property-based)."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.vault.normalise import (
    normalise,
    normalise_document,
    normalise_name_birth_date,
    normalise_phone,
)

LATIN_WORDS = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöøæéèüñç", min_size=1, max_size=12),
    min_size=1,
    max_size=4,
)


def test_the_examples_of_the_documentation() -> None:
    assert normalise("José  GARCÍA") == "jose garcia"
    assert normalise("  Ｍａｒｉａ\tKOWALSKA ") == "maria kowalska"
    assert normalise_phone("+358 40 123-4567") == "+358401234567"
    assert normalise_phone("0046 70 1234567") == "+46701234567"
    assert normalise_phone("040 123 4567") == "0401234567"
    assert normalise_document(" ab-12 34 ") == "AB1234"
    assert normalise_name_birth_date("José García|1990-01-02") == "jose garcia|1990-01-02"


@settings(max_examples=2000)
@given(st.text())
def test_normalising_twice_changes_nothing(value: str) -> None:
    once = normalise(value)
    assert normalise(once) == once


@settings(max_examples=2000)
@given(st.text())
def test_a_phone_or_document_normalised_twice_changes_nothing(value: str) -> None:
    assert normalise_phone(normalise_phone(value)) == normalise_phone(value)
    assert normalise_document(normalise_document(value)) == normalise_document(value)


@given(st.text())
def test_the_result_has_no_outer_or_double_spaces(value: str) -> None:
    result = normalise(value)
    assert result == result.strip()
    assert "  " not in result
    assert not any(unicodedata.category(char) == "Mn" for char in result)


@given(LATIN_WORDS, st.data())
def test_case_diacritics_and_spacing_do_not_matter(words: list[str], data: st.DataObject) -> None:
    plain = " ".join(words)
    shouted = plain.upper()
    decomposed = unicodedata.normalize("NFD", plain)
    separators = data.draw(
        st.lists(
            st.sampled_from([" ", "  ", "\t", "\u00a0", "\n"]),
            min_size=len(words) - 1,
            max_size=len(words) - 1,
        )
    )
    spaced = "  " + "".join(w + s for w, s in zip(words, [*separators, ""], strict=True)) + " "
    undotted = "".join(
        char for char in unicodedata.normalize("NFD", plain) if unicodedata.category(char) != "Mn"
    )
    assert normalise(plain) == normalise(shouted) == normalise(decomposed) == normalise(spaced)
    assert normalise(plain) == normalise(undotted)


@given(st.text(alphabet="0123456789", min_size=1, max_size=15), st.data())
def test_phone_punctuation_does_not_matter(digits: str, data: st.DataObject) -> None:
    punctuated = "".join(
        char + data.draw(st.sampled_from(["", " ", "-", ".", ")", "("])) for char in digits
    )
    assert normalise_phone("+" + punctuated) == "+" + digits
