"""Recovery keys: format, tolerant parsing, typo detection, and the X25519 key they stand for."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safecase.crypto.recovery_key import RecoveryKey, generate_recovery_key, parse_recovery_key
from safecase.errors import UsageError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# A fixed, fictional key so that the exhaustive typo tests are deterministic.
FIXED = RecoveryKey(bytes.fromhex("8f3a11c4e2b95d07a6f0c3e18b4d2a9677e5c1f0a3b8d6e2195c4f7a0e3d6b21"))


def test_formatted_key_is_14_groups_of_4_crockford_characters() -> None:
    text = generate_recovery_key().formatted()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){13}", text)


@given(st.binary(min_size=32, max_size=32))
def test_formatted_key_parses_back(secret: bytes) -> None:
    key = RecoveryKey(secret)
    assert parse_recovery_key(key.formatted()) == key


@pytest.mark.parametrize(
    "mangle",
    [
        str.lower,
        lambda text: text.replace("-", ""),
        lambda text: text.replace("-", " "),
        lambda text: "  " + text.replace("-", " - ") + "\n",
        lambda text: text.replace("-", "\u2013"),  # en dash from a word processor
        lambda text: text.translate({ord(c): ord(c) + 0xFEE0 for c in ALPHABET}),  # full-width (Korean IME)
        lambda text: text.replace("0", "O").replace("1", "l"),  # letters Crockford reads as digits
        lambda text: text.replace("1", "I").lower(),
    ],
)
def test_parsing_forgives_how_people_copy_keys(mangle: Callable[[str], str]) -> None:
    assert parse_recovery_key(mangle(FIXED.formatted())) == FIXED


def test_fixed_key_has_the_characters_the_confusion_tests_need() -> None:
    compact = FIXED.formatted().replace("-", "")
    assert "0" in compact and "1" in compact


def _compact() -> str:
    return FIXED.formatted().replace("-", "")


def test_every_single_character_typo_is_reported_as_a_typo() -> None:
    compact = _compact()
    for position, original in enumerate(compact):
        for replacement in ALPHABET:
            if replacement == original:
                continue
            typo = compact[:position] + replacement + compact[position + 1 :]
            with pytest.raises(UsageError, match="The recovery key has a typo: check each group"):
                parse_recovery_key(typo)


def test_every_swap_of_two_key_characters_is_reported_as_a_typo() -> None:
    compact = _compact()
    body = compact[:52]
    for i in range(52):
        for j in range(i + 1, 52):
            if body[i] == body[j]:
                continue
            swapped = list(compact)
            swapped[i], swapped[j] = swapped[j], swapped[i]
            with pytest.raises(UsageError, match="typo"):
                parse_recovery_key("".join(swapped))


@given(st.data())
def test_random_typos_never_yield_another_key(data: st.DataObject) -> None:
    key = RecoveryKey(data.draw(st.binary(min_size=32, max_size=32)))
    compact = list(key.formatted().replace("-", ""))
    position = data.draw(st.integers(0, len(compact) - 1))
    replacement = data.draw(st.sampled_from(ALPHABET).filter(lambda c: c != compact[position]))
    compact[position] = replacement
    with pytest.raises(UsageError):
        parse_recovery_key("".join(compact))


def test_a_missing_group_is_reported_as_incomplete() -> None:
    groups = FIXED.formatted().split("-")
    with pytest.raises(UsageError, match="14 groups of 4"):
        parse_recovery_key("-".join(groups[:-1]))
    with pytest.raises(UsageError, match="14 groups of 4"):
        parse_recovery_key(FIXED.formatted() + "-AAAA")


@pytest.mark.parametrize("text", ["", "   ", "- - -"])
def test_an_empty_key_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="empty"):
        parse_recovery_key(text)


def test_a_character_outside_the_alphabet_is_a_typo() -> None:
    compact = _compact()
    with pytest.raises(UsageError, match="typo"):
        parse_recovery_key("U" + compact[1:])  # Crockford leaves U out


@given(st.text(max_size=200))
def test_parsing_arbitrary_text_raises_only_usage_errors(text: str) -> None:
    with contextlib.suppress(UsageError):
        parse_recovery_key(text)


def test_recovery_key_is_an_x25519_key_with_a_stable_public_key() -> None:
    assert len(FIXED.public_key_bytes()) == 32
    assert FIXED.public_key_bytes() == FIXED.private_key().public_key().public_bytes_raw()
    assert FIXED.public_key_bytes() != generate_recovery_key().public_key_bytes()


def test_repr_never_shows_the_key() -> None:
    assert repr(FIXED) == "RecoveryKey()"
    assert FIXED.formatted()[:4] not in repr(FIXED)


def test_recovery_key_must_be_32_bytes() -> None:
    with pytest.raises(ValueError):
        RecoveryKey(b"short")
