"""The SQLCipher connection is opened the hardened way, and nothing readable reaches the disk."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from safecase.services.session import VaultSession
from safecase.storage.database import CIPHER_PAGE_SIZE, KeyMismatchError, open_encrypted


def pragma(session: VaultSession, name: str) -> object:
    return session.db.query_one(f"PRAGMA {name}")[0]


def test_pragmas_are_hardened(session: VaultSession) -> None:
    assert pragma(session, "temp_store") == 2  # MEMORY
    assert pragma(session, "secure_delete") == 1
    assert str(pragma(session, "journal_mode")).lower() == "wal"
    assert pragma(session, "synchronous") == 2  # FULL
    assert pragma(session, "foreign_keys") == 1
    assert pragma(session, "trusted_schema") == 0
    assert int(str(pragma(session, "cipher_page_size"))) == CIPHER_PAGE_SIZE
    assert str(pragma(session, "cipher_log_level")).upper() == "NONE"


def test_extension_loading_is_never_enabled(session: VaultSession) -> None:
    with pytest.raises(Exception, match="not authorized"):
        session.db.query_one("SELECT load_extension('/lib/x86_64-linux-gnu/libc.so.6')")


def test_the_database_file_is_ciphertext(session: VaultSession) -> None:
    data = session.folder.database.read_bytes()
    assert not data.startswith(b"SQLite format 3")
    assert b"CREATE TABLE" not in data and b"records" not in data


def test_a_wrong_database_key_is_a_key_mismatch(session: VaultSession) -> None:
    path = session.folder.database
    session.close()
    with pytest.raises(KeyMismatchError):
        open_encrypted(path, b"\x01" * 32)


def test_sqlcipher_prints_nothing_when_a_key_does_not_fit(session: VaultSession, tmp_path: Path) -> None:
    """SQLCipher logs page errors to stderr by default; that would reach terminals and log files."""
    path = session.folder.database
    session.close()
    probe = (
        "import sys\nfrom pathlib import Path\n"
        "from safecase.storage.database import open_encrypted\n"
        "try:\n    open_encrypted(Path(sys.argv[1]), bytes(32))\nexcept Exception as e:\n    print(type(e).__name__)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "KeyMismatchError"
    assert result.stderr == ""
