"""Purpose-bound keys derived from the master key, and the SQLCipher key statement.

Each use of the master key gets its own HKDF-SHA256 subkey, bound to the purpose and the vault id, so a key
that leaks from one use (say the SQLCipher page key) reveals nothing about another. Today only the database key
is derived; evidence files will be encrypted to the vault's age identity instead, so that rotating the master key
never has to re-encrypt them.
"""

from __future__ import annotations

import re

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from safecase.crypto.encoding import length_prefixed

SUBKEY_LENGTH = 32
_INFO_LABEL = b"safecase subkey v1"
_PURPOSE = re.compile(r"[a-z][a-z0-9_.-]{0,63}", re.ASCII)

PURPOSE_SQLCIPHER = "sqlcipher"


def derive_subkey(master_key: bytes, purpose: str, vault_id: str) -> bytes:
    """The 32-byte subkey of `master_key` for `purpose` (a short lower-case label such as "sqlcipher")."""
    if not isinstance(master_key, bytes | bytearray | memoryview) or len(master_key) != 32:
        raise ValueError("the master key must be 32 bytes")
    if not _PURPOSE.fullmatch(purpose):
        raise ValueError(f"invalid subkey purpose {purpose!r}")
    if not vault_id:
        raise ValueError("the vault id is required")
    info = length_prefixed(_INFO_LABEL, purpose.encode("ascii"), vault_id.encode("utf-8"))
    return HKDF(algorithm=hashes.SHA256(), length=SUBKEY_LENGTH, salt=None, info=info).derive(bytes(master_key))


def sqlcipher_key_pragma(raw_key: bytes) -> str:
    """The value for ``PRAGMA key = "<value>"`` (and ``PRAGMA rekey``): ``x'<64 hex digits>'``.

    SQLCipher's raw-key mode: the 32 bytes are the page key itself, so SQLCipher runs no KDF of its own. Use
    as ``f'PRAGMA key = "{sqlcipher_key_pragma(raw_key)}"'``. The returned str holds the key and cannot be
    wiped: build it right before executing it and drop it after.
    """
    if not isinstance(raw_key, bytes | bytearray | memoryview) or len(raw_key) != 32:
        raise ValueError("a SQLCipher raw key must be 32 bytes")
    return f"x'{bytes(raw_key).hex()}'"
