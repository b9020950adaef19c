"""Minisign signatures (https://jedisct1.github.io/minisign/) made and checked with the vault identity's Ed25519 key.

Files SafeCase signs can then be checked by anyone with the stock `minisign` tool and the "RW…" public key line,
without SafeCase. Only the prehashed algorithm "ED" (Ed25519 over the BLAKE2b-512 digest of the data, minisign's
default since 0.10) is made or accepted: it lets large files be hashed in chunks. A .minisig file has four lines::

    untrusted comment: <anything; not signed>
    base64("ED" || key id (8 bytes) || Ed25519 signature over BLAKE2b-512(data))
    trusted comment: <one line>
    base64(Ed25519 signature over (the signature above || the trusted comment))

Minisign key ids are random; ours are derived from the public key (`key_id_for`) so that the same identity always
has the same "RW…" line. Keys made by the stock tool keep their own key id: read them with
`parse_public_key_with_id` and pass `key_id` to `verify`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from safecase.crypto.encoding import b64decode_strict, b64encode
from safecase.crypto.identity import Identity, verify_signature
from safecase.errors import IntegrityError, UsageError

KEY_ID_BYTES = 8
PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64
DIGEST_BYTES = 64
MAX_SIGNATURE_TEXT_BYTES = 4096
# The stock tool reads the untrusted comment line into a 1024-byte buffer; longer lines break its parser.
MAX_UNTRUSTED_COMMENT_BYTES = 1000
# Keeps every signature we make under MAX_SIGNATURE_TEXT_BYTES, so we never make one we would refuse to read.
MAX_TRUSTED_COMMENT_BYTES = 2048
_MAX_PUBLIC_KEY_TEXT = 2048

_KEY_ID_LABEL = b"safecase minisign key id v1"
_KEY_ALGORITHM = b"Ed"
_PREHASHED = b"ED"
_LEGACY = b"Ed"
_UNTRUSTED_PREFIX = "untrusted comment: "
_TRUSTED_PREFIX = "trusted comment: "
_SIGNATURE_LINE_BYTES = 2 + KEY_ID_BYTES + SIGNATURE_BYTES
_PUBLIC_KEY_LINE_BYTES = 2 + KEY_ID_BYTES + PUBLIC_KEY_BYTES
DEFAULT_UNTRUSTED_COMMENT = "signature from SafeCase"

_MALFORMED = "This is not a minisign signature, or it is damaged: get the .minisig file again from the signer"
_LEGACY_MESSAGE = (
    "This minisign signature uses the legacy algorithm, which SafeCase does not accept: "
    "ask the signer to sign again with minisign 0.10 or later"
)
_BAD_PUBLIC_KEY = "This is not a minisign public key: give the line that starts with RW, or the whole minisign.pub file"


class MinisignError(IntegrityError):
    """A minisign signature was refused; the subclass says why."""


class MalformedSignatureError(MinisignError):
    """Not a minisign signature at all, or damaged beyond reading."""

    def __init__(self) -> None:
        super().__init__(_MALFORMED)


class LegacySignatureError(MinisignError):
    """A well-formed signature with the legacy, non-prehashed algorithm "Ed"."""

    def __init__(self) -> None:
        super().__init__(_LEGACY_MESSAGE)


class KeyIdMismatchError(MinisignError):
    """The signature names another key than the one it is checked against."""

    def __init__(self, signature_key_id: bytes, expected_key_id: bytes) -> None:
        super().__init__(
            f"This file was signed by another key (key id {key_id_text(signature_key_id)}, expected "
            f"{key_id_text(expected_key_id)}): check that you have the right public key for the signer"
        )
        self.signature_key_id = signature_key_id
        self.expected_key_id = expected_key_id


class SignatureMismatchError(MinisignError):
    """The signature does not match the data: the data (or the signature) was altered."""

    def __init__(self) -> None:
        super().__init__(
            "The minisign signature does not verify: the file was altered after it was signed; "
            "do not trust it, and get a fresh copy from the signer"
        )


class TrustedCommentAlteredError(MinisignError):
    """The data verifies but the trusted comment was changed after signing."""

    def __init__(self) -> None:
        super().__init__(
            "The trusted comment of this minisign signature was altered after signing: "
            "do not trust it, and get a fresh copy of the signature from the signer"
        )


@dataclass(frozen=True)
class MinisignPublicKey:
    """A minisign public key: the key id the signatures name, and the raw Ed25519 public key."""

    key_id: bytes
    ed25519_public: bytes


@dataclass(frozen=True)
class MinisignSignature:
    """The parsed parts of a .minisig file, not yet verified."""

    untrusted_comment: str
    algorithm: bytes
    key_id: bytes
    signature: bytes
    trusted_comment: str
    global_signature: bytes


def _check_public(ed25519_public: bytes) -> None:
    if not isinstance(ed25519_public, bytes) or len(ed25519_public) != PUBLIC_KEY_BYTES:
        raise ValueError("an Ed25519 public key is 32 bytes")


def key_id_for(ed25519_public: bytes) -> bytes:
    """Our 8-byte key id for a raw Ed25519 public key: the first 8 bytes of SHA-256(label || key)."""
    _check_public(ed25519_public)
    return hashlib.sha256(_KEY_ID_LABEL + ed25519_public).digest()[:KEY_ID_BYTES]


def key_id_text(key_id: bytes) -> str:
    """A key id as the stock tool shows it: the little-endian u64 in upper-case hex, without leading zeros."""
    if len(key_id) != KEY_ID_BYTES:
        raise ValueError("a minisign key id is 8 bytes")
    return f"{int.from_bytes(key_id, 'little'):X}"


def public_key_base64(ed25519_public: bytes) -> str:
    """The "RW…" line: base64 of "Ed" || key id || public key, what `minisign -P` takes."""
    return b64encode(_KEY_ALGORITHM + key_id_for(ed25519_public) + ed25519_public)


def public_key_file_text(ed25519_public: bytes) -> str:
    """The content of a minisign.pub file for this key, as the stock tool writes it."""
    key_id = key_id_for(ed25519_public)
    return f"{_UNTRUSTED_PREFIX}minisign public key {key_id_text(key_id)}\n{public_key_base64(ed25519_public)}\n"


def _split_lines(text: str) -> list[str]:
    """Lines ending in LF or CRLF (the stock tool writes CRLF on Windows); the final line ending is optional."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


