"""Use cases on records: add, edit, delete (a tombstone), restore an earlier version, show, list, history.

Every write validates the body for its kind, checks that everything it references exists with the right kind,
stamps a new hybrid-logical-clock revision, keeps the old version, updates links and the search index, and
appends to the audit chain, all in one transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from safecase.domain.clock import iso_from_ms
from safecase.domain.ids import new_record_id, parse_record_id
from safecase.domain.kinds import Kind
from safecase.domain.records import IMMUTABLE_KINDS, normalise_for_storage, references, search_document
from safecase.errors import NotFoundError, SafeCaseError, ValidationError
from safecase.services.session import VaultSession
from safecase.storage.audit import RecordWriteDetail
from safecase.storage.records import Derived, Link, RecordState, RecordVersion, canonical_json

PSEUDONYM_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U: easy to read aloud and copy by hand


_IMMUTABLE_MESSAGES = {
    Kind.CONSENT: "Consent records are never edited: record a new consent, or a withdrawal that points at this one.",
    Kind.ATTACHMENT: "Evidence files are never edited: attach a redacted or converted copy with --derived-from ID.",
}
_UNDELETABLE_MESSAGES = {
    Kind.CONSENT: "Consent records are never deleted: record a withdrawal that points at this one.",
    Kind.ATTACHMENT: "Evidence files are never deleted: they are the chain of custody. Mark a mistaken one in a "
    "note on the record it is attached to.",
}


@dataclass(frozen=True)
class PendingWrite:
    """A validated version waiting for its references to be checked and its revision to be stamped."""

    record_id: str
    kind: Kind
    body: dict[str, Any]
    deleted: bool
    action: str
    parents: tuple[str, ...] | None = None  # None: written over the record's current version


class RecordService:
    def __init__(self, session: VaultSession) -> None:
        self._session = session
        self._store = session.records

    # -- reads --------------------------------------------------------------------------------------------------

    def show(self, record_id: str, *, include_deleted: bool = False) -> RecordState:
        state = self._store.get(parse_record_id(record_id))
        if state is None or (state.deleted and not include_deleted):
            raise NotFoundError(f"No record with id {record_id}. List records with `safecase record list KIND`.")
        return state

    def list_kind(self, kind: Kind, limit: int = 1000, offset: int = 0) -> list[RecordState]:
        return self._store.list_kind(kind.value, limit, offset)

    def count(self, kind: Kind) -> int:
        return self._store.count_kind(kind.value)

    def history(self, record_id: str) -> list[RecordVersion]:
        versions = self._store.history(parse_record_id(record_id))
        if not versions:
            raise NotFoundError(f"No record with id {record_id}.")
        return versions

    # -- writes -------------------------------------------------------------------------------------------------

    def add(self, kind: Kind, body: object, record_id: str | None = None) -> RecordState:
        return self.write_batch([self.prepare_new(kind, body, record_id)])[0]

    def edit(self, record_id: str, body: object) -> RecordState:
        current = self.show(record_id)
        kind = Kind(current.kind)
        if kind in IMMUTABLE_KINDS:
            raise SafeCaseError(_IMMUTABLE_MESSAGES[kind])
        if kind is Kind.PERSON and isinstance(body, dict) and "pseudonym" not in body:
            body = {**body, "pseudonym": current.body["pseudonym"]}  # a pseudonym, once given, stays
        normalised = self._normalise(kind, body)
        if canonical_json(normalised) == canonical_json(current.body):
            return current
        return self.write_batch([PendingWrite(current.id, kind, normalised, False, "record.edit")])[0]

    def delete(self, record_id: str) -> RecordState:
        current = self.show(record_id)
        kind = Kind(current.kind)
        if kind in IMMUTABLE_KINDS:
            raise SafeCaseError(_UNDELETABLE_MESSAGES[kind])
        self._refuse_if_referenced(current.id, kind)
        return self.write_batch([PendingWrite(current.id, kind, current.body, True, "record.delete")])[0]

    def referring(self, record_id: str, kind: Kind | None = None) -> list[RecordState]:
        """The live records (of ``kind``, if given) whose fields name ``record_id``."""
        ids = {r.source_id for r in self._store.referrers(record_id) if kind is None or r.source_kind == kind.value}
        return [self.show(source_id) for source_id in sorted(ids)]

    def _refuse_if_referenced(self, record_id: str, kind: Kind) -> None:
        referrers = [r for r in self._store.referrers(record_id) if r.source_id != record_id]
        if referrers:
            first = referrers[0]
            raise SafeCaseError(
                f"{len(referrers)} record(s) still refer to this {kind.value}, e.g. {first.source_kind} "
                f"{first.source_id} ({first.field}). Remove those references first."
            )

    def restore(self, record_id: str, revision: str) -> RecordState:
        """Make an earlier version current again, as a new version (history only ever grows)."""
        versions = {v.revision: v for v in self.history(record_id)}
        if revision not in versions:
            raise NotFoundError(f"Record {record_id} has no revision {revision}. See `safecase history {record_id}`.")
        old = versions[revision]
        kind = Kind(old.kind)
        if kind in IMMUTABLE_KINDS:
            raise SafeCaseError(_IMMUTABLE_MESSAGES[kind])
        if old.deleted:
            self._refuse_if_referenced(old.record_id, kind)
        return self.write_batch([PendingWrite(old.record_id, kind, old.body, old.deleted, "record.restore")])[0]

    def prepare_new(self, kind: Kind, body: object, record_id: str | None = None) -> PendingWrite:
        if kind is Kind.ATTACHMENT:
            raise ValidationError(
                "evidence files are taken in with `safecase attach RECORD_ID FILE` (or Add evidence in the app), "
                "which encrypts the file and records its SHA-256; they cannot be written as records",
                "kind",
            )
        return self._prepare_new(kind, body, record_id)

    def prepare_attachment(self, body: object) -> PendingWrite:
        """For the attachment service only: the record of a file it has just encrypted into the vault."""
        return self._prepare_new(Kind.ATTACHMENT, body, None)

    def _prepare_new(self, kind: Kind, body: object, record_id: str | None) -> PendingWrite:
        rid = parse_record_id(record_id) if record_id else new_record_id()
        if record_id and self._store.get(rid) is not None:
            raise ValidationError(f"a record with id {rid} already exists", "id")
        return PendingWrite(rid, kind, self._normalise(kind, body), False, "record.create")

    def write_batch(self, writes: Sequence[PendingWrite]) -> list[RecordState]:
        """Check references across the batch and the vault, then write everything in one transaction."""
        batch_kinds = {w.record_id: w.kind.value for w in writes if not w.deleted}
        derived: list[Derived | None] = []
        for number, write in enumerate(writes, start=1):
            try:
                derived.append(None if write.deleted else self._derive(write, batch_kinds))
            except ValidationError as error:
                if len(writes) == 1:
                    raise
                raise ValidationError(f"row {number} ({write.kind.value}): {error.message}") from None
        results: list[RecordState] = []
        with self._session.db.transaction():
            # Rows of one batch may refer to each other in any order; references are checked above and the
            # foreign keys at commit.
            self._session.db.defer_foreign_keys()
            for write, extra in zip(writes, derived, strict=True):
                results.append(self._apply(write, extra))
        return results

    # -- internals ----------------------------------------------------------------------------------------------

    def _normalise(self, kind: Kind, body: object) -> dict[str, Any]:
        return normalise_for_storage(kind, body, assign_pseudonym=self._new_pseudonym)

    def _new_pseudonym(self) -> str:
        while True:
            code = "P-" + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(6))
            if not self._store.pseudonym_taken(code):
                return code

    def _derive(self, write: PendingWrite, batch_kinds: dict[str, str]) -> Derived:
        refs = references(write.kind, write.body)
        self._check_targets(refs, batch_kinds)
        if write.kind is Kind.CONSENT and "withdraws_consent_id" in write.body:
            self._check_withdrawal(write)
        document = search_document(write.kind, write.body)
        return Derived(tuple(Link(r.field, r.target_id) for r in refs), document.title, document.text)

    def _check_withdrawal(self, write: PendingWrite) -> None:
        """A withdrawal concerns the same person as the consent it withdraws, and never itself."""
        target_id = write.body["withdraws_consent_id"]
        if target_id == write.record_id:
            raise ValidationError("a consent cannot withdraw itself", "withdraws_consent_id")
        withdrawn = self._store.get(target_id)
        if withdrawn is not None and withdrawn.body.get("subject_person_id") != write.body.get("subject_person_id"):
            raise ValidationError(
                "the consent it withdraws is about another person; use the same subject_person_id",
                "withdraws_consent_id",
            )

    def _check_targets(self, refs: Iterable[Any], batch_kinds: dict[str, str]) -> None:
        refs = list(refs)
        stored = self._store.kinds_of(r.target_id for r in refs if r.target_id not in batch_kinds)
        for ref in refs:
            if ref.target_id in batch_kinds:
                kind, deleted = batch_kinds[ref.target_id], False
            elif ref.target_id in stored:
                kind, deleted = stored[ref.target_id]
            else:
                raise ValidationError(f"refers to {ref.target_id}, which does not exist in this vault", ref.field)
            allowed = sorted(k.value for k in ref.target_kinds)
            if deleted:
                raise ValidationError(f"refers to {ref.target_id}, which was deleted", ref.field)
            if kind not in allowed:
                raise ValidationError(f"must refer to a {' or '.join(allowed)}, not a {kind}", ref.field)

    def _apply(self, write: PendingWrite, derived: Derived | None) -> RecordState:
        parents = write.parents
        if parents is None:
            current = self._store.get(write.record_id)
            parents = (current.revision,) if current else ()
        revision = self._session.next_revision(after=max(parents, default=None))
        version = RecordVersion(
            write.record_id,
            write.kind.value,
            str(revision),
            write.deleted,
            write.body,
            self._session.device_id,
            iso_from_ms(revision.wall_ms),
            parents,
        )
        self._store.apply_version(version, derived)
        detail = RecordWriteDetail(write.kind.value, version.revision, version.body_sha256)
        self._session.log(write.action, write.record_id, str(detail))
        state = self._store.get(write.record_id)
        assert state is not None
        return state
