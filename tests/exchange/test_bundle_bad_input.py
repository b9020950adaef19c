"""Bad bundles: each one is refused with its own one-line message and leaves the receiving vault exactly as it was.

Every refusal is checked against a snapshot of the receiving vault (records, versions, the bundle ledger, version
sources, evidence blobs and their files, contacts, the audit log's length) and against a private temp folder that
must stay empty. Bundles that SafeCase would never write are built by ``craft_bundle``: any manifest, any
signature, any tar members (names the tar writer refuses included), encrypted with age like a real one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import shutil
import subprocess
import tempfile
import tracemalloc
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyrage
import pytest

from safecase.crypto import minisign
from safecase.crypto.age_pipe import AgeEncryptingWriter
from safecase.crypto.identity import Identity, PublicIdentity
from safecase.domain.clock import iso_from_ms
from safecase.domain.hlc import Revision
from safecase.domain.kinds import Kind
from safecase.errors import ExitCode, IntegrityError, SafeCaseError
from safecase.services.exchange.manifest import (
    MANIFEST_NAME,
    MAX_MANIFEST_BYTES,
    MAX_MEMBER_BYTES,
    MAX_MEMBERS,
    MAX_RECIPIENTS,
    MAX_RECORD_LINE_BYTES,
    SIGNATURE_NAME,
    Manifest,
    Party,
)
from safecase.services.exchange.manifest import Member as ManifestMember
from safecase.services.exchange.record_lines import version_line
from safecase.services.vault import VaultService
from safecase.storage.records import RecordVersion
from safecase.storage.tar_stream import BLOCK, RECORD
from tests.conftest import PASSPHRASE, Cli
from tests.exchange.conftest import Member, Team
from tests.factories import OMIT, make_body

SNAPSHOT_TABLES = (
    "records",
    "record_versions",
    "record_links",
    "record_conflicts",
    "bundles_received",
    "version_sources",
    "attachment_blobs",
    "team_contacts",
)
MiB = 1 << 20

# -- the receiving vault, before and after ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class VaultSnapshot:
    tables: dict[str, list[tuple[Any, ...]]]
    audit_entries: int
    blob_files: frozenset[str]


def snapshot(member: Member) -> VaultSnapshot:
    """Everything an import could change in ``member``'s vault."""
    db = member.session.db
    tables = {
        table: sorted((tuple(row) for row in db.query_all(f"SELECT * FROM {table}")), key=repr)
        for table in SNAPSHOT_TABLES
    }
    audit_entries = int(db.query_one("SELECT count(*) FROM audit_log")[0])
    blob_files = frozenset(path.name for path in member.session.blobs.folder.iterdir())
    return VaultSnapshot(tables, audit_entries, blob_files)


def assert_refused(
    member: Member, path: Path, match: str, error: type[SafeCaseError] = IntegrityError, **options: bool
) -> SafeCaseError:
    """``member`` refuses the bundle at ``path`` with ``error`` whose message matches ``match``; nothing changed."""
    before = snapshot(member)
    with pytest.raises(error, match=match) as caught:
        member.receive(path, **options)
    after = snapshot(member)
    assert after == before
    assert not any(name.endswith(".partial") for name in after.blob_files)
    message = str(caught.value)
    assert message and "\n" not in message and "Traceback" not in message, message
    if issubclass(error, IntegrityError):
        assert caught.value.exit_code == ExitCode.INTEGRITY
    return caught.value


@pytest.fixture(autouse=True)
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temp folder of the test's own, which must be empty at the end: a refused import leaves nothing there."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    assert sorted(folder.iterdir()) == []


# -- bundles SafeCase would never write ------------------------------------------------------------------------

_sequences = iter(range(1000, 1_000_000))


def party(identity: Identity, name: str = "Crafted Sender", organisation: str = "Test Org") -> Party:
    public = identity.public()
    return Party(name, organisation, public.age_recipient, public.ed25519_public_bytes, public.fingerprint())


def member_entry(name: str, data: bytes) -> ManifestMember:
    return ManifestMember(name, len(data), hashlib.sha256(data).hexdigest())


def tar_header(name: str, size: int, type_flag: bytes = b"0") -> bytes:
    """A ustar header as tarfile writes one, with no checks on the name (unlike TarWriter): any name can be put in
    the stream."""
    raw = name.encode("utf-8")
    assert len(raw) <= 100 and size < 8**11
    header = bytearray(BLOCK)
    header[0:100] = raw.ljust(100, b"\0")
    header[100:124] = b"0000600\0" + b"0000000\0" * 2
    header[124:148] = b"%011o\0" % size + b"%011o\0" % 1_764_000_000
    header[148:156] = b" " * 8
    header[156:157] = type_flag
    header[257:265] = b"ustar\x0000"
    header[329:345] = b"0000000\0" * 2
    header[148:156] = b"%06o\0 " % sum(header)
    return bytes(header)


