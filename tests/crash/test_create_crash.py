"""An interrupted ``init`` leaves no vault at the target path, or a complete one; never a half-made vault.

The vault is built in a hidden sibling folder (``.<name>.creating-<random>``) and renamed into place. These tests
also record what such a staging folder keeps when the process dies before the rename.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from safecase.crypto.recovery_key import generate_recovery_key
from safecase.errors import VaultStateError
from tests.adversarial.figures import SecurityFigure, budget, record

from .harness import (
    PASSPHRASE,
    crash_runs,
    describe_point,
    expected_outcome,
    open_survivor,
    request_for,
    run_uninterrupted,
    select_points,
    services,
    state_of,
)

SQLITE_PLAINTEXT_MAGIC = b"SQLite format 3\x00"


@dataclass
class CreateSweep:
    labels: list[str]
    complete: list[int] = field(default_factory=list)  # kill points after which the target is a whole vault
    absent: list[int] = field(default_factory=list)  # ... after which there is no vault at the target
    staging_with_header: list[str] = field(default_factory=list)  # leftover staging folders holding a header
    staging_after_retry: list[str] = field(default_factory=list)  # ... still there after `init` was run again
    failures: list[str] = field(default_factory=list)
    tried: int = 0

    def figure(self) -> SecurityFigure:
        """The crash table's row: kill points whose failures are all about the writer are unexpected failures."""
        points = {f.split(": ", 1)[0] for f in self.failures}
        crashed = {f.split(": ", 1)[0] for f in self.failures if ": the writer " in f}
        return SecurityFigure(
            "crash", "Vault creation (init) killed at a durability point", self.tried, "kill points",
            self.tried - len(points), lost=len(points - crashed), crashes=len(crashed),
            note="no vault at the target, or a complete one",
        )  # fmt: skip


def _inspect_leftovers(parent: Path, target: Path, where: str, result: CreateSweep) -> None:
    for leftover in parent.iterdir():
        if leftover == target:
            continue
        if not (leftover.name.startswith(f".{target.name}.creating-") and leftover.is_dir()):
            result.failures.append(f"{where}: unexpected leftover {leftover.name}")
            continue
        names = sorted(p.name for p in leftover.iterdir())
        for path in leftover.iterdir():
            if path.is_file() and path.read_bytes()[:16] == SQLITE_PLAINTEXT_MAGIC:
                result.failures.append(f"{where}: {path.name} in the staging folder is an UNENCRYPTED database")
        headers = [p.name for p in leftover.iterdir() if "header" in p.name and p.stat().st_size > 0]
        if headers:
            result.staging_with_header.append(f"{where}: {leftover.name} holds {headers}, beside {names}")


@pytest.fixture(scope="module")
def create_sweep(make_workdir: Callable[[str], Path]) -> CreateSweep:
    workdir = make_workdir("create")
    recovery_key = generate_recovery_key()
    request = request_for("create", recovery_secret_hex=recovery_key.secret.hex())
    probe = workdir / "probe" / "vault"
    labels = run_uninterrupted(request, probe, scratch=workdir)
    states = {"new": state_of(probe)}
    result = CreateSweep(labels)
    points = select_points(labels, budget(100, 10_000))
    result.tried = len(points)
    kill_dir = lambda n: workdir / f"kill-{n}" / "vault"  # noqa: E731
    for point, target, outcome in crash_runs(request, points, kill_dir, scratch=workdir):
        where = describe_point(labels, point)
        if outcome != expected_outcome(point, labels):
            result.failures.append(f"{where}: the writer {outcome}")
            continue
        parent = target.parent
        if parent.exists():
            _inspect_leftovers(parent, target, where, result)
        try:
            if target.exists():
                open_survivor(target, [PASSPHRASE], recovery_key, states)
                result.complete.append(point)
            else:
                with pytest.raises(VaultStateError, match="No vault at"):
                    services().unlock(target, PASSPHRASE)
                services().create(target, PASSPHRASE)  # trying again works
                result.staging_after_retry += [p.name for p in parent.glob(f".{target.name}.creating-*")]
                result.absent.append(point)
        except Exception as error:  # report every kill point, not only the first
            result.failures.append(f"{where}: {type(error).__name__}: {error}")
    return result


def test_an_interrupted_create_leaves_no_vault_or_a_complete_one(create_sweep: CreateSweep) -> None:
    record(create_sweep.figure())
    assert not create_sweep.failures, "\n".join(create_sweep.failures)
    assert create_sweep.absent and create_sweep.complete
    assert max(create_sweep.absent) < min(create_sweep.complete), "the vault must appear once, at the rename"
    assert create_sweep.labels[min(create_sweep.complete) - 2].startswith("os.rename .vault.creating-")


def test_a_retried_create_removes_what_an_interrupted_one_left(create_sweep: CreateSweep) -> None:
    """A create killed just before its rename leaves a hidden staging folder that holds a header; the next
    `init` at the same place overwrites that header and removes the folder."""
    assert create_sweep.staging_with_header, "the sweep should reach the points where a header is staged"
    assert not create_sweep.staging_after_retry, create_sweep.staging_after_retry
