"""The SQLCipher connection: opened with a raw 256-bit key, hardened pragmas, explicit transactions.

The same class also wraps a plain ``sqlite3`` connection so that benchmarks can measure the cost of encryption on
exactly the same statements; nothing in the product opens an unencrypted database.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import sqlcipher3

from safecase.crypto.subkeys import sqlcipher_key_pragma
from safecase.errors import IntegrityError, VaultStateError
from safecase.storage.fsutil import FILE_MODE

# Part of the vault format: SQLCipher does not store its page size in the (encrypted) file, so every open must
# use the value the database was created with. 16 KiB pages make SQLCipher's per-page HMAC and IV overhead small.
CIPHER_PAGE_SIZE = 16384
CACHE_SIZE_KIB = 65536

_HARDENING_PRAGMAS = (
    "PRAGMA temp_store = MEMORY",
    "PRAGMA secure_delete = ON",
    "PRAGMA foreign_keys = ON",
    "PRAGMA trusted_schema = OFF",
    "PRAGMA cell_size_check = ON",
    f"PRAGMA cache_size = -{CACHE_SIZE_KIB}",
    "PRAGMA busy_timeout = 5000",
)

DatabaseErrors: tuple[type[Exception], ...] = (sqlcipher3.DatabaseError,)


class Cursor(Protocol):
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...
    @property
    def lastrowid(self) -> int | None: ...
    @property
    def rowcount(self) -> int: ...


class Connection(Protocol):
    """The part of DB-API that sqlite3 and sqlcipher3 share and that we use."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Any: ...
    def executemany(self, sql: str, parameters: Any, /) -> Any: ...
    def executescript(self, sql: str, /) -> Any: ...
    def close(self) -> None: ...


class Database:
    """One open vault database. The caller owns transactions: nothing here commits behind its back."""

    def __init__(self, connection: Connection, path: Path) -> None:
        self._connection: Connection | None = connection
        self.path = path
        self._depth = 0

    @property
    def connection(self) -> Connection:
        if self._connection is None:
            raise VaultStateError("The vault is locked. Unlock it again to continue.")
        return self._connection

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> Any:
        return self.connection.execute(sql, parameters)

    def executemany(self, sql: str, rows: Any) -> Any:
        return self.connection.executemany(sql, rows)

    def query_one(self, sql: str, parameters: Sequence[Any] = ()) -> Any:
        return self.connection.execute(sql, parameters).fetchone()

    def query_all(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        return list(self.connection.execute(sql, parameters).fetchall())

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception. Nested calls join the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.connection.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self.connection.execute("ROLLBACK")
            raise
        self._depth = 0
        self.connection.execute("COMMIT")

    @property
    def is_open(self) -> bool:
        return self._connection is not None

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    def rekey(self, new_raw_key: bytes) -> None:
        """Re-encrypt every page under a new key (SQLCipher's own rekey, one transaction).

        SQLCipher answers "ok" even when the re-encrypted pages could not be written (a full disk): its transaction
        rolls back, so the file keeps the old key, but the connection has switched to the new one and reads
        nothing any more. A read tells; the connection is then closed and the failure reported.
        """
        self.connection.execute(f'PRAGMA rekey = "{sqlcipher_key_pragma(new_raw_key)}"')
        try:
            self.connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except DatabaseErrors:
            self.close()
            raise VaultStateError(
                "The database could not be re-encrypted (is the disk full or failing?), so it keeps its current key. "
                "Free some space and try again."
            ) from None

    def defer_foreign_keys(self) -> None:
        """Check foreign keys at COMMIT rather than per statement, for the rest of the current transaction."""
        self.connection.execute("PRAGMA defer_foreign_keys = ON")

    def checkpoint(self) -> None:
        """Copy committed pages from the write-ahead log into the database file and empty the log."""
        self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    def close(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            with contextlib.suppress(*DatabaseErrors):
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.close()


def _connect_sqlcipher(path: Path, raw_key: bytes) -> Connection:
    connection = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    # Logging first: SQLCipher would otherwise print page-level errors (e.g. on a wrong key) to stderr.
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(f'PRAGMA key = "{sqlcipher_key_pragma(raw_key)}"')
    connection.execute(f"PRAGMA cipher_page_size = {CIPHER_PAGE_SIZE}")
    return connection  # type: ignore[no-any-return]


def open_encrypted(path: Path, raw_key: bytes, *, create: bool = False, verify: bool = True) -> Database:
    """Open (or create) the SQLCipher database. A key that does not fit raises IntegrityError.

    With ``verify=False`` the connection is returned keyed but untouched, for page-level checks of a database
    too damaged to read its schema.
    """
    if create:
        _create_private_file(path)
    elif not path.is_file():
        raise VaultStateError(f"The vault database {path} is missing. Restore the vault folder from a backup.")
    connection = _connect_sqlcipher(path, raw_key)
    if not verify:
        return Database(connection, path)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DatabaseErrors as exc:
        connection.close()
        if "not a database" in str(exc):
            raise KeyMismatchError() from exc
        raise translate_database_error(exc) from exc
    return _configure(connection, path)


def _create_private_file(path: Path) -> None:
    """Create the empty database file 0600 ourselves: SQLite gives its -wal and -shm files the same mode."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    os.close(fd)


def open_plain(path: Path) -> Database:
    """An unencrypted database with the same SQLite build and settings: for benchmarks' baseline only."""
    connection = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    return _configure(connection, path)


def _configure(connection: Connection, path: Path) -> Database:
    for pragma in _HARDENING_PRAGMAS:
        connection.execute(pragma)
    try:
        connection.execute("PRAGMA journal_mode = WAL").fetchone()
        connection.execute("PRAGMA synchronous = FULL")
    except DatabaseErrors as exc:
        connection.close()
        raise VaultStateError(
            f"Cannot write to the vault at {path.parent}: is the folder read-only? Check its permissions."
        ) from exc
    return Database(connection, path)


class KeyMismatchError(IntegrityError):
    def __init__(self) -> None:
        super().__init__(
            "The vault database does not open with the key in the vault header: the database or the header is "
            "damaged, or they come from different vaults. Run `safecase check` or restore from a backup."
        )


class DamagedDatabaseError(IntegrityError):
    def __init__(self) -> None:
        super().__init__(
            "The vault database is damaged and could not be read. Run `safecase check` to see where, then restore "
            "the vault from a backup."
        )


def is_busy(error: Exception) -> bool:
    """Whether SQLite gave up waiting for a lock another connection (another SafeCase process) holds."""
    text = str(error).lower()
    return "locked" in text or "busy" in text


def is_disk_full(error: Exception) -> bool:
    """Whether SQLite could not write because the disk is full (SQLITE_FULL)."""
    return "disk is full" in str(error).lower()


def translate_database_error(error: Exception) -> Exception:
    """The user-facing error for a failure reported by SQLite/SQLCipher (no SQL, no content in the message)."""
    text = str(error).lower()
    if is_busy(error):
        return VaultStateError("The vault is busy in another SafeCase window or command; close it and try again.")
    if "readonly" in text or "read-only" in text:
        return VaultStateError("The vault is read-only here. Make the folder and its files writable and try again.")
    if "constraint" in text:
        return VaultStateError(
            "This change conflicts with data written at the same moment (another SafeCase window?). Nothing was "
            "changed; try again."
        )
    if "disk is full" in text or "disk i/o" in text:
        return VaultStateError("The disk is full or failing; nothing was changed. Free some space and try again.")
    return DamagedDatabaseError()
