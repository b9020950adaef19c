"""A passphrase change or a key rotation killed at any point leaves a vault that opens, in the old or new state.

Both rewrite the header (``header.json``, then ``header.bak.json``, each by atomic_write); the rotation also
re-encrypts the database with ``PRAGMA rekey`` between two header writes, and the next unlock settles it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from safecase.crypto.kdf import derive_kek
from safecase.errors import WrongSecretError
from safecase.services.check import check_vault
from tests.adversarial.figures import budget, record

from .harness import (
    NEW_PASSPHRASE,
    PASSPHRASE,
    BaseVault,
    Survivor,
    copy_vault,
    crash_runs,
    create_vault,
    fictional_records,
    read_header,
    request_for,
    run_uninterrupted,
    services,
)
from .sweeps import Sweep, sweep


def _stale_backups(result: Sweep) -> list[str]:
    return [result.describe(p) for p in result.points_where(lambda s: not s.backup_matches_header)]


@pytest.fixture(scope="module")
def base_vault(make_workdir: Callable[[str], Path]) -> BaseVault:
    return create_vault(make_workdir("base") / "vault", fictional_records(9))


# -- passphrase change --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def passphrase_sweep(make_workdir: Callable[[str], Path], base_vault: BaseVault) -> Sweep:
    request = request_for("change_passphrase", new_passphrase=NEW_PASSPHRASE)
    result = sweep(
        make_workdir("passwd"), request, base_vault, budget=budget(100, 10_000), new_passphrase=NEW_PASSPHRASE
    )
    record(result.figure("Passphrase change killed at a durability point"))
    return result


def test_a_passphrase_change_killed_anywhere_leaves_exactly_one_working_passphrase(
    passphrase_sweep: Sweep,
) -> None:
    passphrase_sweep.assert_clean()
    old = passphrase_sweep.points_where(lambda s: s.passphrase == PASSPHRASE)
    new = passphrase_sweep.points_where(lambda s: s.passphrase == NEW_PASSPHRASE)
    assert old and new and max(old) < min(new), "the passphrase must switch once, at the header.json rename"
    assert passphrase_sweep.labels[min(new) - 2].endswith("-> header.json")


def test_after_a_killed_passphrase_change_the_backup_header_matches_the_header(passphrase_sweep: Sweep) -> None:
    assert not _stale_backups(passphrase_sweep), _stale_backups(passphrase_sweep)


def test_unlock_repairs_a_backup_header_left_stale_by_a_crash(workdir: Path, base_vault: BaseVault) -> None:
    """A crash between the header.json and header.bak.json renames leaves the backup on the old passphrase; the
    next unlock rewrites it, so the replaced passphrase stops working everywhere."""
    vault = copy_vault(base_vault.root, workdir / "stale" / "vault")
    old_header = (vault / "header.json").read_bytes()
    with services().unlock(vault, PASSPHRASE) as session:
        services().change_passphrase(session, NEW_PASSPHRASE)
    (vault / "header.bak.json").write_bytes(old_header)  # the state such a crash leaves
    services().unlock(vault, NEW_PASSPHRASE).close()
    assert (vault / "header.bak.json").read_bytes() == (vault / "header.json").read_bytes()
    backup = read_header(vault, "header.bak.json")
    with pytest.raises(WrongSecretError):
        backup.unwrap_with_kek(derive_kek(PASSPHRASE, backup.kdf))


# -- key rotation -------------------------------------------------------------------------------------------------


def _rotate_again(vault: Path, survivor: Survivor) -> None:
    """A vault that survived a killed rotation can be rotated again, and then opens."""
    vaults = services()
    with vaults.unlock(vault, PASSPHRASE) as session:
        vaults.rotate_master_key(session, PASSPHRASE)
    header = read_header(vault)
    assert header.pending is None and header.key_epoch == survivor.key_epoch + 1
    vaults.unlock(vault, PASSPHRASE).close()


@pytest.fixture(scope="module")
def rotation_sweep(make_workdir: Callable[[str], Path], base_vault: BaseVault) -> Sweep:
    request = request_for("rotate_master_key")
    result = sweep(make_workdir("rotate"), request, base_vault, budget=budget(100, 10_000), then=_rotate_again)
    record(result.figure("Key rotation killed at a durability point (then rotated again)"))
    return result


def test_a_key_rotation_killed_anywhere_opens_by_passphrase_and_recovery_key_with_no_pending_key(
    rotation_sweep: Sweep,
) -> None:
    rotation_sweep.assert_clean()
    old = rotation_sweep.points_where(lambda s: s.key_epoch == 1)
    new = rotation_sweep.points_where(lambda s: s.key_epoch == 2)
    assert old and new and max(old) < min(new), "the key must switch once, when the rekey commits"
    assert rotation_sweep.labels[min(new) - 2] == "sql PRAGMA rekey"


def test_check_passes_in_the_first_session_after_a_killed_key_rotation(rotation_sweep: Sweep) -> None:
    assert not rotation_sweep.failed_first_checks(), "\n".join(rotation_sweep.failed_first_checks())


def test_check_passes_right_after_a_rotation_in_the_same_session(workdir: Path) -> None:
    vault = create_vault(workdir / "vault")
    with services().unlock(vault.root, PASSPHRASE) as session:
        services().rotate_master_key(session, PASSPHRASE)
        assert check_vault(session).ok, check_vault(session).problems


def test_after_a_killed_key_rotation_the_backup_header_matches_the_header(rotation_sweep: Sweep) -> None:
    assert not _stale_backups(rotation_sweep), _stale_backups(rotation_sweep)


@pytest.mark.parametrize("stop_after", ["begin", "rekey"])
def test_the_unlock_that_settles_a_killed_rotation_can_itself_be_killed_anywhere(
    workdir: Path, base_vault: BaseVault, stop_after: str
) -> None:
    """Kill a rotation (after its first header write, or after the rekey), then kill the unlock that settles it."""
    request = request_for("rotate_master_key")
    labels = run_uninterrupted(request, copy_vault(base_vault.root, workdir / "probe" / "vault"), scratch=workdir)
    rekey = labels.index("sql PRAGMA rekey") + 1  # the 1-based kill point that stops just before the rekey
    kill_at = rekey if stop_after == "begin" else rekey + 1
    vault = copy_vault(base_vault.root, workdir / "crashed" / "vault")
    [(_, crashed, outcome)] = crash_runs(request, [kill_at], lambda _: vault, scratch=workdir)
    assert outcome == "killed"
    assert read_header(crashed).pending is not None
    assert read_header(crashed, "header.bak.json").pending is not None
    result = sweep(
        workdir / "settle",
        request_for("unlock"),
        BaseVault(crashed, base_vault.recovery_key),
        budget=budget(100, 10_000),
        then=_rotate_again,
    )
    where = "before its rekey" if stop_after == "begin" else "after its rekey"
    record(result.figure(f"Unlock settling a rotation killed {where}, itself killed at a durability point"))
    result.assert_clean()
    assert {s.key_epoch for s in result.survivors.values()} == {1 if stop_after == "begin" else 2}
