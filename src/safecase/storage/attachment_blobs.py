"""Which encrypted file in ``blobs/`` holds which attachment: local to this vault, never exchanged."""

from __future__ import annotations

from dataclasses import dataclass

from safecase.storage.database import Database


@dataclass(frozen=True)
class StoredBlob:
    attachment_id: str
    blob_name: str
    stored_size: int


class AttachmentBlobs:
    """The ``attachment_blobs`` table. The caller owns the transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, attachment_id: str, blob_name: str, stored_size: int, stored_at: str) -> None:
        self._db.execute(
            "INSERT INTO attachment_blobs (attachment_id, blob_name, stored_size, stored_at) VALUES (?, ?, ?, ?)",
            (attachment_id, blob_name, stored_size, stored_at),
        )

    def get(self, attachment_id: str) -> StoredBlob | None:
        row = self._db.query_one(
            "SELECT attachment_id, blob_name, stored_size FROM attachment_blobs WHERE attachment_id = ?",
            (attachment_id,),
        )
        return StoredBlob(*row) if row else None

    def all(self) -> list[StoredBlob]:
        rows = self._db.query_all(
            "SELECT b.attachment_id, b.blob_name, b.stored_size FROM attachment_blobs AS b"
            " JOIN records AS r ON r.id = b.attachment_id WHERE r.deleted = 0 ORDER BY r.num"
        )
        return [StoredBlob(*row) for row in rows]

    def is_referenced(self, blob_name: str) -> bool:
        row = self._db.query_one(
            "SELECT 1 FROM attachment_blobs WHERE blob_name = ?"
            " UNION ALL SELECT 1 FROM recordings WHERE blob_name = ? LIMIT 1",
            (blob_name, blob_name),
        )
        return row is not None