def parse_public_key_with_id(text: str) -> MinisignPublicKey:
    """Read a minisign public key: the bare "RW…" line or a two-line minisign.pub file. UsageError if it is not one."""
    if not isinstance(text, str) or len(text) > _MAX_PUBLIC_KEY_TEXT:
        raise UsageError(_BAD_PUBLIC_KEY)
    lines = _split_lines(text)
    if len(lines) == 2 and lines[0].startswith(_UNTRUSTED_PREFIX):
        lines = lines[1:]
    if len(lines) != 1:
        raise UsageError(_BAD_PUBLIC_KEY)
    try:
        raw = b64decode_strict(lines[0])
    except ValueError:
        raise UsageError(_BAD_PUBLIC_KEY) from None
    if len(raw) != _PUBLIC_KEY_LINE_BYTES or raw[:2] != _KEY_ALGORITHM:
        raise UsageError(_BAD_PUBLIC_KEY)
    return MinisignPublicKey(key_id=raw[2 : 2 + KEY_ID_BYTES], ed25519_public=raw[2 + KEY_ID_BYTES :])


def parse_public_key(text: str) -> bytes:
    """The raw 32-byte Ed25519 key of a minisign public key (see `parse_public_key_with_id` for the key id)."""
    return parse_public_key_with_id(text).ed25519_public


def prehash() -> hashlib.blake2b:
    """A BLAKE2b-512 hasher: feed it the data in chunks, then pass ``.digest()`` to `sign_prehashed`."""
    return hashlib.blake2b(digest_size=DIGEST_BYTES)


def _check_comment(comment: str, limit: int, what: str) -> bytes:
    # NUL would cut the comment short in the stock tool (a C string), so its global signature check would fail.
    if not isinstance(comment, str) or any(c in comment for c in "\r\n\0"):
        raise ValueError(f"a minisign {what} must be a single line without NUL")
    encoded = comment.encode("utf-8")
    if len(encoded) > limit:
        raise ValueError(f"a minisign {what} is at most {limit} bytes")
    return encoded


def _check_digest(digest: bytes) -> None:
    if not isinstance(digest, bytes) or len(digest) != DIGEST_BYTES:
        raise ValueError("a minisign prehash is a 64-byte BLAKE2b-512 digest")