def make_manifest(
    sender: Identity | Party,
    recipients: Sequence[Identity | Party],
    members: Sequence[ManifestMember],
    *,
    sequence: int | None = None,
    bundle_id: str | None = None,
) -> Manifest:
    """A manifest as SafeCase writes one (a fresh bundle id and sequence number unless given)."""
    parties = tuple(r if isinstance(r, Party) else party(r, "Recipient") for r in recipients)
    return Manifest(
        bundle_id or str(uuid.uuid4()),
        next(_sequences) if sequence is None else sequence,
        "2025-11-24T16:00:00.000Z",
        sender if isinstance(sender, Party) else party(sender),
        parties,
        {"cases": [], "since": None, "include_contacts": False},
        {key: 0 for key in ("records", "versions", "attachments", "attachment_bytes", "persons", "contacts", "cases")},
        tuple(members),
    )


def craft_bundle(
    path: Path,
    sender: Identity,
    recipients: Sequence[Identity | Party],
    members: Iterable[tuple[str, bytes]] = (),
    *,
    sender_party: Party | None = None,
    sequence: int | None = None,
    bundle_id: str | None = None,
    manifest_members: Sequence[ManifestMember] | None = None,
    manifest_bytes: bytes | None = None,
    trusted_comment: str | None = None,
    signed_by: Identity | None = None,
    head: Sequence[tuple[str, bytes]] | None = None,
) -> Path:
    """Write a bundle from ``sender`` to ``recipients`` at ``path``: any manifest, signature and tar members.

    By default the manifest is a valid one (a fresh bundle id and sequence number) naming exactly ``members``;
    ``manifest_members`` names others (or the same, for a generator of members); ``manifest_bytes`` replaces the
    manifest outright. It is signed by ``signed_by`` (default: the sender) with its own trusted comment unless
    ``trusted_comment`` is given. ``head`` replaces the manifest and signature members altogether. The tar is
    written with headers of its own, so any member name can be used; the whole is age-encrypted to ``recipients``.
    """
    if manifest_members is None:
        members = list(members)
        manifest_members = [member_entry(name, data) for name, data in members]
    manifest = make_manifest(
        sender_party or sender, recipients, manifest_members, sequence=sequence, bundle_id=bundle_id
    )
    if head is None:
        data = manifest.to_bytes() if manifest_bytes is None else manifest_bytes
        signature = minisign.sign(signed_by or sender, data, trusted_comment or manifest.trusted_comment())
        head = [(MANIFEST_NAME, data), (SIGNATURE_NAME, signature.encode("utf-8"))]
    age_recipients = [pyrage.x25519.Recipient.from_str(p.age_recipient) for p in manifest.recipients]
    with path.open("wb") as out, AgeEncryptingWriter(out, age_recipients) as sealed:
        written = 0
        for name, content in [*head, *members]:
            for piece in (tar_header(name, len(content)), content, bytes(-len(content) % BLOCK)):
                sealed.write(piece)
                written += len(piece)
        sealed.write(bytes(2 * BLOCK + (-(written + 2 * BLOCK) % RECORD)))
    return path


def records_member(versions: Iterable[RecordVersion], number: int = 1) -> tuple[str, bytes]:
    return f"records/{number:06d}.jsonl", b"".join(version_line(v) for v in versions)


def later(revision: str, ms: int = 1000, device: str | None = None) -> str:
    parsed = Revision.parse(revision)
    return str(Revision(parsed.wall_ms + ms, 0, device or parsed.device_id))


# -- the bundles under test ------------------------------------------------------------------------------------


def small_bundle(team: Team, name: str = "small") -> Path:
    """From kim to park: a person, a testimony and a small evidence file on it."""
    kim = team.kim
    person = kim.records.add(Kind.PERSON, make_body(Kind.PERSON))
    testimony = kim.records.add(Kind.TESTIMONY, make_body(Kind.TESTIMONY, interviewee_id=person.id))
    evidence = team.root / f"{name}-note.txt"
    evidence.write_bytes(b"Interview notes, fictional: the river crossing at night.\n" * 20)
    kim.attachments.attach(testimony.id, evidence)
    path = team.bundle_path(name)
    kim.send([team.park], path)
    return path


def flipped_bytes(original: bytes, position: int) -> bytes:
    damaged = bytearray(original)
    damaged[position] ^= 1 << (position % 8)
    return bytes(damaged)


def flipped(original: bytes, position: int, folder: Path) -> Path:
    path = folder / f"flip-{position}.safecase-bundle"
    path.write_bytes(flipped_bytes(original, position))
    return path


# -- 1. byte flips ------------------------------------------------------------------------------------------------


def test_a_flipped_byte_anywhere_is_refused_and_changes_nothing(team: Team) -> None:
    park = team.park
    original = small_bundle(team).read_bytes()
    rng = random.Random(20251124)
    head = range(min(2048, len(original)))
    rest = rng.sample(range(len(head), len(original)), min(300, len(original) - len(head)))
    last_tag = range(max(len(head), len(original) - 16), len(original))
    folder = team.root / "flips"
    folder.mkdir()
    before = snapshot(park)
    for position in sorted({*head, *rest, *last_tag}):
        path = flipped(original, position, folder)
        with pytest.raises(IntegrityError) as caught:
            park.receive(path)
        message = str(caught.value)
        assert "\n" not in message and caught.value.exit_code == ExitCode.INTEGRITY, (position, message)
        assert snapshot(park) == before, position
        path.unlink()
    intact = folder / "intact.safecase-bundle"
    intact.write_bytes(original)
    assert park.receive(intact).new_records == 3  # the same bytes unflipped import: the flips were the only fault


