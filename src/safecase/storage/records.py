"""Record storage: every version kept, the highest revision is the current state, links and search follow it.

Writing a version is idempotent and order-independent: applying the same set of versions in any order leaves the
same ``records`` rows, because the current state is always the version with the highest revision. Local edits and
bundle imports go through the same ``apply_version``. The caller owns the transaction.

Each version names the revisions it was written over (its parents). A record whose versions have more than one head
(a version no other version names as parent) was edited on two laptops without either seeing the other's edit: it
is listed in ``record_conflicts`` (kept up to date as each version arrives) until a version naming every head
resolves it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from safecase.storage.database import Database
from safecase.storage.search_index import SearchIndex


def canonical_json(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def body_digest(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class RecordVersion:
    record_id: str
    kind: str
    revision: str
    deleted: bool
    body: dict[str, Any]
    origin_device: str
    written_at: str
    parents: tuple[str, ...] = ()

    @cached_property
    def canonical_body(self) -> str:
        return canonical_json(self.body)

    @cached_property
    def body_sha256(self) -> str:
        return body_digest(self.canonical_body)


@dataclass(frozen=True)
class RecordState:
    id: str
    kind: str
    revision: str
    created_at: str
    updated_at: str
    origin_device: str
    deleted: bool
    body: dict[str, Any]


@dataclass(frozen=True)
class Link:
    field: str
    target_id: str


@dataclass(frozen=True)
class Referrer:
    source_id: str
    source_kind: str
    field: str


@dataclass(frozen=True)
class Derived:
    """What a version contributes when it becomes current: its outgoing links and its search text."""

    links: tuple[Link, ...]
    search_title: str
    search_text: str


@dataclass(frozen=True)
class StoredVersion:
    """What identifies a stored version beyond its revision: a second copy must match it exactly."""

    kind: str
    deleted: bool
    body_sha256: str
    parents: tuple[str, ...]


@dataclass(frozen=True)
class StoredVersionText:
    """A stored version with its body and parents still as the canonical JSON text they are stored as."""

    record_id: str
    kind: str
    revision: str
    deleted: int
    origin_device: str
    written_at: str
    body_json: str
    parents_json: str


_STATE_COLUMNS = "id, kind, revision, created_at, updated_at, origin_device, deleted, body"


def parents_json(parents: Iterable[str]) -> str:
    return json.dumps(sorted(set(parents)), separators=(",", ":"))


def _state(row: Any) -> RecordState:
    return RecordState(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), json.loads(row[7]))


class RecordStore:
    def __init__(self, db: Database, search: SearchIndex) -> None:
        self._db = db
        self._search = search

    def get(self, record_id: str) -> RecordState | None:
        row = self._db.query_one(f"SELECT {_STATE_COLUMNS} FROM records WHERE id = ?", (record_id,))
        return _state(row) if row else None

    def kinds_of(self, record_ids: Iterable[str]) -> dict[str, tuple[str, bool]]:
        """Map each existing id to (kind, deleted)."""
        found: dict[str, tuple[str, bool]] = {}
        ids = list(dict.fromkeys(record_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for rid, kind, deleted in self._db.execute(
                f"SELECT id, kind, deleted FROM records WHERE id IN ({marks})", chunk
            ):
                found[rid] = (kind, bool(deleted))
        return found

    def apply_version(self, version: RecordVersion, derived: Derived | None) -> bool:
        """Store a version; make it current if its revision is the highest. Returns whether it is now current.

        `derived` must be given for a live (not deleted) version; a tombstone has no links and no search text.
        """
        canonical = version.canonical_body
        current = self._db.query_one("SELECT num, revision FROM records WHERE id = ?", (version.record_id,))
        becomes_current = current is None or version.revision > current[1]
        num = (
            self._write_current(version, canonical, current[0] if current else None) if becomes_current else current[0]
        )
        inserted = self._db.execute(
            "INSERT OR IGNORE INTO record_versions (record_num, revision, kind, deleted, origin_device,"
            " written_at, body, body_sha256, parents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                num,
                version.revision,
                version.kind,
                int(version.deleted),
                version.origin_device,
                version.written_at,
                canonical,
                version.body_sha256,
                parents_json(version.parents),
            ),
        ).rowcount
        previous = current[1] if current else None
        if inserted and not self._extends_single_head(num, version, previous):
            self._update_heads(num, version, previous)
        if not becomes_current:
            # created_at is the earliest version's time, whatever order versions arrive in.
            self._db.execute(
                "UPDATE records SET created_at = min(created_at, ?) WHERE num = ?", (version.written_at, num)
            )
            return False
        live = not version.deleted and derived is not None
        first = current is None  # a new record has no links or search row to replace yet
        self._replace_links(num, derived.links if live and derived else (), first=first)
        if live and derived:
            self._search.put(num, derived.search_title, derived.search_text, replacing=not first)
        elif not first:
            self._search.remove(num)
        return True

    def _extends_single_head(self, num: int, version: RecordVersion, previous: str | None) -> bool:
        """Whether `version` simply follows the record's one head, so the heads need no update (every edit)."""
        if previous is None:
            return not version.parents
        if version.parents != (previous,):
            return False
        return self._db.query_one("SELECT 1 FROM record_conflicts WHERE record_num = ?", (num,)) is None

    def _update_heads(self, num: int, version: RecordVersion, previous: str | None) -> None:
        """The heads after ``version`` arrived: the earlier heads less the ones it names as parents, plus itself
        unless a version already stored names it (it arrived after its child). Only versions newer than it can
        name it, so the lookup reads those alone: none when versions arrive in order, as bundles carry them.
        ``previous`` is the record's current revision before this version was stored (always a head)."""
        row = self._db.query_one("SELECT heads FROM record_conflicts WHERE record_num = ?", (num,))
        before = set(json.loads(row[0])) if row else ({previous} if previous else set())
        heads = before - set(version.parents)
        named = self._db.query_one(
            "SELECT 1 FROM record_versions WHERE record_num = ? AND revision > ? AND instr(parents, ?) > 0 LIMIT 1",
            (num, version.revision, json.dumps(version.revision)),
        )
        if named is None:
            heads.add(version.revision)
        if len(heads) > 1:
            self._db.execute(
                "INSERT INTO record_conflicts (record_num, heads) VALUES (?, ?)"
                " ON CONFLICT (record_num) DO UPDATE SET heads = excluded.heads",
                (num, json.dumps(sorted(heads), separators=(",", ":"))),
            )
        elif row is not None:
            self._db.execute("DELETE FROM record_conflicts WHERE record_num = ?", (num,))

    def heads(self, record_id: str) -> tuple[str, ...]:
        """The revisions no other version of the record was written over; more than one means a conflict."""
        row = self._db.query_one(
            "SELECT c.heads, r.revision FROM records r LEFT JOIN record_conflicts c ON c.record_num = r.num"
            " WHERE r.id = ?",
            (record_id,),
        )
        if row is None:
            return ()
        return tuple(json.loads(row[0])) if row[0] else (row[1],)

    def stored_version(self, record_id: str, revision: str) -> StoredVersion | None:
        row = self._db.query_one(
            "SELECT v.kind, v.deleted, v.body_sha256, v.parents FROM record_versions v"
            " JOIN records r ON r.num = v.record_num WHERE r.id = ? AND v.revision = ?",
            (record_id, revision),
        )
        if row is None:
            return None
        return StoredVersion(row[0], bool(row[1]), row[2], tuple(json.loads(row[3])))

    def conflicted_ids(self, limit: int = 1000, offset: int = 0) -> list[str]:
        rows = self._db.query_all(
            "SELECT r.id FROM record_conflicts c JOIN records r ON r.num = c.record_num"
            " ORDER BY r.updated_at DESC, r.id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [row[0] for row in rows]

    def count_conflicts(self) -> int:
        return int(self._db.query_one("SELECT count(*) FROM record_conflicts")[0])

    def _write_current(self, version: RecordVersion, canonical: str, num: int | None) -> int:
        if num is None:
            cursor = self._db.execute(
                "INSERT INTO records (id, kind, revision, created_at, updated_at, origin_device, deleted, body)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    version.record_id,
                    version.kind,
                    version.revision,
                    version.written_at,
                    version.written_at,
                    version.origin_device,
                    int(version.deleted),
                    canonical,
                ),
            )
            return int(cursor.lastrowid)
        self._db.execute(
            "UPDATE records SET revision = ?, created_at = min(created_at, ?), updated_at = ?, origin_device = ?,"
            " deleted = ?, body = ? WHERE num = ?",
            (
                version.revision,
                version.written_at,
                version.written_at,
                version.origin_device,
                int(version.deleted),
                canonical,
                num,
            ),
        )
        return num

    def _replace_links(self, source_num: int, links: Iterable[Link], *, first: bool = False) -> None:
        if not first:
            self._db.execute("DELETE FROM record_links WHERE source_num = ?", (source_num,))
        self._db.executemany(
            "INSERT OR IGNORE INTO record_links (source_num, field, target_id) VALUES (?, ?, ?)",
            [(source_num, link.field, link.target_id) for link in links],
        )

    def history(self, record_id: str) -> list[RecordVersion]:
        rows = self._db.query_all(
            "SELECT r.id, v.kind, v.revision, v.deleted, v.body, v.origin_device, v.written_at, v.parents"
            " FROM record_versions v JOIN records r ON r.num = v.record_num WHERE r.id = ? ORDER BY v.revision",
            (record_id,),
        )
        return [
            RecordVersion(r[0], r[1], r[2], bool(r[3]), json.loads(r[4]), r[5], r[6], tuple(json.loads(r[7])))
            for r in rows
        ]

    def stored_versions(self, nums: Sequence[int], chunk: int = 500) -> Iterator[StoredVersionText]:
        """Every version of the records ``nums``, as stored (body and parents as their canonical JSON text), in the
        order of ``nums`` and, within a record, by revision: what a bundle carries, without parsing any body."""
        for start in range(0, len(nums), chunk):
            part = list(nums[start : start + chunk])
            marks = ",".join("?" * len(part))
            rows = self._db.query_all(
                "SELECT v.record_num, r.id, v.kind, v.revision, v.deleted, v.origin_device, v.written_at, v.body,"
                " v.parents FROM record_versions v JOIN records r ON r.num = v.record_num"
                f" WHERE v.record_num IN ({marks}) ORDER BY v.record_num, v.revision",
                part,
            )
            by_record: dict[int, list[StoredVersionText]] = {}
            for row in rows:
                by_record.setdefault(row[0], []).append(StoredVersionText(*row[1:]))
            for num in part:
                yield from by_record.get(num, ())

    def list_kind(self, kind: str, limit: int, offset: int = 0) -> list[RecordState]:
        rows = self._db.query_all(
            f"SELECT {_STATE_COLUMNS} FROM records WHERE kind = ? AND deleted = 0"
            " ORDER BY created_at, id LIMIT ? OFFSET ?",
            (kind, limit, offset),
        )
        return [_state(row) for row in rows]

    def count_kind(self, kind: str) -> int:
        return int(self._db.query_one("SELECT count(*) FROM records WHERE kind = ? AND deleted = 0", (kind,))[0])

    def pseudonym_taken(self, pseudonym: str) -> bool:
        """Whether any person, deleted ones included, has this pseudonym (index person_by_pseudonym)."""
        row = self._db.query_one(
            "SELECT 1 FROM records WHERE kind = 'person' AND body ->> '$.pseudonym' = ? LIMIT 1", (pseudonym,)
        )
        return row is not None

    def referrers(self, target_id: str) -> list[Referrer]:
        rows = self._db.query_all(
            "SELECT r.id, r.kind, l.field FROM record_links l JOIN records r ON r.num = l.source_num"
            " WHERE l.target_id = ? AND r.deleted = 0 ORDER BY r.kind, r.id",
            (target_id,),
        )
        return [Referrer(*row) for row in rows]

    def states_by_num(self, nums: list[int]) -> dict[int, RecordState]:
        if not nums:
            return {}
        marks = ",".join("?" * len(nums))
        rows = self._db.query_all(f"SELECT num, {_STATE_COLUMNS} FROM records WHERE num IN ({marks})", nums)
        return {row[0]: _state(row[1:]) for row in rows}
