"""Importing a bundle: every check first, then one transaction; a refused bundle leaves nothing anywhere.

The whole import holds the database's write lock, so nothing else changes the vault meanwhile (and the blob sweep
another process runs on unlock waits instead of taking our staged files for a crashed intake's leftovers).

Pass 1 reads the signed head and decides whether to go on at all: the manifest's signature, a known (or, when the
user allows it, unknown) sender who is not revoked, this vault among the named recipients, a bundle id and
sequence number not seen before (a replay stops here as a no-op). It then reads every member against the
manifest's size and SHA-256, encrypting the evidence files the vault lacks into ``.partial`` blobs, and requires
the stream's proper end. Pass 2 reads the records members again (they are hashed again: the file could have been
swapped in between) and only now parses and merges them. Then the blobs are referenced, the transaction commits
and the blobs get their final names. Any failure rolls back and removes the staged blobs.
"""

from __future__ import annotations

import errno
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from safecase.crypto import minisign
from safecase.crypto.encoding import b64encode
from safecase.domain.kinds import Kind
from safecase.errors import IntegrityError, SafeCaseError
from safecase.services.exchange.bundle_file import BundleDamaged, BundleHead, BundleStream, hash_member
from safecase.services.exchange.manifest import MAX_RECORD_LINE_BYTES, RECORDS_MEMBER, Manifest, Member, Party
from safecase.services.exchange.merge import MAX_CLOCK_AHEAD_MS, ClockTooFarAhead, MergeTally, VersionMerger
from safecase.services.exchange.record_lines import RecordLineError, parse_version_line
from safecase.services.session import VaultSession
from safecase.storage.blob_store import PendingBlob
from safecase.storage.records import RecordVersion
from safecase.storage.tar_stream import TarMember
from safecase.storage.team_contacts import TeamContact, TeamContactStore

Progress = Callable[[int, int], None]
Cancel = Callable[[], None]


class SenderRefused(IntegrityError):
    pass


@dataclass(frozen=True)
class BundleSummary:
    """What a bundle says about itself once its signature checks out: for `bundle inspect` and the import dialog."""

    bundle_id: str
    sequence: int
    created_at: str
    sender: Party
    sender_contact: TeamContact | None
    recipients: tuple[Party, ...]
    counts: dict[str, int]
    scope: dict[str, object]
    addressed_to_this_vault: bool
    imported_at: str | None  # when this vault imported it before, if it did

    @property
    def sender_name(self) -> str:
        """The name the user gave this contact (from their checked card), else the one the bundle claims."""
        return self.sender_contact.display_name if self.sender_contact else self.sender.display_name

    @property
    def sender_status(self) -> str:
        """``verified``, ``unverified``, ``revoked`` or ``unknown``."""
        return self.sender_contact.status if self.sender_contact else "unknown"


@dataclass(frozen=True)
class ImportResult:
    summary: BundleSummary
    replay: bool
    new_records: int = 0
    updated_records: int = 0
    unchanged_records: int = 0
    new_versions: int = 0
    attachments_added: int = 0
    conflicts: tuple[str, ...] = ()  # records of this bundle now in conflict
    unverified: bool = False  # what it brought counts as from an unverified source


