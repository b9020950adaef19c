"""The sync folder: bundles out to ``DIR/outbox/<contact>``, bundles in from ``DIR/inbox``; no server of ours.

Any carrier works: a USB stick passed by hand, a shared drive, or a file-sync tool such as Syncthing that shares
one person's outbox folder for a contact as that contact's inbox. Each sync sends a contact only the versions
stored since the last bundle it sent them. Outbox folders are named by a short code from the contact's
fingerprint, not by name, so a seized stick does not list the team. Files in the inbox that are not addressed to
this vault are skipped; a bundle already imported is a no-op; a refused one is reported and left where it is.
"""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from safecase.crypto.age_pipe import NotForThisIdentity
from safecase.errors import Cancelled, SafeCaseError, UsageError, shown
from safecase.services.exchange.export import BundleExporter, BundleReceipt
from safecase.services.exchange.importer import BundleImporter, ImportResult
from safecase.services.exchange.scope import ScopeRequest
from safecase.services.session import VaultSession
from safecase.storage import fsutil
from safecase.storage.team_contacts import TeamContact

BUNDLE_SUFFIX = ".safecase-bundle"
PARTIAL_SUFFIX = ".partial"
MAX_INBOX_FILES = 10_000


def outbox_code(contact: TeamContact) -> str:
    """The outbox folder name for a contact: the first two groups of the fingerprint, e.g. ``04213-88120``."""
    if contact.fingerprint:
        return "-".join(contact.fingerprint.split()[:2])
    return "age-" + hashlib.sha256(contact.age_recipient.encode("ascii")).hexdigest()[:10]


@dataclass
class SyncReport:
    sent: list[BundleReceipt] = field(default_factory=list)
    nothing_new: list[TeamContact] = field(default_factory=list)
    imported: list[tuple[Path, ImportResult]] = field(default_factory=list)
    already_imported: list[Path] = field(default_factory=list)
    not_for_us: list[Path] = field(default_factory=list)
    refused: list[tuple[Path, SafeCaseError]] = field(default_factory=list)


class SyncFolder:
    def __init__(self, session: VaultSession, exporter: BundleExporter, importer: BundleImporter) -> None:
        self._session = session
        self._exporter = exporter
        self._importer = importer
        self._check_cancelled: Callable[[], None] | None = None

    def sync(
        self,
        root: Path,
        contacts: list[TeamContact],
        *,
        include_contacts: bool = False,
        allow_unknown_sender: bool = False,
        on_step: Callable[[str], None] | None = None,
        check_cancelled: Callable[[], None] | None = None,
    ) -> SyncReport:
        if not root.is_dir():
            raise UsageError(f"{shown(root)} is not a folder: give the sync folder (a USB stick, a shared folder).")
        report = SyncReport()
        self._check_cancelled = check_cancelled
        self._receive(root / "inbox", allow_unknown_sender, report, on_step)
        for contact in contacts:
            self._send(root / "outbox", contact, include_contacts, report, on_step)
        return report

    def _send(
        self,
        outbox: Path,
        contact: TeamContact,
        include_contacts: bool,
        report: SyncReport,
        on_step: Callable[[str], None] | None,
    ) -> None:
        row = self._session.db.query_one(
            "SELECT version_seq, contacts_version_seq FROM sync_state WHERE contact_id = ?", (contact.id,)
        )
        request = ScopeRequest(
            after_version_seq=row[0] if row else None,
            contacts_after_version_seq=row[1] if row else None,
            include_contacts=include_contacts,
        )
        plan = self._exporter.plan([contact], request)
        if not plan.records:
            report.nothing_new.append(contact)
            return
        folder = outbox / outbox_code(contact)
        fsutil.make_private_dir(outbox)
        fsutil.make_private_dir(folder)
        name = f"{self._session.now_iso().replace(':', '').replace('-', '')[:15]}Z-{uuid.uuid4().hex[:8]}"
        if on_step is not None:
            on_step(f"outbox/{folder.name}")
        # Written under a name the inbox side ignores, then renamed: a sync tool never ships half a bundle.
        partial = folder / f"{name}{BUNDLE_SUFFIX}{PARTIAL_SUFFIX}"
        receipt = self._exporter.write(plan, partial, sync_contact=contact, check_cancelled=self._check_cancelled)
        final = folder / f"{name}{BUNDLE_SUFFIX}"
        partial.replace(final)
        fsutil.fsync_dir(folder)
        report.sent.append(dataclasses.replace(receipt, path=final))

    def _receive(
        self, inbox: Path, allow_unknown_sender: bool, report: SyncReport, on_step: Callable[[str], None] | None
    ) -> None:
        for path in _inbox_files(inbox):
            if on_step is not None:
                on_step(f"inbox/{path.relative_to(inbox)}")
            try:
                result = self._importer.import_bundle(
                    path, allow_unknown_sender=allow_unknown_sender, check_cancelled=self._check_cancelled
                )
            except NotForThisIdentity:
                report.not_for_us.append(path)
            except Cancelled:
                raise
            except SafeCaseError as error:
                report.refused.append((path, error))
            else:
                if result.replay:
                    report.already_imported.append(path)
                else:
                    report.imported.append((path, result))


def _inbox_files(inbox: Path) -> list[Path]:
    """Bundle files in the inbox and its sub-folders (a sync tool may keep one per sender), oldest name first."""
    if not inbox.is_dir():
        return []
    found = sorted(p for p in inbox.rglob(f"*{BUNDLE_SUFFIX}") if p.is_file() and not p.is_symlink())
    return found[:MAX_INBOX_FILES]