# -- 2. truncation, 3. trailing garbage ------------------------------------------------------------------------


AGE_CHUNK = 64 * 1024 + 16  # a full age payload chunk: 64 KiB of plaintext and its tag


def large_bundle(team: Team, size: int = 400 * 1024) -> Path:
    """From kim to park: a testimony with a random evidence file of ``size`` bytes (several age chunks)."""
    kim = team.kim
    person = kim.records.add(Kind.PERSON, make_body(Kind.PERSON))
    testimony = kim.records.add(Kind.TESTIMONY, make_body(Kind.TESTIMONY, interviewee_id=person.id))
    evidence = team.root / "photo.jpg"
    evidence.write_bytes(random.Random(7).randbytes(size))
    kim.attachments.attach(testimony.id, evidence)
    path = team.bundle_path("large")
    kim.send([team.park], path)
    return path


def age_header_length(data: bytes) -> int:
    """Bytes up to and including the age header's closing ``--- MAC`` line."""
    return data.index(b"\n", data.index(b"\n--- ") + 1) + 1


def test_a_bundle_cut_short_anywhere_is_refused_as_incomplete(team: Team) -> None:
    park = team.park
    original = large_bundle(team).read_bytes()
    header = age_header_length(original)
    assert len(original) > 6 * 64 * 1024
    boundaries = range(0, len(original), 64 * 1024)
    chunk_ends = [header + 16 + k * AGE_CHUNK for k in range(4)]  # after the nonce, between whole chunks
    odd = [1, 20, header - 1, header, header + 1, header + 17, len(original) // 3 + 5, len(original) - 16]
    cut = team.root / "cut.safecase-bundle"
    for length in sorted({*boundaries, *chunk_ends, *odd, len(original) - 1}):
        cut.write_bytes(original[:length])
        assert_refused(park, cut, r"incomplete \(truncated\)")
    cut.write_bytes(original)
    assert park.receive(cut).attachments_added == 1


@pytest.mark.parametrize("garbage", [b"\0", b"x" * 100, bytes(AGE_CHUNK + 3), b"age-encryption.org/v1\n"])
def test_bytes_after_the_end_of_the_age_file_are_refused(team: Team, garbage: bytes) -> None:
    path = small_bundle(team)
    path.write_bytes(path.read_bytes() + garbage)
    assert_refused(team.park, path, r"extra data after its end|altered or incomplete")


def test_a_bundle_followed_by_a_copy_of_itself_is_refused(team: Team) -> None:
    path = small_bundle(team)
    path.write_bytes(path.read_bytes() * 2)
    assert_refused(team.park, path, r"extra data after its end|altered or incomplete")


def test_a_crafted_bundle_that_is_valid_imports(team: Team) -> None:
    """The crafting helper makes bundles the importer takes: what the other tests refuse is their one fault."""
    kim, park = team.kim, team.park
    case = kim.records.add(Kind.CASE, make_body(Kind.CASE))
    path = craft_bundle(
        team.root / "crafted.safecase-bundle",
        kim.session.identity,
        [park.session.identity],
        [records_member(kim.records.history(case.id))],
    )
    result = park.receive(path)
    assert (result.new_records, result.unverified) == (1, False)
    assert park.records.show(case.id).body == case.body


# -- 4. senders: unknown, revoked, not who they claim ----------------------------------------------------------


def test_a_bundle_from_someone_not_in_contacts_is_refused_unless_allowed_and_is_then_unverified(
    team: Team, vaults: VaultService
) -> None:
    park = team.park
    folder = team.root / "choi"
    vaults.create(folder, PASSPHRASE, "choi", "Other Org")
    with vaults.unlock(folder, PASSPHRASE) as session:
        choi = Member("choi", session, folder)
        choi.knows(park)
        person = choi.records.add(Kind.PERSON, make_body(Kind.PERSON))
        choi.records.edit(person.id, {**person.body, "status": "detained"})
        case = choi.records.add(Kind.CASE, make_body(Kind.CASE))
        path = team.bundle_path("choi-1")
        choi.send([park], path)

    assert_refused(park, path, r"signed by someone who is not among your contacts; it was refused")

    result = park.receive(path, allow_unknown_sender=True)
    assert result.unverified and result.new_records == 2 and result.summary.sender_status == "unknown"
    brought = park.session.db.query_all(
        "SELECT version_seq FROM version_sources WHERE bundle_id = ? ORDER BY 1", (result.summary.bundle_id,)
    )
    unverified = park.session.db.query_all("SELECT version_seq FROM unverified_versions ORDER BY 1")
    assert len(brought) == 3 and [tuple(r) for r in unverified] == [tuple(r) for r in brought]
    assert {park.records.show(person.id).body["status"], park.records.show(case.id).kind} == {"detained", "case"}


def test_a_bundle_signed_by_a_removed_contact_is_refused(team: Team) -> None:
    kim, park = team.kim, team.park
    kim.records.add(Kind.CASE, make_body(Kind.CASE))
    path = team.bundle_path("kim-1")
    kim.send([park], path)
    park.contacts.remove("kim")
    assert_refused(park, path, r"signed by kim, whom you removed from your contacts; it was refused")


def test_a_bundle_whose_sender_keys_differ_from_the_contact_card_is_refused(team: Team) -> None:
    kim, park = team.kim, team.park
    case = kim.records.add(Kind.CASE, make_body(Kind.CASE))
    real = party(kim.session.identity, "kim")
    other_age = Identity.generate().public().age_recipient
    mixed = PublicIdentity(real.ed25519_public_key or b"", other_age)
    impostor = dataclasses.replace(real, age_recipient=other_age, fingerprint=mixed.fingerprint())
    path = craft_bundle(
        team.root / "mixed.safecase-bundle",
        kim.session.identity,
        [park.session.identity],
        [records_member(kim.records.history(case.id))],
        sender_party=impostor,
    )
    assert_refused(park, path, r"sender keys differ from your contact's card")


def test_a_bundle_from_this_vault_itself_is_refused(team: Team) -> None:
    park = team.park
    case = park.records.add(Kind.CASE, make_body(Kind.CASE))
    path = craft_bundle(
        team.root / "own.safecase-bundle",
        park.session.identity,
        [park.session.identity],
        [records_member(park.records.history(case.id))],
    )
    assert_refused(park, path, r"made by this vault")


def test_a_manifest_altered_after_signing_or_signed_by_another_key_is_refused(team: Team) -> None:
    kim, lee, park = team.kim, team.lee, team.park
    case = kim.records.add(Kind.CASE, make_body(Kind.CASE))
    records = [records_member(kim.records.history(case.id))]
    entries = [member_entry(name, data) for name, data in records]
    manifest = make_manifest(kim.session.identity, [park.session.identity], entries)
    signature = minisign.sign(kim.session.identity, manifest.to_bytes(), manifest.trusted_comment())
    altered = dataclasses.replace(manifest, sequence=manifest.sequence + 1)
    identity = kim.session.identity
    path = team.root / "altered.safecase-bundle"

    head = [(MANIFEST_NAME, altered.to_bytes()), (SIGNATURE_NAME, signature.encode())]
    craft_bundle(path, identity, [park.session.identity], records, head=head)
    assert_refused(park, path, r"signature does not verify: the file was altered after it was signed")

    other = make_manifest(kim.session.identity, [park.session.identity], entries)
    craft_bundle(path, identity, [park.session.identity], records, trusted_comment=other.trusted_comment())
    assert_refused(park, path, r"signature covers another bundle")

    craft_bundle(path, identity, [park.session.identity], records, signed_by=lee.session.identity)
    assert_refused(park, path, r"signed by another key")

    head = [(MANIFEST_NAME, manifest.to_bytes()), (SIGNATURE_NAME, b"untrusted comment: \xff\n")]
    craft_bundle(path, identity, [park.session.identity], records, head=head)
    assert_refused(park, path, r"signature is not text")

    head = [(MANIFEST_NAME, manifest.to_bytes()), (SIGNATURE_NAME, b"x" * 5000)]
    craft_bundle(path, identity, [park.session.identity], records, head=head)
    assert_refused(park, path, r"manifest.json.minisig is larger than any SafeCase writes")


# -- 5. re-encrypted to someone else ---------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("age") is None, reason="the age command-line tool is not installed")
def test_a_bundle_re_encrypted_to_a_third_party_is_refused_as_not_addressed_to_them(team: Team) -> None:
    kim, lee, park = team.kim, team.lee, team.park
    kim.records.add(Kind.CASE, make_body(Kind.CASE))
    sent = team.bundle_path("kim-to-park")
    kim.send([park], sent)
    key = team.root / "park.key"
    key.write_text(str(park.session.identity.age_identity) + "\n", encoding="utf-8")
    key.chmod(0o600)
    plain, again = team.root / "plain.tar", team.bundle_path("re-encrypted")
    subprocess.run(["age", "-d", "-i", str(key), "-o", str(plain), str(sent)], check=True, capture_output=True)
    lee_recipient = lee.session.identity.public().age_recipient
    subprocess.run(["age", "-r", lee_recipient, "-o", str(again), str(plain)], check=True, capture_output=True)

    assert_refused(lee, again, r"not addressed to this vault: someone re-encrypted it")
    assert_refused(lee, sent, r"not encrypted to this vault")


# -- 6. replays and reused sequence numbers --------------------------------------------------------------------


def test_a_replayed_bundle_is_a_no_op_that_says_so(team: Team) -> None:
    kim, park = team.kim, team.park
    kim.records.add(Kind.CASE, make_body(Kind.CASE))
    path = team.bundle_path("kim-1")
    kim.send([park], path)
    imported_at = park.session.now_iso()
    first = park.receive(path)
    team.clock.advance(60_000)
    before = snapshot(park)
    again = park.receive(path)
    assert snapshot(park) == before
    assert again.replay and not first.replay
    assert (again.new_records, again.new_versions, again.summary.imported_at) == (0, 0, imported_at)


def test_a_second_bundle_with_a_sequence_number_already_seen_is_refused(team: Team) -> None:
    kim, park = team.kim, team.park
    kim.records.add(Kind.CASE, make_body(Kind.CASE))
    path = team.bundle_path("kim-1")
    first = kim.send([park], path)
    park.receive(path)
    later_case = kim.records.add(Kind.CASE, make_body(Kind.CASE))
    forged = craft_bundle(
        team.root / "reused.safecase-bundle",
        kim.session.identity,
        [park.session.identity],
        [records_member(kim.records.history(later_case.id))],
        sender_party=party(kim.session.identity, "kim"),
        sequence=first.sequence,
    )
    assert_refused(park, forged, rf"reuses the sender's sequence number {first.sequence}, which an earlier bundle")


# -- 7. member names that could escape a folder -----------------------------------------------------------------

UNSAFE_NAMES = {
    "../records/000001.jsonl": r"'\.\.' path component",
    "records/../../etc/passwd": r"'\.\.' path component",
    "/etc/passwd": r"is an absolute path",
    "C:x": r"contains a colon \(a drive letter\)",
    "C:/Windows/evil.dll": r"contains a colon \(a drive letter\)",
    "records/000001.jsonl\0.exe": r"damaged name field",
}


def test_unsafe_member_names_in_the_manifest_are_refused(team: Team) -> None:
    kim, park = team.kim, team.park
    for name in [*UNSAFE_NAMES, "attachments/../../x", "records\\000001.jsonl", "attachments/0\0"]:
        content = b'{"not":"read"}\n'
        path = craft_bundle(
            team.root / "named.safecase-bundle",
            kim.session.identity,
            [park.session.identity],
            [("records/000001.jsonl", content)],
            manifest_members=[ManifestMember(name, len(content), hashlib.sha256(content).hexdigest())],
        )
        assert_refused(park, path, r"manifest is malformed \(unexpected member name\)")


def test_unsafe_member_names_in_the_tar_stream_are_refused(team: Team) -> None:
    kim, park = team.kim, team.park
    case = kim.records.add(Kind.CASE, make_body(Kind.CASE))
    records = records_member(kim.records.history(case.id))
    for name, problem in UNSAFE_NAMES.items():
        path = team.root / "named.safecase-bundle"
        # where a named member should be, with the manifest naming the safe one
        craft_bundle(
            path,
            kim.session.identity,
            [park.session.identity],
            [(name, records[1])],
            manifest_members=[member_entry(*records)],
        )
        assert_refused(park, path, problem)
        # where the manifest should be, before anything is verified
        craft_bundle(path, kim.session.identity, [park.session.identity], head=[(name, b"{}")])
        assert_refused(park, path, problem)
        # after everything the manifest names
        extra = [records, (name, b"")]
        craft_bundle(
            path, kim.session.identity, [park.session.identity], extra, manifest_members=[member_entry(*records)]
        )
        assert_refused(park, path, problem)


def test_members_of_other_types_in_the_tar_stream_are_refused(team: Team) -> None:
    kim, park = team.kim, team.park
    path = team.root / "typed.safecase-bundle"
    for flag, what in [(b"2", "a symbolic link"), (b"5", "a directory"), (b"x", "a pax extended header")]:
        manifest = make_manifest(kim.session.identity, [park.session.identity], [])
        data = manifest.to_bytes()
        signature = minisign.sign(kim.session.identity, data, manifest.trusted_comment()).encode()
        age = [pyrage.x25519.Recipient.from_str(park.session.identity.public().age_recipient)]
        with path.open("wb") as out, AgeEncryptingWriter(out, age) as sealed:
            for name, content in [(MANIFEST_NAME, data), (SIGNATURE_NAME, signature)]:
                sealed.write(tar_header(name, len(content)) + content + bytes(-len(content) % BLOCK))
            sealed.write(tar_header("records/000001.jsonl", 0, flag) + bytes(RECORD))
        assert_refused(park, path, rf"The archive holds {what}")


# -- 8. too many members, too large members ---------------------------------------------------------------------


def tiny_members(count: int) -> Iterator[tuple[str, bytes]]:
    for number in range(count):
        yield f"attachments/{uuid.UUID(int=number)}", b""


def test_a_manifest_naming_100000_members_is_refused_by_the_member_cap(team: Team) -> None:
    kim, park = team.kim, team.park
    entries = [member_entry(name, data) for name, data in tiny_members(100_000)]
    path = craft_bundle(
        team.root / "many.safecase-bundle",
        kim.session.identity,
        [park.session.identity],
        tiny_members(100_000),
        manifest_members=entries,
    )
    assert_refused_within(park, path, r"manifest is malformed \(too many members\)")


def test_a_tar_holding_more_members_than_the_manifest_names_is_refused(team: Team) -> None:
    kim, park = team.kim, team.park
    case = kim.records.add(Kind.CASE, make_body(Kind.CASE))
    records = records_member(kim.records.history(case.id))
    path = craft_bundle(
        team.root / "more.safecase-bundle",
        kim.session.identity,
        [park.session.identity],
        [records, *tiny_members(100_000)],
        manifest_members=[member_entry(*records)],
    )
    assert_refused_within(park, path, r"holds a member its manifest does not name \(attachments/00000000-")
    # and one the manifest does not name, between those it does
    second = records_member(kim.records.history(case.id), 2)
    named = [member_entry(*records), member_entry(*second)]
    craft_bundle(path, kim.session.identity, [park.session.identity], [records, *tiny_members(1), second],
                 manifest_members=named)  # fmt: skip
    assert_refused(park, path, r"holds attachments/00000000-0000-0000-0000-000000000000 where its manifest names")


def test_a_manifest_declaring_more_than_the_file_holds_is_refused(team: Team) -> None:
    kim, park = team.kim, team.park
    path = team.root / "huge.safecase-bundle"
    digest = hashlib.sha256(b"").hexdigest()
    ten_gb = [ManifestMember(f"attachments/{uuid.UUID(int=n)}", 5_000_000_000, digest) for n in range(2)]
    craft_bundle(path, kim.session.identity, [park.session.identity], manifest_members=ten_gb)
    assert_refused(park, path, r"declares 10000000000 bytes of content but the file holds only \d+")

    largest = [ManifestMember(f"attachments/{uuid.UUID(int=0)}", MAX_MEMBER_BYTES, digest)]
    craft_bundle(path, kim.session.identity, [park.session.identity], manifest_members=largest)
    assert_refused(park, path, rf"declares {MAX_MEMBER_BYTES} bytes of content but the file holds only")

    one_member = [ManifestMember(f"attachments/{uuid.UUID(int=0)}", 10_000_000_000, digest)]
    craft_bundle(path, kim.session.identity, [park.session.identity], manifest_members=one_member)
    assert_refused(park, path, r"manifest is malformed \(bad member size\)")


# -- 9. deep and huge JSON ----------------------------------------------------------------------------------------

MEMORY_LIMIT = 100 * MiB


def assert_refused_within(member: Member, path: Path, match: str, limit: int = MEMORY_LIMIT) -> int:
    """``assert_refused``, holding less than ``limit`` bytes of Python memory at its peak; returns the peak."""
    tracemalloc.start()
    try:
        assert_refused(member, path, match)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < limit, f"peak {peak >> 20} MiB"
    return peak


def test_a_manifest_nested_100000_levels_deep_is_refused(team: Team) -> None:
    kim, park = team.kim, team.park
    path = team.root / "deep.safecase-bundle"
    deep = b"[" * 100_000 + b"]" * 100_000
    for manifest in [deep, b'{"format":"safecase-bundle","scope":' + deep + b"}", b'{"a":' * 100_000 + b"1}" * 1]:
        craft_bundle(path, kim.session.identity, [park.session.identity], manifest_bytes=manifest)
        assert_refused_within(park, path, r"manifest is malformed \(not JSON\)")


def test_a_manifest_over_16_mib_is_refused_before_it_is_read(team: Team) -> None:
    kim, park = team.kim, team.park
    path = team.root / "large-manifest.safecase-bundle"
    head = [(MANIFEST_NAME, b" " * (MAX_MANIFEST_BYTES + 1)), (SIGNATURE_NAME, b"")]
    craft_bundle(path, kim.session.identity, [park.session.identity], head=head)
    peak = assert_refused_within(park, path, r"manifest.json is larger than any SafeCase writes")
    assert peak < MAX_MANIFEST_BYTES  # it was never held in memory


def test_a_records_line_nested_deeply_is_refused(team: Team) -> None:
    kim, park = team.kim, team.park
    line = b'{"body":' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"
    path = craft_bundle(
        team.root / "deep-line.safecase-bundle",
        kim.session.identity,
        [park.session.identity],
        [("records/000001.jsonl", line)],
    )
    assert_refused_within(park, path, r"malformed record \(records/000001.jsonl line 1: not JSON\)")


@pytest.mark.parametrize("newline", [b"\n", b""], ids=["ended", "unended"])
def test_a_records_line_over_the_cap_is_refused(team: Team, newline: bytes) -> None:
    kim, park = team.kim, team.park
    case = kim.records.add(Kind.CASE, make_body(Kind.CASE))
    valid = records_member(kim.records.history(case.id))[1]
    huge = b'{"x":"' + b"a" * (MAX_RECORD_LINE_BYTES + 10 - 8) + b'"}' + newline
    path = craft_bundle(
        team.root / "huge-line.safecase-bundle",
        kim.session.identity,
        [park.session.identity],
        [("records/000001.jsonl", valid + huge)],
    )
    assert_refused_within(park, path, r"malformed record \(records/000001.jsonl line 2: line too long\)")


def test_a_valid_manifest_over_a_mebibyte_is_read_whole(team: Team) -> None:
    """The head is read to its end even where it spans the decrypted stream's blocks (reads give one at most)."""
    kim, park = team.kim, team.park
    case = kim.records.add(Kind.CASE, make_body(Kind.CASE))
    empty_chunks = [(f"records/{number:06d}.jsonl", b"") for number in range(2, 12_000)]
    path = craft_bundle(
        team.root / "long-manifest.safecase-bundle",
        kim.session.identity,
        [park.session.identity],
        [records_member(kim.records.history(case.id)), *empty_chunks],
    )
    result = park.receive(path)
    assert (result.new_records, result.new_versions) == (1, 1)


def test_a_records_member_whose_last_line_does_not_end_is_refused(team: Team) -> None:
    kim, park = team.kim, team.park
    case = kim.records.add(Kind.CASE, make_body(Kind.CASE))
    name, lines = records_member(kim.records.history(case.id))
    path = craft_bundle(
        team.root / "unended.safecase-bundle",
        kim.session.identity,
        [park.session.identity],
        [(name, lines + lines.rstrip(b"\n"))],
    )
    assert_refused(park, path, r"malformed record \(records/000001.jsonl line 2: the last line does not end\)")


# -- 10. records lines that are JSON but not a valid version ----------------------------------------------------


def version(
    record_id: str, kind: Kind, revision: str, body: dict[str, Any], parents: Sequence[str] = (), deleted: bool = False
) -> RecordVersion:
    """A version line's content, with the device and time its revision names."""
    parsed = Revision.parse(revision)
    return RecordVersion(
        record_id, kind.value, revision, deleted, body, parsed.device_id, iso_from_ms(parsed.wall_ms), tuple(parents)
    )


def test_records_lines_that_are_not_valid_versions_are_refused(team: Team) -> None:
    kim, lee, park = team.kim, team.lee, team.park
    person = kim.records.add(Kind.PERSON, make_body(Kind.PERSON))
    team.clock.advance(1000)
    edited = kim.records.edit(person.id, {**person.body, "status": "detained"})
    consent = kim.records.add(Kind.CONSENT, make_body(Kind.CONSENT, subject_person_id=person.id))
    case = kim.records.add(Kind.CASE, make_body(Kind.CASE))
    sent = team.bundle_path("kim-1")
    kim.send([park], sent)
    park.receive(sent)
    team.clock.advance(60_000)
    fresh = kim.records.add(Kind.CASE, make_body(Kind.CASE))  # a valid new record before each bad line
    new_revision = later(fresh.revision, 1000)
    bad_lines: list[tuple[bytes, str]] = [
        (b"[]\n", r"line 2: unexpected fields"),
        (b'{"id":"x"}\n', r"line 2: unexpected fields"),
        (
            version_line(version(str(uuid.uuid4()), Kind.PERSON, new_revision, make_body(Kind.PERSON, pseudonym=OMIT))),
            r"line 2: person without pseudonym",
        ),
        (
            version_line(
                dataclasses.replace(
                    version(str(uuid.uuid4()), Kind.CASE, new_revision, make_body(Kind.CASE)),
                    origin_device=lee.session.device_id,
                )
            ),
            r"line 2: device or time differ from the revision",
        ),
        (
            version_line(
                dataclasses.replace(
                    version(str(uuid.uuid4()), Kind.CASE, new_revision, make_body(Kind.CASE)),
                    written_at=iso_from_ms(Revision.parse(new_revision).wall_ms + 1),
                )
            ),
            r"line 2: device or time differ from the revision",
        ),
        (
            version_line(version(person.id, Kind.PERSON, new_revision, edited.body, [later(new_revision)])),
            r"line 2: a parent is not older than its version",
        ),
        (
            version_line(version(str(uuid.uuid4()), Kind.CASE, new_revision, {**make_body(Kind.CASE), "x": 1})),
            r"malformed record \(records/000001.jsonl line 2: ",
        ),
        (
            version_line(version(consent.id, Kind.CONSENT, new_revision, consent.body, [consent.revision])),
            rf"edits or deletes a consent record, which is never changed \(record {consent.id}\)",
        ),
        (
            version_line(version(consent.id, Kind.CONSENT, new_revision, consent.body, [consent.revision], True)),
            rf"edits or deletes a consent record, which is never changed \(record {consent.id}\)",
        ),
        (
            version_line(version(case.id, Kind.EVENT, new_revision, make_body(Kind.EVENT), [case.revision])),
            rf"changes a case into a event \(record {case.id}\)",
        ),
        (
            version_line(
                version(
                    person.id, Kind.PERSON, edited.revision, {**edited.body, "status": "released"}, [person.revision]
                )
            ),
            rf"holds a different version {edited.revision} than this vault \(record {person.id}\)",
        ),
    ]
    path = team.root / "bad-line.safecase-bundle"
    valid = records_member(kim.records.history(fresh.id))[1]
    for line, problem in bad_lines:
        craft_bundle(path, kim.session.identity, [park.session.identity], [("records/000001.jsonl", valid + line)])
        assert_refused(park, path, problem)
    craft_bundle(path, kim.session.identity, [park.session.identity], [("records/000001.jsonl", valid)])
    assert park.receive(path).new_records == 1  # the line before each bad one was fine


def test_a_new_consent_with_two_versions_in_one_bundle_is_refused(team: Team) -> None:
    kim, park = team.kim, team.park
    person = kim.records.add(Kind.PERSON, make_body(Kind.PERSON))
    consent = kim.records.add(Kind.CONSENT, make_body(Kind.CONSENT, subject_person_id=person.id))
    second = version(consent.id, Kind.CONSENT, later(consent.revision), consent.body, [consent.revision])
    lines = [*kim.records.history(person.id), *kim.records.history(consent.id), second]
    path = craft_bundle(
        team.root / "consent.safecase-bundle", kim.session.identity, [park.session.identity], [records_member(lines)]
    )
    assert_refused(park, path, rf"edits or deletes a consent record, which is never changed \(record {consent.id}\)")


# -- 11. evidence files that do not match their records ---------------------------------------------------------


def test_an_evidence_file_that_differs_from_its_record_is_refused_and_leaves_no_blob(team: Team) -> None:
    kim, park = team.kim, team.park
    person = kim.records.add(Kind.PERSON, make_body(Kind.PERSON))
    testimony = kim.records.add(Kind.TESTIMONY, make_body(Kind.TESTIMONY, interviewee_id=person.id))
    content = b"Fictional photo of a border post at dusk.\n" * 50
    evidence = team.root / "post.jpg"
    evidence.write_bytes(content)
    attachment = kim.attachments.attach(testimony.id, evidence)
    versions = [v for record in (person, testimony, attachment) for v in kim.records.history(record.id)]
    without_file_record = [v for v in versions if v.record_id != attachment.id]
    member = f"attachments/{attachment.id}"
    path = team.root / "evidence.safecase-bundle"
    identity, to_park = kim.session.identity, [park.session.identity]

    same_size = content.replace(b"dusk", b"dawn")
    craft_bundle(path, identity, to_park, [records_member(versions), (member, same_size)])
    assert_refused(park, path, rf"evidence file {attachment.id} differs from its record; nothing was imported")

    craft_bundle(path, identity, to_park, [records_member(versions), (member, content + b"\n")])
    assert_refused(park, path, rf"evidence file {attachment.id} differs from its record; nothing was imported")

    craft_bundle(path, identity, to_park, [records_member(without_file_record), (member, content)])
    assert_refused(park, path, rf"evidence file {attachment.id} without its record; nothing was imported")

    craft_bundle(path, identity, to_park, [records_member(versions)])
    assert_refused(park, path, rf"the record of evidence file {attachment.id} but not the file; nothing was imported")

    craft_bundle(path, identity, to_park, [records_member(versions), (member, content)])
    assert park.receive(path).attachments_added == 1  # the same bundle with the right file imports
    assert park.attachments.read_bytes(attachment.id, len(content)) == content


# -- the command line -------------------------------------------------------------------------------------------


def test_the_command_line_refuses_a_bad_bundle_in_one_line_with_exit_code_4(
    team: Team, cli: Cli, vaults: VaultService
) -> None:
    kim, park = team.kim, team.park
    small = small_bundle(team).read_bytes()
    cases: list[tuple[Path, str]] = []
    for name, data, problem in [
        ("flipped", flipped_bytes(small, len(small) // 2), "altered or incomplete"),
        ("cut", small[: len(small) // 2], "incomplete (truncated)"),
        ("trailing", small + b"\0" * 10, "altered or incomplete"),  # the last chunk, not full, fails to authenticate
    ]:
        path = team.root / f"{name}.safecase-bundle"
        path.write_bytes(data)
        cases.append((path, problem))
    stranger = Identity.generate()
    case = kim.records.add(Kind.CASE, make_body(Kind.CASE))
    unknown = team.root / "unknown.safecase-bundle"
    craft_bundle(unknown, stranger, [park.session.identity], [records_member(kim.records.history(case.id))])
    cases.append((unknown, "not among your contacts"))
    before = snapshot(park)
    park.session.close()

    for path, problem in cases:
        result = cli("bundle", "import", str(path), "--vault", str(park.folder))
        lines = result.err.splitlines()
        assert result.code == ExitCode.INTEGRITY, result.err
        assert len(lines) == 1 and lines[0].startswith("safecase: ") and problem in lines[0], result.err
        assert "Traceback" not in result.err + result.out

    with vaults.unlock(park.folder, PASSPHRASE) as session:
        after = snapshot(Member("park", session, park.folder))
        imports = session.db.query_one(
            "SELECT count(*) FROM audit_log WHERE action IN ('bundle.import', 'record.merge')"
        )[0]
    assert (after.tables, after.blob_files, imports) == (before.tables, before.blob_files, 0)


def test_a_manifest_of_millions_of_tiny_values_is_refused_before_it_is_parsed(team: Team) -> None:
    """16 MiB of "[{},{},…]" is a few hundred MiB once parsed; it is refused (before any signature check) unparsed."""
    kim, park = team.kim, team.park
    path = team.root / "tiny-values.safecase-bundle"
    for unit in (b"{},", b"[],", b"999,"):
        count = (MAX_MANIFEST_BYTES - 2) // len(unit)
        manifest = b"[" + unit * (count - 1) + unit[:-1] + b"]"
        craft_bundle(path, kim.session.identity, [park.session.identity], manifest_bytes=manifest)
        assert_refused_within(park, path, r"manifest is malformed \(too many values\)")


def test_the_largest_manifest_safecase_could_write_is_within_the_caps() -> None:
    recipients = [party(Identity.generate(), ", ".join(["Kim"] * 50)[:200], "[{" * 100) for _ in range(MAX_RECIPIENTS)]
    sender = dataclasses.replace(recipients[0], display_name="{[, ]}" * 33)
    manifest = dataclasses.replace(
        make_manifest(sender, recipients[1:], [member_entry(name, b"") for name, _ in tiny_members(MAX_MEMBERS)]),
        scope={"cases": [str(uuid.uuid4()) for _ in range(10_000)], "since": None, "include_contacts": True},
    )
    data = manifest.to_bytes()
    assert len(data) < MAX_MANIFEST_BYTES
    assert Manifest.parse(data) == manifest