class BundleImporter:
    def __init__(self, session: VaultSession) -> None:
        self._session = session
        self._contacts = TeamContactStore(session.db)
        self._staged_sizes: dict[str, int] = {}

    # -- inspect --------------------------------------------------------------------------------------------------

    def inspect(self, path: Path, *, check_cancelled: Cancel | None = None) -> BundleSummary:
        """Check the whole bundle (signature, every member, its end) without importing; say what it holds."""
        with BundleStream(path, self._session.identity.age_identity) as stream:
            head = stream.head()
            self._check_signature(head)
            summary = self._summary(head.manifest)
            for expected, member in stream.members(head.manifest):
                hash_member(member, expected, check_cancelled=check_cancelled)
            stream.finish()
        return summary

    # -- import ---------------------------------------------------------------------------------------------------

    def import_bundle(
        self,
        path: Path,
        *,
        allow_unknown_sender: bool = False,
        progress: Progress | None = None,
        check_cancelled: Cancel | None = None,
    ) -> ImportResult:
        staged: dict[str, PendingBlob] = {}
        self._staged_sizes = {}
        try:
            with self._session.db.transaction():
                result = self._import(path, allow_unknown_sender, staged, progress, check_cancelled)
            for pending in staged.values():
                pending.publish()
        finally:
            for pending in staged.values():
                pending.__exit__(None, None, None)
        return result

    def _import(
        self,
        path: Path,
        allow_unknown_sender: bool,
        staged: dict[str, PendingBlob],
        progress: Progress | None,
        check_cancelled: Cancel | None,
    ) -> ImportResult:
        with BundleStream(path, self._session.identity.age_identity) as stream:
            head = stream.head()
            summary = self._authenticate(head, allow_unknown_sender)
            if summary.imported_at is not None:
                self._refuse_changed_replay(head)
                return ImportResult(summary, replay=True)
            self._refuse_reused_sequence(head.manifest)
            records_bytes = sum(m.size for m in head.manifest.members if RECORDS_MEMBER.match(m.name))
            total, done = head.manifest.declared_bytes + records_bytes, 0  # the records are read twice
            for expected, member in stream.members(head.manifest):
                self._take_member(expected, member, staged, check_cancelled)
                done += expected.size
                if progress is not None:
                    progress(done, total)
            stream.finish()
        self._remember(head, summary)
        merger = VersionMerger(self._session, head.manifest.bundle_id)
        with BundleStream(path, self._session.identity.age_identity) as again:
            if again.head().manifest_sha256 != head.manifest_sha256:
                raise BundleDamaged("The bundle file changed while it was being imported; nothing was imported.")
            for expected, member in again.members(head.manifest):
                if not RECORDS_MEMBER.match(expected.name):
                    break
                for version in _versions(member, expected):
                    if check_cancelled is not None:
                        check_cancelled()
                    merger.merge(version)
                done += expected.size
                if progress is not None:
                    progress(done, total)
        merger.flush_audit()
        attachments_added = self._reference_blobs(head.manifest, staged)
        result = self._finish(head, summary, merger.tally, attachments_added)
        if check_cancelled is not None:
            check_cancelled()  # the last moment a cancel (or a lock) can still roll the whole import back
        return result

    # -- pass 1: authenticity ----------------------------------------------------------------------------------

    def _check_signature(self, head: BundleHead) -> None:
        sender = head.manifest.sender
        assert sender.ed25519_public_key is not None  # Manifest.parse requires it
        comment = minisign.verify(sender.ed25519_public_key, head.manifest_bytes, head.signature_text)
        if comment != head.manifest.trusted_comment():
            raise IntegrityError("The bundle's signature covers another bundle: it was altered. Nothing was imported.")

    def _authenticate(self, head: BundleHead, allow_unknown_sender: bool) -> BundleSummary:
        self._check_signature(head)
        manifest = head.manifest
        own = self._session.identity.public()
        if manifest.sender.ed25519_public_key == own.ed25519_public_bytes:
            raise SenderRefused("This bundle was made by this vault; there is nothing to import from it.")
        if _ms_of(manifest.created_at) > self._session.clock.now_ms() + MAX_CLOCK_AHEAD_MS:
            raise ClockTooFarAhead()
        summary = self._summary(manifest)
        contact = summary.sender_contact
        if contact is not None and contact.revoked:
            raise SenderRefused(
                f"This bundle is signed by {contact.display_name}, whom you removed from your contacts; it was "
                "refused. Add their card again if that was a mistake."
            )
        if contact is None and not allow_unknown_sender:
            raise SenderRefused(
                "This bundle is signed by someone who is not among your contacts; it was refused. Add their card "
                "and check their fingerprint, or import with --allow-unknown-sender to mark what it brings as "
                "from an unverified source."
            )
        if contact is not None and contact.public() != manifest.sender.public():
            raise SenderRefused("This bundle's sender keys differ from your contact's card; it was refused.")
        if not summary.addressed_to_this_vault:
            raise SenderRefused(
                "This bundle is not addressed to this vault: someone re-encrypted it to you after it was sent to "
                "others. It was refused; ask the sender to send it to you."
            )
        return summary

    def _summary(self, manifest: Manifest) -> BundleSummary:
        key = manifest.sender.ed25519_public_key
        assert key is not None
        own = self._session.identity.public().age_recipient
        row = self._session.db.query_one(
            "SELECT imported_at FROM bundles_received WHERE bundle_id = ?", (manifest.bundle_id,)
        )
        return BundleSummary(
            manifest.bundle_id,
            manifest.sequence,
            manifest.created_at,
            manifest.sender,
            self._contacts.by_signing_key(key),
            manifest.recipients,
            manifest.counts,
            manifest.scope,
            any(r.age_recipient == own for r in manifest.recipients),
            row[0] if row else None,
        )

    def _refuse_changed_replay(self, head: BundleHead) -> None:
        """A bundle id seen before is a replay only if it is the same signed manifest from the same sender."""
        row = self._session.db.query_one(
            "SELECT sender_key, manifest_sha256 FROM bundles_received WHERE bundle_id = ?", (head.manifest.bundle_id,)
        )
        if row is not None and (row[0], row[1]) != (_key_text(head.manifest.sender), head.manifest_sha256):
            raise IntegrityError(
                "This bundle reuses the id of a different bundle imported before; it was refused. Ask the sender."
            )

    def _refuse_reused_sequence(self, manifest: Manifest) -> None:
        row = self._session.db.query_one(
            "SELECT bundle_id FROM bundles_received WHERE sender_key = ? AND sequence = ?",
            (_key_text(manifest.sender), manifest.sequence),
        )
        if row is not None:
            raise IntegrityError(
                f"This bundle reuses the sender's sequence number {manifest.sequence}, which an earlier bundle from "
                "them had: their vault may have been restored from a backup, or the bundle was forged. It was "
                "refused; ask the sender."
            )

    # -- pass 1: members ----------------------------------------------------------------------------------------

    def _take_member(
        self, expected: Member, member: TarMember, staged: dict[str, PendingBlob], check_cancelled: Cancel | None
    ) -> None:
        attachment_id = expected.attachment_id
        if attachment_id is None or self._session.attachment_blobs.get(attachment_id) is not None:
            hash_member(member, expected, check_cancelled=check_cancelled)
            return
        try:
            pending = self._session.blobs.new_blob()
            staged[attachment_id] = pending
            reader = _HashingReader(member, check_cancelled)
            self._session.blobs.encrypt_into(pending, reader)  # pyrage pulls the member through the hash
            size = pending.finish()
        except OSError as error:
            raise _staging_failure(error) from None
        if member.read(1) or reader.digest.hexdigest() != expected.sha256:
            raise BundleDamaged(f"The bundle's member {expected.name} does not match its manifest: it was altered.")
        self._staged_sizes[attachment_id] = size
        # A bundle may carry thousands of files: each staged blob's descriptor (and advisory lock) is let go at
        # once. The import's write lock on the database protects them instead: the unlock sweep of another
        # process runs in a write transaction, so it waits until this import has committed or rolled back.
        pending.file.close()

    def _reference_blobs(self, manifest: Manifest, staged: dict[str, PendingBlob]) -> int:
        """Every evidence file now has its record, with the hash and size the manifest gave."""
        members = {m.attachment_id: m for m in manifest.members if m.attachment_id}
        for attachment_id, member in members.items():
            state = self._session.records.get(attachment_id)
            if state is None or state.kind != Kind.ATTACHMENT.value:
                raise IntegrityError(
                    f"The bundle carries evidence file {attachment_id} without its record; nothing was imported."
                )
            if (state.body["sha256"], int(state.body["size"])) != (member.sha256, member.size):
                raise IntegrityError(
                    f"The bundle's evidence file {attachment_id} differs from its record; nothing was imported."
                )
        for attachment_id, pending in staged.items():
            size = self._staged_sizes[attachment_id]
            self._session.attachment_blobs.add(attachment_id, pending.name, size, self._session.now_iso())
        return len(staged)

    # -- pass 2 and the end ------------------------------------------------------------------------------------

    def _remember(self, head: BundleHead, summary: BundleSummary) -> None:
        manifest = head.manifest
        self._session.db.execute(
            "INSERT INTO bundles_received (bundle_id, sender_key, sender_fingerprint, sender_name, sequence,"
            " created_at, imported_at, manifest_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                manifest.bundle_id,
                _key_text(manifest.sender),
                manifest.sender.fingerprint or "",
                manifest.sender.display_name,
                manifest.sequence,
                manifest.created_at,
                self._session.now_iso(),
                head.manifest_sha256,
            ),
        )

    def _finish(
        self, head: BundleHead, summary: BundleSummary, tally: MergeTally, attachments_added: int
    ) -> ImportResult:
        self._check_every_attachment_has_content(tally)
        if tally.newest is not None:
            self._session.observe_revision(tally.newest)
        conflicts = self._conflicts_among(tally.seen_records)
        unverified = summary.sender_status != "verified"
        detail = (
            f"sequence:{head.manifest.sequence} new:{len(tally.new_records)} updated:{len(tally.updated_records)}"
            f" versions:{tally.new_versions} attachments:{attachments_added} conflicts:{len(conflicts)}"
            f" sender:{summary.sender_status}"
        )
        self._session.log("bundle.import", head.manifest.bundle_id, detail)
        return ImportResult(
            summary,
            replay=False,
            new_records=len(tally.new_records),
            updated_records=len(tally.updated_records),
            unchanged_records=tally.unchanged_records,
            new_versions=tally.new_versions,
            attachments_added=attachments_added,
            conflicts=conflicts,
            unverified=unverified,
        )

    def _check_every_attachment_has_content(self, tally: MergeTally) -> None:
        for record_id in sorted(tally.new_records):
            state = self._session.records.get(record_id)
            is_attachment = state is not None and state.kind == Kind.ATTACHMENT.value
            if is_attachment and self._session.attachment_blobs.get(record_id) is None:
                raise IntegrityError(
                    f"The bundle carries the record of evidence file {record_id} but not the file; nothing was "
                    "imported. Ask the sender to export again."
                )

    def _conflicts_among(self, record_ids: set[str]) -> tuple[str, ...]:
        conflicted = []
        for record_id in sorted(record_ids):
            if len(self._session.records.heads(record_id)) > 1:
                conflicted.append(record_id)
        return tuple(conflicted)


