"""An unlocked vault: the open database, the identity and the clocks, for as long as the vault stays unlocked.

``VaultSession`` is what the vault service hands out on unlock and what every other service takes in its
constructor. Closing it signs the audit chain's tip, closes the database and wipes the keys it holds.
"""

from __future__ import annotations

import getpass

from safecase.crypto.identity import Identity
from safecase.crypto.secrets import SecretBytes
from safecase.domain.clock import Clock, iso_from_ms
from safecase.domain.hlc import HybridLogicalClock, Revision
from safecase.storage.attachment_blobs import AttachmentBlobs
from safecase.storage.audit import AuditLog
from safecase.storage.blob_store import BlobStore
from safecase.storage.database import Database, DatabaseErrors, is_busy, is_disk_full
from safecase.storage.drafts import DraftStore
from safecase.storage.identity_store import IdentityRecord, load_identity
from safecase.storage.listing import ListViews
from safecase.storage.records import RecordStore
from safecase.storage.search_index import SearchIndex
from safecase.storage.vault_folder import VaultFolder
from safecase.storage.vault_meta import VaultMeta


class VaultSession:
    def __init__(
        self,
        folder: VaultFolder,
        db: Database,
        master_key: SecretBytes,
        identity: Identity,
        meta: VaultMeta,
        clock: Clock,
    ) -> None:
        self.folder = folder
        self.db = db
        self.master_key = master_key
        self.identity = identity
        self.meta = meta
        self.clock = clock
        last = meta.last_revision()
        self.hlc = HybridLogicalClock(clock, meta.device_id, Revision.parse(last) if last else None)
        self.actor = _actor_name()
        self.audit = AuditLog(db, meta.device_id, actor=self.actor)
        self.search = SearchIndex(db)
        self.records = RecordStore(db, self.search)
        self.lists = ListViews(db)
        self.drafts = DraftStore(db)
        self.blobs = BlobStore(folder.blobs, identity.age_identity)
        self.attachment_blobs = AttachmentBlobs(db)

    @property
    def vault_id(self) -> str:
        return self.meta.vault_id

    @property
    def device_id(self) -> str:
        return self.meta.device_id

    def now_iso(self) -> str:
        return iso_from_ms(self.clock.now_ms())

    def next_revision(self, *, after: str | None = None) -> Revision:
        """A new revision for a local write (call it inside the write's transaction), later than any this vault
        stored (another process may have written or imported since this one unlocked) and than ``after`` (the
        version it is written over); remembered so revisions keep increasing across restarts."""
        for seen in (self.meta.last_revision(), after):
            if seen:
                self.hlc.observe(Revision.parse(seen))
        revision = self.hlc.tick()
        self.meta.set_last_revision(str(revision))
        return revision

    def observe_revision(self, seen: Revision) -> None:
        """Move the clock past a revision that arrived in a bundle, durably: a local edit made after it, even
        after a restart, sorts after it."""
        self.hlc.observe(seen)
        last = self.meta.last_revision()
        if last is None or str(seen) > last:
            self.meta.set_last_revision(str(seen))

    def log(self, action: str, subject: str = "", detail: str = "") -> None:
        self.audit.append(self.now_iso(), action, subject, detail)
        if self.audit.needs_checkpoint():
            self.audit.checkpoint(self.identity, self.now_iso())

    def log_many(self, entries: list[tuple[str, str, str]]) -> None:
        """Log (action, subject, detail) entries at once, as ``log`` would one by one (a bundle's merged versions)."""
        at = self.now_iso()
        self.audit.append_many([(at, action, subject, detail) for action, subject, detail in entries])
        if self.audit.needs_checkpoint():
            self.audit.checkpoint(self.identity, self.now_iso())

    def identity_record(self) -> IdentityRecord:
        """The identity with the name and organisation it was created with."""
        return load_identity(self.db)

    def close(self) -> None:
        """Sign the audit tip, close the database, wipe the master key and drop the identity's keys. Safe to call
        twice."""
        try:
            if self.db.is_open and self.audit.needs_checkpoint(force=True):
                with self.db.transaction():
                    self.audit.checkpoint(self.identity, self.now_iso())
        except DatabaseErrors as error:
            if not (is_busy(error) or is_disk_full(error)):
                raise
            # Another process holds the write lock, or the disk is full: what the session wrote is committed
            # already, and the next close signs the tip instead. Raising would report a saved change as failed.
        finally:
            if self.db.is_open:
                self.db.close()
            self.master_key.wipe()
            self.blobs.forget()
            self.identity.forget()

    def __enter__(self) -> VaultSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _actor_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
