"""A full disk fails a write with one clear line and leaves the vault as it was, openable once space is freed.

The vault lies on a small tmpfs mounted for the test. ``safecase`` (the command line, in-process, in the writer
child) runs a record edit, an import, an evidence intake, a bundle import and a passphrase change; at a chosen
durability point the child fills the file system to its last byte and carries on, so every later write, SQLite's
own included, meets ENOSPC. Point 1 is a disk already full when the command starts. Each run must end with

- exit 0 and the new state (nothing was left to write), or a non-zero exit with exactly one line on stderr that
  says the disk is full (no traceback, no "internal error") and the old state;
- once the filler is deleted: a vault that unlocks with exactly one passphrase (and the recovery key), passes
  ``check`` and holds exactly that state (``full_snapshot``: records, evidence by content, bundles, audit).

Where no file system can be mounted (not root), the writer instead injects ENOSPC into Python's file writes and
fsyncs and SQLITE_FULL into every COMMIT (rolling back first, as SQLite does); SQLite's other writes still
succeed, so the figure says the full disk was simulated.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.adversarial.figures import SecurityFigure, budget, record

from .evidence_vaults import CASE_ID, add_case, evidence, make_bundle
from .harness import (
    NEW_PASSPHRASE,
    PASSPHRASE,
    BaseVault,
    Survivor,
    WriterProcess,
    copy_vault,
    create_vault,
    describe_point,
    fictional_records,
    open_survivor,
    record_id,
    request_for,
    run_uninterrupted,
    select_points,
    state_of,
)
from .mounts import small_tmpfs
from .vault_state import EDIT_MARKER, full_snapshot

DISK_BYTES = 48 << 20  # room for a vault and the 2 MiB evidence file's free-space check (size + 16 MiB)
FULL_WORDS = ("disk", "space", "full")


@dataclass(frozen=True)
class Command:
    """One write the user runs: its row in the table, its arguments (after the vault and passphrase options)."""

    name: str
    args: list[str]
    new_passphrase: str | None = None
    in_force: str = ""  # how the message begins when the change stands although the command failed after it


@dataclass
class FullDiskSweep:
    labels: list[str]
    points: list[int] = field(default_factory=list)
    succeeded: list[int] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    crashed: list[str] = field(default_factory=list)

    def figure(self, row: str, simulated: bool) -> SecurityFigure:
        how = "simulated (ENOSPC in Python writes, SQLITE_FULL at COMMIT)" if simulated else "a 48 MiB tmpfs filled"
        note = f"{how} at {len(self.points)} of {len(self.labels)} points; {len(self.succeeded)} still completed"
        failed = len(self.lost) + len(self.crashed)
        return SecurityFigure(
            "crash", row, len(self.points), "operations", len(self.points) - failed, lost=len(self.lost),
            crashes=len(self.crashed), note=note,
        )  # fmt: skip

    def assert_clean(self) -> None:
        problems = self.lost + self.crashed
        assert not problems, f"{len(problems)} full-disk run(s) broke the promise:\n" + "\n".join(problems)


@dataclass(frozen=True)
class Setup:
    base: BaseVault
    folder: Path  # where passphrase files, sources and reports live (never on the small disk)
    commands: dict[str, Command]


@pytest.fixture(scope="module")
def small_disk(make_workdir: Callable[[str], Path]) -> Iterator[Path | None]:
    with small_tmpfs(make_workdir("small-disk") / "mnt", DISK_BYTES) as mounted:
        yield mounted


@pytest.fixture(scope="module")
def setup(make_workdir: Callable[[str], Path]) -> Setup:
    folder = make_workdir("full-disk")
    base = add_case(create_vault(folder / "base" / "vault", fictional_records(9)))
    bundle = make_bundle(folder, base)
    patch = folder / "patch.json"
    patch.write_text(json.dumps({"summary": f"Corrected fictional testimony about {EDIT_MARKER}."}), encoding="utf-8")
    rows = folder / "rows.json"
    rows.write_text(json.dumps([{"kind": r["kind"], "id": r["id"], **r["body"]} for r in fictional_records(12, 700)]))
    (folder / "new-passphrase.txt").write_text(NEW_PASSPHRASE + "\n", encoding="utf-8")
    commands = [
        Command("Record edit", ["record", "edit", record_id(1), str(patch)]),
        Command("Record import (12 rows)", ["import", str(rows)]),
        Command("Evidence intake (2 MiB)", ["attach", CASE_ID, str(evidence(folder / "photo.jpg"))]),
        Command("Bundle import (10 records, 2 evidence files)", ["bundle", "import", str(bundle)]),
        Command(
            "Passphrase change",
            ["passwd", "--new-passphrase-file", str(folder / "new-passphrase.txt")],
            NEW_PASSPHRASE,
            in_force="The passphrase was changed",
        ),
        Command("Key rotation", ["rotate-key"], in_force="The master key was replaced"),
    ]
    return Setup(base, folder, {command.name: command for command in commands})


def cli_request(command: Command, scratch: Path) -> dict[str, Any]:
    passphrase_file = scratch / "passphrase.txt"
    passphrase_file.write_text(PASSPHRASE + "\n", encoding="utf-8")
    argv = [*command.args, "--vault", "{vault}", "--passphrase-file", str(passphrase_file)]
    return request_for("cli", argv=argv, report=str(scratch / "report.json"))


def _one_clear_line(stderr: str) -> bool:
    lines = stderr.splitlines()
    clear = len(lines) == 1 and lines[0].startswith("safecase: ") and "internal error" not in lines[0]
    return clear and "Traceback" not in stderr and any(word in lines[0].lower() for word in FULL_WORDS)


def _judge(
    result: FullDiskSweep, where: str, point: int, report: dict[str, Any], survivor: Survivor, in_force: str
) -> None:
    """Exit 0 and the new state; or one clear line and the old state (the new one if the line says it stands)."""
    code, stderr = report["code"], report["stderr"]
    if code == 0:
        if survivor.state != "new":
            result.lost.append(f"{where}: exit 0 but the vault is not in the new state")
        result.succeeded.append(point)
        return
    if not _one_clear_line(stderr):
        result.crashed.append(f"{where}: exit {code} with {stderr!r}")
        return
    # A key change without its audit entry is not "new", but it is in force.
    changed = survivor.state == "new" or survivor.passphrase != PASSPHRASE or survivor.key_epoch != 1
    says_in_force = bool(in_force) and stderr.startswith(f"safecase: {in_force}")
    if changed != says_in_force:
        happened = "the change was made" if changed else "nothing changed"
        result.lost.append(f"{where}: exit {code} ({stderr.strip()}) but {happened}")


def _states(setup: Setup, command: Command, request: dict[str, Any], scratch: Path) -> tuple[list[str], dict[str, str]]:
    """The durability points of an uninterrupted run, and the states before and after it."""
    old = state_of(copy_vault(setup.base.root, scratch / "old" / "vault"), measure=full_snapshot)
    done = copy_vault(setup.base.root, scratch / "new" / "vault")
    labels = run_uninterrupted(request, done, scratch=scratch)
    report = json.loads(Path(request["report"]).read_text(encoding="utf-8"))
    assert report["code"] == 0, report
    new = state_of(done, command.new_passphrase or PASSPHRASE, full_snapshot)
    return labels, {"old": old, "new": new}


def sweep_full_disk(
    setup: Setup, command: Command, disk: Path | None, points_budget: int, scratch: Path
) -> FullDiskSweep:
    """Run `command` once per chosen point with the disk filling up there; judge each outcome."""
    request = cli_request(command, scratch)
    labels, states = _states(setup, command, request, scratch)
    result = FullDiskSweep(labels, [p for p in select_points(labels, points_budget) if p <= len(labels)])
    place = disk if disk is not None else scratch / "no-small-disk"
    passphrases = [PASSPHRASE] + ([command.new_passphrase] if command.new_passphrase else [])
    with WriterProcess(request, scratch) as writer:
        for point in result.points:
            where = describe_point(labels, point)
            vault = copy_vault(setup.base.root, place / f"fill-{point}" / "vault")
            filler = place / ".filler"
            Path(request["report"]).unlink(missing_ok=True)
            writer.submit(vault, None, fill_at=point, filler=str(filler) if disk else None, report=request["report"])
            outcome = writer.result()["outcome"]
            filler.unlink(missing_ok=True)
            if outcome != "completed":
                result.crashed.append(f"{where}: the command {outcome}")
                continue
            try:
                survivor = open_survivor(vault, passphrases, setup.base.recovery_key, states, full_snapshot)
            except Exception as error:  # every point is reported, not just the first that fails
                result.lost.append(f"{where}: {type(error).__name__}: {error}")
                continue
            finally:
                shutil.rmtree(vault.parent, ignore_errors=True)
            report = json.loads(Path(request["report"]).read_text(encoding="utf-8"))
            _judge(result, where, point, report, survivor, command.in_force)
    return result


@pytest.mark.parametrize(
    "name",
    [
        "Record edit",
        "Record import (12 rows)",
        "Evidence intake (2 MiB)",
        "Bundle import (10 records, 2 evidence files)",
        "Passphrase change",
        "Key rotation",
    ],
)
def test_a_write_on_a_full_disk_fails_in_one_clear_line_and_changes_nothing(
    setup: Setup, small_disk: Path | None, name: str, workdir: Path
) -> None:
    result = sweep_full_disk(setup, setup.commands[name], small_disk, budget(14, 10_000), workdir)
    record(result.figure(f"{name} on a disk that fills up", simulated=small_disk is None))
    result.assert_clean()
    assert 1 in result.points and 1 not in result.succeeded, "a disk full from the start must refuse the write"
