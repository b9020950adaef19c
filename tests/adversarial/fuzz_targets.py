"""Every parser of outside input as a FuzzTarget, with the checks on what it accepts, and their seeds.

Pure parsers (header, card, minisign, tar, manifest, record line, age) need nothing around them. The importers
(a bundle, a record file) run against a copy of the receiving vault built by tamper_artefacts; a refused input
must leave it as it was (``VaultChanged`` otherwise, a failure like a crash). Report verification needs the signed
report, hence a QApplication. ``TARGETS`` names each by the folder of its crashers under regressions/; what a
target needs is built on its first input.
"""

from __future__ import annotations

import functools
import io
import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from safecase.crypto import minisign
from safecase.crypto.age_pipe import AgeDecryptingReader
from safecase.crypto.contact_card import read_card
from safecase.crypto.header import VaultHeader
from safecase.crypto.identity import PublicIdentity
from safecase.domain.clock import iso_from_ms
from safecase.domain.hlc import Revision
from safecase.errors import IntegrityError, SafeCaseError, UsageError, ValidationError
from safecase.services.exchange.importer import BundleImporter
from safecase.services.exchange.manifest import Manifest
from safecase.services.exchange.record_lines import parse_version_line, version_line
from safecase.services.importer import import_rows, read_rows
from safecase.services.records import RecordService
from safecase.services.reports.verify import verify_report
from safecase.services.session import VaultSession
from safecase.storage.tar_stream import TarReader
from tests.adversarial.fuzz_support import REGRESSIONS, Accepted, FuzzTarget
from tests.adversarial.tamper_artefacts import (
    encrypt_to_receiver,
    exchange,
    open_vault,
    receiver_identity,
    scratch_root,
    sender_identity,
    signed_report,
    snapshot,
)

SIGNED_MESSAGE = b"A report to the Special Rapporteur, fictional, for the minisign fuzzer.\n"
TRUSTED_COMMENT = "safecase fuzz seed"
AGE_PLAINTEXT = bytes(range(256)) * 300  # 76,800 bytes: two age chunks


class VaultChanged(AssertionError):
    """A refused input left the receiving vault different from before."""


# -- pure parsers -------------------------------------------------------------------------------------------------


def feed_header(data: bytes) -> None:
    header = VaultHeader.from_bytes(data)
    if header.to_bytes() != data.rstrip(b"\r\n"):
        raise Accepted("a header spelled another way than the one canonical form was accepted")


def feed_card(data: bytes) -> None:
    read_card(data)


@functools.cache
def minisig_seed() -> bytes:
    return minisign.sign(sender_identity(), SIGNED_MESSAGE, TRUSTED_COMMENT).encode("utf-8")


def feed_minisig(data: bytes) -> None:
    minisign.verify(sender_identity().public_key_bytes, SIGNED_MESSAGE, data)
    accepted, original = minisign.parse_signature(data), minisign.parse_signature(minisig_seed())
    if accepted.global_signature != original.global_signature or accepted.trusted_comment != TRUSTED_COMMENT:
        raise Accepted("a signature other than the one made (beyond its unsigned comment) verified")


def feed_minisign_key(data: bytes) -> None:
    minisign.parse_public_key_with_id(data.decode("utf-8", "replace"))


def feed_contact_qr(data: bytes) -> None:
    """A scanned or typed identity code, as `contact verify --qr CODE` reads it."""
    PublicIdentity.from_qr_payload(data.decode("utf-8", "surrogateescape"))


def feed_tar(data: bytes) -> None:
    archive = TarReader(io.BytesIO(data))
    while (member := archive.next_member()) is not None:
        member.read()


