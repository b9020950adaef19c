"""Evidence files: take a file in (encrypted, hashed, chain of custody), list, verify, read for preview, export.

An attachment is an immutable record of kind ``attachment`` (what was taken in, when, where, by whom, its SHA-256)
plus an encrypted blob that only this vault can read. Nothing here writes plaintext anywhere except the file a
user explicitly exports. Every read of a blob re-hashes the plaintext against the intake SHA-256, so an altered
blob is refused wherever it is read, with the attachment named.
"""

from __future__ import annotations

import errno
import random
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safecase.crypto.age_stream import BlockReader, Readable
from safecase.domain.kinds import ATTACHABLE_KINDS, Kind
from safecase.domain.media_types import sniff_media_type
from safecase.errors import IntegrityError, NotFoundError, SafeCaseError, UsageError, VaultStateError, shown
from safecase.services.evidence_export import ExportResult, HashingSink, export_copy
from safecase.services.evidence_read import altered, evidence_name, read_errors, verified_blocks
from safecase.services.evidence_source import ContentMeter, EvidenceSource, SourceFacts, open_source, shred_file
from safecase.services.records import RecordService
from safecase.services.session import VaultSession
from safecase.storage.blob_store import PendingBlob
from safecase.storage.records import RecordState

Progress = Callable[[int, int], None]  # (bytes done, bytes in all)
Cancel = Callable[[], None]  # raises (e.g. OperationCancelled) to stop a long read
_UNSAFE_IN_NAMES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})  # controls, bidi overrides, zero-width, separators
SHRED_CAVEAT = (
    "Overwritten and removed. On SSDs, journaling or copy-on-write file systems and backed-up folders this is "
    "best effort: copies of the old blocks may survive."
)


@dataclass(frozen=True)
class Derivation:
    """What a redacted or converted copy derives from, and how it was made."""

    original_id: str
    copy_role: str  # "working" or "redacted"
    how: str = ""


