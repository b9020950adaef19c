"""Tamper sweep of a bundle: every byte flipped and every cut, as delivered, and as a co-recipient could alter it.

What is attacked: ``bundle import`` (``BundleImporter.import_bundle``, and the command line for a sample) of a real
bundle (records and one evidence file) into a vault that knows and verified the sender.

1. The file as delivered (age): any change to the age header is "not encrypted to this vault (or its header is
   damaged)", "not an age-encrypted file, or its header is damaged", or incomplete; any change to the payload is
   "altered or incomplete (truncated)"; any cut is "incomplete (truncated)". Exit 4.
2. The plaintext as another recipient of the same bundle could change it and encrypt it again to this vault: the
   signed manifest and the member hashes it lists must catch every change. Exit 4 with the message of the layer
   that caught it (tar, manifest, signature, member, record line).

In both, nothing of a refused bundle may stay in the receiving vault (records, versions, ledger, blobs, audit).
Bytes no check can cover carry no meaning: the unsigned "untrusted comment" line of the manifest's minisign
signature, the tar checksum field's own terminator (NUL or space, outside the sum it holds), and the zero padding
after the archive's end marker. Changes there must import exactly what the original imports; they are tried in a
test of their own and not counted as tampering.
"""

from __future__ import annotations

import io
import shutil
import tarfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from safecase.crypto import age_pipe, minisign
from safecase.errors import ExitCode, IntegrityError, SafeCaseError
from safecase.services.exchange.importer import BundleImporter
from safecase.services.exchange.manifest import SIGNATURE_NAME
from safecase.services.session import VaultSession
from safecase.storage.tar_stream import BLOCK
from tests.adversarial.figures import budget
from tests.adversarial.tamper_artefacts import (
    VaultSnapshot,
    encrypt_to_receiver,
    exchange,
    open_vault,
    run_cli,
    snapshot,
)
from tests.adversarial.tamper_support import (
    Sweep,
    Variant,
    cli_problem,
    cuts,
    flips,
    full_budget,
    positions,
    refusal_problem,
)
from tests.conftest import PASSPHRASE

AGE_CHUNK = 64 * 1024 + 16
NONCE = 16
TAG = 16
HEADER_MESSAGES = [
    age_pipe.NotForThisIdentity().message,
    age_pipe.DamagedHeader().message,
    age_pipe.Truncated().message,
]
PAYLOAD_MESSAGES = [age_pipe.AlteredOrTruncated().message]
CUT_MESSAGES = [age_pipe.Truncated().message, age_pipe.AlteredOrTruncated().message]


@dataclass
class Receiver:
    """A copy of the receiving vault, open, with what a refusal must leave as it is."""

    folder: Path
    session: VaultSession
    before: VaultSnapshot
    bundle: Path

    def importer(self) -> BundleImporter:
        return BundleImporter(self.session)


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[Receiver]:
    folder = exchange().receiver_copy(tmp_path / "vault")
    with open_vault(folder) as session:
        yield Receiver(folder, session, snapshot(session), tmp_path / "tampered.safecase-bundle")


def age_header_end(bundle: bytes) -> int:
    return bundle.index(b"\n", bundle.index(b"\n--- ") + 1) + 1


def allowed_for_flip(bundle: bytes, position: int) -> list[str]:
    return HEADER_MESSAGES if position < age_header_end(bundle) else PAYLOAD_MESSAGES


def judge(receiver: Receiver, sweep: Sweep, variant: Variant, allowed: list[str]) -> None:
    """Import ``variant`` and tally it: refused with exit 4, an allowed message and the vault unchanged, or not."""
    receiver.bundle.write_bytes(variant.data)
    try:
        receiver.importer().import_bundle(receiver.bundle)
    except IntegrityError as error:
        problem = refusal_problem(error, (ExitCode.INTEGRITY,), allowed)
        unchanged = snapshot(receiver.session) == receiver.before
        sweep.refused(variant, problem if problem or unchanged else "the vault changed")
    except Exception as error:  # another SafeCaseError (wrong exit code) or a crash
        sweep.crashed(variant, error)
    else:
        sweep.accepted_variant(variant)


# -- 1. the file as delivered ---------------------------------------------------------------------------------------


def bundle_structure(bundle: bytes) -> list[int]:
    """Offsets where the age layout changes: header lines, the nonce, each payload chunk, the last tag."""
    header = age_header_end(bundle)
    lines = [i + 1 for i, byte in enumerate(bundle[:header]) if byte == 0x0A]
    chunks = range(header + NONCE, len(bundle), AGE_CHUNK)
    return sorted({0, *lines, header, header + NONCE, *chunks, len(bundle) - TAG, len(bundle) - 1})


