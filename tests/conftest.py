"""Shared fixtures: fast vaults (test KDF policy, fake clock) and an in-process command line."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from safecase.cli.main import run
from safecase.crypto.kdf import KdfPolicy
from safecase.domain.clock import FakeClock
from safecase.services.session import VaultSession
from safecase.services.vault import CreatedVault, VaultService
from tests.private_bus import connection_pair, private_bus

if TYPE_CHECKING:
    from PySide6.QtDBus import QDBusConnection

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1_764_000_000_000)


@pytest.fixture
def vaults(clock: FakeClock) -> VaultService:
    return VaultService(KdfPolicy.for_tests(), clock)


@pytest.fixture
def created_vault(tmp_path: Path, vaults: VaultService) -> CreatedVault:
    return vaults.create(tmp_path / "vault", PASSPHRASE, "Test Worker", "Test Org")


@pytest.fixture
def session(vaults: VaultService, created_vault: CreatedVault) -> Iterator[VaultSession]:
    with vaults.unlock(created_vault.folder, PASSPHRASE) as opened:
        yield opened


@dataclass
class CliResult:
    code: int
    out: str
    err: str


Cli = Callable[..., CliResult]


@pytest.fixture
def cli(tmp_path: Path, clock: FakeClock) -> Cli:
    """Run `safecase ARGS...` in-process with the test KDF policy; `stdin=` feeds standard input.

    The vault defaults to tmp_path/vault and the passphrase to PASSPHRASE (via a passphrase file) unless the
    arguments name their own.
    """
    passphrase_file = tmp_path / "passphrase.txt"
    passphrase_file.write_text(PASSPHRASE + "\n", encoding="utf-8")

    def invoke(*args: str, stdin: str = "", answers: tuple[str, ...] = ()) -> CliResult:
        argv = list(args)
        if "--vault" not in argv:
            argv += ["--vault", str(tmp_path / "vault")]
        if "--passphrase-file" not in argv:
            argv += ["--passphrase-file", str(passphrase_file)]
        pending = list(answers)

        def prompt(label: str) -> str:
            if not pending:
                raise AssertionError(f"unexpected prompt: {label}")
            return pending.pop(0)

        out, err = io.StringIO(), io.StringIO()
        code = run(
            argv,
            kdf_policy=KdfPolicy.for_tests(),
            clock=clock,
            stdin=io.StringIO(stdin),
            stdout=out,
            stderr=err,
            environ={},
            prompt=prompt,
        )
        return CliResult(code, out.getvalue(), err.getvalue())

    return invoke


@pytest.fixture
def private_bus_address() -> Iterator[str]:
    """A throwaway D-Bus daemon, so the screen-lock listener meets real D-Bus signals, not the user's buses."""
    with private_bus() as address:
        yield address


@pytest.fixture
def bus_pair(private_bus_address: str) -> Iterator[tuple[QDBusConnection, QDBusConnection]]:
    """(listener's connection, a sender's connection that owns the login1 name) on the private bus."""
    with connection_pair(private_bus_address) as pair:
        yield pair
