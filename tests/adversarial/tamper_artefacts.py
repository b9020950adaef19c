"""The artefacts the fuzzers and tamper sweeps attack, built once per test process, and the receiving vault's state.

- ``exchange()``: two vaults on a fake clock that know each other (verified): a sender with a person, a testimony
  and a small evidence file, and a receiver. Its bundle (sender to receiver), the bundle's decrypted tar, and a
  contact card of a newcomer the receiver has never seen. Both vaults are closed: tests open copies of them.
- ``signed_report()``: a signed report PDF and its ``.minisig`` from a small vault (one case), made by
  ``safecase report`` in-process; it needs a QApplication (request pytest-qt's ``qapp`` first).

The sender and receiver identities are fixed (their keys are below), so a bundle plaintext saved as a crasher
replays against a fresh receiver exactly as it was found. These keys are for tests only and protect nothing.

``snapshot(session)`` is everything an import could change in a vault: a rejected input must leave it equal.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import io
import json
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pyrage
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from safecase.cli.main import run
from safecase.crypto.contact_card import make_card
from safecase.crypto.identity import Identity
from safecase.crypto.kdf import KdfPolicy
from safecase.domain.clock import FakeClock
from safecase.domain.kinds import Kind
from safecase.services.attachments import AttachmentService
from safecase.services.exchange.contacts import ContactService
from safecase.services.exchange.export import BundleExporter
from safecase.services.exchange.scope import ScopeRequest
from safecase.services.records import RecordService
from safecase.services.session import VaultSession
from safecase.services.vault import VaultService
from tests.conftest import PASSPHRASE
from tests.factories import make_body

CLOCK_MS = 1_764_000_000_000
CARD_TIME = "2025-11-24T16:00:00.000Z"
SENDER_AGE_KEY = "AGE-SECRET-KEY-1WX6JZZAUMC6H8MV4WEDNXXA4K98ARYZD2X7SY6VUDV4W3H97NUUSF9632D"
RECEIVER_AGE_KEY = "AGE-SECRET-KEY-1YCMSHU9K8SP5LLYLC5TQUG2GLGGJW3M0TCANN05800QR4J2T3ADQY6WWX0"
SNAPSHOT_TABLES = (
    "records",
    "record_versions",
    "record_links",
    "record_conflicts",
    "bundles_received",
    "version_sources",
    "attachment_blobs",
    "team_contacts",
    "report_redactions",
)


def fixed_identity(label: str, age_key: str) -> Identity:
    seed = hashlib.sha256(f"safecase adversarial test identity {label}".encode()).digest()
    return Identity(Ed25519PrivateKey.from_private_bytes(seed), pyrage.x25519.Identity.from_str(age_key))


def sender_identity() -> Identity:
    return fixed_identity("sender", SENDER_AGE_KEY)


def receiver_identity() -> Identity:
    return fixed_identity("receiver", RECEIVER_AGE_KEY)


def fake_clock() -> FakeClock:
    return FakeClock(CLOCK_MS)


def fast_vaults(clock: FakeClock | None = None) -> VaultService:
    return VaultService(KdfPolicy.for_tests(), clock or fake_clock())


@contextlib.contextmanager
def identities_made(*identities: Identity) -> Iterator[None]:
    """While inside, the vaults created get ``identities`` in order instead of freshly generated ones."""
    pending = list(identities)
    with mock.patch.object(Identity, "generate", side_effect=lambda: pending.pop(0)):
        yield


@functools.cache
def scratch_root() -> Path:
    """A private folder for this process's artefacts, removed when the process ends."""
    root = Path(tempfile.mkdtemp(prefix="safecase-adversarial-"))
    atexit.register(shutil.rmtree, root, True)
    return root


# -- the receiving vault ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VaultSnapshot:
    tables: dict[str, list[tuple[Any, ...]]]
    audit_entries: int
    blob_files: frozenset[str]


def snapshot(session: VaultSession) -> VaultSnapshot:
    """Records, versions, links, conflicts, bundle ledger, sources, blobs (rows and files), contacts, audit length."""
    db = session.db
    tables = {
        table: sorted((tuple(row) for row in db.query_all(f"SELECT * FROM {table}")), key=repr)
        for table in SNAPSHOT_TABLES
    }
    audit_entries = int(db.query_one("SELECT count(*) FROM audit_log")[0])
    blob_files = frozenset(path.name for path in session.blobs.folder.iterdir())
    return VaultSnapshot(tables, audit_entries, blob_files)


def copy_vault(pristine: Path, destination: Path) -> Path:
    """A copy of a closed vault folder, to open and change without touching the original."""
    shutil.copytree(pristine, destination)
    return destination


def open_vault(folder: Path, clock: FakeClock | None = None) -> VaultSession:
    return fast_vaults(clock).unlock(folder, PASSPHRASE)


