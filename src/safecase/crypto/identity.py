"""The vault identity: an Ed25519 signing key and an X25519 age identity, and the fingerprint people compare.

The private half lives only inside the encrypted database (`to_private_json`). The public half is what team
members exchange, checked in person by reading the fingerprint aloud: 8 groups of 5 decimal digits, easy to
say in Korean or English, like Signal's safety numbers. Each group is 5 bytes of a SHA-512 digest (over a
domain-separation label and both public keys) taken as a big-endian integer modulo 100000; SHA-512 rather than
SHA-256 because 8 groups of 5 bytes need 40 bytes of digest.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from safecase.crypto.encoding import (
    b64decode_strict,
    b64encode,
    b64url_decode_strict,
    b64url_encode,
    canonical_json,
    length_prefixed,
    parse_json,
)
from safecase.errors import IntegrityError, UsageError, VaultStateError

_FINGERPRINT_LABEL = b"safecase identity fingerprint v1"
_PRIVATE_FORMAT = "safecase-identity"
_PRIVATE_VERSION = 1
_QR_PREFIX = "safecase-id:1:"
FINGERPRINT_GROUPS = 8
_GROUP_BYTES = 5

_BAD_SIGNATURE = "The signature does not verify: the data was altered or not signed by this identity"
_BAD_PRIVATE = "The stored vault identity is damaged: restore the vault from a backup"
_BAD_QR = "This is not a SafeCase identity code: scan the code shown in the other person's SafeCase"
_QR_MISMATCH = "This identity code was altered: its fingerprint does not match its keys"


@dataclass(frozen=True)
class PublicIdentity:
    """Someone's public keys: Ed25519 (raw, 32 bytes) for signatures, an age recipient for bundles."""

    ed25519_public_bytes: bytes
    age_recipient: str

    def __post_init__(self) -> None:
        if not isinstance(self.ed25519_public_bytes, bytes) or len(self.ed25519_public_bytes) != 32:
            raise ValueError("an Ed25519 public key is 32 bytes")
        Ed25519PublicKey.from_public_bytes(self.ed25519_public_bytes)
        if not isinstance(self.age_recipient, str) or not self.age_recipient.startswith("age1"):
            raise ValueError("an age recipient starts with age1")
        try:
            pyrage.x25519.Recipient.from_str(self.age_recipient)
        except pyrage.RecipientError as exc:
            raise ValueError("invalid age recipient") from exc

    def ed25519_public_b64(self) -> str:
        """The Ed25519 public key in standard base64, for display and export."""
        return b64encode(self.ed25519_public_bytes)

    def fingerprint_digest(self) -> bytes:
        """SHA-512 over the label and both public keys: what the fingerprint digits are cut from."""
        material = length_prefixed(_FINGERPRINT_LABEL, self.ed25519_public_bytes, self.age_recipient.encode("ascii"))
        return hashlib.sha512(material).digest()

    def fingerprint(self) -> str:
        """8 groups of 5 decimal digits separated by spaces, e.g. ``"04213 88120 …"``."""
        digest = self.fingerprint_digest()
        groups = (
            int.from_bytes(digest[i * _GROUP_BYTES : (i + 1) * _GROUP_BYTES], "big") % 100000
            for i in range(FINGERPRINT_GROUPS)
        )
        return " ".join(f"{group:05d}" for group in groups)

    def qr_payload(self) -> str:
        """``safecase-id:1:<ed25519 base64url>:<age recipient>:<fingerprint digest hex>`` for a QR code."""
        return (
            f"{_QR_PREFIX}{b64url_encode(self.ed25519_public_bytes)}:{self.age_recipient}:"
            f"{self.fingerprint_digest().hex()}"
        )

    @classmethod
    def from_qr_payload(cls, text: str) -> PublicIdentity:
        """Read a scanned identity code. UsageError if it is not one; IntegrityError if it was altered."""
        if not text.startswith(_QR_PREFIX):
            raise UsageError(_BAD_QR)
        parts = text[len(_QR_PREFIX) :].split(":")
        if len(parts) != 3:
            raise UsageError(_BAD_QR)
        try:
            identity = cls(b64url_decode_strict(parts[0]), parts[1])
        except ValueError:
            raise UsageError(_BAD_QR) from None
        if not parts[2].isascii():  # compare_digest refuses other text with a TypeError
            raise UsageError(_BAD_QR)
        if not hmac.compare_digest(identity.fingerprint_digest().hex(), parts[2].lower()):
            raise IntegrityError(_QR_MISMATCH)
        return identity


