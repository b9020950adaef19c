"""Drafts: a form's state that does not validate yet, kept in the encrypted database (never in a plaintext file)
so that closing a window or an auto-lock loses no typing. A draft is not a version: it has no history, is not
audited, and never leaves the vault."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from safecase.storage.database import Database


@dataclass(frozen=True)
class Draft:
    key: str
    kind: str
    base_revision: str | None
    body: dict[str, Any]
    saved_at: str


class DraftStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def put(self, draft: Draft) -> None:
        self._db.execute(
            "INSERT INTO drafts (draft_key, kind, base_revision, body, saved_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (draft_key) DO UPDATE SET kind = excluded.kind, base_revision = excluded.base_revision,"
            " body = excluded.body, saved_at = excluded.saved_at",
            (draft.key, draft.kind, draft.base_revision, json.dumps(draft.body, ensure_ascii=False), draft.saved_at),
        )

    def get(self, key: str) -> Draft | None:
        row = self._db.query_one(
            "SELECT draft_key, kind, base_revision, body, saved_at FROM drafts WHERE draft_key = ?", (key,)
        )
        return None if row is None else _draft(row)

    def discard(self, key: str) -> None:
        self._db.execute("DELETE FROM drafts WHERE draft_key = ?", (key,))


def _draft(row: Any) -> Draft:
    return Draft(key=row[0], kind=row[1], base_revision=row[2], body=json.loads(row[3]), saved_at=row[4])
