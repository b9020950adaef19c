"""The file a user hands in as evidence: opened safely, read once, and proved unchanged from first byte to last.

A source must be a regular file (not a folder, FIFO or device), not empty, and fit on the disk beside the vault
before a single byte is written. While it is read, its SHA-256 and size are computed and its first bytes kept
for sniffing the media type; afterwards the file must still be there, the same file, with the same size and
modification time, else the intake is refused (a file still being copied, or changed under us).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from safecase.domain.clock import iso_from_ms
from safecase.domain.media_types import HEAD_BYTES
from safecase.errors import SafeCaseError, UsageError, shown
from safecase.storage.fsutil import fsync_dir

# age adds a header of a few hundred bytes and 16 bytes per 64 KiB chunk; keep a margin for the database too.
_AGE_OVERHEAD_PER_CHUNK = 16
_FREE_SPACE_MARGIN = 16 * 2**20


class SourceChangedError(SafeCaseError):
    """The source file changed or vanished while it was being read."""


@dataclass(frozen=True)
class SourceFacts:
    sha256: str
    size: int
    head: bytes
    modified_at: str
    identity: tuple[int, int, int, int, int]  # device, inode, size, mtime, ctime: "the same file, unchanged"


def _identity(facts: os.stat_result) -> tuple[int, int, int, int, int]:
    return (facts.st_dev, facts.st_ino, facts.st_size, facts.st_mtime_ns, facts.st_ctime_ns)


class ContentMeter:
    """What intake measures of content on its way into the vault: SHA-256, size, and the head to sniff its type."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.count = 0
        self.head = b""

    def on_block(self, block: bytes) -> None:
        self.digest.update(block)
        self.count += len(block)
        if len(self.head) < HEAD_BYTES:
            self.head += block[: HEAD_BYTES - len(self.head)]


class EvidenceSource:
    """An open source file, read through ``reader`` (hashing as it goes); ``finish`` proves it did not change."""

    def __init__(self, path: Path, handle: BinaryIO, initial: os.stat_result) -> None:
        self.path = path
        self.size = initial.st_size
        self._handle = handle
        self._initial = initial
        self._meter = ContentMeter()

    def on_block(self, block: bytes) -> None:
        self._meter.on_block(block)
        if self._meter.count > self.size:
            raise self._changed("grew")

    @property
    def handle(self) -> BinaryIO:
        return self._handle

    @property
    def bytes_read(self) -> int:
        return self._meter.count

    def finish(self) -> SourceFacts:
        """The facts of what was read, if the file is still the same, unchanged (the ctime cannot be set back)."""
        try:
            named = self.path.stat()
        except FileNotFoundError:
            raise self._changed("disappeared") from None
        if (named.st_dev, named.st_ino) != (self._initial.st_dev, self._initial.st_ino):
            raise self._changed("was replaced")
        now = os.fstat(self._handle.fileno())
        if self._meter.count != self.size or _identity(now) != _identity(self._initial):
            raise self._changed("changed")
        modified_at = iso_from_ms(now.st_mtime_ns // 10**6)
        meter = self._meter
        return SourceFacts(meter.digest.hexdigest(), meter.count, meter.head, modified_at, _identity(now))

    def _changed(self, how: str) -> SourceChangedError:
        return SourceChangedError(
            f"{shown(self.path.name)} {how} while it was being read; nothing was added. Wait until the file is "
            "complete (e.g. the copy has finished) and attach it again."
        )


def check_source(path: Path) -> os.stat_result:
    """Refuse what cannot be evidence, judged without opening it (opening a device can have side effects)."""
    try:
        facts = path.stat()
    except FileNotFoundError:
        raise UsageError(f"{shown(path)} does not exist. Check the path and try again.") from None
    except OSError as exc:
        raise UsageError(f"Cannot read {shown(path)}: {exc.strerror}. Check its permissions.") from None
    _refuse_unusual(path, facts)
    return facts


@contextlib.contextmanager
def open_source(path: Path, free_space_folder: Path) -> Iterator[EvidenceSource]:
    """Open ``path`` for intake, refusing what cannot be evidence before anything is written."""
    checked = check_source(path)
    nonblocking = getattr(os, "O_NONBLOCK", 0)  # should it have become a FIFO since: do not wait for a writer
    try:
        fd = os.open(path, os.O_RDONLY | nonblocking)
    except OSError as exc:
        raise UsageError(f"Cannot read {shown(path)}: {exc.strerror}. Check its permissions.") from None
    try:
        initial = os.fstat(fd)
        if (initial.st_dev, initial.st_ino) != (checked.st_dev, checked.st_ino):
            raise UsageError(f"{shown(path)} was replaced while SafeCase opened it; attach it again.")
        _refuse_unusual(path, initial)
        _refuse_if_no_room(path, initial.st_size, free_space_folder)
        if nonblocking:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb", buffering=0) as handle:
        yield EvidenceSource(path, handle, initial)


def _refuse_unusual(path: Path, facts: os.stat_result) -> None:
    mode = facts.st_mode
    if stat.S_ISDIR(mode):
        raise UsageError(f"{shown(path)} is a folder. Attach the files inside it one by one.")
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        raise UsageError(f"{shown(path)} is a pipe or socket, not a file. Save the data to a file and attach that.")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise UsageError(f"{shown(path)} is a device, not a file. Copy the data to a file and attach that.")
    if not stat.S_ISREG(mode):
        raise UsageError(f"{shown(path)} is not a regular file.")
    if facts.st_size == 0:
        raise UsageError(
            f"{shown(path)} is empty (0 bytes): there is nothing to keep. Check that the copy or recording finished."
        )


def _refuse_if_no_room(path: Path, size: int, folder: Path) -> None:
    needed = encrypted_size_bound(size) + _FREE_SPACE_MARGIN
    probe = folder if folder.exists() else folder.parent
    free = shutil.disk_usage(probe).free
    if needed > free:
        raise SafeCaseError(
            f"{shown(path.name)} needs {_mib(needed)} MiB but the vault's disk has {_mib(free)} MiB free; nothing was "
            "written. Free some space and try again."
        )


def encrypted_size_bound(size: int) -> int:
    return size + (size // 65536 + 1) * _AGE_OVERHEAD_PER_CHUNK + 1024


def _mib(size: int) -> str:
    return f"{size / 2**20:,.1f}"


def shred_file(path: Path, taken_in: SourceFacts) -> None:
    """Overwrite ``path`` with random bytes, fsync, rename it to a random name and remove it, if it is still the
    file that was taken in (else SafeCaseError, nothing overwritten: its content may not be in the vault).

    Best effort only: SSDs remap blocks, and journaling or copy-on-write file systems and backups may keep old
    copies. Callers say so to the user.
    """
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise SafeCaseError(f"{shown(path.name)} could not be opened to overwrite it ({exc.strerror}).") from None
    with os.fdopen(fd, "r+b", buffering=0) as handle:
        if _identity(os.fstat(fd)) != taken_in.identity:
            raise SafeCaseError(f"{shown(path.name)} changed after it was taken in, so it was not overwritten.")
        remaining = taken_in.size
        while remaining:
            chunk = secrets.token_bytes(min(1 << 20, remaining))
            view = memoryview(chunk)
            while view:
                view = view[os.write(handle.fileno(), view) :]
            remaining -= len(chunk)
        os.fsync(fd)
    hidden = path.with_name(secrets.token_hex(8))
    path.rename(hidden)
    hidden.unlink()
    with contextlib.suppress(OSError):
        fsync_dir(path.parent)
