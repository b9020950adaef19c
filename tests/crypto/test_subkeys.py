"""Purpose-bound subkeys and the SQLCipher key statement."""

from __future__ import annotations

import re

import pytest

from safecase.crypto.subkeys import derive_subkey, sqlcipher_key_pragma

MASTER = bytes(range(32))
VAULT = "6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
# Checked by hand against RFC 5869 HKDF (hmac + hashlib).
KNOWN_SQLCIPHER_SUBKEY = "81bef2ffe68bbd9357ac825e8c0a490578dbf1b8bdaeefc1f6922422bd320ba1"


def test_subkeys_are_deterministic_and_32_bytes() -> None:
    assert derive_subkey(MASTER, "sqlcipher", VAULT) == derive_subkey(MASTER, "sqlcipher", VAULT)
    assert len(derive_subkey(MASTER, "audit", VAULT)) == 32


def test_subkeys_differ_by_purpose_vault_and_master_key() -> None:
    keys = {
        derive_subkey(MASTER, "sqlcipher", VAULT),
        derive_subkey(MASTER, "audit", VAULT),
        derive_subkey(MASTER, "blobs", VAULT),
        derive_subkey(MASTER, "sqlcipher", "0a1b2c3d-0000-4000-8000-000000000000"),
        derive_subkey(bytes(32), "sqlcipher", VAULT),
    }
    assert len(keys) == 5


def test_subkey_known_answer_is_stable() -> None:
    # Pinned so that a change to the derivation (which would make every existing vault unreadable) fails here.
    assert derive_subkey(MASTER, "sqlcipher", VAULT).hex() == KNOWN_SQLCIPHER_SUBKEY


@pytest.mark.parametrize("purpose", ["", "SQL", "sql cipher", "x" * 65, "ключ"])
def test_bad_purpose_is_rejected(purpose: str) -> None:
    with pytest.raises(ValueError, match="purpose"):
        derive_subkey(MASTER, purpose, VAULT)


def test_master_key_must_be_32_bytes() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        derive_subkey(b"short", "audit", VAULT)


def test_sqlcipher_key_uses_raw_key_mode() -> None:
    key = bytes(range(32))
    value = sqlcipher_key_pragma(key)
    assert re.fullmatch(r"x'[0-9a-f]{64}'", value)
    assert value == f"x'{key.hex()}'"
    assert f'PRAGMA key = "{value}"' == "PRAGMA key = \"x'" + key.hex() + "'\""
    with pytest.raises(ValueError):
        sqlcipher_key_pragma(b"\x00" * 31)