class _HashingReader:
    """Reads a member for pyrage to encrypt into a staged blob, hashing what passes."""

    def __init__(self, member: TarMember, check_cancelled: Cancel | None) -> None:
        self._member = member
        self._check_cancelled = check_cancelled
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        if self._check_cancelled is not None:
            self._check_cancelled()
        data = self._member.read(size)
        self.digest.update(data)
        return data


def _versions(member: TarMember, expected: Member) -> Iterator[RecordVersion]:
    """The versions of a records member, hashed again as they are read."""
    digest = hashlib.sha256()
    pending = b""
    number = 0
    while True:
        block = member.read(1 << 20)
        if not block:
            break
        digest.update(block)
        pending += block
        *lines, pending = pending.split(b"\n")
        for line in lines:
            number += 1
            if len(line) > MAX_RECORD_LINE_BYTES:  # a line may end in the block that takes it past the cap
                raise RecordLineError(f"{expected.name} line {number}", "line too long")
            yield parse_version_line(line, f"{expected.name} line {number}")
        if len(pending) > MAX_RECORD_LINE_BYTES:
            raise RecordLineError(f"{expected.name} line {number + 1}", "line too long")
    if digest.hexdigest() != expected.sha256:
        raise BundleDamaged(f"The bundle's member {expected.name} changed while it was imported; nothing was imported.")
    if pending:
        raise RecordLineError(f"{expected.name} line {number + 1}", "the last line does not end")


def _staging_failure(error: OSError) -> SafeCaseError:
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return SafeCaseError(
            "The vault's disk is full: the bundle's evidence files do not fit. Nothing was imported; free some space "
            "and import it again."
        )
    return SafeCaseError(
        f"Writing the bundle's evidence files into the vault failed ({error.strerror}); nothing was imported."
    )


def _ms_of(iso_time: str) -> int:
    """Milliseconds since 1970 of a manifest's ``YYYY-MM-DDTHH:MM:SS.mmmZ`` (checked by Manifest.parse)."""
    moment = datetime.strptime(iso_time, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def _key_text(party: Party) -> str:
    assert party.ed25519_public_key is not None
    return b64encode(party.ed25519_public_key)
