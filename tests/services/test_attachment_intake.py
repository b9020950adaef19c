"""Intake refuses what cannot be evidence, with one line saying why, and then leaves the vault exactly as it was.

"Exactly as it was": no new record or version, the audit chain's tip unchanged, no row in ``attachment_blobs`` and
no file (finished or partial) added to ``blobs/``. A source that changes while it is read is simulated by wrapping
``EvidenceSource.on_block`` so that the change lands after the first block has been read: the detection is what is
under test, and it runs unchanged.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from safecase.domain.kinds import Kind
from safecase.errors import ExitCode, NotFoundError, SafeCaseError, UsageError, ValidationError
from safecase.services.attachments import AttachmentService, Derivation
from safecase.services.evidence_source import EvidenceSource, SourceChangedError
from safecase.services.records import RecordService
from safecase.services.session import VaultSession
from tests.services.test_attachments import MiB, VaultState, evidence_file, vault_state


@pytest.fixture
def service(session: VaultSession) -> AttachmentService:
    return AttachmentService(session)


@pytest.fixture
def case_id(session: VaultSession) -> str:
    return RecordService(session).add(Kind.CASE, {"title": "Fictional case for intake tests"}).id


@pytest.fixture
def unchanged(session: VaultSession, case_id: str) -> Iterator[VaultState]:
    """The vault's state before the test's refused intake; checked again after it."""
    before = vault_state(session)
    yield before
    assert vault_state(session) == before


def refused(error: SafeCaseError, code: ExitCode) -> str:
    assert error.exit_code == code
    assert "\n" not in error.message and error.message.strip()
    return error.message


def after_first_block(monkeypatch: pytest.MonkeyPatch, change: Callable[[EvidenceSource], None]) -> None:
    """Run ``change`` once, right after intake has read (and hashed) the first block of the source."""
    original = EvidenceSource.on_block
    done: list[bool] = []

    def on_block(source: EvidenceSource, block: bytes) -> None:
        original(source, block)
        if not done:
            done.append(True)
            change(source)

    monkeypatch.setattr(EvidenceSource, "on_block", on_block)


# --- not a file -------------------------------------------------------------------------------------------------


def test_a_missing_path_is_refused(
    service: AttachmentService, case_id: str, tmp_path: Path, unchanged: VaultState
) -> None:
    with pytest.raises(UsageError) as caught:
        service.attach(case_id, tmp_path / "no-such-file.jpg")
    assert "does not exist" in refused(caught.value, ExitCode.USAGE)


def test_a_folder_is_refused(service: AttachmentService, case_id: str, tmp_path: Path, unchanged: VaultState) -> None:
    (tmp_path / "photos").mkdir()
    with pytest.raises(UsageError) as caught:
        service.attach(case_id, tmp_path / "photos")
    assert "folder" in refused(caught.value, ExitCode.USAGE)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX only")
def test_a_fifo_is_refused_without_waiting_for_a_writer(
    service: AttachmentService, case_id: str, tmp_path: Path, unchanged: VaultState
) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(UsageError) as caught:
        service.attach(case_id, tmp_path / "pipe")
    assert "pipe" in refused(caught.value, ExitCode.USAGE)


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_a_device_is_refused(service: AttachmentService, case_id: str, unchanged: VaultState) -> None:
    with pytest.raises(UsageError) as caught:
        service.attach(case_id, Path("/dev/null"))
    assert "device" in refused(caught.value, ExitCode.USAGE)


def test_an_empty_file_is_refused(
    service: AttachmentService, case_id: str, tmp_path: Path, unchanged: VaultState
) -> None:
    with pytest.raises(UsageError) as caught:
        service.attach(case_id, evidence_file(tmp_path / "empty.m4a", b""))
    assert "empty (0 bytes)" in refused(caught.value, ExitCode.USAGE)


def test_a_file_larger_than_the_free_space_is_refused_before_anything_is_written(
    session: VaultSession, service: AttachmentService, case_id: str, tmp_path: Path, unchanged: VaultState
) -> None:
    huge = tmp_path / "huge.mp4"
    with huge.open("wb") as handle:
        try:  # sparse: costs no disk space
            handle.truncate(shutil.disk_usage(session.folder.root).free + 2**30)
        except OSError as exc:
            pytest.skip(f"this file system cannot hold a sparse file that large ({exc.strerror})")
    with pytest.raises(SafeCaseError) as caught:
        service.attach(case_id, huge)
    assert "MiB free" in refused(caught.value, ExitCode.ERROR)


def test_a_file_name_that_is_not_utf8_is_kept_readably(
    service: AttachmentService, case_id: str, tmp_path: Path
) -> None:
    name = os.fsdecode("증언-2019".encode("cp949") + b".txt")
    state = service.attach(case_id, evidence_file(tmp_path / name, b"testimony notes"))
    assert state.body["file_name"].endswith("2019.txt")
    state.body["file_name"].encode("utf-8")  # storable and printable


# --- not somewhere evidence can go ------------------------------------------------------------------------------


def test_evidence_cannot_be_attached_to_a_tag(
    session: VaultSession, service: AttachmentService, tmp_path: Path
) -> None:
    tag = RecordService(session).add(Kind.TAG, {"label": "Tumen crossing"})
    before = vault_state(session)
    with pytest.raises(UsageError) as caught:
        service.attach(tag.id, evidence_file(tmp_path / "a.jpg", b"photo"))
    assert "cannot be attached to a tag" in refused(caught.value, ExitCode.USAGE)
    assert vault_state(session) == before


def test_an_unknown_record_id_is_refused(service: AttachmentService, tmp_path: Path, unchanged: VaultState) -> None:
    with pytest.raises(NotFoundError) as caught:
        service.attach("8f14e45f-ceea-4e6b-9f3c-2c3b1b6a7d10", evidence_file(tmp_path / "a.jpg", b"photo"))
    refused(caught.value, ExitCode.ERROR)


def test_a_copy_must_derive_from_an_attachment(
    service: AttachmentService, case_id: str, tmp_path: Path, unchanged: VaultState
) -> None:
    with pytest.raises(NotFoundError) as caught:
        service.attach(case_id, evidence_file(tmp_path / "a.jpg", b"photo"), derivation=Derivation(case_id, "working"))
    assert "not an evidence file" in refused(caught.value, ExitCode.ERROR)


def test_a_record_that_fails_validation_leaves_no_blob_behind(
    session: VaultSession, service: AttachmentService, case_id: str, tmp_path: Path
) -> None:
    original = service.attach(case_id, evidence_file(tmp_path / "a.jpg", b"photo"))
    before = vault_state(session)
    with pytest.raises(ValidationError):  # found only once the blob is written and renamed
        service.attach(
            case_id,
            evidence_file(tmp_path / "b.jpg", os.urandom(2 * MiB)),
            derivation=Derivation(original.id, "working", "x" * 5000),
        )
    assert vault_state(session) == before


# --- a source that changes under us -----------------------------------------------------------------------------


@pytest.fixture
def growing_source(tmp_path: Path) -> Path:
    return evidence_file(tmp_path / "still-copying.mp4", os.urandom(3 * MiB + 5))


def _expect_changed(service: AttachmentService, case_id: str, path: Path, how: str) -> None:
    with pytest.raises(SourceChangedError) as caught:
        service.attach(case_id, path)
    message = refused(caught.value, ExitCode.ERROR)
    assert f"{path.name} {how} while it was being read; nothing was added" in message


def test_a_file_that_grows_while_read_is_refused(
    monkeypatch: pytest.MonkeyPatch,
    service: AttachmentService,
    case_id: str,
    growing_source: Path,
    unchanged: VaultState,
) -> None:
    def append(source: EvidenceSource) -> None:
        with source.path.open("ab") as handle:
            handle.write(b"more frames")

    after_first_block(monkeypatch, append)
    _expect_changed(service, case_id, growing_source, "grew")


def test_a_file_modified_in_place_while_read_is_refused(
    monkeypatch: pytest.MonkeyPatch,
    service: AttachmentService,
    case_id: str,
    growing_source: Path,
    unchanged: VaultState,
) -> None:
    def overwrite_the_end(source: EvidenceSource) -> None:
        with source.path.open("r+b") as handle:
            handle.seek(-4, os.SEEK_END)
            handle.write(b"EDIT")

    after_first_block(monkeypatch, overwrite_the_end)
    _expect_changed(service, case_id, growing_source, "changed")


def test_a_file_that_shrinks_while_read_is_refused(
    monkeypatch: pytest.MonkeyPatch,
    service: AttachmentService,
    case_id: str,
    growing_source: Path,
    unchanged: VaultState,
) -> None:
    after_first_block(monkeypatch, lambda source: os.truncate(source.path, 2 * MiB))
    _expect_changed(service, case_id, growing_source, "changed")


def test_a_file_that_disappears_while_read_is_refused(
    monkeypatch: pytest.MonkeyPatch,
    service: AttachmentService,
    case_id: str,
    growing_source: Path,
    unchanged: VaultState,
) -> None:
    after_first_block(monkeypatch, lambda source: source.path.unlink())
    _expect_changed(service, case_id, growing_source, "disappeared")


def test_a_file_replaced_while_read_is_refused(
    monkeypatch: pytest.MonkeyPatch,
    service: AttachmentService,
    case_id: str,
    growing_source: Path,
    tmp_path: Path,
    unchanged: VaultState,
) -> None:
    def replace(source: EvidenceSource) -> None:
        other = evidence_file(tmp_path / "other.mp4", growing_source.read_bytes())
        os.replace(other, source.path)

    after_first_block(monkeypatch, replace)
    _expect_changed(service, case_id, growing_source, "was replaced")


def test_shredding_is_skipped_when_the_intake_fails(
    monkeypatch: pytest.MonkeyPatch,
    service: AttachmentService,
    case_id: str,
    growing_source: Path,
    unchanged: VaultState,
) -> None:
    content = growing_source.read_bytes()

    def touch(source: EvidenceSource) -> None:
        os.utime(source.path)

    after_first_block(monkeypatch, touch)
    with pytest.raises(SourceChangedError):
        service.attach_and_shred(case_id, growing_source)
    assert growing_source.read_bytes() == content
