"""Passphrase normalisation and a wipeable container for key material.

The same passphrase must give the same bytes whatever the keyboard or input method produced: a Korean
passphrase typed on one system may arrive precomposed (NFC) and on another decomposed into jamo (NFD). We
normalise to NFC and encode as UTF-8. We never strip or otherwise change what the user typed beyond that,
because any silent change would lock out someone whose passphrase really ends in a space.
"""

from __future__ import annotations

import hmac
import os
import unicodedata
from types import TracebackType

from safecase.errors import UsageError

MIN_NEW_PASSPHRASE_LENGTH = 8
"""Minimum length, in characters after NFC normalisation, of a newly chosen passphrase."""


def normalize_passphrase(passphrase: str) -> bytes:
    """Return the bytes fed to the KDF: NFC-normalised, UTF-8 encoded.

    Raises UsageError if the passphrase is empty or only whitespace. Any non-empty passphrase is accepted here
    (unlocking must work for whatever was chosen); new passphrases go through `check_new_passphrase` first.
    """
    if not passphrase or passphrase.isspace():
        raise UsageError(f"The passphrase is empty: choose one of at least {MIN_NEW_PASSPHRASE_LENGTH} characters")
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def check_new_passphrase(passphrase: str) -> None:
    """Reject a passphrase that is too weak to protect a vault; raises UsageError with what to do."""
    normalize_passphrase(passphrase)
    if len(unicodedata.normalize("NFC", passphrase)) < MIN_NEW_PASSPHRASE_LENGTH:
        raise UsageError(f"The passphrase is too short: choose one of at least {MIN_NEW_PASSPHRASE_LENGTH} characters")


class SecretBytes:
    """Key material in a mutable buffer that can be wiped when no longer needed.

    Wiping is best effort only. It zeroes this object's own buffer, but Python and the libraries it calls may
    have made copies we cannot reach: every `bytes` object produced by `reveal()` or returned by a
    cryptography call, interpreter free lists, swap and hibernation files. It shortens the time a key sits in
    memory; it does not guarantee the key is gone. The repr never shows the content.
    """

    __slots__ = ("_buffer", "_wiped")
    __hash__ = None  # type: ignore[assignment]  # mutable and secret: never a dict key

    def __init__(self, data: bytes | bytearray | memoryview) -> None:
        self._buffer = bytearray(data)
        self._wiped = False

    @classmethod
    def random(cls, length: int = 32) -> SecretBytes:
        """Fresh random key material from the operating system's CSPRNG."""
        return cls(os.urandom(length))

    def __len__(self) -> int:
        return len(self._buffer)

    def __repr__(self) -> str:
        state = "wiped" if self._wiped else f"{len(self._buffer)} bytes"
        return f"SecretBytes(<{state}>)"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SecretBytes):
            return hmac.compare_digest(self._buffer, other._buffer)
        if isinstance(other, bytes | bytearray):
            return hmac.compare_digest(self._buffer, other)
        return NotImplemented

    @property
    def wiped(self) -> bool:
        return self._wiped

    def reveal(self) -> bytes:
        """An immutable copy of the key, for APIs that need `bytes`. That copy cannot be wiped."""
        self._check_alive()
        return bytes(self._buffer)

    def __bytes__(self) -> bytes:
        """Same as `reveal()`: an immutable copy that cannot be wiped."""
        return self.reveal()

    def view(self) -> memoryview:
        """A read-only view of the buffer (no copy) for APIs that accept any bytes-like object."""
        self._check_alive()
        return memoryview(self._buffer).toreadonly()

    def wipe(self) -> None:
        """Overwrite the buffer with zeros in place (best effort; see the class docstring)."""
        buffer = getattr(self, "_buffer", None)  # absent if __init__ failed
        if buffer is None:
            return
        for index in range(len(buffer)):
            buffer[index] = 0
        self._wiped = True

    def __enter__(self) -> SecretBytes:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.wipe()

    def __del__(self) -> None:
        self.wipe()

    def _check_alive(self) -> None:
        if self._wiped:
            raise ValueError("this key has been wiped")
