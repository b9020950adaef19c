"""A read-only vault (read-only mount, or no write permission) gets a clear error and is left as it was."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_cli_vault import snapshot
from tests.conftest import Cli


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make `folder` read-only: a read-only bind mount as root (root ignores permissions), else chmod."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
        for path in modes:
            path.chmod(0o500 if path.is_dir() else 0o400)
        try:
            yield
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        return
    mounted = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True).returncode == 0
    if not mounted or subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)]).returncode != 0:
        if mounted:
            subprocess.run(["umount", str(folder)])
        pytest.skip("cannot make a read-only mount here")
    try:
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_read_only_vault_is_refused_with_a_clear_message(cli: Cli, tmp_path: Path) -> None:
    assert cli("init", "--recovery-key-file", str(tmp_path / "rk")).code == 0
    assert cli("record", "add", "tag", stdin='{"label": "Hyesan"}').code == 0
    vault = tmp_path / "vault"
    before = snapshot(vault)
    new = tmp_path / "new"
    new.write_text("another passphrase\n")
    with read_only(vault):
        for args in (
            ("record", "list", "tag"),
            ("record", "add", "tag"),
            ("passwd", "--new-passphrase-file", str(new)),
            ("shred", "--yes"),
        ):
            result = cli(*args, stdin='{"label": "x"}')
            assert result.code == 1, (args, result.err)
            assert "read-only" in result.err and result.err.count("\n") == 1
    assert snapshot(vault) == before
