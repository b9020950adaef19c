"""Shared helpers for the crash tests: fictional vaults, the writer child, and what a survivor must satisfy.

A crash test builds a vault in the "old" state, lets ``writer.py`` run the operation once without a kill to list
its durability points and produce the "new" state, then replays the operation in a fresh copy of the old vault for
each chosen kill point. Every crashed vault must unlock with exactly one of the passphrases, and also with the
recovery key (on a copy, since unlocking settles things), pass ``check_vault`` (a failure in the first session
is recorded; one that survives a re-lock fails the kill point), keep no temporary files and no pending key
rotation, and hold records, versions, links and search results that are exactly the old or exactly the new state.
Operations that also write evidence files, exchange bookkeeping or audit entries compare ``full_snapshot``, which
adds those (evidence by content, since blob names are random).

Each sweep publishes one row of docs/SECURITY.md's crash table (``Sweep.figure``): kill points tried, those after
which every promise held, those that left a state that is neither old nor new (lost) and unexpected failures.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safecase.crypto.header import VaultHeader
from safecase.crypto.kdf import KdfPolicy
from safecase.crypto.recovery_key import RecoveryKey, parse_recovery_key
from safecase.domain.clock import FakeClock
from safecase.domain.kinds import Kind
from safecase.errors import WrongSecretError
from safecase.services.attachments import AttachmentService
from safecase.services.check import check_vault
from safecase.services.records import RecordService
from safecase.services.session import VaultSession
from safecase.services.vault import VaultService
from safecase.storage.blob_store import NAME_PATTERN, PARTIAL_SUFFIX
from tests.adversarial.figures import SecurityFigure, record

PASSPHRASE = "바다 건너 새벽 기차 2019"  # fictional
NEW_PASSPHRASE = "Kestrel harbour lantern 77"  # fictional
CLOCK_MS = 1_700_000_000_000
WRITER = Path(__file__).with_name("writer.py")
MARKER = "kestrelwood"  # a made-up word in every record body: search results are part of the state
EDIT_MARKER = "marlowfen"  # the word an edit puts in instead
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


# -- the state of a vault ----------------------------------------------------------------------------------------


def snapshot(session: VaultSession) -> str:
    """Canonical JSON of every record, every version, every link, the search results and the revision counter."""
    db = session.db
    state = {
        "records": db.query_all(
            "SELECT num, id, kind, revision, created_at, updated_at, origin_device, deleted, body FROM records"
            " ORDER BY num"
        ),
        "versions": db.query_all(
            "SELECT r.id, v.revision, v.kind, v.deleted, v.origin_device, v.written_at, v.body, v.body_sha256"
            " FROM record_versions v JOIN records r ON r.num = v.record_num ORDER BY r.id, v.revision"
        ),
        "links": db.query_all(
            "SELECT r.id, l.field, l.target_id FROM record_links l JOIN records r ON r.num = l.source_num"
            " ORDER BY 1, 2, 3"
        ),
        "search": {
            word: sorted(hit.num for hit in session.search.query(word, 100_000)) for word in (MARKER, EDIT_MARKER)
        },
        "last_revision": session.meta.last_revision(),
    }
    return json.dumps(state, sort_keys=True, ensure_ascii=False)


StateOf = Callable[[VaultSession], str]


def _blob_folder(session: VaultSession) -> dict[str, int]:
    """What is in blobs/ besides the referenced evidence: a crash must leave no partial and no orphan behind."""
    folder = session.blobs.folder
    names = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    referenced = {row[0] for row in session.db.query_all("SELECT blob_name FROM attachment_blobs")}
    finished = [n for n in names if NAME_PATTERN.match(n)]
    return {
        "finished": len(finished),
        "unreferenced": len([n for n in finished if n not in referenced]),
        "partial": len([n for n in names if n.endswith(PARTIAL_SUFFIX)]),
        "other": len([n for n in names if not NAME_PATTERN.match(n) and not n.endswith(PARTIAL_SUFFIX)]),
    }


def _stored_evidence(session: VaultSession) -> list[tuple[str, str, bool]]:
    """(attachment id, when stored, whether the blob on disk has the size recorded); age's random padding makes
    the size itself differ from run to run."""
    rows = session.db.query_all(
        "SELECT attachment_id, blob_name, stored_size, stored_at FROM attachment_blobs ORDER BY attachment_id"
    )
    return [(a, at, session.blobs.size_on_disk(name) == size) for a, name, size, at in rows]


def full_snapshot(session: VaultSession) -> str:
    """``snapshot`` plus evidence (by content: blob names are random), bundles and the audit chain's entries."""
    db = session.db
    state = {
        "records": json.loads(snapshot(session)),
        "attachments": _stored_evidence(session),
        "evidence_problems": AttachmentService(session).problems(),  # every blob decrypted and re-hashed
        "blob_folder": _blob_folder(session),
        "bundles": db.query_all(
            "SELECT bundle_id, sender_key, sequence, imported_at, manifest_sha256 FROM bundles_received ORDER BY 1"
        ),
        "version_sources": db.query_all("SELECT * FROM version_sources ORDER BY 1, 2"),
        "conflicts": db.query_all("SELECT * FROM record_conflicts ORDER BY 1"),
        "contacts": db.query_all("SELECT * FROM team_contacts ORDER BY 1"),
        "audit": db.query_all("SELECT seq, at, action, subject, detail, entry_hash FROM audit_log ORDER BY seq"),
    }
    return json.dumps(state, sort_keys=True, ensure_ascii=False, default=str)


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


# -- a whole sweep over the kill points of one operation ---------------------------------------------------------


