"""AttachmentService against a real (fast-KDF) vault: round trips, chain of custody, integrity, no plaintext leaks.

Also the helpers the other evidence-file tests share: a case to attach to, evidence files on disk, where a blob
lives, and a snapshot of what an intake may change (records, audit chain, files in ``blobs/``).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safecase.domain.kinds import Kind
from safecase.errors import IntegrityError, SafeCaseError
from safecase.services.attachments import AttachmentService, Derivation
from safecase.services.records import RecordService
from safecase.services.session import VaultSession
from tests.factories import make_body
from tests.leak_scan import file_contains, files_containing, needles_for, scanned_files

PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
PNG_HEAD = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
OLD_MTIME_NS = 1_555_000_000 * 10**9  # April 2019: evidence is usually older than its intake
MiB = 2**20


# --- shared helpers ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VaultState:
    """What a refused intake must leave exactly as it was."""

    records: int
    versions: int
    audit_tip: tuple[int, str]
    blob_rows: int
    blob_files: tuple[str, ...]


def blob_files(vault: Path) -> tuple[str, ...]:
    """Every name in the vault's blobs/ folder (partial files included), read from disk."""
    folder = vault / "blobs"
    return tuple(sorted(os.listdir(folder))) if folder.is_dir() else ()


def vault_state(session: VaultSession) -> VaultState:
    db = session.db
    tip = db.query_one("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1")
    return VaultState(
        records=db.query_one("SELECT count(*) FROM records")[0],
        versions=db.query_one("SELECT count(*) FROM record_versions")[0],
        audit_tip=(tip[0], tip[1]),
        blob_rows=db.query_one("SELECT count(*) FROM attachment_blobs")[0],
        blob_files=blob_files(session.folder.root),
    )


def add_case(session: VaultSession) -> str:
    return RecordService(session).add(Kind.CASE, make_body(Kind.CASE)).id


