"""What an unlocked vault offers the desktop app: the session and the services over it, in one object that lives
on the app's database thread from unlock to lock."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from safecase.domain.kinds import Kind
from safecase.services.attachments import AttachmentService
from safecase.services.exchange.conflicts import ConflictService
from safecase.services.exchange.contacts import ContactService
from safecase.services.exchange.export import BundleExporter
from safecase.services.exchange.importer import BundleImporter
from safecase.services.records import RecordService
from safecase.services.search import SearchService
from safecase.services.session import VaultSession
from safecase.storage.drafts import Draft
from safecase.storage.listing import ListRow


@dataclass(frozen=True)
class ListQuery:
    """Which records a list shows and in what order; a filter is a full-text query."""

    kind: Kind
    sort_column: str = "updated_at"
    descending: bool = True
    text_filter: str = ""


class Workspace:
    def __init__(self, session: VaultSession) -> None:
        self.session = session
        self.records = RecordService(session)
        self.search = SearchService(session)
        self.attachments = AttachmentService(session, self.records)
        self.contacts = ContactService(session)
        self.bundle_exporter = BundleExporter(session, self.attachments)
        self.bundle_importer = BundleImporter(session)
        self.conflicts = ConflictService(session, self.records)

    @property
    def is_open(self) -> bool:
        return self.session.db.is_open

    def list_columns(self, kind: Kind) -> tuple[str, ...]:
        return self.session.lists.columns(kind)

    def list_keys(self, query: ListQuery, chunk_size: int = 50_000) -> Iterator[list[int]]:
        """The keys of the records a list shows, in order, in chunks (a read, no transaction held open)."""
        return self.session.lists.sorted_keys(
            query.kind,
            sort_column=query.sort_column,
            descending=query.descending,
            text_filter=query.text_filter,
            chunk_size=chunk_size,
        )

    def list_rows(self, kind: Kind, nums: Sequence[int]) -> dict[int, ListRow]:
        return self.session.lists.rows(kind, nums)

    def save_draft(self, key: str, kind: Kind, base_revision: str | None, body: dict[str, Any]) -> None:
        with self.session.db.transaction():
            self.session.drafts.put(Draft(key, kind.value, base_revision, body, self.session.now_iso()))

    def draft(self, key: str) -> Draft | None:
        return self.session.drafts.get(key)

    def discard_draft(self, key: str) -> None:
        with self.session.db.transaction():
            self.session.drafts.discard(key)

    def close(self) -> None:
        """Sign the audit tip, close the database and wipe the keys."""
        self.session.close()
