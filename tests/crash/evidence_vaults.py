"""Fictional vaults that hold more than records: a case with evidence files, and a bundle from a teammate.

Shared by the crash sweeps of evidence intake and bundle import and by the full-disk and read-only tests.
"""

from __future__ import annotations

import os
from pathlib import Path

from safecase.domain.kinds import Kind
from safecase.services.attachments import AttachmentService
from safecase.services.exchange.contacts import ContactService
from safecase.services.exchange.export import BundleExporter
from safecase.services.exchange.scope import ScopeRequest
from safecase.services.records import RecordService
from safecase.services.session import VaultSession

from .harness import PASSPHRASE, BaseVault, create_vault, fictional_records, record_id, services

CASE_ID = record_id(900)
SENDER_CASE_ID = record_id(950)
EVIDENCE_BYTES = (2 << 20) + 12_345  # three blocks of the intake's 1 MiB reads, the last one short
BUNDLE_EVIDENCE_SIZES = (300_000, 1_200_000)
OLD_MTIME_NS = 1_560_000_000_000_000_000  # 2019: a file copied off a phone


def add_case(vault: BaseVault, case_id: str = CASE_ID) -> BaseVault:
    """A fictional case to attach evidence to."""
    body = {"title": "Fictional case for crash tests", "status": "open", "sensitivity": "high"}
    with services().unlock(vault.root, PASSPHRASE) as session:
        records = RecordService(session)
        records.write_batch([records.prepare_new(Kind.CASE, body, case_id)])
    return vault


def evidence(path: Path, size: int = EVIDENCE_BYTES) -> Path:
    """Fictional evidence: a JPEG signature, then random bytes (so no block compresses or repeats)."""
    path.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(size - 4))
    os.utime(path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    return path


def _know_each_other(a: VaultSession, b: VaultSession) -> None:
    """Each vault adds the other's card and marks it verified, as teammates do after comparing fingerprints."""
    for own, other in ((a, b), (b, a)):
        contacts = ContactService(own)
        added = contacts.add_card(ContactService(other).own_card())
        contacts.verify(added.contact.id, fingerprint=added.contact.fingerprint)


def _fill_sender(session: VaultSession, folder: Path) -> None:
    records = RecordService(session)
    case = records.prepare_new(Kind.CASE, {"title": "Fictional shared case", "status": "open"}, SENDER_CASE_ID)
    writes = [records.prepare_new(Kind(r["kind"]), r["body"], r["id"]) for r in fictional_records(9, first=500)]
    records.write_batch([case, *writes])
    for number, size in enumerate(BUNDLE_EVIDENCE_SIZES):
        source = evidence(folder / f"sender-evidence-{number}.jpg", size)
        AttachmentService(session, records).attach(SENDER_CASE_ID, source)


def make_bundle(workdir: Path, receiver: BaseVault) -> Path:
    """A bundle from a fictional teammate's new vault to `receiver` (10 records, 2 evidence files); `receiver`
    knows and has verified the sender afterwards."""
    sender_root = create_vault(workdir / "sender" / "vault").root
    bundle = workdir / "from-sender.safecase-bundle"
    vaults = services()
    with vaults.unlock(sender_root, PASSPHRASE) as sender, vaults.unlock(receiver.root, PASSPHRASE) as own:
        _know_each_other(sender, own)
        _fill_sender(sender, workdir)
        exporter = BundleExporter(sender, AttachmentService(sender))
        recipient = ContactService(sender).resolve(own.identity_record().display_name)
        exporter.write(exporter.plan([recipient], ScopeRequest()), bundle)
    return bundle
