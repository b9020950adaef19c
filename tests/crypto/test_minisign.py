"""Minisign signatures: format, every refusal, byte flips, and interoperability with the stock `minisign` tool."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safecase.crypto import minisign
from safecase.crypto.identity import Identity, verify_signature
from safecase.errors import ExitCode, IntegrityError, UsageError

IDENTITY = Identity.generate()
OTHER = Identity.generate()
PUBLIC = IDENTITY.public_key_bytes
# Fictional case material.
DATA = "사건 2024-017: 목격자 진술서 (가명)\nwitness statement, fictional\n".encode()
COMMENT = "timestamp:1732788000\tfile:statement.txt\thashed"

MINISIGN = shutil.which("minisign")
needs_minisign = pytest.mark.skipif(MINISIGN is None, reason="the minisign tool is not installed")


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _with_line(text: str, index: int, line: str) -> str:
    lines = _lines(text)
    lines[index] = line
    return "\n".join(lines)


def _legacy_signature(identity: Identity, data: bytes, trusted_comment: str) -> str:
    """A valid signature with the legacy algorithm "Ed" (Ed25519 over the data itself)."""
    signature = identity.sign(data)
    global_signature = identity.sign(signature + trusted_comment.encode())
    line = base64.b64encode(b"Ed" + minisign.key_id_for(identity.public_key_bytes) + signature).decode()
    return (
        f"untrusted comment: legacy\n{line}\ntrusted comment: {trusted_comment}\n"
        f"{base64.b64encode(global_signature).decode()}\n"
    )


def _run_minisign(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    assert MINISIGN is not None
    return subprocess.run([MINISIGN, *args], cwd=cwd, capture_output=True, text=True, timeout=30, check=False)


# --- format ----------------------------------------------------------------------------------------------------


def test_round_trip_returns_the_trusted_comment() -> None:
    text = minisign.sign(IDENTITY, DATA, COMMENT)
    assert minisign.verify(PUBLIC, DATA, text) == COMMENT
    assert minisign.verify(PUBLIC, DATA, text.encode()) == COMMENT


def test_signature_file_has_four_lines_in_minisign_layout() -> None:
    text = minisign.sign(IDENTITY, DATA, COMMENT, untrusted_comment="서명: SafeCase")
    lines = text.split("\n")
    assert len(lines) == 5 and lines[4] == ""
    assert lines[0] == "untrusted comment: 서명: SafeCase"
    assert lines[2] == f"trusted comment: {COMMENT}"
    signature_part = base64.b64decode(lines[1], validate=True)
    assert signature_part[:2] == b"ED"
    assert signature_part[2:10] == minisign.key_id_for(PUBLIC)
    signature = signature_part[10:]
    assert verify_signature(PUBLIC, hashlib.blake2b(DATA, digest_size=64).digest(), signature)
    assert verify_signature(PUBLIC, signature + COMMENT.encode(), base64.b64decode(lines[3], validate=True))


def test_default_untrusted_comment() -> None:
    assert minisign.sign(IDENTITY, DATA, COMMENT).startswith("untrusted comment: signature from SafeCase\n")


def test_prehashed_in_chunks_matches_one_shot() -> None:
    hasher = minisign.prehash()
    for start in range(0, len(DATA), 7):
        hasher.update(DATA[start : start + 7])
    digest = hasher.digest()
    assert digest == hashlib.blake2b(DATA, digest_size=64).digest()
    text = minisign.sign_prehashed(IDENTITY, digest, COMMENT)
    assert minisign.verify(PUBLIC, DATA, text) == COMMENT
    assert minisign.verify_prehashed(PUBLIC, digest, minisign.sign(IDENTITY, DATA, COMMENT)) == COMMENT


def test_prehashed_refuses_a_digest_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="64-byte"):
        minisign.sign_prehashed(IDENTITY, b"\x00" * 32, COMMENT)
    with pytest.raises(ValueError, match="64-byte"):
        minisign.verify_prehashed(PUBLIC, b"\x00" * 32, minisign.sign(IDENTITY, DATA, COMMENT))


def test_empty_data_and_empty_trusted_comment() -> None:
    assert minisign.verify(PUBLIC, b"", minisign.sign(IDENTITY, b"", "")) == ""


def test_key_id_is_derived_as_documented() -> None:
    expected = hashlib.sha256(b"safecase minisign key id v1" + PUBLIC).digest()[:8]
    assert minisign.key_id_for(PUBLIC) == expected
    assert minisign.key_id_for(PUBLIC) != minisign.key_id_for(OTHER.public_key_bytes)


def test_key_id_text_is_the_little_endian_u64_in_upper_hex_like_minisign() -> None:
    assert minisign.key_id_text(bytes.fromhex("0123456789abcdef")) == "EFCDAB8967452301"
    # minisign prints the id with %PRIX64: no zero padding.
    assert minisign.key_id_text(bytes.fromhex("0123456789abcd00")) == "CDAB8967452301"


def test_public_key_line_and_file() -> None:
    line = minisign.public_key_base64(PUBLIC)
    assert line.startswith("RW")
    assert base64.b64decode(line) == b"Ed" + minisign.key_id_for(PUBLIC) + PUBLIC
    key_id = minisign.key_id_text(minisign.key_id_for(PUBLIC))
    assert minisign.public_key_file_text(PUBLIC) == f"untrusted comment: minisign public key {key_id}\n{line}\n"


@pytest.mark.parametrize(
    "text",
    [
        minisign.public_key_base64(PUBLIC),
        minisign.public_key_base64(PUBLIC) + "\n",
        minisign.public_key_file_text(PUBLIC),
        minisign.public_key_file_text(PUBLIC).replace("\n", "\r\n"),
        minisign.public_key_file_text(PUBLIC).rstrip("\n"),
    ],
)
def test_parse_public_key_accepts_the_line_or_the_file(text: str) -> None:
    assert minisign.parse_public_key(text) == PUBLIC
    assert minisign.parse_public_key_with_id(text) == minisign.MinisignPublicKey(minisign.key_id_for(PUBLIC), PUBLIC)


def _public_key_line(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        "not a key",
        " " + minisign.public_key_base64(PUBLIC),
        minisign.public_key_base64(PUBLIC) + " ",
        minisign.public_key_base64(PUBLIC)[:-1],
        minisign.public_key_base64(PUBLIC) + "====",
        minisign.public_key_base64(PUBLIC).replace("R", "-", 1),
        _public_key_line(b"ED" + minisign.key_id_for(PUBLIC) + PUBLIC),
        _public_key_line(b"Ed" + minisign.key_id_for(PUBLIC) + PUBLIC[:31]),
        _public_key_line(b"Ed" + minisign.key_id_for(PUBLIC) + PUBLIC + b"\x00"),
        "comment: minisign public key\n" + minisign.public_key_base64(PUBLIC) + "\n",
        minisign.public_key_file_text(PUBLIC) + minisign.public_key_base64(PUBLIC) + "\n",
        minisign.public_key_file_text(PUBLIC) + "\n",
        "untrusted comment: x\n" * 3000 + minisign.public_key_base64(PUBLIC),
    ],
)
def test_parse_public_key_is_strict(text: str) -> None:
    with pytest.raises(UsageError, match="not a minisign public key"):
        minisign.parse_public_key(text)


def test_crlf_line_endings_and_a_missing_final_newline_are_accepted() -> None:
    text = minisign.sign(IDENTITY, DATA, COMMENT)
    assert minisign.verify(PUBLIC, DATA, text.replace("\n", "\r\n")) == COMMENT
    assert minisign.verify(PUBLIC, DATA, text.rstrip("\n")) == COMMENT


# --- refusals when signing --------------------------------------------------------------------------------------


@pytest.mark.parametrize("comment", ["two\nlines", "carriage\rreturn", "ends with newline\n", "nul\0byte"])
def test_sign_refuses_a_trusted_comment_that_is_not_one_line(comment: str) -> None:
    with pytest.raises(ValueError, match="single line"):
        minisign.sign(IDENTITY, DATA, comment)


def test_sign_refuses_a_multi_line_untrusted_comment() -> None:
    with pytest.raises(ValueError, match="single line"):
        minisign.sign(IDENTITY, DATA, COMMENT, untrusted_comment="a\nb")


def test_sign_refuses_comments_that_would_exceed_the_size_cap() -> None:
    with pytest.raises(ValueError, match="at most"):
        minisign.sign(IDENTITY, DATA, "가" * 1000)
    with pytest.raises(ValueError, match="at most"):
        minisign.sign(IDENTITY, DATA, COMMENT, untrusted_comment="x" * 1001)


def test_the_largest_comments_still_make_a_signature_we_accept() -> None:
    text = minisign.sign(
        IDENTITY,
        DATA,
        "x" * minisign.MAX_TRUSTED_COMMENT_BYTES,
        untrusted_comment="y" * minisign.MAX_UNTRUSTED_COMMENT_BYTES,
    )
    assert len(text.encode()) <= minisign.MAX_SIGNATURE_TEXT_BYTES
    assert minisign.verify(PUBLIC, DATA, text) == "x" * minisign.MAX_TRUSTED_COMMENT_BYTES


# --- refusals when verifying ------------------------------------------------------------------------------------

GOOD = minisign.sign(IDENTITY, DATA, COMMENT)
GOOD_LINES = _lines(GOOD)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


MALFORMED = {
    "empty": "",
    "three lines": "\n".join(GOOD_LINES[:3]) + "\n",
    "five lines": GOOD + "extra\n",
    "blank line inserted": GOOD_LINES[0] + "\n\n" + "\n".join(GOOD_LINES[1:]),
    "no untrusted prefix": _with_line(GOOD, 0, "comment: x"),
    "no trusted prefix": _with_line(GOOD, 2, "trusted: " + COMMENT),
    "lines swapped": "\n".join([GOOD_LINES[2], GOOD_LINES[1], GOOD_LINES[0], GOOD_LINES[3]]) + "\n",
    "bad base64 signature": _with_line(GOOD, 1, GOOD_LINES[1][:-4] + "!!!!"),
    "bad base64 global signature": _with_line(GOOD, 3, "%%%%" + GOOD_LINES[3][4:]),
    "space in base64": _with_line(GOOD, 1, GOOD_LINES[1] + " "),
    "short signature": _with_line(GOOD, 1, _b64(base64.b64decode(GOOD_LINES[1])[:-1])),
    "long signature": _with_line(GOOD, 1, _b64(base64.b64decode(GOOD_LINES[1]) + b"\x00")),
    "short global signature": _with_line(GOOD, 3, _b64(base64.b64decode(GOOD_LINES[3])[:-1])),
    "unknown algorithm": _with_line(GOOD, 1, _b64(b"XX" + base64.b64decode(GOOD_LINES[1])[2:])),
    "carriage return inside a line": _with_line(GOOD, 2, "trusted comment: a\rb"),
    "a public key, not a signature": minisign.public_key_file_text(PUBLIC),
    "over the size cap": _with_line(GOOD, 0, "untrusted comment: " + "x" * 4096),
    "over the size cap in bytes only": _with_line(GOOD, 0, "untrusted comment: " + "가" * 1400),
}


@pytest.mark.parametrize("text", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_signatures_are_refused(text: str) -> None:
    with pytest.raises(minisign.MalformedSignatureError, match="not a minisign signature"):
        minisign.verify(PUBLIC, DATA, text)


def test_non_utf8_signature_bytes_are_refused() -> None:
    with pytest.raises(minisign.MalformedSignatureError):
        minisign.verify(PUBLIC, DATA, GOOD.encode().replace(b"signature from", b"signature \xff\xfe"))


def test_a_lone_surrogate_is_refused() -> None:
    with pytest.raises(minisign.MalformedSignatureError):
        minisign.verify(PUBLIC, DATA, _with_line(GOOD, 0, "untrusted comment: \udcff"))


def test_the_legacy_algorithm_is_refused_even_when_valid() -> None:
    with pytest.raises(minisign.LegacySignatureError, match="legacy algorithm"):
        minisign.verify(PUBLIC, DATA, _legacy_signature(IDENTITY, DATA, COMMENT))


def test_a_signature_by_another_key_is_refused_with_both_key_ids() -> None:
    other_text = minisign.sign(OTHER, DATA, COMMENT)
    with pytest.raises(minisign.KeyIdMismatchError, match="signed by another key") as caught:
        minisign.verify(PUBLIC, DATA, other_text)
    assert minisign.key_id_text(minisign.key_id_for(OTHER.public_key_bytes)) in caught.value.message
    assert minisign.key_id_text(minisign.key_id_for(PUBLIC)) in caught.value.message


def test_another_key_claiming_our_key_id_fails_the_signature() -> None:
    forged_line = _b64(
        b"ED" + minisign.key_id_for(PUBLIC) + base64.b64decode(_lines(minisign.sign(OTHER, DATA, ""))[1])[10:]
    )
    with pytest.raises(minisign.SignatureMismatchError):
        minisign.verify(PUBLIC, DATA, _with_line(GOOD, 1, forged_line))


def test_altered_data_is_refused() -> None:
    with pytest.raises(minisign.SignatureMismatchError, match="altered after it was signed"):
        minisign.verify(PUBLIC, DATA + b" ", GOOD)


def test_an_altered_trusted_comment_is_refused() -> None:
    altered = _with_line(GOOD, 2, "trusted comment: " + COMMENT.replace("1732788000", "1732788001"))
    with pytest.raises(minisign.TrustedCommentAlteredError, match="trusted comment"):
        minisign.verify(PUBLIC, DATA, altered)


def test_an_altered_untrusted_comment_is_accepted_because_it_is_not_signed() -> None:
    assert minisign.verify(PUBLIC, DATA, _with_line(GOOD, 0, "untrusted comment: anything")) == COMMENT


def test_every_refusal_is_an_integrity_error_with_its_own_message() -> None:
    errors = [
        minisign.MalformedSignatureError(),
        minisign.LegacySignatureError(),
        minisign.KeyIdMismatchError(b"\x01" * 8, b"\x02" * 8),
        minisign.SignatureMismatchError(),
        minisign.TrustedCommentAlteredError(),
    ]
    assert all(isinstance(error, IntegrityError) and error.exit_code == ExitCode.INTEGRITY for error in errors)
    assert len({error.message for error in errors}) == len(errors)
    assert all("\n" not in error.message for error in errors)


# --- byte flips -------------------------------------------------------------------------------------------------

GOOD_BYTES = GOOD.encode()
_UNTRUSTED_BODY = range(len(b"untrusted comment: "), GOOD_BYTES.index(b"\n"))


@settings(max_examples=300, deadline=None)
@given(index=st.integers(0, len(GOOD_BYTES) - 1), mask=st.integers(1, 255))
def test_any_byte_flip_in_the_signature_is_refused(index: int, mask: int) -> None:
    flipped = bytearray(GOOD_BYTES)
    flipped[index] ^= mask
    if index in _UNTRUSTED_BODY:
        # The untrusted comment is not signed (as in minisign): a flip there may pass, but never changes the result.
        with contextlib.suppress(minisign.MinisignError):
            assert minisign.verify(PUBLIC, DATA, bytes(flipped)) == COMMENT
        return
    with pytest.raises(minisign.MinisignError):
        minisign.verify(PUBLIC, DATA, bytes(flipped))


@settings(max_examples=200, deadline=None)
@given(index=st.integers(0, len(DATA) - 1), mask=st.integers(1, 255))
def test_any_byte_flip_in_the_data_is_refused(index: int, mask: int) -> None:
    flipped = bytearray(DATA)
    flipped[index] ^= mask
    with pytest.raises(minisign.SignatureMismatchError):
        minisign.verify(PUBLIC, bytes(flipped), GOOD)


# --- interoperability with the stock minisign tool --------------------------------------------------------------


@needs_minisign
def test_stock_minisign_verifies_our_signature_and_shows_our_trusted_comment(tmp_path: Path) -> None:
    (tmp_path / "statement.txt").write_bytes(DATA)
    (tmp_path / "statement.txt.minisig").write_text(minisign.sign(IDENTITY, DATA, COMMENT), encoding="utf-8")
    result = _run_minisign(
        "-Vm", "statement.txt", "-x", "statement.txt.minisig", "-P", minisign.public_key_base64(PUBLIC), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert f"Trusted comment: {COMMENT}" in result.stdout


@needs_minisign
def test_stock_minisign_reads_our_public_key_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(DATA)
    (tmp_path / "f.minisig").write_text(minisign.sign(IDENTITY, DATA, "한국어 주석 (가명)"), encoding="utf-8")
    (tmp_path / "safecase.pub").write_text(minisign.public_key_file_text(PUBLIC), encoding="utf-8")
    result = _run_minisign("-Vm", "f", "-p", "safecase.pub", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Trusted comment: 한국어 주석 (가명)" in result.stdout


@needs_minisign
def test_stock_minisign_rejects_our_signature_over_altered_data(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(DATA + b"!")
    (tmp_path / "f.minisig").write_text(minisign.sign(IDENTITY, DATA, COMMENT), encoding="utf-8")
    result = _run_minisign("-Vm", "f", "-P", minisign.public_key_base64(PUBLIC), cwd=tmp_path)
    assert result.returncode != 0


def _stock_key_pair(tmp_path: Path) -> minisign.MinisignPublicKey:
    result = _run_minisign("-G", "-W", "-p", "stock.pub", "-s", "stock.key", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return minisign.parse_public_key_with_id((tmp_path / "stock.pub").read_text(encoding="utf-8"))


@needs_minisign
def test_a_signature_made_by_stock_minisign_verifies_with_ours(tmp_path: Path) -> None:
    key = _stock_key_pair(tmp_path)
    pub_text = (tmp_path / "stock.pub").read_text(encoding="utf-8")
    assert minisign.parse_public_key(pub_text) == key.ed25519_public
    # Our display of its key id matches the tool's own comment line.
    assert pub_text.splitlines()[0] == f"untrusted comment: minisign public key {minisign.key_id_text(key.key_id)}"
    (tmp_path / "statement.txt").write_bytes(DATA)
    result = _run_minisign("-S", "-s", "stock.key", "-m", "statement.txt", "-t", "증언 (가명) v1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    signature_text = (tmp_path / "statement.txt.minisig").read_text(encoding="utf-8")
    assert minisign.verify(key.ed25519_public, DATA, signature_text, key_id=key.key_id) == "증언 (가명) v1"
    digest = hashlib.blake2b(DATA, digest_size=64).digest()
    assert minisign.verify_prehashed(key.ed25519_public, digest, signature_text, key_id=key.key_id) == "증언 (가명) v1"
    with pytest.raises(minisign.SignatureMismatchError):
        minisign.verify(key.ed25519_public, DATA + b"x", signature_text, key_id=key.key_id)
    # The stock tool's key ids are random, not derived: without the key id the signature names "another key".
    with pytest.raises(minisign.KeyIdMismatchError):
        minisign.verify(key.ed25519_public, DATA, signature_text)


@needs_minisign
def test_a_legacy_signature_made_by_stock_minisign_is_refused(tmp_path: Path) -> None:
    key = _stock_key_pair(tmp_path)
    (tmp_path / "f").write_bytes(DATA)
    result = _run_minisign("-S", "-l", "-s", "stock.key", "-m", "f", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with pytest.raises(minisign.LegacySignatureError):
        minisign.verify(
            key.ed25519_public, DATA, (tmp_path / "f.minisig").read_text(encoding="utf-8"), key_id=key.key_id
        )
