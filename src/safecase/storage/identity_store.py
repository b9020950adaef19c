"""The vault identity's private keys, kept only inside the encrypted database."""

from __future__ import annotations

from dataclasses import dataclass

from safecase.crypto.identity import Identity
from safecase.errors import IntegrityError
from safecase.storage.database import Database


@dataclass(frozen=True)
class IdentityRecord:
    identity: Identity
    display_name: str
    organisation: str
    created_at: str


def save_identity(db: Database, record: IdentityRecord) -> None:
    db.execute(
        "INSERT INTO identity (id, display_name, organisation, private_json, created_at) VALUES (1, ?, ?, ?, ?)",
        (record.display_name, record.organisation, record.identity.to_private_json(), record.created_at),
    )


def load_identity(db: Database) -> IdentityRecord:
    row = db.query_one("SELECT display_name, organisation, private_json, created_at FROM identity WHERE id = 1")
    if row is None:
        raise IntegrityError("The vault has no identity: the database is damaged. Restore it from a backup.")
    return IdentityRecord(Identity.from_private_json(row[2]), row[0], row[1], row[3])