# -- a bundle and a card ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exchange:
    sender: Path  # closed vault folders: open copies of them (copy_vault)
    receiver: Path
    receiver_recovery_key: str  # as shown once at creation
    bundle: bytes  # from sender to receiver
    plaintext: bytes  # the bundle's decrypted tar
    newcomer_card: bytes  # a card the receiver has never seen
    sender_card: bytes

    def receiver_copy(self, destination: Path) -> Path:
        return copy_vault(self.receiver, destination)


def _meet(first: VaultSession, second: VaultSession) -> None:
    """Each adds the other's card and marks it verified, as after comparing fingerprints in person."""
    for one, other in ((first, second), (second, first)):
        contacts = ContactService(one)
        added = contacts.add_card(ContactService(other).own_card())
        contacts.verify(added.contact.id, fingerprint=added.contact.fingerprint)


def _fill_sender(session: VaultSession, root: Path) -> None:
    records = RecordService(session)
    case = records.add(Kind.CASE, make_body(Kind.CASE))
    person = records.add(Kind.PERSON, make_body(Kind.PERSON, case_ids=[case.id]))
    testimony = records.add(Kind.TESTIMONY, make_body(Kind.TESTIMONY, interviewee_id=person.id, case_ids=[case.id]))
    evidence = root / "interview-notes.txt"
    evidence.write_bytes(b"Interview notes, fictional: the river crossing at night.\n" * 12)
    AttachmentService(session).attach(testimony.id, evidence)
    evidence.unlink()


@functools.cache
def exchange() -> Exchange:
    root = scratch_root() / "exchange"
    root.mkdir()
    vaults = fast_vaults()
    with identities_made(sender_identity(), receiver_identity()):
        vaults.create(root / "sender", PASSPHRASE, "Kim Field Worker", "Test Org")
        receiver_recovery_key = vaults.create(
            root / "receiver", PASSPHRASE, "Park Coordinator", "Test Org"
        ).recovery_key
    with vaults.unlock(root / "sender", PASSPHRASE) as sender, vaults.unlock(root / "receiver", PASSPHRASE) as receiver:
        _meet(sender, receiver)
        _fill_sender(sender, root)
        exporter = BundleExporter(sender, AttachmentService(sender))
        path = root / "sent.safecase-bundle"
        exporter.write(exporter.plan([ContactService(sender).resolve("Park Coordinator")], ScopeRequest()), path)
        sender_card = ContactService(sender).own_card()
    bundle = path.read_bytes()
    plaintext: bytes = pyrage.decrypt(bundle, [receiver_identity().age_identity])
    newcomer = make_card(Identity.generate(), "Choe Newcomer", "Another Org", CARD_TIME)
    return Exchange(root / "sender", root / "receiver", receiver_recovery_key, bundle, plaintext, newcomer, sender_card)


def encrypt_to_receiver(plaintext: bytes) -> bytes:
    encrypted: bytes = pyrage.encrypt(plaintext, [receiver_identity().age_identity.to_public()])
    return encrypted


# -- a signed report ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedReport:
    pdf: bytes
    minisig: bytes
    signer_fingerprint: str


def run_cli(args: list[str], clock: FakeClock | None = None) -> tuple[int, str, str]:
    """``safecase ARGS`` in-process (test KDF policy, no environment, no prompts): exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()

    def no_prompt(label: str) -> str:
        raise AssertionError(f"unexpected prompt: {label}")

    code = run(
        args,
        kdf_policy=KdfPolicy.for_tests(),
        clock=clock or fake_clock(),
        stdin=io.StringIO(""),
        stdout=out,
        stderr=err,
        environ={},
        prompt=no_prompt,
    )
    return code, out.getvalue(), err.getvalue()


@functools.cache
def signed_report() -> SignedReport:
    """``safecase report`` over a one-case vault: the PDF (English, un-special-procedures) and its .minisig."""
    root = scratch_root() / "report"
    root.mkdir()
    secret = root / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    common = ["--vault", str(root / "vault"), "--passphrase-file", str(secret)]
    created = run_cli(["init", "--name", "Park Coordinator", "--org", "Test Org", "--recovery-key-file",
                       str(root / "recovery.txt"), *common])  # fmt: skip
    assert created[0] == 0, created
    case = root / "case.json"
    case.write_text(json.dumps({"title": "Forced returns at Namyang, 2020", "summary": "Three people handed over."}))
    added = run_cli(["record", "add", "case", str(case), *common])
    assert added[0] == 0, added
    pdf = root / "report.pdf"
    made = run_cli(["report", "--case", added[1].strip(), "--policy", "un-special-procedures", "--lang", "en",
                    "-o", str(pdf), *common])  # fmt: skip
    assert made[0] == 0, made
    identity = run_cli(["identity", "--json", *common])
    fingerprint = str(json.loads(identity[1])["fingerprint"])
    return SignedReport(pdf.read_bytes(), (root / "report.pdf.minisig").read_bytes(), fingerprint)
