"""Crashed intakes: a SIGKILLed attach leaves nothing a record points at, and the next unlock sweeps what it left.

(Moved here from tests/services so that tools/security_table.py publishes its rows; test_attachment_intake_crash.py
kills an intake at every durability point through the writer child.)

A child process (``sys.executable``, the tests' fast KDF) attaches a large sparse file and is SIGKILLed while the
blob is being written; or, through a hook on ``AttachmentBlobs.add``, inside the transaction that would reference
the blob; or, through a hook on ``PendingBlob.publish``, after that commit but before the blob's rename. Unlocking
then removes the partial blob of an intake that never committed and completes the one that did
(``BlobStore.sweep``), ``check`` passes, and the vault takes new evidence as before. A leftover that another live
process still holds locked (an intake in progress elsewhere) is left alone, and a finished blob no record names
(as after restoring an older database) is never removed.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyrage
import pytest

from safecase.services.attachments import AttachmentService
from safecase.services.check import check_vault
from safecase.services.session import VaultSession
from safecase.services.vault import CreatedVault, VaultService
from safecase.storage.blob_store import PARTIAL_SUFFIX, new_blob_name
from tests.conftest import PASSPHRASE
from tests.services.test_attachments import add_case, blob_files, evidence_file

from .sweeps import published

if not hasattr(signal, "SIGKILL"):  # pragma: no cover - Windows
    pytest.skip("SIGKILL and advisory locks are POSIX only", allow_module_level=True)

SRC = Path(__file__).resolve().parents[2] / "src"
CHILD = """
import os, signal, sys
from pathlib import Path
from safecase.crypto.kdf import KdfPolicy
from safecase.domain.clock import SystemClock
from safecase.services.attachments import AttachmentService
from safecase.services.vault import VaultService
from safecase.storage.attachment_blobs import AttachmentBlobs

from safecase.storage.blob_store import PendingBlob

vault, record_id, source, kill_at = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
if kill_at == "commit":
    add = AttachmentBlobs.add
    def add_then_die(self, *args):
        add(self, *args)  # inside the transaction that references the blob, before it commits
        os.kill(os.getpid(), signal.SIGKILL)
    AttachmentBlobs.add = add_then_die
if kill_at == "rename":
    def die_before_rename(self):
        os.kill(os.getpid(), signal.SIGKILL)  # committed, the blob still named .partial
    PendingBlob.publish = die_before_rename
session = VaultService(KdfPolicy.for_tests(), SystemClock()).unlock(Path(vault), sys.stdin.readline().rstrip("\\n"))
print("unlocked", flush=True)
AttachmentService(session).attach(record_id, Path(source))
print("attached", flush=True)
"""
SPARSE_BYTES = 1 << 30  # far more than is written before the kill; a sparse file costs no disk space
KILL_AFTER_BYTES = 4 << 20


def start_intake(vault: Path, record_id: str, source: Path, log: Path, *, kill_at: str = "") -> subprocess.Popen[str]:
    """Start the child; its output goes to ``log`` (read it with ``log.read_text()`` when something fails)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    with log.open("w") as output:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(vault), record_id, str(source), kill_at or "-"],
            stdin=subprocess.PIPE,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
    assert child.stdin is not None
    child.stdin.write(PASSPHRASE + "\n")
    child.stdin.close()
    return child


def kill_when_partial_grows(child: subprocess.Popen[str], blobs: Path, deadline_s: float = 60) -> Path:
    """SIGKILL ``child`` as soon as its partial blob holds more than KILL_AFTER_BYTES; return that partial."""
    give_up = time.monotonic() + deadline_s
    while time.monotonic() < give_up:
        assert child.poll() is None, "the intake ended before it could be killed"
        partials = [p for p in blobs.glob(f"*{PARTIAL_SUFFIX}") if p.stat().st_size > KILL_AFTER_BYTES]
        if partials:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            return partials[0]
        time.sleep(0.002)
    child.kill()
    raise AssertionError("no partial blob appeared in time")


@pytest.fixture
def vault_with_case(vaults: VaultService, created_vault: CreatedVault) -> tuple[Path, str]:
    with vaults.unlock(created_vault.folder, PASSPHRASE) as session:
        return created_vault.folder, add_case(session)


@pytest.fixture
def sparse_source(tmp_path: Path) -> Path:
    if shutil.disk_usage(tmp_path).free < 2 * SPARSE_BYTES:
        pytest.skip("intake first checks that the whole file would fit: needs 2 GiB free beside the vault")
    source = tmp_path / "long-interview.wav"
    with source.open("wb") as handle:
        handle.truncate(SPARSE_BYTES)
    return source


def assert_recovered(session: VaultSession, case_id: str, tmp_path: Path) -> None:
    """No record points at a half blob, blobs/ holds only referenced files, check passes, intake works again."""
    assert session.db.query_one("SELECT count(*) FROM records WHERE kind = 'attachment'")[0] == 0
    assert session.db.query_one("SELECT count(*) FROM attachment_blobs")[0] == 0
    assert blob_files(session.folder.root) == ()
    report = check_vault(session)
    assert report.ok, report.problems
    service = AttachmentService(session)
    state = service.attach(case_id, evidence_file(tmp_path / "after.jpg", b"taken in after the crash"))
    assert service.read_bytes(state.id, limit=100) == b"taken in after the crash"
    assert check_vault(session).ok


