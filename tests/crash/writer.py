"""Crash-injection child: runs one vault operation and SIGKILLs itself at its N-th durability point.

Started by ``harness.WriterProcess`` as ``python writer.py``. The first line on stdin is the request (which
operation, with which arguments); every further line is a job ``{"vault": PATH, "kill_at": N | null}``. For each
job the process forks a fresh child that builds the services as the product does (``KdfPolicy.for_tests()`` and a
``FakeClock`` so that every run writes identical revisions), prepares the operation, arms the kill switch, runs the
operation and closes the session. The child SIGKILLs itself just before its ``kill_at``-th durability point; with
``kill_at`` null it records the label of every point into the job's ``labels`` file and exits normally. The result
of each job (killed / completed / failed) is one JSON line on stdout.

Durability points, counted only while armed: every SQL statement the vault's connection executes (so a kill
lands mid-transaction, right before ``COMMIT``, right after it, before a ``PRAGMA rekey`` or a WAL checkpoint),
and every ``os.fsync``, ``os.replace``, ``os.rename``, ``os.unlink``, ``os.rmdir``, ``os.mkdir``, ``os.write``,
``os.ftruncate`` and write to a file opened with ``os.fdopen``. "Kill at N" means the N-th point never happens;
everything before it did. Labels name statements by their first words and files by their name, never keys.

A job may ask for ``fill_at`` instead of ``kill_at``: at that point the disk fills up and the operation goes on.
With ``filler`` (a path on a small file system mounted for the test) the file system is really filled, so SQLite's
own writes fail with SQLITE_FULL; without it, the fallback for machines where no file system can be mounted, every
later Python-level write, file fsync and mkdir fails with ENOSPC, and every COMMIT (and rekey) fails with
SQLITE_FULL after rolling back, as SQLite does when its WAL append does not fit: an approximation (a real full disk
also fails SQLite's other writes, e.g. the page spills of a large transaction). ``run_as`` (a uid) drops root's
privileges in the forked child, so that file modes apply to it (a read-only vault made with chmod). The ``cli``
operation runs ``safecase ARGS`` in-process and writes its exit code and output to the job's ``report`` file.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import functools
import io
import json
import os
import signal
import stat
import sys
import tempfile
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlcipher3

from safecase.cli.main import run as run_cli
from safecase.crypto.kdf import KdfPolicy
from safecase.crypto.recovery_key import RecoveryKey, parse_recovery_key
from safecase.domain.clock import FakeClock
from safecase.domain.ids import RecordId
from safecase.domain.kinds import Kind
from safecase.services import records as records_module
from safecase.services import vault as vault_module
from safecase.services.attachments import AttachmentService
from safecase.services.check import check_vault
from safecase.services.exchange.importer import BundleImporter
from safecase.services.importer import import_rows, read_rows
from safecase.services.records import RecordService
from safecase.services.vault import VaultService

JOB_TIMEOUT_S = 60


class KillSwitch:
    """Counts durability points while armed and SIGKILLs the process (or fills the disk) at the chosen one."""

    def __init__(self) -> None:
        self.armed = False
        self.kill_at: int | None = None
        self.fill_at: int | None = None
        self.filler: Path | None = None  # a file on the small file system the vault is on, or None: inject
        self.disk_full = False  # injected ENOSPC is on (the fallback)
        self.count = 0
        self.labels: list[str] = []

    def hit(self, label: str) -> None:
        if not self.armed:
            return
        self.count += 1
        if self.kill_at is None and self.fill_at is None:
            self.labels.append(label)
        elif self.count == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        elif self.count == self.fill_at:
            self.armed = False  # filling is not a durability point of the operation
            try:
                fill_disk(self.filler) if self.filler is not None else setattr(self, "disk_full", True)
            finally:
                self.armed = True

    def refuse_if_full(self, fd: int | None = None) -> None:
        """The fallback's ENOSPC (for a descriptor, only if it is a regular file: folders fsync fine)."""
        if self.disk_full and (fd is None or stat.S_ISREG(os.fstat(fd).st_mode)):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


SWITCH = KillSwitch()
ORIGINAL_WRITE = os.write


