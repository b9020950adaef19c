"""Conflicts: records edited on two laptops without either seeing the other's edit, and their resolution.

Both versions stay in the history; the record shows the one with the higher revision until a person chooses. The
choice is written as a new version whose parents are all the heads, which ends the conflict on every laptop that
receives it (and a laptop that resolved the same conflict differently gets a new, visible conflict, never a silent
overwrite).
"""

from __future__ import annotations

from dataclasses import dataclass

from safecase.domain.ids import parse_record_id
from safecase.domain.kinds import Kind
from safecase.errors import NotFoundError, UsageError
from safecase.services.records import PendingWrite, RecordService
from safecase.services.session import VaultSession
from safecase.storage.records import RecordState, RecordVersion


@dataclass(frozen=True)
class Conflict:
    record_id: str
    kind: str
    current_revision: str
    heads: tuple[RecordVersion, ...]  # oldest revision first; the last one is what the record shows now


class ConflictService:
    def __init__(self, session: VaultSession, records: RecordService) -> None:
        self._session = session
        self._records = records

    def count(self) -> int:
        return self._session.records.count_conflicts()

    def list(self, limit: int = 1000, offset: int = 0) -> list[Conflict]:
        return [self.get(record_id) for record_id in self._session.records.conflicted_ids(limit, offset)]

    def get(self, record_id: str) -> Conflict:
        record_id = parse_record_id(record_id)
        heads = self._session.records.heads(record_id)
        if len(heads) < 2:
            raise NotFoundError(f"Record {record_id} has no conflict: see `safecase conflict list`.")
        versions = {v.revision: v for v in self._session.records.history(record_id)}
        state = self._session.records.get(record_id)
        assert state is not None
        return Conflict(record_id, state.kind, state.revision, tuple(versions[h] for h in heads if h in versions))

    def resolve(self, record_id: str, keep_revision: str) -> RecordState:
        """Keep the head ``keep_revision`` (its body, or its deletion) as a new version over every head."""
        conflict = self.get(record_id)
        chosen = next((v for v in conflict.heads if v.revision == keep_revision), None)
        if chosen is None:
            raise UsageError(
                f"{keep_revision} is not one of the conflicting versions of {record_id}: see "
                f"`safecase conflict show {record_id}`."
            )
        write = PendingWrite(
            conflict.record_id,
            Kind(conflict.kind),
            chosen.body,
            chosen.deleted,
            "record.resolve",
            parents=tuple(v.revision for v in conflict.heads),
        )
        return self._records.write_batch([write])[0]
