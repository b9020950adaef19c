"""Regressions found by the full-disk sweep (test_full_disk.py), pinned without needing a mounted file system.

- A write committed, then the disk filled before the session closed: signing the audit tip at close met
  SQLITE_FULL, and the command reported "nothing was changed" (exit 1) for a change that was saved.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from safecase.cli.main import run
from safecase.crypto.kdf import KdfPolicy
from safecase.domain.clock import FakeClock
from safecase.storage.audit import AuditLog

from .harness import CLOCK_MS, EDIT_MARKER, PASSPHRASE, BaseVault, create_vault, fictional_records, record_id, state_of


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