class Identity:
    """A vault's own identity, with its private keys. The repr never shows them."""

    __slots__ = ("_age_identity", "_public", "_signing_key")

    def __init__(self, signing_key: Ed25519PrivateKey, age_identity: Any) -> None:
        self._signing_key: Ed25519PrivateKey | None = signing_key
        self._age_identity: Any = age_identity  # pyrage.x25519.Identity (pyrage ships no type hints)
        self._public = PublicIdentity(
            ed25519_public_bytes=signing_key.public_key().public_bytes_raw(),
            age_recipient=str(age_identity.to_public()),
        )  # public halves: still known once the private keys are forgotten

    @classmethod
    def generate(cls) -> Identity:
        return cls(Ed25519PrivateKey.generate(), pyrage.x25519.Identity.generate())

    def __repr__(self) -> str:
        return f"Identity(public={self._public!r}{', forgotten' if self.forgotten else ''})"

    def forget(self) -> None:
        """Drop the private keys (when the vault locks). Python cannot overwrite them itself; the objects holding
        them are freed once nothing else refers to them, and both libraries clear a private key when it is freed
        (OpenSSL for Ed25519, the age crate's zeroize-on-drop for X25519). Signing or decrypting later raises
        VaultStateError; the public halves stay known."""
        self._signing_key = None
        self._age_identity = None

    @property
    def forgotten(self) -> bool:
        return self._signing_key is None

    @property
    def age_identity(self) -> Any:
        """The pyrage X25519 identity, for decrypting age files (evidence blobs, bundles)."""
        self._signer()
        return self._age_identity

    @property
    def public_key_bytes(self) -> bytes:
        """The raw Ed25519 public key (what the audit chain records beside each signed checkpoint)."""
        return self._public.ed25519_public_bytes

    def public(self) -> PublicIdentity:
        return self._public

    def sign(self, data: bytes) -> bytes:
        """A 64-byte Ed25519 signature over `data`."""
        return self._signer().sign(data)

    def _signer(self) -> Ed25519PrivateKey:
        if self._signing_key is None:
            raise VaultStateError("The vault is locked: unlock it again to use its keys.")
        return self._signing_key

    def to_private_json(self) -> str:
        """The private keys as canonical JSON, for storage INSIDE the encrypted database only.

        The returned str cannot be wiped: hand it to the database and drop it.
        """
        return canonical_json(
            {
                "format": _PRIVATE_FORMAT,
                "version": _PRIVATE_VERSION,
                "ed25519_private_key": b64encode(self._signer().private_bytes_raw()),
                "age_identity": str(self.age_identity),
            }
        ).decode("ascii")

    @classmethod
    def from_private_json(cls, text: str) -> Identity:
        """The inverse of `to_private_json`; IntegrityError if the stored text is damaged."""
        try:
            raw = parse_json(text.encode("utf-8"))
            if not isinstance(raw, dict) or set(raw) != {
                "format",
                "version",
                "ed25519_private_key",
                "age_identity",
            }:
                raise ValueError("unexpected fields")
            if raw["format"] != _PRIVATE_FORMAT or raw["version"] != _PRIVATE_VERSION:
                raise ValueError("unexpected format")
            seed = b64decode_strict(raw["ed25519_private_key"])
            age_text = raw["age_identity"]
            if len(seed) != 32 or not isinstance(age_text, str):
                raise ValueError("bad key")
            signing_key = Ed25519PrivateKey.from_private_bytes(seed)
            age_identity = pyrage.x25519.Identity.from_str(age_text)
        except (ValueError, RecursionError, pyrage.IdentityError):
            raise IntegrityError(_BAD_PRIVATE) from None
        return cls(signing_key, age_identity)


def verify_signature(ed25519_public: bytes, data: bytes, signature: bytes) -> bool:
    """Whether `signature` is a valid Ed25519 signature over `data` by the raw public key `ed25519_public`."""
    try:
        Ed25519PublicKey.from_public_bytes(ed25519_public).verify(signature, data)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def verify(public: PublicIdentity, data: bytes, signature: bytes) -> None:
    """Raise IntegrityError unless `signature` is `public`'s Ed25519 signature over `data`."""
    if not verify_signature(public.ed25519_public_bytes, data, signature):
        raise IntegrityError(_BAD_SIGNATURE)
