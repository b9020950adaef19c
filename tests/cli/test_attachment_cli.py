"""`safecase attach` and `safecase attachment list/verify/export`, and `check` on evidence files, end to end.

Every refusal is one line on stderr with the documented exit code (1 error, 2 usage, 4 integrity) and leaves the
vault as it was: no new record, no new file in blobs/, the audit chain's tip unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import uuid
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage, QImageWriter

from safecase.errors import ExitCode, SafeCaseError
from safecase.services.attachments import AttachmentService
from safecase.services.evidence_source import EvidenceSource
from safecase.services.vault import VaultService
from safecase.storage.records import RecordState
from tests.cli.test_cli_records import add
from tests.conftest import PASSPHRASE, Cli
from tests.services.test_attachments import MiB, VaultState, blob_files, evidence_file, flip_byte, vault_state


@pytest.fixture
def vault(cli: Cli, tmp_path: Path) -> Path:
    assert cli("init", "--recovery-key-file", str(tmp_path / "rk.txt")).code == 0
    return tmp_path / "vault"


@pytest.fixture
def case_id(cli: Cli, vault: Path) -> str:
    return add(cli, "case", {"title": "Fictional returns at Tumen"})


def state(vaults: VaultService, vault: Path) -> VaultState:
    """The vault's state, with the blobs folder listed before an unlock could sweep it."""
    files = blob_files(vault)
    with vaults.unlock(vault, PASSPHRASE) as session:
        found = vault_state(session)
    assert found.blob_files == files
    return found


def attach(cli: Cli, *args: str) -> list[dict[str, object]]:
    result = cli("attach", *args, "--json")
    assert result.code == 0, result.err
    added: list[dict[str, object]] = json.loads(result.out)
    return added


def one_line(err: str) -> str:
    assert err.startswith("safecase: ") and err.endswith("\n") and err.count("\n") == 1, err
    return err


def blob_of(vaults: VaultService, vault: Path, attachment_id: str) -> Path:
    with vaults.unlock(vault, PASSPHRASE) as session:
        stored = session.attachment_blobs.get(attachment_id)
        assert stored is not None
        return session.blobs.path(stored.blob_name)


# --- the happy path ---------------------------------------------------------------------------------------------


def test_attach_list_verify_export_round_trip(cli: Cli, case_id: str, tmp_path: Path) -> None:
    data = os.urandom(3 * MiB + 11)
    source = evidence_file(tmp_path / "crossing.mp4", data)
    result = cli("attach", case_id, str(source), "--description", "Filmed from the river bank")
    assert result.code == 0, result.err
    attachment_id = result.out.split()[0]
    listed = json.loads(cli("attachment", "list", case_id, "--json").out)
    assert [entry["id"] for entry in listed] == [attachment_id]
    assert listed[0]["sha256"] == hashlib.sha256(data).hexdigest() and listed[0]["size"] == len(data)
    assert listed[0]["description"] == "Filmed from the river bank"
    verified = cli("attachment", "verify", attachment_id)
    assert verified.code == 0 and f"sha256:{hashlib.sha256(data).hexdigest()}" in verified.out
    exported = cli("attachment", "export", attachment_id, "-o", str(tmp_path / "copy.mp4"))
    assert exported.code == 0, exported.err
    assert "NOT encrypted" in exported.err
    assert (tmp_path / "copy.mp4").read_bytes() == data
    assert source.read_bytes() == data  # without --shred-original the source stays


def test_a_derived_copy_records_its_original(cli: Cli, case_id: str, tmp_path: Path) -> None:
    original = attach(cli, case_id, str(evidence_file(tmp_path / "scan.png", b"original scan")))[0]["id"]
    copy = attach(
        cli,
        case_id,
        str(evidence_file(tmp_path / "scan-redacted.png", b"redacted scan")),
        "--derived-from",
        str(original),
        "--copy-role",
        "redacted",
        "--derivation",
        "faces blurred",
    )[0]
    assert copy["derived_from_id"] == original and copy["copy_role"] == "redacted"
    assert copy["derivation"] == "faces blurred"


