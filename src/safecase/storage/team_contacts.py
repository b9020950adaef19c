"""The team members this vault exchanges bundles with (table ``team_contacts``). The caller owns the transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from safecase.crypto.encoding import b64decode_strict, b64encode
from safecase.crypto.identity import PublicIdentity
from safecase.storage.database import Database

_COLUMNS = (
    "id, display_name, organisation, age_recipient, ed25519_public_key, fingerprint, card, added_at, verified_at,"
    " revoked_at"
)


@dataclass(frozen=True)
class TeamContact:
    id: str
    display_name: str
    organisation: str
    age_recipient: str
    ed25519_public_key: bytes | None  # None: an age-only recipient, who can receive bundles but not send them
    fingerprint: str | None
    card: str | None
    added_at: str
    verified_at: str | None
    revoked_at: str | None

    @property
    def verified(self) -> bool:
        return self.verified_at is not None and self.revoked_at is None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def status(self) -> str:
        """``revoked``, ``verified`` or ``unverified``."""
        if self.revoked:
            return "revoked"
        return "verified" if self.verified else "unverified"

    def public(self) -> PublicIdentity | None:
        if self.ed25519_public_key is None:
            return None
        return PublicIdentity(self.ed25519_public_key, self.age_recipient)


def _contact(row: Any) -> TeamContact:
    key = b64decode_strict(row[4]) if row[4] is not None else None
    return TeamContact(row[0], row[1], row[2], row[3], key, row[5], row[6], row[7], row[8], row[9])


class TeamContactStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, contact: TeamContact) -> None:
        key = b64encode(contact.ed25519_public_key) if contact.ed25519_public_key is not None else None
        self._db.execute(
            f"INSERT INTO team_contacts ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                contact.id,
                contact.display_name,
                contact.organisation,
                contact.age_recipient,
                key,
                contact.fingerprint,
                contact.card,
                contact.added_at,
                contact.verified_at,
                contact.revoked_at,
            ),
        )

    def replace_card(self, contact_id: str, display_name: str, organisation: str, card: str) -> None:
        """A newer card from the same keys: names may change; verification and revocation stay as they were."""
        self._db.execute(
            "UPDATE team_contacts SET display_name = ?, organisation = ?, card = ? WHERE id = ?",
            (display_name, organisation, card, contact_id),
        )

    def attach_card(self, contact_id: str, card: TeamContact) -> None:
        """Give an age-only contact the keys and names of the card they later sent: unverified again."""
        assert card.ed25519_public_key is not None
        self._db.execute(
            "UPDATE team_contacts SET display_name = ?, organisation = ?, ed25519_public_key = ?, fingerprint = ?,"
            " card = ?, verified_at = NULL, revoked_at = NULL WHERE id = ?",
            (
                card.display_name,
                card.organisation,
                b64encode(card.ed25519_public_key),
                card.fingerprint,
                card.card,
                contact_id,
            ),
        )

    def get(self, contact_id: str) -> TeamContact | None:
        row = self._db.query_one(f"SELECT {_COLUMNS} FROM team_contacts WHERE id = ?", (contact_id,))
        return _contact(row) if row else None

    def all(self) -> list[TeamContact]:
        rows = self._db.query_all(f"SELECT {_COLUMNS} FROM team_contacts ORDER BY display_name, added_at, id")
        return [_contact(row) for row in rows]

    def by_signing_key(self, ed25519_public_key: bytes) -> TeamContact | None:
        row = self._db.query_one(
            f"SELECT {_COLUMNS} FROM team_contacts WHERE ed25519_public_key = ?", (b64encode(ed25519_public_key),)
        )
        return _contact(row) if row else None

    def by_age_recipient(self, age_recipient: str) -> TeamContact | None:
        row = self._db.query_one(f"SELECT {_COLUMNS} FROM team_contacts WHERE age_recipient = ?", (age_recipient,))
        return _contact(row) if row else None

    def set_verified(self, contact_id: str, at: str | None) -> None:
        self._db.execute("UPDATE team_contacts SET verified_at = ? WHERE id = ?", (at, contact_id))

    def set_revoked(self, contact_id: str, at: str | None) -> None:
        """Revoke (``at`` given) or reinstate (``None``, when the user adds the same card again)."""
        self._db.execute("UPDATE team_contacts SET revoked_at = ? WHERE id = ?", (at, contact_id))