class AttachmentService:
    def __init__(self, session: VaultSession, records: RecordService | None = None) -> None:
        self._session = session
        self._records = records or RecordService(session)
        self._blobs = session.blobs
        self._index = session.attachment_blobs

    # -- reads --------------------------------------------------------------------------------------------------

    def get(self, attachment_id: str) -> RecordState:
        state = self._records.show(attachment_id)
        if state.kind != Kind.ATTACHMENT.value:
            raise NotFoundError(f"{attachment_id} is a {state.kind}, not an evidence file.")
        return state

    def list_for(self, record_id: str) -> list[RecordState]:
        """The evidence attached to ``record_id``, in intake order."""
        self._records.show(record_id)
        rows = self._session.db.query_all(
            "SELECT id FROM attachment_list WHERE attached_to_id = ? ORDER BY num", (record_id,)
        )
        return [self.get(row[0]) for row in rows]

    def verify(self, attachment_id: str, *, check_cancelled: Cancel | None = None) -> RecordState:
        """Decrypt and re-hash the whole file; IntegrityError naming the attachment if it does not match.

        ``check_cancelled`` (here and in ``read_plaintext`` and ``export``) is called once per MiB and stops the
        work by raising, so a lock never waits for a long read to finish."""
        state = self.get(attachment_id)
        self._decrypt_checked(state, HashingSink(limit=state.body["size"]), check_cancelled)
        return state

    def read_bytes(self, attachment_id: str, limit: int) -> bytes:
        """The whole verified plaintext in memory; UsageError if it is larger than ``limit``."""
        plain = self.read_plaintext(attachment_id, limit)
        try:
            return bytes(plain)
        finally:
            plain[:] = bytes(len(plain))

    def read_plaintext(self, attachment_id: str, limit: int, *, check_cancelled: Cancel | None = None) -> bytearray:
        """The whole verified plaintext in one buffer the caller can overwrite when done (a preview does)."""
        state = self.get(attachment_id)
        size = state.body["size"]
        if size > limit:
            raise UsageError(f"{evidence_name(state)} is too large to preview ({size:,} bytes).")
        buffer = _FixedBuffer(size)
        try:
            self._decrypt_checked(state, HashingSink(buffer, limit=size), check_cancelled)
        except BaseException:
            buffer.data[:] = bytes(size)
            raise
        return buffer.data

    def problems(self, sample: int | None = None, seed: int | None = None) -> list[str]:
        """For ``check``: every evidence file (or a random ``sample``) re-hashed; a line per one that fails."""
        stored = {blob.attachment_id: blob for blob in self._index.all()}
        ids = [row[0] for row in self._session.db.query_all("SELECT id FROM attachment_list ORDER BY num")]
        if sample is not None and len(ids) > sample:
            ids = random.Random(seed).sample(ids, sample)
        problems = []
        for attachment_id in ids:
            state = self.get(attachment_id)
            if attachment_id not in stored:
                problems.append(f"{evidence_name(state)} has no encrypted file in this vault")
                continue
            try:
                self._decrypt_checked(state, HashingSink(limit=state.body["size"]))
            except (IntegrityError, NotFoundError, VaultStateError) as error:
                problems.append(error.message)
        return problems

    # -- intake -------------------------------------------------------------------------------------------------

    def attach(
        self,
        record_id: str,
        path: Path,
        *,
        description: str = "",
        derivation: Derivation | None = None,
        progress: Progress | None = None,
    ) -> RecordState:
        """Take ``path`` in as evidence on ``record_id``: encrypted, hashed, recorded with its chain of custody."""
        return self._attach_file(record_id, path, description, derivation, progress)[0]

    def _attach_file(
        self,
        record_id: str,
        path: Path,
        description: str,
        derivation: Derivation | None,
        progress: Progress | None,
    ) -> tuple[RecordState, SourceFacts]:
        target = self._attach_target(record_id, derivation)
        preview = self._custody(target.id, _clean_file_name(path.name), 0, "0" * 64, b"")
        preview.update(source="file")
        self._records.prepare_attachment(self._with_extras(preview, description, derivation))  # fail before reading
        with open_source(path, self._blobs.folder) as source, self._new_blob() as pending:
            reader = BlockReader(source.handle, self._on_block(source, progress))
            self._encrypt(pending, reader, path.name)
            facts = source.finish()
            body = self._custody(target.id, _clean_file_name(path.name), facts.size, facts.sha256, facts.head)
            body.update(original_modified_at=facts.modified_at, source="file")
            return self._commit(pending, self._with_extras(body, description, derivation)), facts

    def attach_stream(
        self,
        record_id: str,
        content: Readable,
        file_name: str,
        extra: dict[str, Any],
        on_commit: Callable[[], None] | None = None,
    ) -> RecordState:
        """Take in content produced inside SafeCase (a recording) from ``content.read``, hashed on the way.

        ``extra`` adds fields to the record (``source`` is required); ``on_commit`` runs inside the transaction
        that writes the record, e.g. to forget the recording it was made from.
        """
        target = self._attach_target(record_id, None)
        meter = ContentMeter()
        with self._new_blob() as pending:
            self._encrypt(pending, BlockReader(content, meter.on_block), file_name)
            name = _clean_file_name(file_name)
            body = self._custody(target.id, name, meter.count, meter.digest.hexdigest(), meter.head)
            body.update(extra)
            return self._commit(pending, body, on_commit)

    def attach_and_shred(
        self, record_id: str, path: Path, *, description: str = "", derivation: Derivation | None = None
    ) -> RecordState:
        """``attach``, then overwrite and remove the source (only once the vault holds it safely, and only if it is
        still exactly the file that was taken in)."""
        state, facts = self._attach_file(record_id, path, description, derivation, None)
        try:
            shred_file(path, facts)
        except (SafeCaseError, OSError) as error:
            reason = error.message if isinstance(error, SafeCaseError) else error.strerror
            raise SafeCaseError(
                f"{shown(path.name)} is safely in the vault (as {state.id}) but was not shredded: {reason} Remove "
                "it yourself."
            ) from None
        with self._session.db.transaction():
            self._session.log("attachment.source_shredded", state.id)
        return state

    # -- export -------------------------------------------------------------------------------------------------

    def export(
        self, attachment_id: str, destination: Path, *, strip: bool = False, check_cancelled: Cancel | None = None
    ) -> ExportResult:
        """Write a verified plaintext copy to ``destination`` (a new file); optionally without metadata."""
        state = self.get(attachment_id)
        self._check_stored_size(state)  # a swapped blob is refused before any of its plaintext is written

        def decrypt(sink: HashingSink) -> None:
            self._decrypt_checked(state, sink, check_cancelled)

        result = export_copy(state.body, destination, strip, decrypt)
        self._session_log("attachment.export", state.id, "metadata stripped" if strip else "as stored")
        return result

    def prefetch(self, attachment_id: str) -> None:
        """Start reading an evidence file's blob from disk in the background (the next one a bundle will need)."""
        blob = self._index.get(attachment_id)
        if blob is not None:
            self._blobs.prefetch(blob.blob_name)

    def verified_blocks(self, attachment_id: str, *, check_cancelled: Cancel | None = None) -> Iterator[bytes]:
        """The plaintext in blocks, for a bundle; IntegrityError if it is not what was taken in (for a large file,
        at its end: callers write where they discard on error)."""
        return verified_blocks(self._blobs, self._index, self.get(attachment_id), check_cancelled)

    # -- internals ----------------------------------------------------------------------------------------------

    def _check_stored_size(self, state: RecordState) -> None:
        blob = self._index.get(state.id)
        if blob is not None and self._blobs.size_on_disk(blob.blob_name) not in (blob.stored_size, None):
            raise altered(state)

    def _decrypt_checked(self, state: RecordState, sink: HashingSink, check_cancelled: Cancel | None = None) -> None:
        sink.check_cancelled = check_cancelled
        blob = self._index.get(state.id)
        if blob is None:
            raise NotFoundError(f"{evidence_name(state)}: this vault holds no encrypted file for it.")
        with read_errors(state):
            self._blobs.decrypt_to(blob.blob_name, sink)
        if sink.size != state.body["size"] or sink.digest.hexdigest() != state.body["sha256"]:
            raise altered(state)

    def _attach_target(self, record_id: str, derivation: Derivation | None) -> RecordState:
        target = self._records.show(record_id)
        if Kind(target.kind) not in ATTACHABLE_KINDS:
            raise UsageError(
                f"Evidence cannot be attached to a {target.kind}; attach it to a case, person, testimony, event "
                "or location."
            )
        if derivation is not None:
            self.get(derivation.original_id)  # it must be an evidence file of this vault
            if derivation.copy_role not in {"working", "redacted"}:
                raise UsageError("A derived copy is a working or a redacted copy; use --copy-role working|redacted.")
        return target

    def _on_block(self, source: EvidenceSource, progress: Progress | None) -> Callable[[bytes], None]:
        def on_block(block: bytes) -> None:
            source.on_block(block)
            if progress is not None:
                progress(source.bytes_read, source.size)

        return on_block

    def _custody(self, target_id: str, file_name: str, size: int, sha256: str, head: bytes) -> dict[str, Any]:
        return {
            "attached_to_id": target_id,
            "file_name": file_name,
            "media_type": sniff_media_type(head),
            "size": size,
            "sha256": sha256,
            "intake_at": self._session.now_iso(),
            "intake_device": self._session.device_id,
            "intake_user": self._session.actor,
            "copy_role": "original",
        }

    @staticmethod
    def _with_extras(body: dict[str, Any], description: str, derivation: Derivation | None) -> dict[str, Any]:
        if description.strip():
            body["description"] = description
        if derivation is not None:
            body.update(source="derived", copy_role=derivation.copy_role, derived_from_id=derivation.original_id)
            if derivation.how.strip():
                body["derivation"] = derivation.how
        return body

    def _new_blob(self) -> PendingBlob:
        try:
            return self._blobs.new_blob()
        except OSError as exc:
            raise SafeCaseError(
                f"The vault's blobs folder cannot be written ({exc.strerror}); nothing was added. Check the vault "
                "folder's permissions and free space."
            ) from None

    def _encrypt(self, pending: PendingBlob, reader: BlockReader, file_name: str) -> None:
        try:
            self._blobs.encrypt_into(pending, reader)
        except OSError as exc:
            raise _io_failure(file_name, exc) from None

    def _commit(
        self, pending: PendingBlob, body: dict[str, Any], on_commit: Callable[[], None] | None = None
    ) -> RecordState:
        try:
            stored_size = pending.finish()
        except OSError as exc:
            raise _io_failure(body["file_name"], exc) from None
        with self._session.db.transaction():
            if on_commit is not None:
                on_commit()
            state = self._records.write_batch([self._records.prepare_attachment(body)])[0]
            self._index.add(state.id, pending.name, stored_size, self._session.now_iso())
            detail = f"sha256:{body['sha256']} size:{body['size']} media:{body['media_type']}"
            self._session.log("attachment.intake", state.id, detail)
        pending.publish()
        return state

    def _session_log(self, action: str, subject: str, detail: str) -> None:
        with self._session.db.transaction():
            self._session.log(action, subject, detail)


