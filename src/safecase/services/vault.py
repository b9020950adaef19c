"""Vault lifecycle: create, unlock, change passphrase, recover, rotate the master key, crypto-shred.

The master key never exists outside memory. The header holds it wrapped twice (under the passphrase's Argon2id
key and to the recovery key); the database is opened with a key derived from it. Every operation that fails,
for whatever reason, leaves the vault exactly as it was: nothing is written before every check has passed.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

from safecase.crypto.header import VaultHeader, create_header
from safecase.crypto.identity import Identity
from safecase.crypto.kdf import KdfPolicy, derive_kek
from safecase.crypto.recovery_key import RecoveryKey, generate_recovery_key
from safecase.crypto.secrets import SecretBytes, check_new_passphrase
from safecase.crypto.subkeys import PURPOSE_SQLCIPHER, derive_subkey
from safecase.domain.clock import Clock, iso_from_ms
from safecase.errors import IntegrityError, VaultStateError, WrongSecretError
from safecase.services.session import VaultSession
from safecase.storage import fsutil, integrity
from safecase.storage.database import (
    DamagedDatabaseError,
    Database,
    DatabaseErrors,
    KeyMismatchError,
    is_busy,
    is_disk_full,
    open_encrypted,
)
from safecase.storage.identity_store import IdentityRecord, load_identity, save_identity
from safecase.storage.migrate import migrate
from safecase.storage.vault_folder import HEADER_SIZE_LIMIT, HeaderNotWritten, VaultFolder, staging_folder
from safecase.storage.vault_meta import VaultMeta

MASTER_KEY_BYTES = 32

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CreatedVault:
    folder: Path
    vault_id: str
    recovery_key: str
    fingerprint: str


class VaultService:
    """Creates and opens vaults. Built once by the composition root with the KDF policy and clock to use."""

    def __init__(self, kdf_policy: KdfPolicy, clock: Clock) -> None:
        self._policy = kdf_policy
        self._clock = clock

    # -- create -------------------------------------------------------------------------------------------------

    def create(self, root: Path, passphrase: str, display_name: str = "", organisation: str = "") -> CreatedVault:
        check_new_passphrase(passphrase)
        vault_id = str(uuid.uuid4())
        created_at = iso_from_ms(self._clock.now_ms())
        params = self._policy.calibrate()
        master = SecretBytes(secrets.token_bytes(MASTER_KEY_BYTES))
        recovery = generate_recovery_key()
        identity = Identity.generate()
        try:
            header = create_header(
                vault_id,
                params,
                derive_kek(passphrase, params),
                bytes(master),
                recovery.public_key_bytes(),
                created_at,
            )
            with staging_folder(root) as staging:
                staging.blobs.mkdir(mode=0o700)
                self._initialise_database(
                    staging,
                    master,
                    vault_id,
                    identity,
                    IdentityRecord(identity, display_name, organisation, created_at),
                )
                staging.write_header(header.to_bytes())
        finally:
            master.wipe()
        return CreatedVault(root, vault_id, recovery.formatted(), identity.public().fingerprint())

    def _initialise_database(
        self,
        staging: VaultFolder,
        master: SecretBytes,
        vault_id: str,
        identity: Identity,
        identity_record: IdentityRecord,
    ) -> None:
        db = open_encrypted(staging.database, self._db_key(master, vault_id), create=True)
        try:
            migrate(db)
            with db.transaction():
                meta = VaultMeta.initialise(db, vault_id, secrets.token_hex(8), identity_record.created_at)
                save_identity(db, identity_record)
                session = VaultSession(staging, db, SecretBytes(bytes(master)), identity, meta, self._clock)
                session.log("vault.create", vault_id)
            session.close()
        finally:
            db.close()

    # -- open ---------------------------------------------------------------------------------------------------

    def read_header(self, folder: VaultFolder) -> VaultHeader:
        """The vault's header; if it is damaged or missing but the backup is intact, say how to restore it."""
        folder.require_existing()
        try:
            return VaultHeader.from_bytes(folder.read_header_bytes())
        except (IntegrityError, VaultStateError):
            if not _backup_is_intact(folder):
                raise
        raise IntegrityError(
            f"The vault header {folder.header} is damaged or missing, but its backup is intact: restore it with "
            f"`safecase header restore {folder.header_backup}`."
        )

    def unlock(self, root: Path, passphrase: str) -> VaultSession:
        folder = VaultFolder(root)
        header = self.read_header(folder)
        self._policy.check(header.kdf)
        kek = derive_kek(passphrase, header.kdf)
        try:
            master = SecretBytes(header.unwrap_with_kek(kek))
        except WrongSecretError as wrong:
            if _backup_differs(folder):
                raise WrongSecretError(
                    f"{wrong.message} If you are sure of it, the header may have been altered: its backup differs; "
                    f"try `safecase header restore {folder.header_backup}`."
                ) from None
            raise
        return self._open_with(folder, header, master, kek=kek)

    def unlock_with_recovery_key(self, root: Path, recovery_key: RecoveryKey) -> VaultSession:
        folder = VaultFolder(root)
        header = self.read_header(folder)
        master = SecretBytes(header.unwrap_with_recovery_key(recovery_key))
        return self._open_with(folder, header, master, recovery_key=recovery_key)

    def _open_with(
        self,
        folder: VaultFolder,
        header: VaultHeader,
        master: SecretBytes,
        *,
        kek: bytes | None = None,
        recovery_key: RecoveryKey | None = None,
        restoring: bool = False,
    ) -> VaultSession:
        secret: bytes | RecoveryKey = kek if kek is not None else _required(recovery_key)
        folder.require_writable()
        try:
            db = open_encrypted(folder.database, self._db_key(master, header.vault_id))
        except KeyMismatchError:
            pending = (
                header.unwrap_pending_with_kek(kek)
                if kek is not None
                else header.unwrap_pending_with_recovery_key(_required(recovery_key))
            )
            master.wipe()
            if pending is None:
                raise
            master = SecretBytes(pending)
            db = open_encrypted(folder.database, self._db_key(master, header.vault_id))
            db.checkpoint()  # the re-keyed pages move from the WAL into the database file before the header says so
            header = header.finish_rotation(secret, database_key=bytes(master))
            self._settle_rotation(folder, header, db)
        else:
            if header.pending is not None:  # a rotation that never reached the database: forget it
                header = header.abandon_rotation(secret, database_key=bytes(master))
                self._settle_rotation(folder, header, db)
        return self._session(folder, header, db, master, restoring=restoring)

    @staticmethod
    def _settle_rotation(folder: VaultFolder, settled: VaultHeader, db: Database) -> None:
        try:
            folder.require_writable()
            folder.write_header(settled.to_bytes())
        except BaseException:
            db.close()
            raise

    def _session(
        self, folder: VaultFolder, header: VaultHeader, db: Database, master: SecretBytes, *, restoring: bool = False
    ) -> VaultSession:
        try:
            try:
                migrate(db)
                meta = VaultMeta(db)
                identity = load_identity(db).identity
            except DatabaseErrors:
                raise DamagedDatabaseError() from None
            if meta.vault_id != header.vault_id:
                raise IntegrityError(
                    "The vault header and database belong to different vaults. Restore the right header."
                )
        except BaseException:
            db.close()
            master.wipe()
            raise
        folder.remove_leftovers()
        if restoring:
            folder.write_header(header.to_bytes())
        else:
            folder.repair_backup(header.to_bytes())
        session = VaultSession(folder, db, master, identity, meta, self._clock)
        try:
            _sweep_blobs(session)
        except BaseException:
            session.close()
            raise
        return session

    def damaged_pages(self, root: Path, passphrase: str) -> list[str]:
        """SQLCipher's page-by-page authentication check, for a database too damaged to open normally."""
        folder = VaultFolder(root)
        header = self.read_header(folder)
        self._policy.check(header.kdf)
        with SecretBytes(header.unwrap_with_kek(derive_kek(passphrase, header.kdf))) as master:
            db = open_encrypted(folder.database, self._db_key(master, header.vault_id), verify=False)
        try:
            return integrity.page_failures(db)
        finally:
            db.close()

    # -- change keys --------------------------------------------------------------------------------------------

    def change_passphrase(self, session: VaultSession, new_passphrase: str) -> None:
        """Re-wrap the master key under a new passphrase. Only the header changes."""
        check_new_passphrase(new_passphrase)
        session.folder.require_writable()
        header = self.read_header(session.folder)
        params = self._policy.calibrate()
        new_header = header.with_new_passphrase(params, derive_kek(new_passphrase, params), bytes(session.master_key))
        session.folder.write_header(new_header.to_bytes())
        _log_header_change(
            session, "vault.passphrase_changed", "The passphrase was changed: use the new one from now on."
        )

    def rotate_master_key(self, session: VaultSession, passphrase: str) -> None:
        """New master key; the database is re-encrypted with SQLCipher's rekey.

        Crash-safe in three steps: (1) the header gets the new key as `pending` beside the current one, (2) the
        database is rekeyed in one transaction, (3) the pending key becomes current. Unlock after a crash at any
        point opens the database with whichever key fits and completes or abandons the rotation.
        """
        session.folder.require_writable()
        header = self.read_header(session.folder)
        self._policy.check(header.kdf)
        kek = derive_kek(passphrase, header.kdf)
        if header.unwrap_with_kek(kek) != bytes(session.master_key):
            raise IntegrityError("The vault header no longer matches the open vault. Lock and unlock again.")
        new_master = SecretBytes(secrets.token_bytes(MASTER_KEY_BYTES))
        pending = header.begin_rotation(kek, bytes(new_master))
        session.folder.write_header(pending.to_bytes())
        session.db.rekey(self._db_key(new_master, header.vault_id))
        session.db.checkpoint()
        try:
            session.folder.write_header(pending.finish_rotation(kek, database_key=bytes(new_master)).to_bytes())
        except HeaderNotWritten as error:  # the database is on the new key now: the header keeps it as pending
            raise VaultStateError(
                "The master key was replaced and the database re-encrypted, but the header could not record it "
                f"({error.reason}); the next unlock completes it."
            ) from None
        session.master_key.wipe()
        session.master_key = new_master
        _log_header_change(session, "vault.key_rotated", "The master key was replaced and the database re-encrypted.")

    # -- destroy ------------------------------------------------------------------------------------------------

    def shred(self, root: Path) -> None:
        """Destroy the header and its backup: without them the database is random bytes to anyone."""
        folder = VaultFolder(root)
        folder.require_shreddable()
        folder.destroy_headers()

    def export_header(self, session: VaultSession, destination: Path) -> None:
        """Write a copy of the header (wrapped keys only, no user data) for safekeeping away from the laptop."""
        header = self.read_header(session.folder)
        fsutil.write_new_private_file(destination, header.to_bytes())
        with session.db.transaction():
            session.log("vault.header_exported")

    def restore_header(
        self, root: Path, header_file: Path, passphrase: str | None, recovery_key: RecoveryKey | None
    ) -> VaultSession:
        """Put an exported header back (e.g. after a shred), after proving it opens this vault's database."""
        folder = VaultFolder(root)
        fsutil.refuse_symlink(folder.root, "vault folder")
        if not folder.database.is_file():
            raise VaultStateError(f"No vault database at {folder.database}: there is nothing to restore a header to.")
        try:
            header = VaultHeader.from_bytes(fsutil.read_small_file(header_file, HEADER_SIZE_LIMIT, "header backup"))
        except IntegrityError:
            raise IntegrityError(f"{header_file} is not a SafeCase header backup, or it is damaged.") from None
        kek = None
        if recovery_key is not None:
            master = SecretBytes(header.unwrap_with_recovery_key(recovery_key))
        else:
            self._policy.check(header.kdf)
            kek = derive_kek(passphrase or "", header.kdf)
            master = SecretBytes(header.unwrap_with_kek(kek))
        session = self._open_with(folder, header, master, kek=kek, recovery_key=recovery_key, restoring=True)
        try:
            _log_header_change(session, "vault.header_restored", "The header was restored: the vault opens again.")
        except BaseException:
            session.close()
            raise
        return session

    @staticmethod
    def _db_key(master: SecretBytes, vault_id: str) -> bytes:
        return derive_subkey(bytes(master), PURPOSE_SQLCIPHER, vault_id)