def test_every_byte_of_a_bundle_flipped_is_refused_and_changes_nothing(receiver: Receiver) -> None:
    bundle = exchange().bundle
    header = age_header_end(bundle)
    sweep = Sweep("Bundle: every byte flipped")
    for variant in flips(bundle, range(len(bundle)), lambda p: p < header + NONCE or p >= len(bundle) - TAG):
        judge(receiver, sweep, variant, allowed_for_flip(bundle, variant.position))
    sweep.publish(
        f"all {len(bundle)} bytes; all 8 bits in the age header, nonce and last tag, one elsewhere; exit 4, vault "
        "unchanged"
    )


def test_a_bundle_cut_at_every_boundary_is_refused_and_changes_nothing(receiver: Receiver) -> None:
    bundle = exchange().bundle
    header = age_header_end(bundle)
    lengths = {*range(header + NONCE + 1), *bundle_structure(bundle), *range(len(bundle) - TAG - 1, len(bundle))}
    lengths |= set(positions(len(bundle), (), quick=100, full=len(bundle), seed=7))
    sweep = Sweep("Bundle: truncated at every boundary")
    for variant in cuts(bundle, lengths):
        judge(receiver, sweep, variant, CUT_MESSAGES)
    sweep.publish("every length through the age header and nonce, each chunk and tag boundary, and a sample; exit 4")


