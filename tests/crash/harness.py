"""Shared helpers for the crash tests: fictional vaults, the writer child, and what a survivor must satisfy.

A crash test builds a vault in the "old" state, lets ``writer.py`` run the operation once without a kill to list
its durability points and produce the "new" state, then replays the operation in a fresh copy of the old vault for
each chosen kill point. Every crashed vault must unlock with exactly one of the passphrases, and also with the
recovery key (on a copy, since unlocking settles things), pass ``check_vault`` (a failure in the first session
is recorded; one that survives a re-lock fails the kill point), keep no temporary files and no pending key
rotation, and hold records, versions, links and search results that are exactly the old or exactly the new state.
Operations that also write evidence files, exchange bookkeeping or audit entries compare ``full_snapshot``
(vault_state.py). sweeps.py runs a whole sweep and publishes its row of docs/SECURITY.md's crash table.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safecase.crypto.header import VaultHeader
from safecase.crypto.kdf import KdfPolicy
from safecase.crypto.recovery_key import RecoveryKey, parse_recovery_key
from safecase.domain.clock import FakeClock
from safecase.domain.kinds import Kind
from safecase.errors import WrongSecretError
from safecase.services.check import check_vault
from safecase.services.records import RecordService
from safecase.services.session import VaultSession
from safecase.services.vault import VaultService

from .vault_state import MARKER, StateOf, snapshot

PASSPHRASE = "바다 건너 새벽 기차 2019"  # fictional
NEW_PASSPHRASE = "Kestrel harbour lantern 77"  # fictional
CLOCK_MS = 1_700_000_000_000
WRITER = Path(__file__).with_name("writer.py")
WRITER_TIMEOUT_S = 120


class CrashCheckFailure(AssertionError):
    """A crashed vault broke the promise: it does not open, or it is neither the old nor the new state."""


WRITER_CLOCK_MS = CLOCK_MS + 60_000  # the operations under test run a minute after the vault was made


def services(clock_ms: int = CLOCK_MS) -> VaultService:
    return VaultService(KdfPolicy.for_tests(), FakeClock(clock_ms))


# -- fictional vaults --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BaseVault:
    root: Path
    recovery_key: RecoveryKey


def record_id(number: int) -> str:
    """A fixed, valid record id, so every run of an operation writes the same records."""
    return str(uuid.UUID(int=0x5AFE_CA5E_0000_4000_8000_0000_0000_0000 + number))


def fictional_records(count: int, first: int = 0) -> list[dict[str, Any]]:
    """Persons, testimonies that refer to them (links) and tags, all made up."""
    records: list[dict[str, Any]] = []
    for n in range(first, first + count):
        if (n - first) % 3 == 0:
            body: dict[str, Any] = {
                "pseudonym": f"P-{n:06d}".replace("0", "2").replace("1", "3"),
                "names": {"romanized": f"Fictional Person {n}"},
                "notes": f"Made up for crash tests, near {MARKER}.",
            }
            records.append({"kind": Kind.PERSON.value, "id": record_id(n), "body": body})
        elif (n - first) % 3 == 1:
            body = {
                "interviewee_id": record_id(n - 1),
                "date": "2019-08-14",
                "language": "ko",
                "summary": f"Fictional testimony {n} about {MARKER}.",
            }
            records.append({"kind": Kind.TESTIMONY.value, "id": record_id(n), "body": body})
        else:
            body = {"label": f"Tag {n} {MARKER}", "description": "Fictional."}
            records.append({"kind": Kind.TAG.value, "id": record_id(n), "body": body})
    return records


def create_vault(root: Path, records: Iterable[dict[str, Any]] = ()) -> BaseVault:
    created = services().create(root, PASSPHRASE, "Fictional Tester", "Fictional Org")
    with services().unlock(root, PASSPHRASE) as session:
        store = RecordService(session)
        writes = [store.prepare_new(Kind(r["kind"]), r["body"], r["id"]) for r in records]
        if writes:
            store.write_batch(writes)
    return BaseVault(root, parse_recovery_key(created.recovery_key))


def copy_vault(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, symlinks=True)
    return target


def state_of(root: Path, passphrase: str = PASSPHRASE, measure: StateOf = snapshot) -> str:
    with services().unlock(root, passphrase) as session:
        return measure(session)


def read_header(root: Path, name: str = "header.json") -> VaultHeader:
    return VaultHeader.from_bytes((root / name).read_bytes())


@dataclass(frozen=True)
class Survivor:
    """What a crashed vault turned out to be, once unlocked."""

    passphrase: str
    state: str  # a key of the `states` it was compared with
    key_epoch: int
    backup_matches_header: bool  # header.bak.json is byte-for-byte header.json after the unlock
    first_check_problems: tuple[str, ...]  # check_vault in the first session after the crash (must be empty)


def _inspect(
    session: VaultSession, states: dict[str, str], how: str, measure: StateOf
) -> tuple[str, int, tuple[str, ...]]:
    problems = tuple(check_vault(session).problems)
    root = session.folder.root
    leftovers = sorted(p.name for p in root.glob(".*.tmp"))
    if leftovers:
        raise CrashCheckFailure(f"temporary files survive an unlock with the {how}: {leftovers}")
    header = read_header(root)
    if header.pending is not None:
        raise CrashCheckFailure(f"header.json still has a pending rotation after unlocking with the {how}")
    current = measure(session)
    names = [name for name, expected in states.items() if expected == current]
    if not names:
        raise CrashCheckFailure(f"after unlocking with the {how} the records are neither {' nor '.join(states)}")
    return names[0], header.key_epoch, problems


def _check_again(root: Path, passphrase: str, how: str) -> None:
    """A vault whose first check failed must at least pass once it has been locked and unlocked again."""
    with services().unlock(root, passphrase) as session:
        problems = check_vault(session).problems
    if problems:
        raise CrashCheckFailure(f"check_vault fails after unlocking with the {how}, even a second time: {problems}")


def open_survivor(
    root: Path,
    passphrases: Iterable[str],
    recovery_key: RecoveryKey,
    states: dict[str, str],
    measure: StateOf = snapshot,
) -> Survivor:
    """Unlock a crashed vault every way it should open and check it; raise CrashCheckFailure if it does not.

    A failed ``check_vault`` in the first session is recorded in the survivor (tests decide whether that is
    allowed); one that persists after locking and unlocking again is a CrashCheckFailure.
    """
    spare = copy_vault(root, root.with_name(root.name + "-recovery"))
    opened: list[tuple[str, str, int, tuple[str, ...]]] = []
    for passphrase in passphrases:
        try:
            session = services().unlock(root, passphrase)
        except WrongSecretError:
            continue
        with session:
            opened.append((passphrase, *_inspect(session, states, "passphrase", measure)))
    if len(opened) != 1:
        raise CrashCheckFailure(f"{len(opened)} of the passphrases open the vault; exactly one must")
    passphrase, state, epoch, problems = opened[0]
    with services().unlock_with_recovery_key(spare, recovery_key) as session:
        recovered_state, recovered_epoch, recovered_problems = _inspect(session, states, "recovery key", measure)
    if (recovered_state, recovered_epoch) != (state, epoch):
        raise CrashCheckFailure(
            f"the passphrase finds {state} (key epoch {epoch}) but the recovery key finds {recovered_state} "
            f"(key epoch {recovered_epoch})"
        )
    if problems:
        _check_again(root, passphrase, "passphrase")
    if recovered_problems:
        _check_again(spare, passphrase, "recovery key")
    shutil.rmtree(spare)
    backup_matches = (root / "header.bak.json").read_bytes() == (root / "header.json").read_bytes()
    return Survivor(passphrase, state, epoch, backup_matches, problems + recovered_problems)


# -- the writer child --------------------------------------------------------------------------------------------


class WriterProcess:
    """``python writer.py`` with one request; jobs go in and results come out one JSON line each."""

    def __init__(self, request: dict[str, Any], scratch: Path) -> None:
        self._process = subprocess.Popen(
            [sys.executable, str(WRITER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env={**os.environ, "TMPDIR": str(scratch)},  # where its warm-up vault goes
        )
        self._send(request)

    def _send(self, message: dict[str, Any]) -> None:
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps(message, ensure_ascii=False) + "\n")
        self._process.stdin.flush()

    def submit(self, vault: Path, kill_at: int | None, labels: Path | None = None, **job: Any) -> None:
        """One job; `job` may add ``fill_at`` and ``filler`` (fill the disk instead of a kill), ``run_as`` (a uid)
        and ``report`` (where the ``cli`` operation writes its exit code and output)."""
        self._send({"vault": str(vault), "kill_at": kill_at, "labels": str(labels) if labels else None, **job})

    def result(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError("the writer child exited early; see its stderr above")
        return dict(json.loads(line))

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=WRITER_TIMEOUT_S)

    def __enter__(self) -> WriterProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.close()
        else:
            self._process.kill()
            self._process.wait()


def run_uninterrupted(request: dict[str, Any], vault: Path, *, scratch: Path) -> list[str]:
    """Run the operation to the end on `vault`, and return the labels of its durability points."""
    labels_file = scratch / f"{vault.parent.name}-{vault.name}.points.json"
    with WriterProcess(request, scratch) as writer:
        writer.submit(vault, None, labels_file)
        outcome = writer.result()["outcome"]
    if outcome != "completed":
        raise AssertionError(f"the uninterrupted {request['operation']} did not complete: {outcome}")
    return list(json.loads(labels_file.read_text(encoding="utf-8")))


BOUNDARY_STATEMENTS = ("sql BEGIN", "sql COMMIT", "sql ROLLBACK", "sql PRAGMA rekey", "sql PRAGMA wal_checkpoint")


def select_points(labels: list[str], budget: int) -> list[int]:
    """Kill points (1-based; len+1 means "after the last one") to try, at most about `budget` of them.

    Every boundary is kept with its neighbours: file operations, BEGIN, COMMIT, ROLLBACK, the rekey and the WAL
    checkpoint. The other statements (all equivalent on disk: nothing reaches the WAL before COMMIT) are sampled
    evenly to fill the budget.
    """
    total = len(labels) + 1
    keep = {1, total}
    for index, label in enumerate(labels, start=1):
        if not label.startswith("sql ") or label.startswith(BOUNDARY_STATEMENTS):
            keep.update(n for n in (index - 1, index, index + 1) if 1 <= n <= total)
    rest = [n for n in range(1, total + 1) if n not in keep]
    room = max(0, budget - len(keep))
    if rest and room:
        step = max(1, len(rest) // room)
        keep.update(rest[::step][:room])
    return sorted(keep)


def describe_point(labels: list[str], kill_at: int) -> str:
    if kill_at > len(labels):
        return f"point {kill_at} (after the last of {len(labels)} points)"
    return f"point {kill_at}/{len(labels)} (before {labels[kill_at - 1]})"


def crash_runs(
    request: dict[str, Any], points: Iterable[int], prepare: Callable[[int], Path], *, scratch: Path
) -> Iterator[tuple[int, Path, str]]:
    """For each kill point: prepare a vault, let the writer run and die there; yield (point, vault, outcome).

    One job is kept queued ahead, so the writer works on the next crash while the caller checks this one.
    """
    queue = iter(points)
    in_flight: deque[int] = deque()
    with WriterProcess(request, scratch) as writer:

        def submit_next() -> None:
            point = next(queue, None)
            if point is not None:
                writer.submit(prepare(point), point)
                in_flight.append(point)

        submit_next()
        submit_next()
        while in_flight:
            result = writer.result()
            point = in_flight.popleft()
            submit_next()
            yield point, Path(result["vault"]), result["outcome"]


def expected_outcome(kill_at: int, labels: list[str]) -> str:
    return "completed" if kill_at > len(labels) else "killed"


def request_for(operation: str, **arguments: Any) -> dict[str, Any]:
    return {"operation": operation, "passphrase": PASSPHRASE, "clock_ms": WRITER_CLOCK_MS, **arguments}