def test_copy_options_without_an_original_are_a_usage_error(
    cli: Cli, case_id: str, tmp_path: Path, vaults: VaultService, vault: Path
) -> None:
    before = state(vaults, vault)
    result = cli("attach", case_id, str(evidence_file(tmp_path / "a.png", b"x")), "--copy-role", "redacted")
    assert state(vaults, vault) == before
    assert result.code == ExitCode.USAGE


# --- refusals ---------------------------------------------------------------------------------------------------


def _bad_source(kind: str, tmp_path: Path) -> str:
    if kind == "missing":
        return str(tmp_path / "nowhere.jpg")
    if kind == "folder":
        (tmp_path / "photos").mkdir()
        return str(tmp_path / "photos")
    if kind == "fifo":
        os.mkfifo(tmp_path / "pipe")
        return str(tmp_path / "pipe")
    if kind == "device":
        return "/dev/null"
    return str(evidence_file(tmp_path / "empty.jpg", b""))


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("missing", "does not exist"),
        ("folder", "is a folder"),
        ("fifo", "pipe or socket"),
        ("device", "is a device"),
        ("empty", "is empty (0 bytes)"),
    ],
)
def test_what_is_not_evidence_is_refused_as_a_usage_error(
    cli: Cli, case_id: str, tmp_path: Path, vaults: VaultService, vault: Path, kind: str, words: str
) -> None:
    before = state(vaults, vault)
    result = cli("attach", case_id, _bad_source(kind, tmp_path))
    assert result.code == ExitCode.USAGE
    assert words in one_line(result.err)
    assert state(vaults, vault) == before


def test_attaching_to_a_tag_or_an_unknown_record_is_refused(
    cli: Cli, vault: Path, tmp_path: Path, vaults: VaultService
) -> None:
    tag = add(cli, "tag", {"label": "Onsong"})
    source = str(evidence_file(tmp_path / "a.jpg", b"photo"))
    before = state(vaults, vault)
    to_tag = cli("attach", tag, source)
    assert to_tag.code == ExitCode.USAGE and "cannot be attached to a tag" in one_line(to_tag.err)
    unknown = cli("attach", "0b7c7d2e-2f45-4a36-9a4e-7f3c1e9d5a11", source)
    assert unknown.code == ExitCode.ERROR and "No record with id" in one_line(unknown.err)
    assert state(vaults, vault) == before


