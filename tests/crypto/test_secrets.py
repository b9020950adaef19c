"""Passphrase normalisation and the wipeable key container."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safecase.crypto.secrets import SecretBytes, check_new_passphrase, normalize_passphrase
from safecase.errors import UsageError

KOREAN = "우리집 고양이는 귀엽다"


def test_nfc_and_nfd_korean_passphrase_give_the_same_bytes() -> None:
    nfc = unicodedata.normalize("NFC", KOREAN)
    nfd = unicodedata.normalize("NFD", KOREAN)
    assert nfc != nfd  # the test means something only if the input really differs
    assert normalize_passphrase(nfc) == normalize_passphrase(nfd) == nfc.encode("utf-8")


@given(st.text(min_size=1).filter(lambda text: not text.isspace()))
def test_normalisation_does_not_depend_on_the_input_form(text: str) -> None:
    forms = {unicodedata.normalize(form, text) for form in ("NFC", "NFD")}
    assert len({normalize_passphrase(form) for form in forms}) == 1


@pytest.mark.parametrize("passphrase", ["", " ", "\t\n", "\u3000"])
def test_empty_or_blank_passphrase_is_a_usage_error(passphrase: str) -> None:
    with pytest.raises(UsageError, match="The passphrase is empty: choose one of at least 8 characters"):
        normalize_passphrase(passphrase)


def test_surrounding_spaces_are_kept() -> None:
    assert normalize_passphrase(" secret ") != normalize_passphrase("secret")


def test_new_passphrase_must_have_eight_characters() -> None:
    with pytest.raises(UsageError, match="too short"):
        check_new_passphrase("short")
    with pytest.raises(UsageError, match="empty"):
        check_new_passphrase("   ")
    check_new_passphrase("long enough")


def test_new_passphrase_length_counts_hangul_syllables_not_jamo() -> None:
    seven = unicodedata.normalize("NFD", "가나다라마바사")  # 7 syllables, 14 code points when decomposed
    eight = unicodedata.normalize("NFD", "가나다라마바사아")
    with pytest.raises(UsageError, match="too short"):
        check_new_passphrase(seven)
    check_new_passphrase(eight)


def test_secret_bytes_wipe_zeroes_the_buffer() -> None:
    secret = SecretBytes(b"\x01" * 32)
    view = secret.view()
    secret.wipe()
    assert bytes(view) == bytes(32)
    assert secret.wiped
    with pytest.raises(ValueError, match="wiped"):
        secret.reveal()


def test_secret_bytes_never_shows_its_content() -> None:
    secret = SecretBytes(b"fictional key material 12345678")
    assert "fictional" not in repr(secret)
    assert "fictional" not in str(secret)
    assert repr(secret) == "SecretBytes(<31 bytes>)"


def test_bytes_of_secret_bytes_is_a_copy() -> None:
    secret = SecretBytes(b"\x07" * 32)
    copy = bytes(secret)
    secret.wipe()
    assert copy == b"\x07" * 32  # the copy survives: that is why reveal() is used sparingly


def test_secret_bytes_context_manager_wipes_on_exit() -> None:
    with SecretBytes.random() as secret:
        assert len(secret.reveal()) == 32
    assert secret.wiped


def test_secret_bytes_compare_in_constant_time_with_bytes() -> None:
    secret = SecretBytes(b"abc")
    assert secret == b"abc"
    assert secret == SecretBytes(b"abc")
    assert secret != b"abd"