@dataclass
class Sweep:
    """The outcome of crashing one operation at many points."""

    labels: list[str]
    points: list[int]
    survivors: dict[int, Survivor]
    failures: list[str]
    lost: set[int] = field(default_factory=set)  # kill points that broke the promise (state, opening, check)
    crashed: set[int] = field(default_factory=set)  # ... that ended in an unexpected failure instead
    found: dict[int, str] = field(default_factory=dict)  # what `before` said of each crashed vault

    def fail(self, point: int, error: BaseException | str) -> None:
        """Report a kill point that broke the promise: an AssertionError (CrashCheckFailure) is a loss, a writer
        that did not die where it should or any other exception is an unexpected failure."""
        if isinstance(error, str):
            self.crashed.add(point)
            self.failures.append(f"{self.describe(point)}: {error}")
            return
        (self.lost if isinstance(error, AssertionError) else self.crashed).add(point)
        self.failures.append(f"{self.describe(point)}: {type(error).__name__}: {error}")

    def figure(self, row: str, note: str = "") -> SecurityFigure:
        """This sweep as a row of the crash table (record it before asserting, so a failure is published too)."""
        lost = self.lost | set(self.points_where(lambda s: bool(s.first_check_problems)))
        crashed = self.crashed - lost
        total = len(self.labels) + 1
        if len(self.points) < total:
            sampled = (
                f"{len(self.points)} of {total} points: each file operation, BEGIN, COMMIT and their neighbours; "
                "the rest evenly"
            )
            note = f"{note}; {sampled}" if note else sampled
        return SecurityFigure(
            group="crash",
            row=row,
            tried=len(self.points),
            unit="kill points",
            held=len(self.points) - len(lost | crashed),
            lost=len(lost),
            crashes=len(crashed),
            note=note,
        )

    def points_where(self, predicate: Callable[[Survivor], bool]) -> list[int]:
        return [point for point, survivor in self.survivors.items() if predicate(survivor)]

    def describe(self, point: int) -> str:
        return describe_point(self.labels, point)

    def failed_first_checks(self) -> list[str]:
        """Kill points after which check_vault failed in the first session (and passed after a re-lock)."""
        return [
            f"{self.describe(p)}: {self.survivors[p].first_check_problems[0]}"
            for p in self.points_where(lambda s: bool(s.first_check_problems))
        ]

    def assert_clean(self) -> None:
        problems = list(self.failures)
        problems += [f"check_vault failed after {line}" for line in self.failed_first_checks()]
        assert not problems, f"{len(problems)} kill point(s) broke the promise:\n" + "\n".join(problems)


def sweep(
    workdir: Path,
    request: dict[str, Any],
    base: BaseVault,
    *,
    budget: int,
    new_passphrase: str | None = None,
    then: Callable[[Path, Survivor], None] | None = None,
    measure: StateOf = snapshot,
    before: Callable[[Path], str] | None = None,
    expected: dict[str, str] | None = None,
) -> Sweep:
    """Crash `request`'s operation at up to `budget` points on copies of `base` and check every survivor.

    `then`, if given, runs on each survivor after the checks (e.g. to show the vault still takes the same
    operation again); whatever it raises is reported as a failure of that kill point. `measure` is what "the
    state" of a vault is (``snapshot``, or ``full_snapshot`` for operations that write more than records).
    `before`, if given, looks at the crashed vault before anything unlocks it (an unlock repairs things) and says
    what it found (kept in ``Sweep.found``). `expected` replaces the old and new states read from `base` and from
    an uninterrupted run, for a base that does not open (a shredded vault).
    """
    completed = copy_vault(base.root, workdir / "new" / "vault")
    labels = run_uninterrupted(request, completed, scratch=workdir)
    if expected is None:
        old = state_of(copy_vault(base.root, workdir / "old" / "vault"), measure=measure)
        new = state_of(completed, new_passphrase or PASSPHRASE, measure)
        expected = {"unchanged": old} if old == new else {"old": old, "new": new}
    states = expected
    passphrases = [PASSPHRASE] if new_passphrase is None else [PASSPHRASE, new_passphrase]
    points = select_points(labels, budget)

    def prepare(point: int) -> Path:
        return copy_vault(base.root, workdir / f"kill-{point}" / "vault")

    result = Sweep(labels, points, {}, [])
    for point, vault, outcome in crash_runs(request, points, prepare, scratch=workdir):
        if outcome != expected_outcome(point, labels):
            result.fail(point, f"the writer {outcome}")
            continue
        try:
            if before is not None:
                result.found[point] = before(vault)
            result.survivors[point] = open_survivor(vault, passphrases, base.recovery_key, states, measure)
            if then is not None:
                then(vault, result.survivors[point])
        except Exception as error:  # every kill point is reported, not just the first that fails
            result.fail(point, error)
        shutil.rmtree(vault.parent, ignore_errors=True)
    return result


@contextlib.contextmanager
def published(row: str, unit: str = "kill points", note: str = "") -> Iterator[None]:
    """Publish a one-input row of the crash table for the checks in the block: held if they pass, lost if an
    assertion fails, an unexpected failure if anything else is raised (which still propagates)."""
    try:
        yield
    except AssertionError:
        record(SecurityFigure("crash", row, 1, unit, 0, lost=1, note=note))
        raise
    except Exception:
        record(SecurityFigure("crash", row, 1, unit, 0, crashes=1, note=note))
        raise
    record(SecurityFigure("crash", row, 1, unit, 1, note=note))


def request_for(operation: str, **arguments: Any) -> dict[str, Any]:
    return {"operation": operation, "passphrase": PASSPHRASE, "clock_ms": WRITER_CLOCK_MS, **arguments}