def fill_disk(filler: Path) -> None:
    """Write ``filler`` until its file system has no byte left (tmpfs allocates whole pages, so end with bytes)."""
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for size in (1 << 20, 1 << 16, 1 << 12, 1 << 9, 1):
            block = bytes(size)
            try:
                while True:
                    ORIGINAL_WRITE(fd, block)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
    finally:
        os.close(fd)


def _name(target: Any) -> str:
    if isinstance(target, int):  # a file descriptor: name the file it is open on
        try:
            return Path(os.readlink(f"/proc/self/fd/{target}")).name
        except OSError:
            return f"fd {target}"
    return Path(os.fsdecode(target)).name


def _sql_label(sql: str) -> str:
    words = sql.split()
    if words[:2] in (["PRAGMA", "key"], ["PRAGMA", "rekey"]):  # never copy the key into a label
        return " ".join(words[:2])
    return " ".join(words[:3])


class _CountingFile:
    """A file object from ``os.fdopen`` whose writes are durability points."""

    def __init__(self, handle: Any, label: str) -> None:
        self._handle = handle
        self._label = label

    def write(self, data: Any) -> Any:
        SWITCH.hit(f"write {self._label}")
        SWITCH.refuse_if_full()
        return self._handle.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def __enter__(self) -> _CountingFile:
        self._handle.__enter__()
        return self

    def __exit__(self, *exc: object) -> Any:
        return self._handle.__exit__(*exc)


class CountingConnection(sqlcipher3.Connection):  # type: ignore[misc]
    """The vault's SQLCipher connection, with every statement a durability point."""

    def execute(self, sql: str, *args: Any) -> Any:
        SWITCH.hit(f"sql {_sql_label(sql)}")
        if SWITCH.disk_full and sql.split()[:2] in (["COMMIT"], ["PRAGMA", "rekey"]):
            if self.in_transaction:
                super().execute("ROLLBACK")  # what SQLite does itself when a commit meets SQLITE_FULL
            raise sqlcipher3.OperationalError("database or disk is full")
        return super().execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> Any:
        SWITCH.hit(f"sql many {_sql_label(sql)}")
        return super().executemany(sql, *args)

    def executescript(self, sql: str) -> Any:
        SWITCH.hit("sql script")
        return super().executescript(sql)


_REFUSED_WHEN_FULL = {"fsync", "write", "mkdir", "ftruncate"}


def _counted(name: str, original: Callable[..., Any], describe: Callable[..., str]) -> Callable[..., Any]:
    refuses = name.removeprefix("os.") in _REFUSED_WHEN_FULL

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        SWITCH.hit(f"{name} {describe(*args)}")
        if refuses:
            SWITCH.refuse_if_full(args[0] if args and isinstance(args[0], int) else None)
        return original(*args, **kwargs)

    return wrapper


def install_instrumentation() -> None:
    """Patch os and sqlcipher3 in this process only; nothing counts until the switch is armed."""
    one = lambda target, *_: _name(target)  # noqa: E731
    two = lambda source, target, *_: f"{_name(source)} -> {_name(target)}"  # noqa: E731
    for name, describe in (
        ("fsync", one),
        ("replace", two),
        ("rename", two),
        ("unlink", one),
        ("rmdir", one),
        ("mkdir", one),
        ("write", one),
        ("ftruncate", one),
    ):
        setattr(os, name, _counted(f"os.{name}", getattr(os, name), describe))
    original_fdopen = os.fdopen

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        return _CountingFile(original_fdopen(fd, *args, **kwargs), _name(fd))

    os.fdopen = fdopen
    sqlcipher3.connect = functools.partial(sqlcipher3.connect, factory=CountingConnection)


# -- operations: each prepares what it needs (unarmed), then arms the switch, acts and closes the session. ----


def _services(request: dict[str, Any]) -> VaultService:
    return VaultService(KdfPolicy.for_tests(), FakeClock(request["clock_ms"]))


def op_write_batch(request: dict[str, Any], root: Path) -> None:
    session = _services(request).unlock(root, request["passphrase"])
    records = RecordService(session)
    writes = [records.prepare_new(Kind(r["kind"]), r["body"], r["id"]) for r in request["records"]]
    SWITCH.armed = True
    records.write_batch(writes)
    session.close()


