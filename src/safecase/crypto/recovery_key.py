"""The recovery key: 32 random bytes, shown once, that reopen the vault when the passphrase is lost.

Shown as Crockford base32 in groups of four characters: 13 groups carry the 256 key bits (plus 4 zero bits),
and a 14th group is a 20-bit checksum, so a mistyped character is reported as a typo rather than as a wrong
key: one wrong character is always caught, and so is a swap of two characters within the key groups.
Parsing forgives what people do when copying a key from paper: lower case, spaces, missing or extra
dashes, full-width characters from a Korean input method, and the letters Crockford maps onto digits (O to 0,
I and L to 1).

The key also acts as an X25519 private key (derived with HKDF), so the vault can wrap a new master key to the
stored recovery PUBLIC key at key rotation without anyone typing the recovery key.
"""

from __future__ import annotations

import hmac
import os
import unicodedata
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from safecase.errors import UsageError

RECOVERY_KEY_LENGTH = 32
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_DECODE = {char: value for value, char in enumerate(_ALPHABET)} | {"O": 0, "I": 1, "L": 1}
_KEY_CHARS = 52  # ceil(256 / 5)
_CHECK_CHARS = 4  # 20 bits
_GROUP = 4
_CHECK_MODULUS = 1_048_573  # the largest prime below 2**20, so the checksum fits in 4 characters
_X25519_INFO = b"safecase recovery key x25519 v1"
_SEPARATORS = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212_.")

_TYPO = "The recovery key has a typo: check each group"
_LENGTH = (
    f"The recovery key should have {(_KEY_CHARS + _CHECK_CHARS) // _GROUP} groups of {_GROUP} characters: "
    "check that none is missing or doubled"
)


def _to_base32(value: int, chars: int) -> str:
    return "".join(_ALPHABET[(value >> (5 * (chars - 1 - i))) & 31] for i in range(chars))


def _checksum(symbols: str) -> int:
    """Position-weighted sum of the key's symbol values modulo a prime above 2**19.

    Every weight (1..52) is non-zero and distinct modulo the prime and every symbol difference is below 32, so
    ANY single mistyped character and ANY swap of two different characters changes the sum: those typos are
    always caught. Other typos slip through with a chance of about one in a million.
    """
    return sum(weight * _DECODE[char] for weight, char in enumerate(symbols, start=1)) % _CHECK_MODULUS


@dataclass(frozen=True)
class RecoveryKey:
    """A recovery key. Its repr never shows the secret."""

    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.secret, bytes) or len(self.secret) != RECOVERY_KEY_LENGTH:
            raise ValueError(f"a recovery key is {RECOVERY_KEY_LENGTH} bytes")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RecoveryKey):
            return NotImplemented
        return hmac.compare_digest(self.secret, other.secret)

    def __hash__(self) -> int:
        return hash(self.public_key_bytes())

    def formatted(self) -> str:
        """The text shown to the user once, e.g. ``7ZQ1-K3M0-…`` (14 groups of 4, the last one a checksum)."""
        # 256 bits shifted left by 4 fill 52 characters exactly; the checksum follows in 4 more.
        body = _to_base32(int.from_bytes(self.secret, "big") << 4, _KEY_CHARS)
        text = body + _to_base32(_checksum(body), _CHECK_CHARS)
        return "-".join(text[i : i + _GROUP] for i in range(0, len(text), _GROUP))

    def private_key(self) -> X25519PrivateKey:
        """The X25519 private key this recovery key stands for."""
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_X25519_INFO)
        return X25519PrivateKey.from_private_bytes(hkdf.derive(self.secret))

    def public_key_bytes(self) -> bytes:
        """The raw 32-byte X25519 public key, as stored in the vault header."""
        return self.private_key().public_key().public_bytes_raw()


def generate_recovery_key() -> RecoveryKey:
    """A new random recovery key."""
    return RecoveryKey(os.urandom(RECOVERY_KEY_LENGTH))


def _normalize(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).upper()
    return "".join(char for char in folded if not char.isspace() and char not in _SEPARATORS)


def parse_recovery_key(text: str) -> RecoveryKey:
    """Read a recovery key as typed by a person; UsageError says what is wrong with it."""
    chars = _normalize(text)
    if not chars:
        raise UsageError("The recovery key is empty: type the key you were given when the vault was created")
    if len(chars) != _KEY_CHARS + _CHECK_CHARS:
        raise UsageError(_LENGTH)
    if any(char not in _DECODE for char in chars):
        raise UsageError(_TYPO)
    chars = "".join(_ALPHABET[_DECODE[char]] for char in chars)  # O -> 0, I and L -> 1
    body, check = chars[:_KEY_CHARS], chars[_KEY_CHARS:]
    if _to_base32(_checksum(body), _CHECK_CHARS) != check:
        raise UsageError(_TYPO)
    value = 0
    for char in body:
        value = (value << 5) | _DECODE[char]
    if value & 0b1111:  # the 4 padding bits are always zero
        raise UsageError(_TYPO)
    return RecoveryKey((value >> 4).to_bytes(RECOVERY_KEY_LENGTH, "big"))