def _backup_is_intact(folder: VaultFolder) -> bool:
    try:
        VaultHeader.from_bytes(folder.read_header_bytes(use_backup=True))
    except (IntegrityError, VaultStateError):
        return False
    return True


def _required(recovery_key: RecoveryKey | None) -> RecoveryKey:
    if recovery_key is None:
        raise ValueError("either a passphrase key or a recovery key is needed")
    return recovery_key


def _backup_differs(folder: VaultFolder) -> bool:
    try:
        return _backup_is_intact(folder) and folder.read_header_bytes(use_backup=True) != folder.read_header_bytes()
    except (IntegrityError, VaultStateError):
        return False


def _log_header_change(session: VaultSession, action: str, done: str) -> None:
    """Audit a key change the header already holds. If the disk is full the change stands all the same, so the
    user is told that, not the "nothing was changed" of a failed write."""
    try:
        with session.db.transaction():
            session.log(action)
    except DatabaseErrors as error:
        if not is_disk_full(error):
            raise
        raise VaultStateError(
            f"{done} The disk is full, so the audit log does not record it; free some space."
        ) from None


def _sweep_blobs(session: VaultSession) -> None:
    """Settle what crashed intakes left in ``blobs/``, in a write transaction: a bundle import in another process
    stages blobs under its write lock, so the sweep never mistakes them for a crash's leftovers. If another process
    holds that lock past the busy timeout, the sweep is left for the next unlock rather than failing this one."""
    try:
        with session.db.transaction():
            session.blobs.sweep(session.attachment_blobs.is_referenced)
    except DatabaseErrors as error:
        if not is_busy(error):
            raise
        log.info("blob sweep left for the next unlock: another process is writing to the vault")
