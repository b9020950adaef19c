"""Writing a bundle: choose what goes (a plan the user can look at), then stream it out encrypted and signed.

The file is one age stream to the recipients' X25519 keys. Inside is a plain tar: the manifest and its minisign
signature first, then the record chunks, then the evidence files decrypted from the vault's blobs (each checked
against its intake SHA-256 on the way; an altered one stops the export). The manifest must name every member's
hash before the members follow, so the record chunks are serialised twice from one snapshot (the export runs in
one transaction): once to hash them, once to write them. Memory stays at a few MiB whatever the bundle's size.
Nothing but the finished file is written; a failure removes it.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage

from safecase.crypto import minisign
from safecase.crypto.age_stream import ChunkReader, encrypt_stream_to
from safecase.domain.kinds import Kind
from safecase.errors import NotFoundError, SafeCaseError, UsageError, shown
from safecase.services.attachments import AttachmentService
from safecase.services.evidence_export import create_export_file, discard_export_file, write_failure
from safecase.services.exchange.manifest import (
    MANIFEST_NAME,
    RECORDS_CHUNK_BYTES,
    SIGNATURE_NAME,
    Manifest,
    Member,
    Party,
)
from safecase.services.exchange.record_lines import stored_version_line
from safecase.services.exchange.scope import ScopedRecord, ScopeRequest, select_records
from safecase.services.session import VaultSession
from safecase.storage.records import RecordStore
from safecase.storage.tar_stream import TarWriter
from safecase.storage.team_contacts import TeamContact

Progress = Callable[[int, int], None]  # bytes done, bytes in all
NAME_CHARS = 200  # what a manifest carries of a name
Cancel = Callable[[], None]


@dataclass(frozen=True)
class ExportPlan:
    """Exactly what a bundle will carry, to show before anything is written."""

    recipients: tuple[TeamContact, ...]
    request: ScopeRequest
    records: tuple[ScopedRecord, ...]
    attachments: tuple[Member, ...]
    counts: dict[str, int]
    version_seq: int  # the newest stored version when the plan was made

    @property
    def total_attachment_bytes(self) -> int:
        return sum(a.size for a in self.attachments)


@dataclass(frozen=True)
class BundleReceipt:
    path: Path
    bundle_id: str
    sequence: int
    size: int
    counts: dict[str, int]
    recipients: tuple[TeamContact, ...]


class BundleExporter:
    def __init__(self, session: VaultSession, attachments: AttachmentService) -> None:
        self._session = session
        self._store = RecordStore(session.db, session.search)
        self._attachments = attachments

    def plan(self, recipients: list[TeamContact], request: ScopeRequest) -> ExportPlan:
        if not recipients:
            raise UsageError("Name at least one recipient with --to CONTACT (see `safecase contact list`).")
        for contact in recipients:
            if contact.revoked:
                raise UsageError(f"{shown(contact.display_name)} was removed from your contacts; they get nothing.")
        self._check_cases(request.case_ids)
        with self._session.db.transaction():
            records = tuple(select_records(self._session.db, request))
            attachments = tuple(self._attachment_members(records))
            version_seq = int(self._session.db.query_one("SELECT coalesce(max(seq), 0) FROM record_versions")[0])
        return ExportPlan(
            tuple(dict.fromkeys(recipients)),
            request,
            records,
            attachments,
            self._counts(records, attachments),
            version_seq,
        )

    def write(
        self,
        plan: ExportPlan,
        output: Path,
        *,
        progress: Progress | None = None,
        check_cancelled: Cancel | None = None,
        sync_contact: TeamContact | None = None,
    ) -> BundleReceipt:
        """Write the bundle to the new file ``output``; record it as sent (for the sync folder: as the last bundle
        to ``sync_contact``). Removes the file on any failure."""
        handle = create_export_file(output)
        try:
            with handle, self._session.db.transaction():
                receipt = self._write(plan, handle, output, progress, check_cancelled)
                if sync_contact is not None:
                    self._remember_sync(sync_contact, plan, receipt)
                try:
                    handle.flush()
                    os.fsync(handle.fileno())
                except OSError as exc:
                    raise write_failure(exc) from None
        except BaseException:
            discard_export_file(output)
            raise
        return receipt

    # -- internals ------------------------------------------------------------------------------------------------

    def _write(
        self, plan: ExportPlan, handle: Any, output: Path, progress: Progress | None, check_cancelled: Cancel | None
    ) -> BundleReceipt:
        db = self._session.db
        sequence = int(db.query_one("SELECT coalesce(max(sequence), 0) + 1 FROM bundles_sent")[0])
        bundle_id = str(uuid.uuid4())
        created_at = self._session.now_iso()
        chunks = [member for member, _ in self._record_chunks(plan.records, keep=False)]
        manifest = Manifest(
            bundle_id,
            sequence,
            created_at,
            self._sender(),
            tuple(_party(c) for c in plan.recipients),
            _scope_json(plan.request),
            plan.counts,
            tuple(chunks) + plan.attachments,
        )
        manifest_bytes = manifest.to_bytes()
        signature = minisign.sign(self._session.identity, manifest_bytes, manifest.trusted_comment())
        mtime = calendar.timegm(time.strptime(created_at[:19], "%Y-%m-%dT%H:%M:%S"))
        recipients = [pyrage.x25519.Recipient.from_str(c.age_recipient) for c in plan.recipients]
        head = (manifest_bytes, signature.encode("utf-8"), mtime)
        plaintext = self._plaintext(plan, manifest, head, progress, check_cancelled)
        try:
            encrypt_stream_to(ChunkReader(plaintext), handle, recipients)
        except OSError as exc:
            raise write_failure(exc) from None
        self._remember(manifest, plan)
        return BundleReceipt(output, bundle_id, sequence, handle.tell(), plan.counts, plan.recipients)

    def _remember_sync(self, contact: TeamContact, plan: ExportPlan, receipt: BundleReceipt) -> None:
        contacts_seq = plan.version_seq if plan.request.include_contacts else None
        self._session.db.execute(
            "INSERT INTO sync_state (contact_id, version_seq, contacts_version_seq, bundle_id, synced_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (contact_id) DO UPDATE SET version_seq = excluded.version_seq,"
            " contacts_version_seq = coalesce(excluded.contacts_version_seq, contacts_version_seq),"
            " bundle_id = excluded.bundle_id, synced_at = excluded.synced_at",
            (contact.id, plan.version_seq, contacts_seq, receipt.bundle_id, self._session.now_iso()),
        )

    def _plaintext(
        self,
        plan: ExportPlan,
        manifest: Manifest,
        head: tuple[bytes, bytes, int],
        progress: Progress | None,
        check_cancelled: Cancel | None,
    ) -> Iterator[bytes]:
        """The bundle's tar stream, made as the encryption asks for it (so no second thread and no copy queue)."""
        manifest_bytes, signature, mtime = head
        spool = _Spool()
        tar = TarWriter(spool)
        tar.add(MANIFEST_NAME, manifest_bytes, mtime)
        tar.add(SIGNATURE_NAME, signature, mtime)
        total, done = sum(m.size for m in manifest.members), 0
        for member, data in self._record_chunks(plan.records, keep=True):
            if hashlib.sha256(data).hexdigest() != member.sha256:  # the snapshot moved: a bug, never data
                raise SafeCaseError("The records changed while the bundle was written; export again.")
            tar.add(member.name, data, mtime)
            yield spool.take()
            done += member.size
            if progress is not None:
                progress(done, total)
        following: list[str | None] = [a.attachment_id for a in plan.attachments[1:]]
        if plan.attachments:
            following.append(None)
            self._attachments.prefetch(str(plan.attachments[0].attachment_id))
        for attachment, next_id in zip(plan.attachments, following, strict=True):
            assert attachment.attachment_id is not None
            if next_id is not None:
                self._attachments.prefetch(next_id)  # the disk reads it while this one is decrypted
            sink = tar.begin(attachment.name, attachment.size, mtime)
            for block in self._attachments.verified_blocks(attachment.attachment_id, check_cancelled=check_cancelled):
                sink.write(block)
                yield spool.take()
            sink.finish()
            done += attachment.size
            if progress is not None:
                progress(done, total)
        tar.close()
        yield spool.take()

    def _remember(self, manifest: Manifest, plan: ExportPlan) -> None:
        self._session.db.execute(
            "INSERT INTO bundles_sent (sequence, bundle_id, created_at, recipients, version_seq, record_count,"
            " attachment_count) VALUES (?, ?, ?, json(?), ?, ?, ?)",
            (
                manifest.sequence,
                manifest.bundle_id,
                manifest.created_at,
                json.dumps([c.id for c in plan.recipients]),
                plan.version_seq,
                plan.counts["records"],
                plan.counts["attachments"],
            ),
        )
        detail = (
            f"sequence:{manifest.sequence} records:{plan.counts['records']} attachments:{plan.counts['attachments']}"
        )
        self._session.log("bundle.export", manifest.bundle_id, detail)

    def _record_chunks(self, records: tuple[ScopedRecord, ...], *, keep: bool) -> Iterator[tuple[Member, bytes]]:
        """Members of at most about ``RECORDS_CHUNK_BYTES``, cut between lines; ``keep`` returns their bytes."""
        number, size, digest, lines = 1, 0, hashlib.sha256(), bytearray()
        for stored in self._store.stored_versions([record.num for record in records]):
            line = stored_version_line(stored)
            digest.update(line)
            size += len(line)
            if keep:
                lines += line
            if size >= RECORDS_CHUNK_BYTES:
                yield Member(f"records/{number:06d}.jsonl", size, digest.hexdigest()), bytes(lines)
                number, size, digest, lines = number + 1, 0, hashlib.sha256(), bytearray()
        if size:
            yield Member(f"records/{number:06d}.jsonl", size, digest.hexdigest()), bytes(lines)

    def _attachment_members(self, records: tuple[ScopedRecord, ...]) -> Iterator[Member]:
        for record in records:
            if record.kind == Kind.ATTACHMENT.value:
                state = self._store.get(record.id)
                assert state is not None
                yield Member(f"attachments/{record.id}", int(state.body["size"]), state.body["sha256"])

    def _counts(self, records: tuple[ScopedRecord, ...], attachments: tuple[Member, ...]) -> dict[str, int]:
        kinds = [r.kind for r in records]
        nums = [r.num for r in records]
        versions = 0
        for start in range(0, len(nums), 500):
            chunk = nums[start : start + 500]
            marks = ",".join("?" * len(chunk))
            versions += int(
                self._session.db.query_one(
                    f"SELECT count(*) FROM record_versions WHERE record_num IN ({marks})", chunk
                )[0]
            )
        return {
            "records": len(records),
            "versions": versions,
            "attachments": len(attachments),
            "attachment_bytes": sum(a.size for a in attachments),
            "persons": kinds.count(Kind.PERSON.value),
            "contacts": kinds.count(Kind.CONTACT.value),
            "cases": kinds.count(Kind.CASE.value),
        }

    def _check_cases(self, case_ids: tuple[str, ...]) -> None:
        for case_id in case_ids:
            state = self._store.get(case_id)
            if state is None or state.kind != Kind.CASE.value:
                raise NotFoundError(f"No case with id {shown(case_id)}: see `safecase record list case`.")

    def _sender(self) -> Party:
        stored = self._session.identity_record()
        public = stored.identity.public()
        return Party(
            stored.display_name[:NAME_CHARS], stored.organisation[:NAME_CHARS], public.age_recipient,
            public.ed25519_public_bytes, public.fingerprint(),
        )  # fmt: skip


class _Spool:
    """Collects what the tar writer writes (headers, small members, padding) until the stream takes it."""

    def __init__(self) -> None:
        self._data = bytearray()

    def write(self, data: bytes) -> int:
        self._data += data
        return len(data)

    def take(self) -> bytes:
        data, self._data = bytes(self._data), bytearray()
        return data


def _party(contact: TeamContact) -> Party:
    return Party(
        contact.display_name[:NAME_CHARS], contact.organisation[:NAME_CHARS], contact.age_recipient,
        contact.ed25519_public_key, contact.fingerprint,
    )  # fmt: skip


def _scope_json(request: ScopeRequest) -> dict[str, Any]:
    return {"cases": sorted(request.case_ids), "since": request.since, "include_contacts": request.include_contacts}