def sign_prehashed(
    identity: Identity,
    digest: bytes,
    trusted_comment: str,
    untrusted_comment: str = DEFAULT_UNTRUSTED_COMMENT,
) -> str:
    """The .minisig text for data whose BLAKE2b-512 `digest` (see `prehash`) is given."""
    _check_digest(digest)
    trusted = _check_comment(trusted_comment, MAX_TRUSTED_COMMENT_BYTES, "trusted comment")
    _check_comment(untrusted_comment, MAX_UNTRUSTED_COMMENT_BYTES, "untrusted comment")
    signature = identity.sign(digest)
    global_signature = identity.sign(signature + trusted)
    signature_line = b64encode(_PREHASHED + key_id_for(identity.public_key_bytes) + signature)
    return (
        f"{_UNTRUSTED_PREFIX}{untrusted_comment}\n{signature_line}\n"
        f"{_TRUSTED_PREFIX}{trusted_comment}\n{b64encode(global_signature)}\n"
    )


def sign(
    identity: Identity,
    data: bytes,
    trusted_comment: str,
    untrusted_comment: str = DEFAULT_UNTRUSTED_COMMENT,
) -> str:
    """The .minisig text for `data`, signed with the identity's Ed25519 key."""
    hasher = prehash()
    hasher.update(data)
    return sign_prehashed(identity, hasher.digest(), trusted_comment, untrusted_comment)


def _signature_lines(signature_text: str | bytes) -> list[str]:
    # Checked before decoding too, so a huge input costs nothing; a str has at most as many characters as bytes.
    if len(signature_text) > MAX_SIGNATURE_TEXT_BYTES:
        raise MalformedSignatureError()
    try:
        if isinstance(signature_text, bytes):
            text = signature_text.decode("utf-8")
        else:
            text = signature_text
            if len(text.encode("utf-8")) > MAX_SIGNATURE_TEXT_BYTES:
                raise MalformedSignatureError()
    except UnicodeError:
        raise MalformedSignatureError() from None
    lines = _split_lines(text)
    if len(lines) != 4 or any("\r" in line for line in lines):
        raise MalformedSignatureError()
    if not lines[0].startswith(_UNTRUSTED_PREFIX) or not lines[2].startswith(_TRUSTED_PREFIX):
        raise MalformedSignatureError()
    return lines


def parse_signature(signature_text: str | bytes) -> MinisignSignature:
    """Split a .minisig file (text or its UTF-8 bytes) into its parts. MalformedSignatureError if it is not one."""
    lines = _signature_lines(signature_text)
    try:
        signature_part = b64decode_strict(lines[1])
        global_signature = b64decode_strict(lines[3])
    except ValueError:
        raise MalformedSignatureError() from None
    if len(signature_part) != _SIGNATURE_LINE_BYTES or len(global_signature) != SIGNATURE_BYTES:
        raise MalformedSignatureError()
    return MinisignSignature(
        untrusted_comment=lines[0][len(_UNTRUSTED_PREFIX) :],
        algorithm=signature_part[:2],
        key_id=signature_part[2 : 2 + KEY_ID_BYTES],
        signature=signature_part[2 + KEY_ID_BYTES :],
        trusted_comment=lines[2][len(_TRUSTED_PREFIX) :],
        global_signature=global_signature,
    )


def verify_prehashed(
    ed25519_public: bytes,
    digest: bytes,
    signature_text: str | bytes,
    *,
    key_id: bytes | None = None,
) -> str:
    """Check a .minisig over data with BLAKE2b-512 `digest`; return its trusted comment, or raise a MinisignError.

    `key_id` defaults to our derived one (`key_id_for`); give it for keys made by the stock tool.
    """
    _check_public(ed25519_public)
    _check_digest(digest)
    if key_id is not None and len(key_id) != KEY_ID_BYTES:
        raise ValueError("a minisign key id is 8 bytes")
    expected_key_id = key_id_for(ed25519_public) if key_id is None else key_id
    parsed = parse_signature(signature_text)
    if parsed.algorithm == _LEGACY:
        raise LegacySignatureError()
    if parsed.algorithm != _PREHASHED:
        raise MalformedSignatureError()
    if parsed.key_id != expected_key_id:
        raise KeyIdMismatchError(parsed.key_id, expected_key_id)
    if not verify_signature(ed25519_public, digest, parsed.signature):
        raise SignatureMismatchError()
    trusted = parsed.signature + parsed.trusted_comment.encode("utf-8")
    if not verify_signature(ed25519_public, trusted, parsed.global_signature):
        raise TrustedCommentAlteredError()
    return parsed.trusted_comment


def verify(
    ed25519_public: bytes,
    data: bytes,
    signature_text: str | bytes,
    *,
    key_id: bytes | None = None,
) -> str:
    """Check a .minisig over `data`; return its trusted comment, or raise a MinisignError (an IntegrityError)."""
    hasher = prehash()
    hasher.update(data)
    return verify_prehashed(ed25519_public, hasher.digest(), signature_text, key_id=key_id)