def evidence_file(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` and date it 2019, as a file copied off a phone would be."""
    path.write_bytes(data)
    os.utime(path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    return path


def blob_path(session: VaultSession, attachment_id: str) -> Path:
    stored = session.attachment_blobs.get(attachment_id)
    assert stored is not None
    return session.blobs.path(stored.blob_name)


def flip_byte(path: Path, offset: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        byte = handle.read(1)
        handle.seek(offset)
        handle.write(bytes([byte[0] ^ 0x01]))


def audit_entries(session: VaultSession, action: str) -> list[tuple[str, str]]:
    rows = session.db.query_all("SELECT subject, detail FROM audit_log WHERE action = ? ORDER BY seq", (action,))
    return [(subject, detail) for subject, detail in rows]


@pytest.fixture
def case_id(session: VaultSession) -> str:
    return add_case(session)


@pytest.fixture
def service(session: VaultSession) -> AttachmentService:
    return AttachmentService(session)


# --- round trips ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 65535, 65536, 65537, MiB - 1, MiB, MiB + 1, 5 * MiB + 7])
def test_attach_verify_export_gives_back_identical_bytes(
    service: AttachmentService, case_id: str, tmp_path: Path, size: int
) -> None:
    data = os.urandom(size)
    state = service.attach(case_id, evidence_file(tmp_path / "photo.bin", data))
    assert state.body["sha256"] == hashlib.sha256(data).hexdigest()
    assert state.body["size"] == size
    assert service.verify(state.id).id == state.id
    exported = service.export(state.id, tmp_path / "copy.bin")
    assert exported.size == size
    assert (tmp_path / "copy.bin").read_bytes() == data
    assert service.read_bytes(state.id, limit=size) == data


@PROPERTY
@given(data=st.binary(min_size=1, max_size=200 * 1024))
def test_any_bytes_round_trip_through_attach_and_read(
    service: AttachmentService, case_id: str, tmp_path: Path, data: bytes
) -> None:
    source = evidence_file(tmp_path / f"{uuid.uuid4().hex}.bin", data)
    state = service.attach(case_id, source)
    assert service.read_bytes(state.id, limit=len(data)) == data
    assert state.body["sha256"] == hashlib.sha256(data).hexdigest()


# --- chain of custody -------------------------------------------------------------------------------------------


def test_record_keeps_the_chain_of_custody_and_sniffs_the_type_from_content(
    session: VaultSession, service: AttachmentService, case_id: str, tmp_path: Path
) -> None:
    data = PNG_HEAD + os.urandom(3000)
    state = service.attach(case_id, evidence_file(tmp_path / "report.txt", data), description="Copy of a permit")
    body = state.body
    assert state.kind == Kind.ATTACHMENT.value
    assert body["attached_to_id"] == case_id
    assert body["file_name"] == "report.txt"
    assert body["media_type"] == "image/png"  # the content, not the name, decides
    assert body["size"] == len(data) and body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["intake_at"] == session.now_iso()
    assert body["intake_device"] == session.device_id
    assert body["intake_user"] == session.actor
    assert body["copy_role"] == "original" and body["source"] == "file"
    assert body["original_modified_at"].startswith("2019-04-11")
    assert body["description"] == "Copy of a permit"
    intake = audit_entries(session, "attachment.intake")
    assert len(intake) == 1 and intake[0][0] == state.id
    assert f"sha256:{body['sha256']}" in intake[0][1]


def test_an_attachment_record_cannot_be_edited_or_deleted(
    session: VaultSession, service: AttachmentService, case_id: str, tmp_path: Path
) -> None:
    state = service.attach(case_id, evidence_file(tmp_path / "a.bin", b"evidence"))
    records = RecordService(session)
    with pytest.raises(SafeCaseError, match="never edited"):
        records.edit(state.id, {**state.body, "sha256": "0" * 64, "file_name": "other.bin"})
    with pytest.raises(SafeCaseError, match="never deleted"):
        records.delete(state.id)
    assert records.show(state.id).body == state.body
    assert len(records.history(state.id)) == 1
    assert service.verify(state.id).body["sha256"] == hashlib.sha256(b"evidence").hexdigest()


def test_a_derived_copy_names_its_original_and_role(service: AttachmentService, case_id: str, tmp_path: Path) -> None:
    original = service.attach(case_id, evidence_file(tmp_path / "scan.bin", b"original scan"))
    copy = service.attach(
        case_id,
        evidence_file(tmp_path / "scan-redacted.bin", b"redacted scan"),
        derivation=Derivation(original.id, "redacted", "faces blurred"),
    )
    assert copy.body["derived_from_id"] == original.id
    assert copy.body["copy_role"] == "redacted" and copy.body["source"] == "derived"
    assert copy.body["derivation"] == "faces blurred"
    assert original.body["copy_role"] == "original" and "derived_from_id" not in original.body
    assert [a.id for a in service.list_for(case_id)] == [original.id, copy.id]


def test_list_gives_attachments_in_intake_order_within_one_millisecond(
    service: AttachmentService, case_id: str, tmp_path: Path
) -> None:
    added = [service.attach(case_id, evidence_file(tmp_path / f"{n}.bin", bytes([n]) * 10)).id for n in range(8)]
    assert [a.id for a in service.list_for(case_id)] == added


# --- integrity --------------------------------------------------------------------------------------------------


@pytest.fixture
def stored(service: AttachmentService, case_id: str, tmp_path: Path) -> tuple[str, bytes]:
    data = os.urandom(300_000)  # five age chunks
    return service.attach(case_id, evidence_file(tmp_path / "video.bin", data)).id, data


@PROPERTY
@given(position=st.floats(min_value=0, max_value=1, exclude_max=True))
def test_a_flipped_bit_anywhere_in_a_blob_is_refused_by_name(
    session: VaultSession, service: AttachmentService, stored: tuple[str, bytes], position: float
) -> None:
    attachment_id, _ = stored
    path = blob_path(session, attachment_id)
    offset = int(position * path.stat().st_size)
    flip_byte(path, offset)
    try:
        with pytest.raises(IntegrityError, match=attachment_id):
            service.verify(attachment_id)
        with pytest.raises(IntegrityError, match=attachment_id):
            service.read_bytes(attachment_id, limit=10**6)
        assert len(service.problems()) == 1
    finally:
        flip_byte(path, offset)
    service.verify(attachment_id)


@pytest.mark.parametrize("cut", [1, 300_000 % 65536 + 16], ids=["one byte", "exactly the last chunk"])
def test_a_truncated_blob_is_refused(
    session: VaultSession, service: AttachmentService, stored: tuple[str, bytes], cut: int
) -> None:
    attachment_id, _ = stored
    path = blob_path(session, attachment_id)
    os.truncate(path, path.stat().st_size - cut)
    with pytest.raises(IntegrityError, match=attachment_id):
        service.verify(attachment_id)
    problems = service.problems()
    assert len(problems) == 1 and attachment_id in problems[0]


def test_swapped_blobs_are_refused_even_though_each_decrypts(
    session: VaultSession, service: AttachmentService, case_id: str, tmp_path: Path
) -> None:
    first = service.attach(case_id, evidence_file(tmp_path / "a.bin", b"A" * 5000)).id
    second = service.attach(case_id, evidence_file(tmp_path / "b.bin", b"B" * 5000)).id
    a, b = blob_path(session, first), blob_path(session, second)
    a.rename(tmp_path / "swap")
    b.rename(a)
    (tmp_path / "swap").rename(b)
    for attachment_id in (first, second):
        with pytest.raises(IntegrityError, match=attachment_id):
            service.verify(attachment_id)
    assert len(service.problems()) == 2


def test_a_missing_blob_is_reported(
    session: VaultSession, service: AttachmentService, stored: tuple[str, bytes]
) -> None:
    attachment_id, _ = stored
    blob_path(session, attachment_id).unlink()
    assert len(service.problems()) == 1
    with pytest.raises(SafeCaseError):
        service.verify(attachment_id)


def test_a_missing_blob_is_named_and_counts_as_an_integrity_failure(
    session: VaultSession, service: AttachmentService, stored: tuple[str, bytes]
) -> None:
    attachment_id, _ = stored
    blob_path(session, attachment_id).unlink()
    assert attachment_id in service.problems()[0]
    with pytest.raises(IntegrityError, match=attachment_id):
        service.verify(attachment_id)


# --- nothing in plaintext ---------------------------------------------------------------------------------------


def test_no_plaintext_reaches_the_vault_folder_or_the_temp_folder(
    session: VaultSession, service: AttachmentService, case_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private_temp = tmp_path / "temp"  # every temporary file of this process goes here, so all of it is scanned
    private_temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(private_temp))
    monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again
    assert Path(tempfile.gettempdir()) == private_temp
    token = uuid.uuid4().hex
    marker = f"SC-LEAK-{token}-증언 녹취 원본"
    data = (marker + "\n").encode("utf-8") * 2000 + marker.encode("utf-16-le") * 100
    source = evidence_file(tmp_path / "statement.txt", data)
    state = service.attach(case_id, source)
    service.verify(state.id)
    assert service.read_bytes(state.id, limit=len(data)) == data
    session.db.query_one("PRAGMA wal_checkpoint(PASSIVE)")
    needles = needles_for(marker, token)
    in_vault = list(scanned_files([session.folder.root]))
    wal = session.folder.database.with_name(session.folder.database.name + "-wal")
    assert {session.folder.database, wal} <= set(in_vault) and len(in_vault) >= 5  # + header, its backup, blob
    vault_hits = [p for p in in_vault if file_contains(p, needles)]
    assert vault_hits == [], "plaintext found in the vault folder"
    assert files_containing([private_temp], needles) == [], "plaintext found in the temp folder"
