"""The passphrase strength meter: weak choices score low with a useful hint, word passphrases score well."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safecase.domain.passphrase_strength import (
    _COMMON_PASSWORDS,
    HINT_AVOID_REPEATS,
    HINT_AVOID_SEQUENCES,
    HINT_CODES,
    HINT_COMMON,
    HINT_GOOD,
    HINT_TOO_SHORT,
    MAX_SCORE,
    estimate_strength,
    score_for_bits,
)

ANY_CHARACTER = st.characters(codec=None, exclude_categories=())
ANY_TEXT = st.text(ANY_CHARACTER, max_size=80)


@pytest.mark.parametrize(
    "passphrase",
    [
        "password",
        "Password123!",
        "p4ssw0rd",
        "qwertyuiop",
        "1q2w3e4r5t",
        "iloveyou",
        "12345678",
        "사랑해요",
        "tkfkdgo",
        "correct horse battery staple",
        "CorrectHorseBatteryStaple",
    ],
)
def test_common_passwords_score_zero_and_say_so(passphrase: str) -> None:
    strength = estimate_strength(passphrase)
    assert strength.score == 0
    assert strength.hint_code == HINT_COMMON


@pytest.mark.parametrize(
    "passphrase",
    [
        "tiger paper motion globe",
        "cat dog sun map",
        "gorilla anvil ketchup orbit",
        "purple elephant dances quietly",
        "국경 기차 보따리 새벽",
    ],
)
def test_four_random_words_score_three_or_four(passphrase: str) -> None:
    strength = estimate_strength(passphrase)
    assert strength.score >= 3
    assert strength.hint_code == HINT_GOOD


def test_hangul_counts_as_a_large_alphabet() -> None:
    # Eight unrelated syllables carry more than twelve unrelated Latin letters.
    assert estimate_strength("곰솔핀늪댁쿵뺨휘").bits > estimate_strength("qnzvbtrkpwlx").bits


def test_the_empty_passphrase_scores_nothing_and_asks_for_more() -> None:
    strength = estimate_strength("")
    assert (strength.score, strength.bits, strength.hint_code) == (0, 0.0, HINT_TOO_SHORT)


def test_short_random_text_is_told_it_is_too_short() -> None:
    strength = estimate_strength("qnzvbt")
    assert strength.score <= 1
    assert strength.hint_code == HINT_TOO_SHORT


@pytest.mark.parametrize(
    "passphrase", ["aaaaaaaaaaaaaaaaaaaa", "abcabcabcabcabc", "xyzq xyzq xyzq xyzq", "사랑사랑사랑사랑"]
)
def test_repeats_are_cheap_and_named(passphrase: str) -> None:
    strength = estimate_strength(passphrase)
    assert strength.score <= 1
    assert strength.hint_code == HINT_AVOID_REPEATS


@pytest.mark.parametrize(
    "passphrase", ["hijklmnopqrs", "zyxwvutsrqpon", "poiuytrewq;lkjh", "acegikmoqsuw", "6789012345"]
)
def test_sequences_and_keyboard_runs_are_cheap_and_named(passphrase: str) -> None:
    strength = estimate_strength(passphrase)
    assert strength.score <= 1
    assert strength.hint_code == HINT_AVOID_SEQUENCES


def test_a_pattern_costs_far_less_than_the_same_length_of_random_text() -> None:
    assert estimate_strength("abcdefghijkl").bits < estimate_strength("qnzvbtrkpwlx").bits / 2


def test_nfc_and_nfd_spellings_are_estimated_alike() -> None:
    korean = "우리집 강아지 이름은 초코"
    assert estimate_strength(unicodedata.normalize("NFD", korean)) == estimate_strength(korean)


def test_very_long_input_is_fast_enough_for_every_keystroke() -> None:
    strength = estimate_strength("수" * 100_000)
    assert strength.score <= MAX_SCORE


@given(ANY_TEXT)
def test_never_crashes_and_stays_in_range(passphrase: str) -> None:
    strength = estimate_strength(passphrase)
    assert 0 <= strength.score <= MAX_SCORE
    assert strength.bits >= 0.0
    assert strength.hint_code in HINT_CODES


@given(ANY_TEXT, ANY_CHARACTER)
def test_typing_one_more_character_never_lowers_the_estimate(passphrase: str, char: str) -> None:
    before = estimate_strength(passphrase).bits
    after = estimate_strength(passphrase + char).bits
    if unicodedata.normalize("NFC", passphrase + char).startswith(unicodedata.normalize("NFC", passphrase)):
        assert after >= before - 1e-9
    else:
        # A combining mark merged into the previous character: only the merged character is re-estimated.
        assert after >= before - 32.0


@given(ANY_TEXT, ANY_TEXT)
def test_score_is_monotone_in_bits(first: str, second: str) -> None:
    weaker, stronger = sorted((estimate_strength(first), estimate_strength(second)), key=lambda s: s.bits)
    assert weaker.score <= stronger.score
    assert score_for_bits(weaker.bits) == weaker.score


@given(st.floats(min_value=0, max_value=500), st.floats(min_value=0, max_value=500))
def test_score_for_bits_is_monotone(low: float, high: float) -> None:
    low, high = sorted((low, high))
    assert score_for_bits(low) <= score_for_bits(high)


def test_every_built_in_common_password_scores_zero() -> None:
    assert all(estimate_strength(password).score == 0 for password in _COMMON_PASSWORDS)