def test_an_intake_killed_while_writing_the_blob_is_swept_on_unlock(
    vaults: VaultService, vault_with_case: tuple[Path, str], sparse_source: Path, tmp_path: Path
) -> None:
    vault, case_id = vault_with_case
    log = tmp_path / "child.log"
    child = start_intake(vault, case_id, sparse_source, log)
    partial = kill_when_partial_grows(child, vault / "blobs")
    assert child.returncode == -signal.SIGKILL, log.read_text()
    assert "unlocked" in log.read_text() and "attached" not in log.read_text()
    assert partial.exists() and blob_files(vault) == (partial.name,)
    with (
        published("Evidence intake (1 GiB file) SIGKILLed 4 MiB into writing its blob"),
        vaults.unlock(vault, PASSPHRASE) as session,
    ):
        assert not partial.exists()
        assert_recovered(session, case_id, tmp_path)


def test_an_intake_killed_before_its_commit_is_swept_on_unlock(
    vaults: VaultService, vault_with_case: tuple[Path, str], tmp_path: Path
) -> None:
    vault, case_id = vault_with_case
    source = evidence_file(tmp_path / "photo.jpg", os.urandom(300_000))
    log = tmp_path / "child.log"
    child = start_intake(vault, case_id, source, log, kill_at="commit")
    assert child.wait(timeout=60) == -signal.SIGKILL, log.read_text()
    finished = blob_files(vault)
    assert len(finished) == 1 and finished[0].endswith(PARTIAL_SUFFIX)  # complete, but never committed
    with (
        published("Evidence intake SIGKILLed inside its transaction (blob complete, not committed)"),
        vaults.unlock(vault, PASSPHRASE) as session,
    ):
        assert blob_files(vault) == ()
        assert AttachmentService(session).list_for(case_id) == []
        assert_recovered(session, case_id, tmp_path)


def test_an_intake_killed_after_its_commit_is_completed_on_unlock(
    vaults: VaultService, vault_with_case: tuple[Path, str], tmp_path: Path
) -> None:
    vault, case_id = vault_with_case
    content = os.urandom(300_000)
    source = evidence_file(tmp_path / "photo.jpg", content)
    log = tmp_path / "child.log"
    child = start_intake(vault, case_id, source, log, kill_at="rename")
    assert child.wait(timeout=60) == -signal.SIGKILL, log.read_text()
    assert blob_files(vault)[0].endswith(PARTIAL_SUFFIX)
    with (
        published("Evidence intake SIGKILLed after its commit, before the blob's rename"),
        vaults.unlock(vault, PASSPHRASE) as session,
    ):
        (attached,) = AttachmentService(session).list_for(case_id)
        assert AttachmentService(session).read_bytes(attached.id, limit=len(content)) == content
        assert not any(name.endswith(PARTIAL_SUFFIX) for name in blob_files(vault))
        assert check_vault(session).ok


def _leftovers(vault: Path) -> tuple[Path, Path]:
    """A finished unreferenced blob (a real age file) and a partial one, as a crash would leave them."""
    orphan = vault / "blobs" / new_blob_name()
    orphan.write_bytes(pyrage.encrypt(b"never committed", [pyrage.x25519.Identity.generate().to_public()]))
    partial = vault / "blobs" / f"{new_blob_name()}{PARTIAL_SUFFIX}"
    partial.write_bytes(b"age-encryption.org/v1\n")
    return orphan, partial


def test_a_dead_partial_is_swept_but_a_finished_unreferenced_blob_is_kept(
    vaults: VaultService, vault_with_case: tuple[Path, str], tmp_path: Path
) -> None:
    vault, case_id = vault_with_case
    with vaults.unlock(vault, PASSPHRASE) as session:
        kept = AttachmentService(session).attach(case_id, evidence_file(tmp_path / "kept.jpg", b"committed"))
    kept_files = blob_files(vault)
    orphan, partial = _leftovers(vault)  # the orphan stands for evidence newer than a restored database
    with vaults.unlock(vault, PASSPHRASE) as session:
        assert orphan.exists() and not partial.exists()
        assert sorted(blob_files(vault)) == sorted((*kept_files, orphan.name))
        assert AttachmentService(session).read_bytes(kept.id, limit=100) == b"committed"
        assert check_vault(session).ok


def test_a_blob_locked_by_a_live_intake_is_not_swept(vaults: VaultService, vault_with_case: tuple[Path, str]) -> None:
    vault, _ = vault_with_case
    orphan, partial = _leftovers(vault)
    # Locked the way an intake running in another process holds its blob: flock on its own open file.
    handles = [orphan.open("rb"), partial.open("rb")]
    try:
        for handle in handles:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with vaults.unlock(vault, PASSPHRASE) as session:
            assert orphan.exists() and partial.exists()
            assert check_vault(session).ok
    finally:
        for handle in handles:
            handle.close()
    with vaults.unlock(vault, PASSPHRASE):  # the other intake let go without committing: its partial goes
        assert orphan.exists() and not partial.exists()