def op_edit(request: dict[str, Any], root: Path) -> None:
    session = _services(request).unlock(root, request["passphrase"])
    SWITCH.armed = True
    RecordService(session).edit(request["record_id"], request["body"])
    session.close()


def op_delete(request: dict[str, Any], root: Path) -> None:
    session = _services(request).unlock(root, request["passphrase"])
    SWITCH.armed = True
    RecordService(session).delete(request["record_id"])
    session.close()


def op_change_passphrase(request: dict[str, Any], root: Path) -> None:
    services = _services(request)
    session = services.unlock(root, request["passphrase"])
    SWITCH.armed = True
    services.change_passphrase(session, request["new_passphrase"])
    session.close()


def op_rotate_master_key(request: dict[str, Any], root: Path) -> None:
    services = _services(request)
    session = services.unlock(root, request["passphrase"])
    SWITCH.armed = True
    services.rotate_master_key(session, request["passphrase"])
    session.close()


def op_unlock(request: dict[str, Any], root: Path) -> None:
    """Unlock (which settles an unfinished rotation and removes leftovers) and lock again."""
    SWITCH.armed = True
    _services(request).unlock(root, request["passphrase"]).close()


def op_create(request: dict[str, Any], root: Path) -> None:
    # The parent must know the recovery key to check the result, so the child uses the one it was given.
    recovery_key = RecoveryKey(bytes.fromhex(request["recovery_secret_hex"]))
    vault_module.generate_recovery_key = lambda: recovery_key  # type: ignore[attr-defined]
    SWITCH.armed = True
    _services(request).create(root, request["passphrase"], "Fictional Tester", "Fictional Org")


def op_import_file(request: dict[str, Any], root: Path) -> None:
    """``safecase import FILE``: the rows are read and checked (no writes), then written in one transaction."""
    session = _services(request).unlock(root, request["passphrase"])
    SWITCH.armed = True
    import_rows(RecordService(session), read_rows(Path(request["file"]), request["format"]))
    session.close()


def op_attach(request: dict[str, Any], root: Path) -> None:
    """``safecase attach RECORD FILE``: encrypt into a .partial blob, fsync, commit the record, rename."""
    session = _services(request).unlock(root, request["passphrase"])
    SWITCH.armed = True
    AttachmentService(session).attach(request["record_id"], Path(request["source"]))
    session.close()


def op_bundle_import(request: dict[str, Any], root: Path) -> None:
    """``safecase bundle import FILE``: stage the evidence blobs, merge the records, commit, rename the blobs."""
    session = _services(request).unlock(root, request["passphrase"])
    SWITCH.armed = True
    BundleImporter(session).import_bundle(Path(request["bundle"]))
    session.close()


def op_recover(request: dict[str, Any], root: Path) -> None:
    """``safecase recover``: unlock with the recovery key, then a passphrase change."""
    services = _services(request)
    session = services.unlock_with_recovery_key(root, parse_recovery_key(request["recovery_key"]))
    SWITCH.armed = True
    services.change_passphrase(session, request["new_passphrase"])
    session.close()


def op_restore_header(request: dict[str, Any], root: Path) -> None:
    """``safecase header restore FILE``: prove the header opens the database, then write both header files."""
    SWITCH.armed = True
    _services(request).restore_header(root, Path(request["header_file"]), request["passphrase"], None).close()


def op_shred(request: dict[str, Any], root: Path) -> None:
    SWITCH.armed = True
    _services(request).shred(root)


def op_cli(request: dict[str, Any], root: Path) -> None:
    """``safecase ARGS`` ("{vault}" in ARGS is the job's vault), as main() runs it but with the test KDF and clock;
    the exit code and both output streams go to the job's report file (never onto the disk under test)."""
    argv = [arg.replace("{vault}", str(root)) for arg in request["argv"]]
    stdout, stderr = io.StringIO(), io.StringIO()

    def no_prompt(label: str) -> str:
        raise AssertionError(f"the command asked for {label}")

    SWITCH.armed = True
    with contextlib.redirect_stderr(stderr):  # whatever else reaches stderr (a logged warning) is output too
        code = run_cli(
            argv,
            kdf_policy=KdfPolicy.for_tests(),
            clock=FakeClock(request["clock_ms"]),
            stdin=io.StringIO(request.get("stdin", "")),
            stdout=stdout,
            stderr=stderr,
            environ=request.get("environ", {}),
            prompt=no_prompt,
        )
    SWITCH.armed = False
    report = {"code": code, "stdout": stdout.getvalue(), "stderr": stderr.getvalue()}
    Path(request["report"]).write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")


