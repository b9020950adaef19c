"""The two ways the vault header wraps a master key: AES-256-GCM under the passphrase KEK, and HPKE to the
recovery public key.

Both are bound to associated data (for HPKE, the `info` parameter, as RFC 9180 section 8.1 advises for the
single-shot API) describing the header the wrap belongs to, so a wrap copied into another header, or a header
whose KDF parameters were edited, fails to open.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite

MASTER_KEY_LENGTH = 32
NONCE_LENGTH = 12
TAG_LENGTH = 16
WRAPPED_KEY_LENGTH = MASTER_KEY_LENGTH + TAG_LENGTH
RECOVERY_PUBLIC_KEY_LENGTH = 32
RECOVERY_WRAP_LENGTH = 32 + WRAPPED_KEY_LENGTH  # HPKE output: X25519 encapsulated key, then the sealed key

_SUITE = Suite(KEM.X25519, KDF.HKDF_SHA256, AEAD.AES_256_GCM)


class UnwrapError(Exception):
    """A wrap did not open: wrong key, or the wrap or its associated data was altered."""


@dataclass(frozen=True)
class PassphraseWrap:
    """A master key encrypted with AES-256-GCM under the passphrase KEK."""

    nonce: bytes
    ciphertext: bytes

    def __post_init__(self) -> None:
        if not isinstance(self.nonce, bytes) or len(self.nonce) != NONCE_LENGTH:
            raise ValueError(f"a passphrase wrap nonce is {NONCE_LENGTH} bytes")
        if not isinstance(self.ciphertext, bytes) or len(self.ciphertext) != WRAPPED_KEY_LENGTH:
            raise ValueError(f"a passphrase wrap ciphertext is {WRAPPED_KEY_LENGTH} bytes")


def check_key(key: bytes, what: str) -> None:
    """ValueError unless `key` is 32 bytes (a programming error, not a user error)."""
    if not isinstance(key, bytes | bytearray | memoryview) or len(key) != MASTER_KEY_LENGTH:
        raise ValueError(f"{what} must be {MASTER_KEY_LENGTH} bytes")


def seal_with_kek(kek: bytes, master_key: bytes, associated_data: bytes) -> PassphraseWrap:
    check_key(kek, "the KEK")
    check_key(master_key, "the master key")
    nonce = os.urandom(NONCE_LENGTH)
    return PassphraseWrap(nonce, AESGCM(kek).encrypt(nonce, bytes(master_key), associated_data))


def open_with_kek(wrap: PassphraseWrap, kek: bytes, associated_data: bytes) -> bytes:
    check_key(kek, "the KEK")
    try:
        return AESGCM(kek).decrypt(wrap.nonce, wrap.ciphertext, associated_data)
    except InvalidTag as exc:
        raise UnwrapError from exc


def seal_to_recovery(public_key: bytes, master_key: bytes, info: bytes) -> bytes:
    check_key(master_key, "the master key")
    recipient = X25519PublicKey.from_public_bytes(public_key)
    return _SUITE.encrypt(bytes(master_key), recipient, info=info)


def open_with_recovery(wrap: bytes, private_key: X25519PrivateKey, info: bytes) -> bytes:
    try:
        return _SUITE.decrypt(wrap, private_key, info=info)
    except (InvalidTag, ValueError) as exc:
        raise UnwrapError from exc
