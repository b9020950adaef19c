"""Merging versions that arrive in a bundle into the vault, inside the import's one transaction.

Every version is kept; a record's state is its highest revision, so any order of arrival gives the same state.
A version this vault already holds must be the very same (kind, body, deletion, parents), and a record never
changes kind; consents and evidence files have one version only. A version that makes a record's history fork
(two heads) puts the record in ``record_conflicts`` for a person to resolve. Each version written is logged in the
audit chain like a local write, with the bundle that brought it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from safecase.domain.hlc import Revision
from safecase.domain.kinds import Kind
from safecase.domain.records import IMMUTABLE_KINDS, references, search_document
from safecase.errors import IntegrityError
from safecase.services.session import VaultSession
from safecase.storage.audit import RecordWriteDetail
from safecase.storage.records import Derived, Link, RecordStore, RecordVersion


class MergeRefused(IntegrityError):
    def __init__(self, record_id: str, detail: str) -> None:
        super().__init__(f"The bundle {detail} (record {record_id}); nothing was imported. Ask the sender about it.")


@dataclass
class MergeTally:
    new_records: set[str] = field(default_factory=set)
    updated_records: set[str] = field(default_factory=set)
    seen_records: set[str] = field(default_factory=set)
    new_versions: int = 0
    newest: Revision | None = None

    @property
    def unchanged_records(self) -> int:
        return len(self.seen_records - self.new_records - self.updated_records)


class VersionMerger:
    def __init__(self, session: VaultSession, bundle_id: str) -> None:
        self._session = session
        self._store: RecordStore = session.records
        self._bundle_id = bundle_id
        self._immutable_seen: set[str] = set()
        self.tally = MergeTally()

    def merge(self, version: RecordVersion) -> None:
        tally = self.tally
        tally.seen_records.add(version.record_id)
        current = self._store.get(version.record_id)
        if current is not None and current.kind != version.kind:
            raise MergeRefused(version.record_id, f"changes a {current.kind} into a {version.kind}")
        stored = self._store.stored_version(version.record_id, version.revision)
        if stored is not None:
            if (stored.kind, stored.deleted, stored.body_sha256, stored.parents) != (
                version.kind,
                version.deleted,
                version.body_sha256,
                tuple(sorted(version.parents)),
            ):
                raise MergeRefused(version.record_id, f"holds a different version {version.revision} than this vault")
            self._add_source(version, only_if_received=True)
            return
        self._check_immutable(version, current is not None)
        becomes_current = self._store.apply_version(version, self._derive(version))
        self._add_source(version, only_if_received=False)
        detail = RecordWriteDetail(version.kind, version.revision, version.body_sha256)
        self._session.log("record.merge", version.record_id, str(detail))
        tally.new_versions += 1
        if current is None and version.record_id not in tally.updated_records:
            tally.new_records.add(version.record_id)
        elif becomes_current and version.record_id not in tally.new_records:
            tally.updated_records.add(version.record_id)
        revision = Revision.parse(version.revision)
        tally.newest = revision if tally.newest is None else max(tally.newest, revision)

    def _check_immutable(self, version: RecordVersion, exists: bool) -> None:
        if Kind(version.kind) not in IMMUTABLE_KINDS:
            return
        if exists or version.record_id in self._immutable_seen or version.deleted or version.parents:
            raise MergeRefused(version.record_id, f"edits or deletes a {version.kind} record, which is never changed")
        self._immutable_seen.add(version.record_id)

    @staticmethod
    def _derive(version: RecordVersion) -> Derived | None:
        if version.deleted:
            return None
        kind = Kind(version.kind)
        links = tuple(Link(r.field, r.target_id) for r in references(kind, version.body))
        document = search_document(kind, version.body)
        return Derived(links, document.title, document.text)

    def _add_source(self, version: RecordVersion, *, only_if_received: bool) -> None:
        """Note which bundle brought the version. A version written here stays local, whoever echoes it back."""
        db = self._session.db
        seq = db.query_one(
            "SELECT v.seq FROM record_versions v JOIN records r ON r.num = v.record_num"
            " WHERE r.id = ? AND v.revision = ?",
            (version.record_id, version.revision),
        )[0]
        if only_if_received and db.query_one("SELECT 1 FROM version_sources WHERE version_seq = ?", (seq,)) is None:
            return
        db.execute(
            "INSERT OR IGNORE INTO version_sources (version_seq, bundle_id) VALUES (?, ?)", (seq, self._bundle_id)
        )