def feed_manifest(data: bytes) -> None:
    manifest = Manifest.parse(data)
    if Manifest.parse(manifest.to_bytes()) != manifest:
        raise Accepted("a manifest that does not survive its own round trip was accepted")
    moment = datetime.strptime(manifest.created_at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    if iso_from_ms(round(moment.timestamp() * 1000)) != manifest.created_at:
        raise Accepted(f"a creation time in another spelling than UTC ISO 8601 was accepted: {manifest.created_at!r}")


def feed_record_line(data: bytes) -> None:
    version = parse_version_line(data, "fuzz")
    for revision in (version.revision, *version.parents):
        if str(Revision.parse(revision)) != revision:
            raise Accepted(f"a revision in another spelling than its canonical one was accepted: {revision!r}")
    if parse_version_line(version_line(version).rstrip(b"\n"), "again") != version:
        raise Accepted("an accepted version does not survive its own round trip")


@functools.cache
def age_seed() -> bytes:
    return encrypt_to_receiver(AGE_PLAINTEXT)


def feed_age(data: bytes) -> None:
    with AgeDecryptingReader(io.BytesIO(data), [receiver_identity().age_identity]) as reader:
        plaintext = reader.read()
    if plaintext != AGE_PLAINTEXT:
        raise Accepted("an altered age stream decrypted to other plaintext")


# -- importers, against a copy of the receiving vault ---------------------------------------------------------------


class Receiver:
    """A copy of the receiving vault, opened on demand; ``renew`` starts again from a fresh copy."""

    _copies = itertools.count()

    def __init__(self) -> None:
        self._session: VaultSession | None = None

    @property
    def session(self) -> VaultSession:
        if self._session is None:
            folder = scratch_root() / f"fuzz-receiver-{next(self._copies)}"
            self._session = open_vault(exchange().receiver_copy(folder))
        return self._session

    def renew(self) -> None:
        if self._session is not None:
            self._session.close()
        self._session = None

    def refused_unchanged(self, attempt: Callable[[VaultSession], object]) -> None:
        """Run ``attempt``; if it raises, the vault must be as it was before (else VaultChanged)."""
        session = self.session
        before = snapshot(session)
        try:
            attempt(session)
        except BaseException:
            if snapshot(session) != before:
                raise VaultChanged("a refused input changed the receiving vault") from None
            raise


@functools.cache
def bundle_receiver() -> Receiver:
    return Receiver()


def feed_bundle_plaintext(data: bytes) -> None:
    """A bundle's tar, encrypted to the receiver and imported; each accepted one is imported into a fresh copy."""
    receiver = bundle_receiver()
    path = scratch_root() / "fuzz.safecase-bundle"
    path.write_bytes(encrypt_to_receiver(data))
    receiver.refused_unchanged(lambda session: BundleImporter(session).import_bundle(path))
    receiver.renew()  # the next input meets the vault as it was, not one that already holds this bundle


@functools.cache
def record_receiver() -> Receiver:
    return Receiver()


def record_import(file_format: str) -> Callable[[bytes], None]:
    def feed(data: bytes) -> None:
        path = scratch_root() / f"fuzz-import.{file_format}"
        path.write_bytes(data)
        rows = read_rows(path, file_format)
        record_receiver().refused_unchanged(lambda session: import_rows(RecordService(session), rows))
        record_receiver().renew()  # the next input meets the vault as it was, without these rows

    return feed


def feed_report(data: bytes) -> None:
    report = signed_report()
    verify_report(data, report.minisig)
    if data != report.pdf:
        raise Accepted("a PDF other than the signed one verified")


IMPORT_ERRORS = (UsageError, ValidationError)
_SPECS: tuple[tuple[str, str, Callable[[bytes], object], tuple[type[SafeCaseError], ...]], ...] = (
    ("vault-header", "Vault header (VaultHeader.from_bytes)", feed_header, (IntegrityError,)),
    ("contact-card", "Contact card (read_card)", feed_card, (UsageError, IntegrityError)),
    ("minisign-signature", "Minisign signature (minisign.verify)", feed_minisig, (IntegrityError,)),
    ("minisign-public-key", "Minisign public key (parse_public_key)", feed_minisign_key, (UsageError,)),
    ("contact-qr", "Identity QR code (PublicIdentity.from_qr_payload)", feed_contact_qr, (UsageError, IntegrityError)),
    ("tar-stream", "Bundle tar stream (TarReader)", feed_tar, (IntegrityError,)),
    ("bundle-manifest", "Bundle manifest (Manifest.parse)", feed_manifest, (IntegrityError,)),
    ("record-line", "Bundle record line (parse_version_line)", feed_record_line, (IntegrityError,)),
    ("age-stream", "age stream (AgeDecryptingReader)", feed_age, (IntegrityError,)),
    ("bundle-import", "Bundle import, contents re-signed (BundleImporter)", feed_bundle_plaintext, (IntegrityError,)),
    ("record-import-json", "Record import: JSON (safecase import)", record_import("json"), IMPORT_ERRORS),
    ("record-import-jsonl", "Record import: JSON Lines (safecase import)", record_import("jsonl"), IMPORT_ERRORS),
    ("record-import-csv", "Record import: CSV (safecase import)", record_import("csv"), IMPORT_ERRORS),
    ("report-verify", "Signed report (verify_report)", feed_report, (IntegrityError,)),
)
TARGETS = {name: FuzzTarget(name, row, feed, expected) for name, row, feed, expected in _SPECS}


def target(name: str) -> FuzzTarget:
    return TARGETS[name]


def regression_files() -> list[Path]:
    return sorted(REGRESSIONS.glob("*/*.bin"))
