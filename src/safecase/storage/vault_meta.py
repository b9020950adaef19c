"""Small key-value facts about the vault kept inside the encrypted database (vault id, device id, counters)."""

from __future__ import annotations

from safecase.storage.database import Database

VAULT_ID = "vault_id"
DEVICE_ID = "device_id"
CREATED_AT = "created_at"
LAST_REVISION = "last_revision"


class VaultMeta:
    def __init__(self, db: Database) -> None:
        self._db = db
        self.vault_id = self.get(VAULT_ID) or ""
        self.device_id = self.get(DEVICE_ID) or ""

    def get(self, key: str) -> str | None:
        row = self._db.query_one("SELECT value FROM vault_meta WHERE key = ?", (key,))
        return str(row[0]) if row else None

    def set(self, key: str, value: str) -> None:
        self._db.execute(
            "INSERT INTO vault_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def last_revision(self) -> str | None:
        return self.get(LAST_REVISION)

    def set_last_revision(self, revision: str) -> None:
        self.set(LAST_REVISION, revision)

    @classmethod
    def initialise(cls, db: Database, vault_id: str, device_id: str, created_at: str) -> VaultMeta:
        meta = cls(db)
        for key, value in ((VAULT_ID, vault_id), (DEVICE_ID, device_id), (CREATED_AT, created_at)):
            meta.set(key, value)
        meta.vault_id, meta.device_id = vault_id, device_id
        return meta
