"""What the Python-level kill points cannot reach: SQLite's own writes, torn or interrupted half-way.

The kill points of the other crash tests fall between statements, so SQLite's append of a commit to
``vault.db-wal`` and its checkpoint of the WAL into ``vault.db`` are never cut in the middle. Here the writer is
killed just after a commit, and then

- the WAL is cut at every frame boundary and in the middle of every frame (a power cut during the append): the
  commit must vanish whole. For the key rotation this means a torn rekey leaves the database wholly on the old
  key, which the pending header still opens;
- the newest version of the first k pages is copied from the WAL into ``vault.db``, as a checkpoint does, for
  every k (a checkpoint killed half-way): nothing may change, since the WAL still holds every page. For the
  rotation this leaves ``vault.db`` with pages under two keys.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from safecase.storage.database import CIPHER_PAGE_SIZE
from tests.adversarial.figures import SecurityFigure, record

from .harness import (
    PASSPHRASE,
    BaseVault,
    Survivor,
    copy_vault,
    crash_runs,
    create_vault,
    fictional_records,
    open_survivor,
    request_for,
    run_uninterrupted,
    state_of,
)

WAL_HEADER_BYTES = 32
FRAME_BYTES = 24 + CIPHER_PAGE_SIZE


@pytest.fixture
def base(workdir: Path) -> BaseVault:
    return create_vault(workdir / "base" / "vault", fictional_records(9))


def _killed_after(workdir: Path, base: BaseVault, request: dict[str, object], label: str) -> Path:
    """A copy of `base` after the operation was killed right after the statement `label`."""
    probe = copy_vault(base.root, workdir / "probe" / "vault")
    labels = run_uninterrupted(request, probe, scratch=workdir)
    kill_at = labels.index(label) + 2  # 1-based: point index+1 is "before label", index+2 is "after it"
    vault = copy_vault(base.root, workdir / "crashed" / "vault")
    [(_, crashed, outcome)] = crash_runs(request, [kill_at], lambda _: vault, scratch=workdir)
    assert outcome == "killed"
    return crashed


def _cut_offsets(wal_size: int) -> list[int]:
    frames = (wal_size - WAL_HEADER_BYTES) // FRAME_BYTES
    assert frames >= 2 and wal_size == WAL_HEADER_BYTES + frames * FRAME_BYTES
    offsets = [0, WAL_HEADER_BYTES // 2]
    for frame in range(frames + 1):
        start = WAL_HEADER_BYTES + frame * FRAME_BYTES
        offsets += [start, start + 12] if frame == frames else [start, start + 12, start + FRAME_BYTES // 2]
    return [offset for offset in offsets if offset <= wal_size]


def _publish(row: str, unit: str, tried: int, failures: list[str]) -> None:
    record(SecurityFigure("crash", row, tried, unit, tried - len(failures), lost=len(failures)))


def _survivors_of_cut_wals(
    crashed: Path, base: BaseVault, states: dict[str, str], workdir: Path, row: str
) -> dict[int, Survivor]:
    wal = crashed / "vault.db-wal"
    survivors: dict[int, Survivor] = {}
    failures: list[str] = []
    offsets = _cut_offsets(wal.stat().st_size)
    for offset in offsets:
        vault = copy_vault(crashed, workdir / f"cut-{offset}" / "vault")
        with (vault / "vault.db-wal").open("r+b") as handle:
            handle.truncate(offset)
        try:
            survivors[offset] = open_survivor(vault, [PASSPHRASE], base.recovery_key, states)
        except Exception as error:  # report every cut, not just the first that fails
            failures.append(f"WAL cut at {offset} bytes: {type(error).__name__}: {error}")
    _publish(row, "WAL cuts", len(offsets), failures)
    assert not failures, "\n".join(failures)
    return survivors


def test_a_batch_commit_cut_anywhere_in_the_wal_leaves_none_or_all_of_the_batch(workdir: Path, base: BaseVault) -> None:
    request = request_for("write_batch", records=fictional_records(30, first=100))
    old = state_of(copy_vault(base.root, workdir / "old" / "vault"))
    done = copy_vault(base.root, workdir / "new" / "vault")
    run_uninterrupted(request, done, scratch=workdir)
    states = {"old": old, "new": state_of(done)}
    crashed = _killed_after(workdir, base, request, "sql COMMIT")
    row = "Batch commit (30 records) torn: its WAL cut at every frame boundary and mid-frame"
    survivors = _survivors_of_cut_wals(crashed, base, states, workdir, row)
    assert not any(s.first_check_problems for s in survivors.values())
    by_offset = sorted(survivors.items())
    assert by_offset[0][1].state == "old" and by_offset[-1][1].state == "new"
    states_in_order = [s.state for _, s in by_offset]
    assert states_in_order == sorted(states_in_order, key=["old", "new"].index), "a longer WAL never loses data"


def test_a_rekey_cut_anywhere_in_the_wal_leaves_the_database_wholly_on_one_key(workdir: Path, base: BaseVault) -> None:
    request = request_for("rotate_master_key")
    states = {"unchanged": state_of(copy_vault(base.root, workdir / "old" / "vault"))}
    crashed = _killed_after(workdir, base, request, "sql PRAGMA rekey")
    row = "Key rotation's rekey torn: its WAL cut at every frame boundary and mid-frame"
    survivors = _survivors_of_cut_wals(crashed, base, states, workdir, row)
    epochs = [s.key_epoch for _, s in sorted(survivors.items())]
    assert epochs[0] == 1 and epochs[-1] == 2 and epochs == sorted(epochs)


def _checkpointed_pages(wal: bytes) -> list[tuple[int, bytes]]:
    """(page number, newest content) for every page in the WAL, in the order a checkpoint writes them."""
    newest: dict[int, bytes] = {}
    for offset in range(WAL_HEADER_BYTES, len(wal) - FRAME_BYTES + 1, FRAME_BYTES):
        page = int.from_bytes(wal[offset : offset + 4], "big")
        newest[page] = wal[offset + 24 : offset + FRAME_BYTES]
    return sorted(newest.items())


def _survivors_of_partial_checkpoints(crashed: Path, base: BaseVault, workdir: Path, row: str) -> dict[int, Survivor]:
    reference = copy_vault(crashed, workdir / "reference" / "vault")
    states = {"as crashed": state_of(reference)}
    pages = _checkpointed_pages((crashed / "vault.db-wal").read_bytes())
    assert len(pages) >= 2
    survivors: dict[int, Survivor] = {}
    failures: list[str] = []
    for copied in range(len(pages) + 1):
        vault = copy_vault(crashed, workdir / f"checkpoint-{copied}" / "vault")
        with (vault / "vault.db").open("r+b") as database:
            for page, content in pages[:copied]:
                database.seek((page - 1) * CIPHER_PAGE_SIZE)
                database.write(content)
        try:
            survivors[copied] = open_survivor(vault, [PASSPHRASE], base.recovery_key, states)
        except Exception as error:  # report every partial checkpoint, not just the first that fails
            failures.append(f"{copied} of {len(pages)} pages checkpointed: {type(error).__name__}: {error}")
    _publish(row, "partial checkpoints", len(pages) + 1, failures)
    assert not failures, "\n".join(failures)
    return survivors


@pytest.mark.parametrize(
    ("operation", "after"),
    [
        ("write_batch", "sql COMMIT"),
        ("rotate_master_key", "sql PRAGMA rekey"),  # the header still has the pending key
        # (rotation checkpoints the WAL before the header is settled on the new key, so a settled header never
        # meets a vault.db still on the old key)
    ],
)
def test_a_checkpoint_killed_half_way_changes_nothing(
    workdir: Path, base: BaseVault, operation: str, after: str
) -> None:
    arguments = {"records": fictional_records(30, first=100)} if operation == "write_batch" else {}
    crashed = _killed_after(workdir, base, request_for(operation, **arguments), after)
    what = "a batch commit" if operation == "write_batch" else "a rekey"
    row = f"WAL checkpoint after {what} killed after every page"
    survivors = _survivors_of_partial_checkpoints(crashed, base, workdir, row)
    assert {s.key_epoch for s in survivors.values()} == {1 if operation == "write_batch" else 2}
