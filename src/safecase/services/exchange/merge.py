"""Merging versions that arrive in a bundle into the vault, inside the import's one transaction.

Every version is kept; a record's state is its highest revision, so any order of arrival gives the same state.
A version this vault already holds must be the very same (kind, body, deletion, parents), and a record never
changes kind; consents and evidence files have one version only. A version that makes a record's history fork
(two heads) puts the record in ``record_conflicts`` for a person to resolve. Each version written is logged in the
audit chain like a local write, with the bundle that brought it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from safecase.domain.hlc import Revision
from safecase.domain.kinds import Kind
from safecase.domain.records import IMMUTABLE_KINDS, references, search_document
from safecase.errors import IntegrityError
from safecase.services.session import VaultSession
from safecase.storage.audit import RecordWriteDetail
from safecase.storage.records import Derived, Link, RecordStore, RecordVersion

# A version may be dated at most this far past this laptop's clock. Clocks disagree by minutes, not days; a version
# from far ahead (a laptop set to the wrong year, or a forged one dated 9999) would drag this vault's revision clock
# with it for good, and every edit made here would then carry that date.
MAX_CLOCK_AHEAD_MS = 24 * 3600 * 1000
AUDIT_BATCH = 5000  # merged versions logged per statement: memory stays flat however many a bundle brings


class ClockTooFarAhead(IntegrityError):
    def __init__(self) -> None:
        super().__init__(
            "The bundle holds changes dated more than a day ahead of this laptop's clock; nothing was imported. "
            "Check the date on both laptops (the sender's clock is probably wrong), then export again."
        )


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
        self._audit: list[tuple[str, str, str]] = []
        self.tally = MergeTally()

    def merge(self, version: RecordVersion) -> None:
        tally = self.tally
        if Revision.parse(version.revision).wall_ms > self._session.clock.now_ms() + MAX_CLOCK_AHEAD_MS:
            raise ClockTooFarAhead()
        tally.seen_records.add(version.record_id)
        current_kind, stored = self._known(version)
        if current_kind is not None and current_kind != version.kind:
            raise MergeRefused(version.record_id, f"changes a {current_kind} into a {version.kind}")
        if stored is not None:
            if stored != (version.kind, version.deleted, version.body_sha256, tuple(sorted(version.parents))):
                raise MergeRefused(version.record_id, f"holds a different version {version.revision} than this vault")
            self._add_source(version, only_if_received=True)
            return
        if version.origin_device == self._session.device_id:
            raise MergeRefused(
                version.record_id,
                "holds a change that claims to be written on this laptop, which never wrote it (forged, or this "
                "vault was restored from an older backup)",
            )
        self._check_immutable(version, current_kind is not None)
        becomes_current = self._store.apply_version(version, self._derive(version))
        self._add_source(version, only_if_received=False)
        detail = RecordWriteDetail(version.kind, version.revision, version.body_sha256)
        self._audit.append(("record.merge", version.record_id, str(detail)))
        if len(self._audit) >= AUDIT_BATCH:
            self.flush_audit()
        tally.new_versions += 1
        if current_kind is None and version.record_id not in tally.updated_records:
            tally.new_records.add(version.record_id)
        elif becomes_current and version.record_id not in tally.new_records:
            tally.updated_records.add(version.record_id)
        revision = Revision.parse(version.revision)
        tally.newest = revision if tally.newest is None else max(tally.newest, revision)

    def flush_audit(self) -> None:
        """Log every merged version in the audit chain (in one statement, after the last one)."""
        self._session.log_many(self._audit)
        self._audit = []

    def _known(self, version: RecordVersion) -> tuple[str | None, tuple[str, bool, str, tuple[str, ...]] | None]:
        """The record's kind, if this vault has it, and what it stores at this revision, if anything."""
        row = self._session.db.query_one(
            "SELECT r.kind, v.kind, v.deleted, v.body_sha256, v.parents FROM records r"
            " LEFT JOIN record_versions v ON v.record_num = r.num AND v.revision = ? WHERE r.id = ?",
            (version.revision, version.record_id),
        )
        if row is None:
            return None, None
        stored = None if row[1] is None else (row[1], bool(row[2]), row[3], tuple(json.loads(row[4])))
        return row[0], stored

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
        received = (
            " AND EXISTS (SELECT 1 FROM version_sources s WHERE s.version_seq = v.seq)" if only_if_received else ""
        )
        self._session.db.execute(
            "INSERT OR IGNORE INTO version_sources (version_seq, bundle_id) SELECT v.seq, ? FROM record_versions v"
            f" JOIN records r ON r.num = v.record_num WHERE r.id = ? AND v.revision = ?{received}",
            (self._bundle_id, version.record_id, version.revision),
        )
