"""Open sessions for benchmarks: a real encrypted vault, and the same session on a plain (unencrypted) database.

The plain session is built the way ``VaultService`` builds a real one (migrations, vault meta, identity, the
``VaultSession`` constructor), on ``open_plain``: same SQLite build, same pragmas, same schema, no encryption.
One thing ``open_plain`` leaves out is the page size: SQLCipher's ``cipher_page_size`` (16 KiB) is the page size
of the encrypted database, while a new plain database gets SQLite's default (4 KiB). The plain database is
therefore created with 16 KiB pages first, so that the comparison measures encryption and nothing else.
"""

from __future__ import annotations

import secrets
import uuid
from pathlib import Path

import sqlcipher3

from safecase.crypto.identity import Identity
from safecase.crypto.kdf import KdfPolicy
from safecase.crypto.secrets import SecretBytes
from safecase.domain.clock import Clock, SystemClock, iso_from_ms
from safecase.services.session import VaultSession
from safecase.services.vault import MASTER_KEY_BYTES, VaultService
from safecase.storage.database import CIPHER_PAGE_SIZE, open_plain
from safecase.storage.identity_store import IdentityRecord, load_identity, save_identity
from safecase.storage.migrate import migrate
from safecase.storage.vault_folder import VaultFolder
from safecase.storage.vault_meta import VaultMeta

# A benchmark passphrase; the vaults it protects hold only fictional data and are deleted after the run.
PASSPHRASE = "benchmark passphrase, fictional data only"


def fast_vault_service(clock: Clock | None = None) -> VaultService:
    """A vault service with the tests' tiny KDF: the database is the real SQLCipher one, unlock is instant."""
    return VaultService(KdfPolicy.for_tests(), clock or SystemClock())


def create_encrypted_vault(root: Path, service: VaultService | None = None) -> None:
    (service or fast_vault_service()).create(root, PASSPHRASE, "Benchmark", "Benchmark")


def open_encrypted_session(root: Path, service: VaultService | None = None) -> VaultSession:
    return (service or fast_vault_service()).unlock(root, PASSPHRASE)


def create_plain_vault(root: Path, clock: Clock | None = None, page_size: int = CIPHER_PAGE_SIZE) -> None:
    """A plain database initialised like ``VaultService._initialise_database`` does an encrypted one."""
    clock = clock or SystemClock()
    root.mkdir(mode=0o700)
    folder = VaultFolder(root)
    _format_empty_database(folder.database, page_size)
    db = open_plain(folder.database)
    try:
        migrate(db)
        created_at = iso_from_ms(clock.now_ms())
        identity = Identity.generate()
        vault_id = str(uuid.uuid4())
        with db.transaction():
            meta = VaultMeta.initialise(db, vault_id, secrets.token_hex(8), created_at)
            save_identity(db, IdentityRecord(identity, "Benchmark", "Benchmark", created_at))
            session = VaultSession(folder, db, _throwaway_key(), identity, meta, clock)
            session.log("vault.create", vault_id)
        session.close()
    finally:
        db.close()


def open_plain_session(root: Path, clock: Clock | None = None) -> VaultSession:
    """The plain twin of ``VaultService.unlock`` + ``_session``: migrate, meta, identity, session."""
    folder = VaultFolder(root)
    db = open_plain(folder.database)
    migrate(db)
    meta = VaultMeta(db)
    identity = load_identity(db).identity
    return VaultSession(folder, db, _throwaway_key(), identity, meta, clock or SystemClock())


def _format_empty_database(path: Path, page_size: int) -> None:
    """Write an empty database file with ``page_size`` (it cannot change once WAL mode is on)."""
    connection = sqlcipher3.connect(str(path))
    try:
        connection.execute(f"PRAGMA page_size = {page_size}")
        connection.execute("VACUUM")
    finally:
        connection.close()


def _throwaway_key() -> SecretBytes:
    return SecretBytes(secrets.token_bytes(MASTER_KEY_BYTES))