class _FixedBuffer:
    """A writer into one preallocated bytearray: no growing, so no stray copies of the plaintext are left to free."""

    def __init__(self, size: int) -> None:
        self.data = bytearray(size)
        self._view = memoryview(self.data)
        self._offset = 0

    def write(self, data: bytes) -> int:
        end = self._offset + len(data)  # HashingSink's limit keeps this within the buffer
        self._view[self._offset : end] = data
        self._offset = end
        return len(data)


def _io_failure(file_name: str, error: OSError) -> SafeCaseError:
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return SafeCaseError("The vault's disk filled up while taking the file in; nothing was added. Free space.")
    if error.errno == errno.EFBIG:
        return SafeCaseError(
            f"{shown(file_name)} is too large for the file system the vault is on (FAT32 holds at most 4 GiB per "
            "file); nothing was added. Move the vault to an NTFS, exFAT, ext4 or APFS disk."
        )
    return SafeCaseError(
        f"Reading {shown(file_name)} or writing it into the vault failed ({error.strerror}); nothing was added. "
        "Copy the file again, check the disk, and retry."
    )


def _clean_file_name(name: str) -> str:
    # A name that is not UTF-8 on disk (e.g. Korean in CP949 from a Windows archive) arrives with surrogate escapes.
    readable = unicodedata.normalize("NFC", name.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
    cleaned = "".join("_" if unicodedata.category(c) in _UNSAFE_IN_NAMES else c for c in readable).strip()
    return (cleaned or "unnamed")[:255]
