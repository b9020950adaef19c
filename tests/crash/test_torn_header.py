"""A header cut short (a write torn by a power cut or a failing disk) is reported clearly, never as a wrong
passphrase and never as a traceback, and the message points at the intact backup, which really restores the vault.

A SIGKILL cannot tear a header (atomic_write renames a complete, fsynced temporary file into place), so these
tests cut the files themselves.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from safecase.cli.main import run
from safecase.crypto.header_format import DAMAGED
from safecase.crypto.kdf import KdfPolicy
from safecase.domain.clock import FakeClock
from safecase.errors import ExitCode, IntegrityError
from safecase.services.session import VaultSession
from tests.adversarial.figures import SecurityFigure, record

from .harness import CLOCK_MS, PASSPHRASE, BaseVault, copy_vault, create_vault, fictional_records, services, state_of


@pytest.fixture
def vault(workdir: Path) -> BaseVault:
    return create_vault(workdir / "vault", fictional_records(6))


def _prefixes(data: bytes) -> list[bytes]:
    """Every proper prefix of the header that is not the whole header (the trailing newline is optional)."""
    whole = data.rstrip(b"\r\n")
    return [data[:n] for n in range(len(data)) if data[:n].rstrip(b"\r\n") != whole]


def _cli(vault: Path, *args: str, passphrase_file: Path) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run(
        [*args, "--vault", str(vault), "--passphrase-file", str(passphrase_file)],
        kdf_policy=KdfPolicy.for_tests(),
        clock=FakeClock(CLOCK_MS),
        stdin=io.StringIO(),
        stdout=stdout,
        stderr=stderr,
        environ={},
        prompt=lambda label: pytest.fail(f"the CLI asked for the {label}"),
    )
    return code, stdout.getvalue(), stderr.getvalue()


def test_every_torn_header_gives_an_integrity_error_that_points_at_the_intact_backup(vault: BaseVault) -> None:
    header = vault.root / "header.json"
    backup = vault.root / "header.bak.json"
    original, backup_bytes = header.read_bytes(), backup.read_bytes()
    attempts: dict[str, Callable[[], VaultSession]] = {
        "the passphrase": lambda: services().unlock(vault.root, PASSPHRASE),
        "a wrong passphrase": lambda: services().unlock(vault.root, "not the fictional passphrase"),
        "the recovery key": lambda: services().unlock_with_recovery_key(vault.root, vault.recovery_key),
    }
    failures, opened = [], []
    prefixes = _prefixes(original)
    for prefix in prefixes:
        header.write_bytes(prefix)
        for how, attempt in attempts.items():
            try:
                attempt().close()
            except IntegrityError as error:
                if str(backup) not in error.message or "restore" not in error.message:
                    failures.append(f"{len(prefix)} bytes, {how}: {error.message}")
            except Exception as error:  # report every prefix that goes wrong, not just the first
                failures.append(f"{len(prefix)} bytes, {how}: {type(error).__name__}: {error}")
            else:
                opened.append(f"{len(prefix)} bytes, {how}: unlocked a vault whose header is torn")
    tried = len(prefixes) * len(attempts)
    row = "Header torn at every length: unlock by passphrase, wrong passphrase, recovery key"
    note = "each must say the header is damaged and name the restore from the intact backup"
    record(SecurityFigure("crash", row, tried, "unlocks", tried - len(failures) - len(opened),
                          accepted=len(opened), crashes=len(failures), note=note))  # fmt: skip
    failures += opened
    assert len(prefixes) > 500
    assert not failures, "\n".join(failures[:20])
    assert backup.read_bytes() == backup_bytes, "a failed unlock must not touch the backup"


@pytest.mark.parametrize("keep", [0, 1, 100, 0.5, -2])
def test_the_command_line_reports_a_torn_header_in_one_line_with_exit_code_4(
    vault: BaseVault, workdir: Path, keep: float
) -> None:
    header = vault.root / "header.json"
    data = header.read_bytes()
    header.write_bytes(data[: int(len(data) * keep) if isinstance(keep, float) else keep])
    passphrase_file = workdir / "passphrase.txt"
    passphrase_file.write_text(PASSPHRASE + "\n", encoding="utf-8")
    code, stdout, stderr = _cli(vault.root, "check", passphrase_file=passphrase_file)
    assert code == ExitCode.INTEGRITY
    assert stdout == ""
    assert stderr.count("\n") == 1 and stderr.startswith("safecase: ")
    assert f"safecase header restore {vault.root / 'header.bak.json'}" in stderr
    assert "Traceback" not in stderr and "internal error" not in stderr and "Wrong passphrase" not in stderr


def test_the_restore_the_message_advises_brings_the_vault_back(vault: BaseVault, workdir: Path) -> None:
    before = state_of(copy_vault(vault.root, workdir / "reference" / "vault"))
    header = vault.root / "header.json"
    header.write_bytes(header.read_bytes()[:200])
    passphrase_file = workdir / "passphrase.txt"
    passphrase_file.write_text(PASSPHRASE + "\n", encoding="utf-8")
    code, _, stderr = _cli(
        vault.root, "header", "restore", str(vault.root / "header.bak.json"), passphrase_file=passphrase_file
    )
    assert code == ExitCode.OK, stderr
    assert (vault.root / "header.json").read_bytes() == (vault.root / "header.bak.json").read_bytes()
    assert _cli(vault.root, "check", passphrase_file=passphrase_file)[0] == ExitCode.OK
    assert state_of(vault.root) == before
    with services().unlock_with_recovery_key(vault.root, vault.recovery_key):
        pass


def test_a_torn_backup_does_not_stop_the_vault_from_opening(vault: BaseVault) -> None:
    backup = vault.root / "header.bak.json"
    backup.write_bytes(backup.read_bytes()[:300])
    with services().unlock(vault.root, PASSPHRASE):
        pass
    with services().unlock_with_recovery_key(vault.root, vault.recovery_key):
        pass


def test_a_torn_header_and_a_torn_backup_say_the_header_is_damaged(vault: BaseVault) -> None:
    for name in ("header.json", "header.bak.json"):
        path = vault.root / name
        path.write_bytes(path.read_bytes()[:250])
    with pytest.raises(IntegrityError) as raised:
        services().unlock(vault.root, PASSPHRASE)
    assert raised.value.message == DAMAGED


def test_a_torn_temporary_header_from_a_killed_write_is_ignored_and_removed(vault: BaseVault) -> None:
    """What a SIGKILL inside atomic_write leaves: a partial temporary file beside the intact header."""
    torn = vault.root / ".header.json.0123456789ab.tmp"
    torn.write_bytes((vault.root / "header.json").read_bytes()[:123])
    with services().unlock(vault.root, PASSPHRASE):
        pass
    assert not torn.exists()