def test_a_file_that_changes_while_read_is_refused(
    cli: Cli, case_id: str, tmp_path: Path, vaults: VaultService, vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = evidence_file(tmp_path / "still-copying.mp4", os.urandom(2 * MiB + 1))
    original = EvidenceSource.on_block

    def on_block(self: EvidenceSource, block: bytes) -> None:
        original(self, block)
        if self.bytes_read == len(block):  # the first block: append more, as a copy in progress would
            with self.path.open("ab") as handle:
                handle.write(b"more")

    monkeypatch.setattr(EvidenceSource, "on_block", on_block)
    before = state(vaults, vault)
    result = cli("attach", case_id, str(source), "--shred-original")
    assert result.code == ExitCode.ERROR and "grew while it was being read" in one_line(result.err)
    assert state(vaults, vault) == before
    assert source.stat().st_size == 2 * MiB + 1 + 4  # not shredded


def test_a_missing_file_among_several_refuses_them_all_before_anything_is_added(
    cli: Cli, case_id: str, tmp_path: Path
) -> None:
    first = evidence_file(tmp_path / "first.jpg", b"first photo")
    result = cli("attach", case_id, str(first), str(tmp_path / "second.jpg"))
    assert result.code == ExitCode.USAGE
    assert "second.jpg does not exist" in one_line(result.err)
    assert cli("attachment", "list", case_id, "--json").out.strip() == "[]"


def test_a_failure_part_way_lists_the_files_already_added(
    cli: Cli, case_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = evidence_file(tmp_path / "first.jpg", b"first photo")
    second = evidence_file(tmp_path / "second.jpg", b"second photo")
    real_attach = AttachmentService.attach

    def fail_on_second(self: AttachmentService, record_id: str, path: Path, **options: Any) -> RecordState:
        if path.name == "second.jpg":  # as if it changed while being read
            raise SafeCaseError("second.jpg changed while it was being read; nothing was added.")
        return real_attach(self, record_id, path, **options)

    monkeypatch.setattr(AttachmentService, "attach", fail_on_second)
    result = cli("attach", case_id, str(first), str(second))
    assert result.code == ExitCode.ERROR
    assert "The 1 file(s) before it were added, as listed." in one_line(result.err)
    (line,) = result.out.splitlines()
    assert "first.jpg" in line
    listed = json.loads(cli("attachment", "list", case_id, "--json").out)
    assert [entry["file_name"] for entry in listed] == ["first.jpg"]
    assert line.startswith(str(listed[0]["id"]))


def test_export_never_overwrites(cli: Cli, case_id: str, tmp_path: Path) -> None:
    attachment_id = attach(cli, case_id, str(evidence_file(tmp_path / "a.jpg", b"photo")))[0]["id"]
    existing = tmp_path / "report.jpg"
    existing.write_bytes(b"someone else's file")
    result = cli("attachment", "export", str(attachment_id), "-o", str(existing))
    assert result.code == ExitCode.USAGE and "already exists" in one_line(result.err)
    assert existing.read_bytes() == b"someone else's file"


# --- shredding the original -------------------------------------------------------------------------------------


def test_shred_original_removes_the_source_and_says_it_is_best_effort(cli: Cli, case_id: str, tmp_path: Path) -> None:
    data = os.urandom(200_000)
    source = evidence_file(tmp_path / "interview.m4a", data)
    result = cli("attach", case_id, str(source), "--shred-original")
    assert result.code == 0, result.err
    assert not source.exists() and os.listdir(tmp_path).count("interview.m4a") == 0
    assert "best effort" in result.err and "SSD" in result.err
    attachment_id = result.out.split()[0]
    assert cli("attachment", "export", attachment_id, "-o", str(tmp_path / "back.m4a")).code == 0
    assert (tmp_path / "back.m4a").read_bytes() == data


def test_a_failed_attach_does_not_shred(cli: Cli, vault: Path, tmp_path: Path) -> None:
    tag = add(cli, "tag", {"label": "Onsong"})
    source = evidence_file(tmp_path / "interview.m4a", b"only copy of the interview")
    result = cli("attach", tag, str(source), "--shred-original")
    assert result.code == ExitCode.USAGE
    assert source.read_bytes() == b"only copy of the interview"


# --- damage -----------------------------------------------------------------------------------------------------


def test_a_flipped_blob_byte_fails_export_verify_and_check(
    cli: Cli, case_id: str, tmp_path: Path, vaults: VaultService, vault: Path
) -> None:
    attachment_id = str(attach(cli, case_id, str(evidence_file(tmp_path / "a.mp4", os.urandom(500_000))))[0]["id"])
    blob = blob_of(vaults, vault, attachment_id)
    flip_byte(blob, blob.stat().st_size // 2)
    out = tmp_path / "copy.mp4"
    exported = cli("attachment", "export", attachment_id, "-o", str(out))
    assert exported.code == ExitCode.INTEGRITY and attachment_id in one_line(exported.err)
    assert not out.exists()
    verified = cli("attachment", "verify", attachment_id)
    assert verified.code == ExitCode.INTEGRITY and attachment_id in one_line(verified.err)
    checked = cli("check")
    assert checked.code == ExitCode.INTEGRITY
    assert any(
        line.startswith("FAILED   evidence files") and attachment_id in line for line in checked.out.splitlines()
    )


@pytest.mark.parametrize("replacement", ["symlink", "folder"])
def test_a_blob_that_is_no_longer_a_regular_file_is_reported_by_name(
    cli: Cli, case_id: str, tmp_path: Path, vaults: VaultService, vault: Path, replacement: str
) -> None:
    first, second = (
        str(entry["id"])
        for entry in attach(
            cli, case_id, str(evidence_file(tmp_path / "a.jpg", b"A")), str(evidence_file(tmp_path / "b.jpg", b"B"))
        )
    )
    blob = blob_of(vaults, vault, first)
    blob.unlink()
    if replacement == "symlink":
        blob.symlink_to(blob_of(vaults, vault, second))
    else:
        blob.mkdir()
    checked = cli("check")
    assert checked.code == ExitCode.INTEGRITY, checked.err
    assert any(line.startswith("FAILED   evidence files") and first in line for line in checked.out.splitlines())
    verified = cli("attachment", "verify", first)
    assert verified.code == ExitCode.INTEGRITY and first in verified.err


def test_quick_check_samples_twenty_of_many_evidence_files(
    cli: Cli, case_id: str, tmp_path: Path, vaults: VaultService, vault: Path
) -> None:
    sources = [str(evidence_file(tmp_path / f"photo-{n:02}.jpg", os.urandom(1000 + n))) for n in range(25)]
    added = attach(cli, case_id, *sources)
    assert len(added) == 25
    clean = cli("check", "--quick")
    assert clean.code == 0, clean.out
    assert "ok       evidence files (sample)" in clean.out
    for entry in added:
        blob = blob_of(vaults, vault, str(entry["id"]))
        flip_byte(blob, blob.stat().st_size - 1)
    quick = cli("check", "--quick", "--json")
    full = cli("check", "--json")
    assert quick.code == full.code == ExitCode.INTEGRITY
    quick_problem = json.loads(quick.out)["problems"][0]
    full_problem = json.loads(full.out)["problems"][0]
    assert quick_problem.startswith("evidence files (sample): ") and quick_problem.endswith("(and 17 more)")
    assert full_problem.startswith("evidence files: ") and full_problem.endswith("(and 22 more)")


# --- stripping metadata on export -------------------------------------------------------------------------------


def jpeg_with_exif(text: bytes) -> bytes:
    """A small real JPEG (made by Qt, in memory) with an EXIF segment whose ImageDescription is ``text``."""
    image = QImage(24, 16, QImage.Format.Format_RGB32)
    image.fill(QColor(40, 120, 200))
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert QImageWriter(buffer, QByteArray(b"jpeg")).write(image)
    plain = bytes(array.data())
    value = text + b"\x00"
    ifd = struct.pack("<H", 1) + struct.pack("<HHII", 0x010E, 2, len(value), 26) + struct.pack("<I", 0)
    payload = b"Exif\x00\x00" + b"II*\x00" + struct.pack("<I", 8) + ifd + value
    app1 = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return plain[:2] + app1 + plain[2:]


def test_strip_metadata_removes_exif_from_the_export_only(cli: Cli, case_id: str, tmp_path: Path) -> None:
    marker = f"FICTIONAL-GPS-{uuid.uuid4().hex}".encode("ascii")
    data = jpeg_with_exif(marker)
    assert not QImage.fromData(data).isNull()
    attachment_id = str(attach(cli, case_id, str(evidence_file(tmp_path / "photo.jpg", data)))[0]["id"])
    out = tmp_path / "shareable.jpg"
    result = cli("attachment", "export", attachment_id, "-o", str(out), "--strip-metadata")
    assert result.code == 0, result.err
    assert "Removed: EXIF" in result.err
    cleaned = out.read_bytes()
    assert marker not in cleaned and b"Exif\x00\x00" not in cleaned
    assert QImage.fromData(cleaned).size() == QImage.fromData(data).size()
    verified = cli("attachment", "verify", attachment_id)
    assert verified.code == 0 and hashlib.sha256(data).hexdigest() in verified.out  # the vault copy is untouched


def test_strip_metadata_says_what_it_could_not_strip(cli: Cli, case_id: str, tmp_path: Path) -> None:
    pdf = b"%PDF-1.4\n1 0 obj << /Author (Fictional Author) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    attachment_id = str(attach(cli, case_id, str(evidence_file(tmp_path / "report.pdf", pdf)))[0]["id"])
    out = tmp_path / "report-copy.pdf"
    result = cli("attachment", "export", attachment_id, "-o", str(out), "--strip-metadata")
    assert result.code == 0, result.err
    assert "was not removed" in result.err and "PDF" in result.err
    assert out.read_bytes() == pdf
