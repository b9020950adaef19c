"""Contact cards: round trip, every refusal, byte flips, and the minisign key line checked with stock minisign."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safecase.crypto import contact_card, minisign
from safecase.crypto.contact_card import ContactCard, make_card, read_card
from safecase.crypto.encoding import canonical_json
from safecase.crypto.identity import Identity
from safecase.errors import ExitCode, IntegrityError, SafeCaseError, UsageError, ValidationError

IDENTITY = Identity.generate()
ATTACKER = Identity.generate()
# Fictional people and organisations.
NAME = "김영희 (가명)"
ORGANISATION = "북한인권 기록 모임 (가상)"
CREATED_AT = "2026-11-28T10:00:00.000Z"
CARD = make_card(IDENTITY, NAME, ORGANISATION, CREATED_AT)

MINISIGN = shutil.which("minisign")


def _fields(card: bytes = CARD) -> dict[str, Any]:
    fields: dict[str, Any] = json.loads(card)
    return fields


def _encode(fields: dict[str, Any]) -> bytes:
    return (json.dumps(fields, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _signed(fields: dict[str, Any], signer: Identity = IDENTITY) -> bytes:
    """`fields` re-signed as the card format documents, so that only the change under test is wrong."""
    unsigned = {key: value for key, value in fields.items() if key != "signature"}
    signature = signer.sign(b"safecase contact card v1\n" + canonical_json(unsigned))
    return _encode({**unsigned, "signature": base64.b64encode(signature).decode()})


def _changed(**changes: Any) -> dict[str, Any]:
    return {**_fields(), **changes}


# --- round trip -------------------------------------------------------------------------------------------------


def test_round_trip_keeps_korean_names() -> None:
    card = read_card(CARD)
    assert card == ContactCard(NAME, ORGANISATION, IDENTITY.public(), CREATED_AT)
    assert card.display_name == "김영희 (가명)"


def test_fingerprint_is_the_identity_fingerprint() -> None:
    card = read_card(CARD)
    assert card.fingerprint == IDENTITY.public().fingerprint()
    assert _fields()["fingerprint"] == IDENTITY.public().fingerprint()


def test_card_file_layout() -> None:
    fields = _fields()
    assert set(fields) == {
        "format",
        "version",
        "display_name",
        "organisation",
        "ed25519_public_key",
        "age_recipient",
        "fingerprint",
        "minisign_public_key",
        "created_at",
        "signature",
    }
    assert fields["format"] == "safecase-contact-card" and fields["version"] == 1
    assert fields["ed25519_public_key"] == base64.b64encode(IDENTITY.public_key_bytes).decode()
    assert fields["age_recipient"] == IDENTITY.public().age_recipient
    assert fields["minisign_public_key"] == minisign.public_key_base64(IDENTITY.public_key_bytes)
    assert _encode(fields) == CARD
    assert CARD.endswith(b"}\n")
    assert NAME.encode() in CARD  # ensure_ascii=False: names stay readable in the file


def test_signature_is_over_the_documented_bytes() -> None:
    fields = _fields()
    assert _signed(fields) == CARD


def test_empty_names_are_allowed() -> None:
    card = read_card(make_card(IDENTITY, "", "", CREATED_AT))
    assert (card.display_name, card.organisation) == ("", "")


def test_the_longest_names_round_trip() -> None:
    card = read_card(make_card(IDENTITY, "가" * 200, "o" * 200, CREATED_AT))
    assert card.display_name == "가" * 200


def test_a_byte_order_mark_is_tolerated() -> None:
    assert read_card(b"\xef\xbb\xbf" + CARD) == read_card(CARD)


def test_minisign_public_key_property_matches_the_file() -> None:
    assert read_card(CARD).minisign_public_key == _fields()["minisign_public_key"]


# --- refusals when making a card --------------------------------------------------------------------------------

HIDDEN = ["\n", "\t", "\x00", "\x1b[31m", "\u202e", "\u200b", "\u2028", "\u2029", "\ufeff"]


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("field", ["display_name", "organisation"])
def test_make_refuses_hidden_characters(field: str, hidden: str) -> None:
    names = {"display_name": NAME, "organisation": ORGANISATION, field: f"김{hidden}영희"}
    with pytest.raises(ValidationError, match="control characters") as caught:
        make_card(IDENTITY, names["display_name"], names["organisation"], CREATED_AT)
    assert caught.value.field == field


@pytest.mark.parametrize("field", ["display_name", "organisation"])
def test_make_refuses_a_name_over_200_characters(field: str) -> None:
    names = {"display_name": NAME, "organisation": ORGANISATION, field: "가" * 201}
    with pytest.raises(ValidationError, match="200") as caught:
        make_card(IDENTITY, names["display_name"], names["organisation"], CREATED_AT)
    assert caught.value.field == field


@pytest.mark.parametrize(
    "created_at",
    ["", "2026-11-28", "2026-11-28T10:00:00Z", "2026-11-28T10:00:00.000+09:00", "2026-02-30T10:00:00.000Z"],
)
def test_make_refuses_a_bad_creation_time(created_at: str) -> None:
    with pytest.raises(ValueError, match="created_at"):
        make_card(IDENTITY, NAME, ORGANISATION, created_at)


# --- refusals when reading: not a card --------------------------------------------------------------------------

_B64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _non_canonical(text: str) -> str:
    """The same 32 bytes with a spare bit set: 32 bytes leave 2 unused bits in the last character before "="."""
    last = _B64_ALPHABET[_B64_ALPHABET.index(text[-2]) ^ 1]
    return text[:-2] + last + "="


_missing = _fields()
del _missing["organisation"]

NOT_A_CARD = {
    "empty": b"",
    "not json": b"hello",
    "not utf-8": CARD.replace(NAME.encode(), b"\xff\xfe"),
    "a list": b"[]",
    "a string": b'"safecase-contact-card"',
    "too big": CARD + b" " * (64 * 1024),
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
    "missing field": _signed(_missing),
    "unknown field": _signed(_changed(email="kim@example.org")),
    "wrong format": _signed(_changed(format="safecase-identity")),
    "version 2": _signed(_changed(version=2)),
    "version true": _signed(_changed(version=True)),
    "version 1.0": _signed(_changed(version=1.0)),
    "version as text": _signed(_changed(version="1")),
    "name not a string": _signed(_changed(display_name=42)),
    "organisation null": _signed(_changed(organisation=None)),
    "name too long": _signed(_changed(display_name="가" * 201)),
    "key not base64": _signed(_changed(ed25519_public_key="not base64!")),
    "key not canonical base64": _signed(_changed(ed25519_public_key=_non_canonical(_fields()["ed25519_public_key"]))),
    "key too short": _signed(_changed(ed25519_public_key=base64.b64encode(b"\x01" * 31).decode())),
    "bad age recipient": _signed(_changed(age_recipient="age1notarecipient")),
    "signature too short": _encode(_changed(signature=base64.b64encode(b"\x00" * 63).decode())),
    "signature not base64": _encode(_changed(signature="####")),
    "created_at not a time": _signed(_changed(created_at="yesterday")),
    "created_at not UTC": _signed(_changed(created_at="2026-11-28T10:00:00.000+09:00")),
    "NaN": CARD.replace(b'"version": 1', b'"version": NaN'),
}


def test_the_non_canonical_key_case_really_decodes() -> None:
    # Guard for the case above: the altered text must still be base64 that a lax decoder would accept.
    text = json.loads(NOT_A_CARD["key not canonical base64"])["ed25519_public_key"]
    assert text != _fields()["ed25519_public_key"]
    assert base64.b64decode(text) == IDENTITY.public_key_bytes


@pytest.mark.parametrize("data", NOT_A_CARD.values(), ids=NOT_A_CARD.keys())
def test_what_is_not_a_card_is_a_usage_error(data: bytes) -> None:
    with pytest.raises(UsageError, match="not a SafeCase contact card") as caught:
        read_card(data)
    assert caught.value.exit_code == ExitCode.USAGE


def test_duplicate_keys_are_refused() -> None:
    duplicated = CARD.replace(b'  "version": 1', b'  "version": 1,\n  "display_name": "someone else"', 1)
    with pytest.raises(UsageError, match="not a SafeCase contact card"):
        read_card(duplicated)


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("field", ["display_name", "organisation"])
def test_read_refuses_hidden_characters_even_when_signed(field: str, hidden: str) -> None:
    with pytest.raises(UsageError, match="hidden control characters"):
        read_card(_signed(_changed(**{field: f"김{hidden}영희"})))


# --- refusals when reading: altered -----------------------------------------------------------------------------


def test_an_altered_name_fails_the_signature() -> None:
    altered = CARD.replace("김영희".encode(), "박영희".encode())
    with pytest.raises(IntegrityError, match="signature does not verify") as caught:
        read_card(altered)
    assert caught.value.exit_code == ExitCode.INTEGRITY


def test_an_altered_creation_time_fails_the_signature() -> None:
    with pytest.raises(IntegrityError, match="signature does not verify"):
        read_card(CARD.replace(CREATED_AT.encode(), b"2026-11-29T10:00:00.000Z"))


def test_a_signature_by_another_key_fails() -> None:
    with pytest.raises(IntegrityError, match="signature does not verify"):
        read_card(_signed(_fields(), signer=ATTACKER))


def test_an_altered_fingerprint_is_refused() -> None:
    other = ATTACKER.public().fingerprint()
    with pytest.raises(IntegrityError, match="fingerprint does not match its keys"):
        read_card(CARD.replace(_fields()["fingerprint"].encode(), other.encode()))


def test_swapped_keys_keeping_the_victims_fingerprint_are_refused_even_when_re_signed() -> None:
    # The attack the fingerprint check exists for: the attacker's keys under the victim's name and fingerprint.
    attacker = ATTACKER.public()
    forged = _changed(
        ed25519_public_key=attacker.ed25519_public_b64(),
        age_recipient=attacker.age_recipient,
        minisign_public_key=minisign.public_key_base64(attacker.ed25519_public_bytes),
    )
    with pytest.raises(IntegrityError, match="fingerprint does not match its keys"):
        read_card(_signed(forged, signer=ATTACKER))


def test_a_swapped_age_recipient_is_refused() -> None:
    with pytest.raises(IntegrityError, match="fingerprint does not match its keys"):
        read_card(_signed(_changed(age_recipient=ATTACKER.public().age_recipient)))


def test_an_altered_minisign_key_is_refused() -> None:
    other = minisign.public_key_base64(ATTACKER.public_key_bytes)
    with pytest.raises(IntegrityError, match="minisign public key does not match"):
        read_card(_signed(_changed(minisign_public_key=other)))


def test_the_messages_are_one_line_and_distinct() -> None:
    messages = [
        contact_card._NOT_A_CARD,
        contact_card._HIDDEN_IN_NAME,
        contact_card._SIGNATURE_FAILS,
        contact_card._FINGERPRINT_MISMATCH,
        contact_card._MINISIGN_MISMATCH,
    ]
    assert len(set(messages)) == len(messages)
    assert all("\n" not in message for message in messages)


# --- byte flips -------------------------------------------------------------------------------------------------

ORIGINAL = read_card(CARD)


@settings(max_examples=400, deadline=None)
@given(index=st.integers(0, len(CARD) - 1), mask=st.integers(1, 255))
def test_a_flipped_byte_is_refused_or_changes_nothing(index: int, mask: int) -> None:
    flipped = bytearray(CARD)
    flipped[index] ^= mask
    try:
        card = read_card(bytes(flipped))
    except SafeCaseError as error:
        assert isinstance(error, UsageError | IntegrityError)
        return
    # Only JSON whitespace can change without a refusal (e.g. an indent space turned into a tab).
    assert card == ORIGINAL


# --- the card's minisign key with the stock minisign tool -------------------------------------------------------


@pytest.mark.skipif(MINISIGN is None, reason="the minisign tool is not installed")
def test_the_cards_minisign_key_verifies_our_signatures_with_stock_minisign(tmp_path: Path) -> None:
    assert MINISIGN is not None
    data = "보고서 초안 (가상)\n".encode()
    (tmp_path / "report.txt").write_bytes(data)
    (tmp_path / "report.txt.minisig").write_text(minisign.sign(IDENTITY, data, "report draft 1"), encoding="utf-8")
    key_line = _fields()["minisign_public_key"]
    result = subprocess.run(
        [MINISIGN, "-Vm", "report.txt", "-P", key_line],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Trusted comment: report draft 1" in result.stdout
    assert minisign.parse_public_key(key_line) == read_card(CARD).public.ed25519_public_bytes