def test_the_command_line_refuses_tampered_bundles_in_one_line(tmp_path: Path) -> None:
    bundle = exchange().bundle
    folder = exchange().receiver_copy(tmp_path / "vault")
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    with open_vault(folder) as session:
        before = snapshot(session)
    tampered = tmp_path / "tampered.safecase-bundle"
    step = max(1, len(bundle) // budget(16, 160))
    for position in range(0, len(bundle), step):
        for variant, allowed in (
            (next(iter(flips(bundle, [position]))), allowed_for_flip(bundle, position)),
            (next(iter(cuts(bundle, [position]))), CUT_MESSAGES),
        ):
            tampered.write_bytes(variant.data)
            result = run_cli(["bundle", "import", str(tampered), "--vault", str(folder), "--passphrase-file",
                              str(secret)])  # fmt: skip
            assert cli_problem(result, (ExitCode.INTEGRITY,), allowed) is None, (variant.label, result)
    with open_vault(folder) as session:
        assert snapshot(session) == before


# -- 2. the plaintext, changed by a co-recipient and encrypted again --------------------------------------------------

# Each layer's refusals (a message ending in "…" allows any ending: those name a member, a byte offset or a detail).
PLAINTEXT_MESSAGES = [
    "The archive …",
    "The bundle's manifest is malformed (…",
    "The bundle's manifest declares …",
    "The bundle's signature is not text: it was altered.",
    "The bundle's signature covers another bundle: it was altered. Nothing was imported.",
    "This is not a SafeCase bundle: it does not start with …",
    "The bundle ends before its member …",
    "The bundle holds …",
    "The bundle's member …",
    *(error().message for error in (minisign.MalformedSignatureError, minisign.LegacySignatureError,
                                    minisign.SignatureMismatchError, minisign.TrustedCommentAlteredError)),
    "This file was signed by another key …",
]  # fmt: skip
CHECKSUM_FIELD = range(148, 156)
NUMERIC_FIELDS = (range(100, 156), range(257, 265))


@dataclass(frozen=True)
class TarLayout:
    headers: tuple[int, ...]  # offset of each member's header block
    data_ends: tuple[int, ...]  # offset just past each member's content
    end_marker: int  # offset just past the two zero blocks that end the archive
    untrusted_comment: range  # the text of the signature's unsigned first line

    def in_header_fields(self, position: int, fields: Iterable[range]) -> bool:
        return any(position - header in field for header in self.headers for field in fields)

    def meaningless(self, position: int) -> bool:
        """The unsigned comment's text, or the checksum field's terminator (the two bytes outside its sum)."""
        return position in self.untrusted_comment or self.in_header_fields(position, [range(154, 156)])


def tar_layout(plaintext: bytes) -> TarLayout:
    with tarfile.open(fileobj=io.BytesIO(plaintext), mode="r:") as archive:
        infos = archive.getmembers()
    ends = tuple(info.offset_data + info.size for info in infos)
    last = infos[-1]
    end = last.offset_data + -(-last.size // BLOCK) * BLOCK + 2 * BLOCK
    signature = next(info for info in infos if info.name == SIGNATURE_NAME)
    start = signature.offset_data + len(b"untrusted comment: ")
    return TarLayout(tuple(i.offset for i in infos), ends, end, range(start, plaintext.index(b"\n", start)))


def reencrypted(variant: Variant) -> Variant:
    return Variant(variant.label, encrypt_to_receiver(variant.data), variant.position)


def test_every_byte_of_a_bundles_plaintext_altered_by_a_co_recipient_is_refused(receiver: Receiver) -> None:
    plaintext = exchange().plaintext
    layout = tar_layout(plaintext)
    offsets = [o for field in (range(0, 2), range(98, 100), *NUMERIC_FIELDS) for o in field]
    structural = [h + o for h in layout.headers for o in offsets] + list(
        range(layout.end_marker - BLOCK, len(plaintext), 97)
    )
    every_bit = list(NUMERIC_FIELDS) if full_budget() else [CHECKSUM_FIELD]
    chosen = positions(len(plaintext), structural, quick=1000, full=len(plaintext), seed=11)
    places = [p for p in chosen if not layout.meaningless(p)]
    sweep = Sweep("Bundle plaintext altered by a co-recipient, re-encrypted: every byte flipped")
    for variant in flips(plaintext, places, lambda p: layout.in_header_fields(p, every_bit)):
        judge(receiver, sweep, reencrypted(variant), PLAINTEXT_MESSAGES)
    sweep.publish(
        f"{len(places)} of {len(plaintext)} bytes (all at the full budget; the meaningless ones in their own row), "
        "every bit in tar checksum (full: numeric) fields; caught by tar, manifest, signature or member hash; exit 4"
    )


def test_a_bundles_plaintext_cut_at_every_tar_boundary_is_refused(receiver: Receiver) -> None:
    plaintext = exchange().plaintext
    layout = tar_layout(plaintext)
    boundaries = {b + d for b in range(0, layout.end_marker + 1, BLOCK) for d in (-1, 0, 1)}
    boundaries |= {e + d for e in layout.data_ends for d in (-1, 0, 1)}
    boundaries |= set(positions(layout.end_marker, (), quick=150, full=layout.end_marker, seed=5))
    sweep = Sweep("Bundle plaintext altered by a co-recipient, re-encrypted: truncated at every tar boundary")
    for variant in cuts(plaintext, {n for n in boundaries if n < layout.end_marker}):
        judge(receiver, sweep, reencrypted(variant), ["The archive ends …"])
    sweep.publish("each block and member boundary (and either side), and a sample, up to the end marker; exit 4")


def imported_content(session: VaultSession) -> tuple[object, ...]:
    """What an import brings, without the random names of blob files."""
    db = session.db
    queries = (
        "SELECT id, kind, revision, deleted, body FROM records ORDER BY id",
        "SELECT revision, body_sha256 FROM record_versions ORDER BY revision",
        "SELECT attachment_id FROM attachment_blobs ORDER BY attachment_id",
    )
    return tuple([tuple(row) for row in db.query_all(query)] for query in queries)


class FreshReceiver:
    """Imports each variant into the receiving vault, and starts again from a fresh copy after one is accepted."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._copies = 0
        self._session = self._fresh()

    def _fresh(self) -> VaultSession:
        self._copies += 1
        return open_vault(exchange().receiver_copy(self._root / f"vault-{self._copies}"))

    def receive(self, variant: Variant) -> tuple[object, ...] | SafeCaseError:
        """The content imported, or the refusal (after checking the vault did not change)."""
        path = self._root / "variant.safecase-bundle"
        path.write_bytes(encrypt_to_receiver(variant.data))
        before = snapshot(self._session)
        try:
            BundleImporter(self._session).import_bundle(path)
        except IntegrityError as error:
            assert snapshot(self._session) == before, variant.label
            return error
        content = imported_content(self._session)
        self.close()
        self._session = self._fresh()
        return content

    def close(self) -> None:
        folder = self._session.folder.root
        self._session.close()
        shutil.rmtree(folder)


def test_changes_no_check_covers_import_exactly_what_the_original_imports(tmp_path: Path) -> None:
    """The unsigned comment line, the tar checksum terminator, and the zero padding after the end marker: a change
    there is refused or imports the original content, never anything else."""
    plaintext = exchange().plaintext
    layout = tar_layout(plaintext)
    receiver = FreshReceiver(tmp_path)
    original = receiver.receive(Variant("original", plaintext, -1))
    assert not isinstance(original, SafeCaseError), original
    comment = list(layout.untrusted_comment)[:: 1 if full_budget() else 4]
    terminators = [p for p in range(layout.end_marker) if layout.in_header_fields(p, [range(154, 156)])]
    room = len(plaintext) - layout.end_marker
    padding = range(0, room, max(1, room // budget(8, room)))
    variants = [
        *flips(plaintext, [*comment, *terminators], lambda p: full_budget() or p in terminators),
        *cuts(plaintext, [layout.end_marker + n for n in padding]),
    ]
    sweep = Sweep("Bundle plaintext: bytes no check covers (unsigned comment, tar checksum terminator, end padding)")
    for variant in variants:
        outcome = receiver.receive(variant)
        if isinstance(outcome, SafeCaseError):
            sweep.refused(variant, refusal_problem(outcome, (ExitCode.INTEGRITY,), PLAINTEXT_MESSAGES))
        else:
            sweep.refused(variant, None if outcome == original else "imported something else than the original")
    receiver.close()
    sweep.publish("held: refused (exit 4, vault unchanged) or imported exactly the original's records and files")
