"""Every other write of the vault header, killed at any durability point, leaves a vault that opens as it was.

The header (``header.json``, then its copy ``header.bak.json``, each by atomic_write) is written by ``passwd`` and
``rotate-key`` (test_key_changes_crash.py) and here by:

- ``recover``: a passphrase change after unlocking with the recovery key; exactly one passphrase opens, and the
  recovery key always does;
- the backup refresh of every unlock (a backup left stale by an earlier crash is rewritten): the header itself
  never changes, the backup is the stale copy or the header, never a torn file;
- ``header restore`` over a damaged header, from the backup, and after a shred, from an exported copy: the vault
  is still unopenable with a message naming the restore (which, run again, works) or it opens as it was;
- ``shred``: either a header copy survives and the vault still opens exactly as it was (so the user is not misled
  into thinking it is gone), or no copy survives; in both cases running ``shred`` again destroys every copy.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from safecase.crypto.header import VaultHeader
from safecase.crypto.kdf import derive_kek
from safecase.errors import IntegrityError, SafeCaseError, VaultStateError, WrongSecretError
from safecase.storage import fsutil
from tests.adversarial.figures import budget, record

from .harness import (
    NEW_PASSPHRASE,
    PASSPHRASE,
    BaseVault,
    CrashCheckFailure,
    Survivor,
    copy_vault,
    crash_runs,
    create_vault,
    expected_outcome,
    fictional_records,
    request_for,
    run_uninterrupted,
    select_points,
    services,
    state_of,
)
from .sweeps import Sweep, sweep

OTHER_PASSPHRASE = "Fictional stale passphrase 31"
HEADER, BACKUP = "header.json", "header.bak.json"


@pytest.fixture(scope="module")
def base_vault(make_workdir: Callable[[str], Path]) -> BaseVault:
    return create_vault(make_workdir("base") / "vault", fictional_records(9))


def _kill_budget() -> int:
    return budget(60, 10_000)


def _parses(path: Path) -> bool:
    try:
        VaultHeader.from_bytes(path.read_bytes())
    except (OSError, IntegrityError):
        return False
    return True


# -- recover ------------------------------------------------------------------------------------------------------


def test_a_recovery_killed_anywhere_leaves_exactly_one_working_passphrase(workdir: Path, base_vault: BaseVault) -> None:
    request = request_for("recover", recovery_key=base_vault.recovery_key.formatted(), new_passphrase=NEW_PASSPHRASE)
    result = sweep(workdir, request, base_vault, budget=_kill_budget(), new_passphrase=NEW_PASSPHRASE)
    record(result.figure("Recovery (a new passphrase set with the recovery key) killed at a durability point"))
    result.assert_clean()
    old = result.points_where(lambda s: s.passphrase == PASSPHRASE)
    new = result.points_where(lambda s: s.passphrase == NEW_PASSPHRASE)
    assert old and new and max(old) < min(new), "the passphrase must switch once, at the header.json rename"
    assert result.labels[min(new) - 2].endswith(f"-> {HEADER}")
    assert all(s.backup_matches_header for s in result.survivors.values())


# -- the backup refresh of an unlock ------------------------------------------------------------------------------


def stale_backup_vault(base: BaseVault, folder: Path) -> tuple[BaseVault, bytes]:
    """A copy of `base` whose backup is an older header (another passphrase), as a crash between the two header
    writes of a passphrase change leaves it; returns the vault and that stale backup."""
    vault = copy_vault(base.root, folder / "vault")
    vaults = services()
    with vaults.unlock(vault, PASSPHRASE) as session:
        vaults.change_passphrase(session, OTHER_PASSPHRASE)
    stale = (vault / HEADER).read_bytes()
    with vaults.unlock(vault, OTHER_PASSPHRASE) as session:
        vaults.change_passphrase(session, PASSPHRASE)
    (vault / BACKUP).write_bytes(stale)
    return BaseVault(vault, base.recovery_key), stale


def _header_untouched_backup_whole(header: bytes, stale: bytes) -> Callable[[Path], str]:
    def look(vault: Path) -> str:
        if (vault / HEADER).read_bytes() != header:
            raise CrashCheckFailure("the backup refresh changed header.json")
        backup = (vault / BACKUP).read_bytes()
        if backup not in (stale, header):
            raise CrashCheckFailure("the backup is neither the stale copy nor the header: torn")
        return "stale" if backup == stale else "refreshed"

    return look


def _stale_passphrase_refused(vault: Path, _: Survivor) -> None:
    """Once the survivor has been unlocked, the replaced passphrase opens neither the header nor the backup."""
    for name in (HEADER, BACKUP):
        header = VaultHeader.from_bytes((vault / name).read_bytes())
        with pytest.raises(WrongSecretError):
            header.unwrap_with_kek(derive_kek(OTHER_PASSPHRASE, header.kdf))


def test_a_backup_refresh_killed_anywhere_leaves_the_header_and_a_whole_backup(
    workdir: Path, base_vault: BaseVault
) -> None:
    stale_base, stale = stale_backup_vault(base_vault, workdir / "base")
    look = _header_untouched_backup_whole((stale_base.root / HEADER).read_bytes(), stale)
    result = sweep(
        workdir, request_for("unlock"), stale_base, budget=_kill_budget(), before=look, then=_stale_passphrase_refused
    )
    record(result.figure("Header backup refresh (on unlock) killed at a durability point"))
    result.assert_clean()
    assert all(s.backup_matches_header for s in result.survivors.values())
    stale_points = [p for p, found in result.found.items() if found == "stale"]
    refreshed = [p for p, found in result.found.items() if found == "refreshed"]
    assert stale_points and refreshed and max(stale_points) < min(refreshed)
    assert result.labels[min(refreshed) - 2].endswith(f"-> {BACKUP}")


# -- header restore -----------------------------------------------------------------------------------------------


def _restore_retried(source: Callable[[Path], Path]) -> Callable[[Path], str]:
    """If the crash left no usable header.json, unlocking must say to restore, and restoring again must work."""

    def look(vault: Path) -> str:
        if _parses(vault / HEADER):
            return "restored"
        with pytest.raises((IntegrityError, VaultStateError), match="header restore"):
            services().unlock(vault, PASSPHRASE)
        services().restore_header(vault, source(vault), PASSPHRASE, None).close()
        return "not yet restored"

    return look


def _assert_restored_once(result: Sweep) -> None:
    not_yet = [p for p, found in result.found.items() if found == "not yet restored"]
    restored = [p for p, found in result.found.items() if found == "restored"]
    assert not_yet and restored and max(not_yet) < min(restored)
    assert result.labels[min(restored) - 2].endswith(f"-> {HEADER}")


def test_a_header_restore_over_a_damaged_header_killed_anywhere_leaves_it_restorable_or_restored(
    workdir: Path, base_vault: BaseVault
) -> None:
    damaged = copy_vault(base_vault.root, workdir / "base" / "vault")
    content = state_of(damaged)
    (damaged / HEADER).write_bytes((damaged / HEADER).read_bytes()[:200])
    request = request_for("restore_header", header_file=str(damaged / BACKUP))
    result = sweep(
        workdir,
        request,
        BaseVault(damaged, base_vault.recovery_key),
        budget=_kill_budget(),
        expected={"unchanged": content},
        before=_restore_retried(lambda vault: vault / BACKUP),
    )
    record(result.figure("Header restore (over a damaged header, from its backup) killed at a durability point"))
    result.assert_clean()
    _assert_restored_once(result)


def test_a_header_restore_after_a_shred_killed_anywhere_leaves_it_restorable_or_restored(
    workdir: Path, base_vault: BaseVault
) -> None:
    shredded = copy_vault(base_vault.root, workdir / "base" / "vault")
    exported = workdir / "exported-header.json"
    with services().unlock(shredded, PASSPHRASE) as session:
        services().export_header(session, exported)
    content = state_of(shredded)
    services().shred(shredded)
    result = sweep(
        workdir,
        request_for("restore_header", header_file=str(exported)),
        BaseVault(shredded, base_vault.recovery_key),
        budget=_kill_budget(),
        expected={"unchanged": content},
        before=_restore_retried(lambda _: exported),
    )
    record(result.figure("Header restore (after a shred, from an exported copy) killed at a durability point"))
    result.assert_clean()
    _assert_restored_once(result)


# -- shred --------------------------------------------------------------------------------------------------------


def _opens_as_before(vault: Path, content: str, spare: Path) -> None:
    """A header copy survived: the vault still opens with its records (restoring header.json if it is gone)."""
    if _parses(vault / HEADER):
        found = state_of(copy_vault(vault, spare / "vault"))
    else:
        copy = copy_vault(vault, spare / "vault")
        services().restore_header(copy, copy / BACKUP, PASSPHRASE, None).close()
        found = state_of(copy)
    if found != content:
        raise CrashCheckFailure("a header copy survived the killed shred but the vault no longer opens as it was")


def _shred_again_destroys_every_copy(vault: Path) -> None:
    try:
        services().shred(vault)
    except VaultStateError as refused:
        if "already shredded" not in refused.message:
            raise
    left = [p.name for p in (vault / HEADER, vault / BACKUP, *fsutil.private_leftovers(vault)) if p.exists()]
    if left:
        raise CrashCheckFailure(f"shredding again left {left}")
    with pytest.raises(VaultStateError, match="shredded"):
        services().unlock(vault, PASSPHRASE)


def _after_killed_shred(vault: Path, content: str, spare: Path) -> str:
    copies = [name for name in (HEADER, BACKUP) if _parses(vault / name)]
    copies += [p.name for p in fsutil.private_leftovers(vault) if _parses(p)]
    if copies:
        _opens_as_before(vault, content, spare)
    _shred_again_destroys_every_copy(vault)
    return "keys remain" if copies else "destroyed"


def test_a_shred_killed_anywhere_leaves_the_vault_as_it_was_or_without_keys_and_shredding_again_finishes(
    workdir: Path, base_vault: BaseVault
) -> None:
    content = state_of(copy_vault(base_vault.root, workdir / "content" / "vault"))
    request = request_for("shred")
    labels = run_uninterrupted(request, copy_vault(base_vault.root, workdir / "probe" / "vault"), scratch=workdir)
    points = select_points(labels, _kill_budget())
    result = Sweep(labels, points, {}, [])
    prepare = lambda point: copy_vault(base_vault.root, workdir / f"kill-{point}" / "vault")  # noqa: E731
    for point, vault, outcome in crash_runs(request, points, prepare, scratch=workdir):
        if outcome != expected_outcome(point, labels):
            result.fail(point, f"the writer {outcome}")
            continue
        try:
            result.found[point] = _after_killed_shred(vault, content, workdir / f"spare-{point}")
        except (SafeCaseError, AssertionError, OSError) as error:
            result.fail(point, error)
    record(result.figure("Shred killed at a durability point (then shredded again)"))
    result.assert_clean()
    remain = [p for p, found in result.found.items() if found == "keys remain"]
    destroyed = [p for p, found in result.found.items() if found == "destroyed"]
    assert remain and destroyed and max(remain) < min(destroyed), "the keys must go once, and stay gone"
