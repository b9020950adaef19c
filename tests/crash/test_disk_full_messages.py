"""Regressions found by the full-disk sweep (test_full_disk.py), pinned without needing a mounted file system.

- A write committed, then the disk filled before the session closed: signing the audit tip at close met
  SQLITE_FULL, and the command reported "nothing was changed" (exit 1) for a change that was saved.
- A passphrase change whose header backup did not fit had already replaced header.json, and said "unexpected
  internal error (OSError)": both copies are now written before either is put in place.
- A key change (passphrase, rotation, header restore) in force whose audit entry did not fit said "nothing was
  changed"; it now says the change stands.
- A rotation whose final header did not fit said nothing of the re-encrypted database; now it says the next
  unlock completes it.
- SQLCipher answers "ok" to a PRAGMA rekey that could not write its pages; the connection then reads nothing and
  the command said "the vault database is damaged ... restore it from a backup" (exit 4). Now it says the
  database keeps its key.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from safecase.cli.main import run
from safecase.crypto.kdf import KdfPolicy
from safecase.domain.clock import FakeClock
from safecase.errors import VaultStateError
from safecase.services.check import check_vault
from safecase.storage.audit import AuditLog
from safecase.storage.database import Database
from safecase.storage.vault_folder import VaultFolder

from .harness import (
    CLOCK_MS,
    NEW_PASSPHRASE,
    PASSPHRASE,
    BaseVault,
    create_vault,
    fictional_records,
    read_header,
    record_id,
    services,
    state_of,
)
from .mounts import small_tmpfs
from .vault_state import EDIT_MARKER


def safecase(vault: Path, *args: str, folder: Path) -> tuple[int, str]:
    passphrase_file = folder / "passphrase.txt"
    passphrase_file.write_text(PASSPHRASE + "\n", encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run(
        [*args, "--vault", str(vault), "--passphrase-file", str(passphrase_file)],
        kdf_policy=KdfPolicy.for_tests(),
        clock=FakeClock(CLOCK_MS),
        stdin=io.StringIO(),
        stdout=stdout,
        stderr=stderr,
        environ={},
        prompt=lambda label: pytest.fail(f"the command asked for {label}"),
    )
    return code, stderr.getvalue()


@pytest.fixture
def vault(workdir: Path) -> BaseVault:
    return create_vault(workdir / "vault", fictional_records(3))


def test_an_edit_saved_before_the_disk_fills_is_reported_as_saved(
    vault: BaseVault, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*_: Any) -> None:  # the closing checkpoint's INSERT, as SQLite reports it on a full disk
        raise sqlcipher3.OperationalError("database or disk is full")

    monkeypatch.setattr(AuditLog, "checkpoint", disk_full)
    patch = workdir / "patch.json"
    patch.write_text(f'{{"summary": "Corrected, about {EDIT_MARKER}."}}', encoding="utf-8")
    code, stderr = safecase(vault.root, "record", "edit", record_id(1), str(patch), folder=workdir)
    monkeypatch.undo()
    assert (code, stderr) == (0, "")
    assert EDIT_MARKER in state_of(vault.root)


# -- key changes ---------------------------------------------------------------------------------------------------


def _fail_fsync_of(name_part: str) -> Any:
    """os.fsync that fails with ENOSPC for a file whose name holds `name_part` (tmpfs and ext4 report a full disk
    at write or fsync), and works as usual for everything else."""
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if name_part in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    return fsync


def _new_passphrase_file(folder: Path) -> Path:
    path = folder / "new-passphrase.txt"
    path.write_text(NEW_PASSPHRASE + "\n", encoding="utf-8")
    return path


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names open files through /proc")
def test_a_passphrase_change_whose_header_backup_does_not_fit_changes_nothing(
    vault: BaseVault, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    header = (vault.root / "header.json").read_bytes()
    monkeypatch.setattr(os, "fsync", _fail_fsync_of("header.bak.json"))
    code, stderr = safecase(
        vault.root, "passwd", "--new-passphrase-file", str(_new_passphrase_file(workdir)), folder=workdir
    )
    monkeypatch.undo()
    assert code == 1 and stderr.count("\n") == 1 and "disk is full" in stderr and "left as it was" in stderr, stderr
    assert (vault.root / "header.json").read_bytes() == header, "header.json was replaced before the backup fitted"
    assert not list(vault.root.glob(".*.tmp"))
    services().unlock(vault.root, PASSPHRASE).close()


def _audit_disk_full(*_: Any) -> None:
    raise sqlcipher3.OperationalError("database or disk is full")


def test_a_passphrase_change_whose_audit_entry_does_not_fit_says_the_new_passphrase_is_in_force(
    vault: BaseVault, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(AuditLog, "append", _audit_disk_full)
    code, stderr = safecase(
        vault.root, "passwd", "--new-passphrase-file", str(_new_passphrase_file(workdir)), folder=workdir
    )
    monkeypatch.undo()
    assert code == 1 and stderr.startswith("safecase: The passphrase was changed") and stderr.count("\n") == 1, stderr
    services().unlock(vault.root, NEW_PASSPHRASE).close()


def test_a_header_restore_whose_audit_entry_does_not_fit_says_the_header_is_restored(
    vault: BaseVault, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    header = vault.root / "header.json"
    header.write_bytes(header.read_bytes()[:100])
    monkeypatch.setattr(AuditLog, "append", _audit_disk_full)
    code, stderr = safecase(vault.root, "header", "restore", str(vault.root / "header.bak.json"), folder=workdir)
    monkeypatch.undo()
    assert code == 1 and stderr.startswith("safecase: The header was restored") and stderr.count("\n") == 1, stderr
    services().unlock(vault.root, PASSPHRASE).close()


def test_a_rotation_whose_final_header_does_not_fit_says_the_next_unlock_completes_it(
    vault: BaseVault, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safecase.storage.vault_folder import HeaderNotWritten  # added by the fix this pins

    writes: list[bytes] = []
    write_header = VaultFolder.write_header

    def second_write_fails(folder: VaultFolder, data: bytes) -> None:
        writes.append(data)
        if len(writes) == 2:  # begin_rotation's header fitted; finish_rotation's does not
            raise HeaderNotWritten(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
        write_header(folder, data)

    monkeypatch.setattr(VaultFolder, "write_header", second_write_fails)
    code, stderr = safecase(vault.root, "rotate-key", folder=workdir)
    monkeypatch.undo()
    assert code == 1 and stderr.startswith("safecase: The master key was replaced") and "next unlock" in stderr
    services().unlock(vault.root, PASSPHRASE).close()
    assert read_header(vault.root).key_epoch == 2 and read_header(vault.root).pending is None


def test_a_rekey_that_meets_a_full_disk_is_reported_and_keeps_the_old_key(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLCipher answers "ok" to a PRAGMA rekey whose pages did not fit; only a real full disk shows it."""
    with small_tmpfs(workdir / "mnt", 8 << 20) as disk:
        if disk is None:
            pytest.skip("needs a small file system (mounting needs root); test_full_disk.py covers it there too")
        vault = create_vault(disk / "vault", fictional_records(30))
        rekey = Database.rekey

        def fill_then_rekey(db: Database, key: bytes) -> None:  # the pending header is written: now the disk fills
            _fill(disk / "filler")
            rekey(db, key)

        monkeypatch.setattr(Database, "rekey", fill_then_rekey)
        refused = pytest.raises(VaultStateError, match="could not be re-encrypted")
        with services().unlock(vault.root, PASSPHRASE) as session, refused:
            services().rotate_master_key(session, PASSPHRASE)
        monkeypatch.undo()
        (disk / "filler").unlink()
        with services().unlock(vault.root, PASSPHRASE) as session:
            assert check_vault(session).ok
        assert read_header(vault.root).key_epoch == 1 and read_header(vault.root).pending is None


def _fill(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 20, 1 << 12, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, bytes(size))
    finally:
        os.close(fd)
