"""The real `safecase` process: entry point, exit codes, and process hardening (no core dumps, private umask)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from safecase import __version__


def safecase(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "safecase", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_version_and_help() -> None:
    version = safecase("--version")
    assert version.returncode == 0
    assert version.stdout.splitlines()[0] == f"safecase {__version__}"  # what scripts match; more lines follow
    assert version.stdout.splitlines()[-1] == "running from source"
    assert "exit codes" in safecase("--help").stdout


def test_no_terminal_and_no_passphrase_file_is_a_usage_error(tmp_path: Path) -> None:
    result = safecase("--vault", str(tmp_path / "v"), "init")
    assert result.returncode == 2
    assert "--" in result.stderr and "Traceback" not in result.stderr


def test_hardening_disables_core_dumps_and_sets_a_private_umask() -> None:
    probe = (
        "import os, resource\n"
        "from safecase.process_hardening import harden_process\n"
        "harden_process()\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE), oct(os.umask(0)))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "(0, 0) 0o77"


def test_a_real_vault_with_the_production_kdf(tmp_path: Path) -> None:
    """One full-strength run: calibrated Argon2id, SQLCipher on disk, then a record and a check."""
    passphrase = tmp_path / "p"
    passphrase.write_text("a long enough passphrase\n")
    common = ("--vault", str(tmp_path / "vault"), "--passphrase-file", str(passphrase))
    created = safecase("init", *common, "--recovery-key-file", str(tmp_path / "rk"))
    assert created.returncode == 0, created.stderr
    header = (tmp_path / "vault" / "header.json").read_text()
    assert '"memory_kib":' in header and '"memory_kib":1024' not in header
    add = subprocess.run(
        [sys.executable, "-m", "safecase", "record", "add", "tag", *common],
        input='{"label": "Musan"}',
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert add.returncode == 0, add.stderr
    assert safecase("check", *common).returncode == 0
    assert b"Musan" not in (tmp_path / "vault" / "vault.db").read_bytes()