OPERATIONS: dict[str, Callable[[dict[str, Any], Path], None]] = {
    "write_batch": op_write_batch,
    "edit": op_edit,
    "delete": op_delete,
    "change_passphrase": op_change_passphrase,
    "rotate_master_key": op_rotate_master_key,
    "unlock": op_unlock,
    "create": op_create,
    "import_file": op_import_file,
    "attach": op_attach,
    "bundle_import": op_bundle_import,
    "recover": op_recover,
    "restore_header": op_restore_header,
    "shred": op_shred,
    "cli": op_cli,
}


def run_job(request: dict[str, Any], job: dict[str, Any]) -> dict[str, Any]:
    """Fork a child for one job and report how it ended."""
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            signal.alarm(JOB_TIMEOUT_S)  # a hung child ends as "failed", never hangs the test run
            SWITCH.kill_at = job["kill_at"]
            SWITCH.fill_at = job.get("fill_at")
            SWITCH.filler = Path(job["filler"]) if job.get("filler") else None
            _repeatable_record_ids()
            if job.get("run_as") is not None:
                _drop_privileges(int(job["run_as"]))
            OPERATIONS[request["operation"]]({**request, **job}, Path(job["vault"]))
            SWITCH.armed = False
            if job.get("labels"):
                Path(job["labels"]).write_text(json.dumps(SWITCH.labels), encoding="utf-8")
        except BaseException:
            SWITCH.armed = False
            traceback.print_exc()
            code = 3
        finally:
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
        outcome = "killed"
    elif os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        outcome = "completed"
    else:
        outcome = f"failed (status {status})"
    return {"vault": job["vault"], "kill_at": job["kill_at"], "outcome": outcome}


def _repeatable_record_ids() -> None:
    """New records (an evidence file's) get the same ids in every run, so crashed and finished runs compare."""
    numbers = iter(range(1, 1_000_000))
    first = 0xC0FF_EE00_0000_4000_8000_0000_0000_0000
    setattr(records_module, "new_record_id", lambda: RecordId(str(uuid.UUID(int=first + next(numbers)))))  # noqa: B010


def _drop_privileges(uid: int) -> None:
    """Become an ordinary user (the interpreter is already loaded: a fork, no exec), so file modes apply.

    The standard library may lie where that user cannot read (a root-only pyenv), so what the commands load
    lazily is loaded first."""
    for encoding in ("utf-8-sig", "idna", "ascii", "latin-1"):
        codecs.lookup(encoding)
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def warm_up(request: dict[str, Any]) -> None:
    """Exercise the code paths once, unarmed, in a scratch vault: every forked child then starts warm (lazy
    imports, compiled schemas, crypto back ends), which makes each crash run several times faster."""
    services = _services(request)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "vault"
        services.create(root, request["passphrase"])
        with services.unlock(root, request["passphrase"]) as session:
            records = RecordService(session)
            person = records.add(Kind.PERSON, {"pseudonym": "P-WARMUP", "names": {"romanized": "Warm Up"}})
            body = {"interviewee_id": person.id, "date": "2019-08-14", "language": "ko", "summary": "Warm up."}
            testimony = records.add(Kind.TESTIMONY, body)
            records.edit(testimony.id, {**body, "summary": "Warmed up."})
            records.delete(records.add(Kind.TAG, {"label": "Warm up"}).id)
            import_rows(records, [{"kind": "tag", "label": "Warm up import"}])
            case = records.add(Kind.CASE, {"title": "Warm up", "status": "open", "sensitivity": "high"})
            source = Path(scratch) / "warm-up.txt"
            source.write_bytes(b"warm up evidence")
            AttachmentService(session).attach(case.id, source)
            services.change_passphrase(session, request["passphrase"] + " again")
            services.rotate_master_key(session, request["passphrase"] + " again")
            check_vault(session)


def main() -> None:
    request = json.loads(sys.stdin.readline())
    install_instrumentation()
    warm_up(request)
    for line in sys.stdin:
        print(json.dumps(run_job(request, json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
