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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from safecase.domain.clock import iso_from_ms
from safecase.domain.media_types import HEAD_BYTES
from safecase.errors import SafeCaseError, UsageError
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


class EvidenceSource:
    """An open source file, read through ``reader`` (hashing as it goes); ``finish`` proves it did not change."""

    def __init__(self, path: Path, handle: BinaryIO, initial: os.stat_result) -> None:
        self.path = path
        self.size = initial.st_size
        self._handle = handle
        self._initial = initial
        self._digest = hashlib.sha256()
        self._count = 0
        self._head = b""

    def on_block(self, block: bytes) -> None:
        self._digest.update(block)
        self._count += len(block)
        if len(self._head) < HEAD_BYTES:
            self._head += block[: HEAD_BYTES - len(self._head)]
        if self._count > self.size:
            raise self._changed("grew")

    @property
    def handle(self) -> BinaryIO:
        return self._handle

    @property
    def bytes_read(self) -> int:
        return self._count

    def finish(self) -> SourceFacts:
        now = os.fstat(self._handle.fileno())
        if self._count != self.size or now.st_size != self.size or now.st_mtime_ns != self._initial.st_mtime_ns:
            raise self._changed("changed")
        try:
            named = self.path.stat()
        except FileNotFoundError:
            raise self._changed("disappeared") from None
        if (named.st_dev, named.st_ino) != (self._initial.st_dev, self._initial.st_ino):
            raise self._changed("was replaced")
        return SourceFacts(self._digest.hexdigest(), self._count, self._head, iso_from_ms(now.st_mtime_ns // 10**6))

    def _changed(self, how: str) -> SourceChangedError:
        return SourceChangedError(
            f"{self.path.name} {how} while it was being read; nothing was added. Wait until the file is "
            "complete (e.g. the copy has finished) and attach it again."
        )


@contextlib.contextmanager
def open_source(path: Path, free_space_folder: Path) -> Iterator[EvidenceSource]:
    """Open ``path`` for intake, refusing what cannot be evidence before anything is written."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; a regular file ignores it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise UsageError(f"{path} does not exist. Check the path and try again.") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder. Attach the files inside it one by one.") from None
    except OSError as exc:
        raise UsageError(f"Cannot read {path}: {exc.strerror}. Check its permissions.") from None
    try:
        initial = os.fstat(fd)
        _refuse_unusual(path, initial)
        _refuse_if_no_room(path, initial.st_size, free_space_folder)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb", buffering=0) as handle:
        yield EvidenceSource(path, handle, initial)


def _refuse_unusual(path: Path, facts: os.stat_result) -> None:
    mode = facts.st_mode
    if stat.S_ISDIR(mode):
        raise UsageError(f"{path} is a folder. Attach the files inside it one by one.")
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        raise UsageError(f"{path} is a pipe or socket, not a file. Save the data to a file and attach that.")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise UsageError(f"{path} is a device, not a file. Copy the data to a file and attach that.")
    if not stat.S_ISREG(mode):
        raise UsageError(f"{path} is not a regular file.")
    if facts.st_size == 0:
        raise UsageError(
            f"{path} is empty (0 bytes): there is nothing to keep. Check that the copy or recording finished."
        )


def _refuse_if_no_room(path: Path, size: int, folder: Path) -> None:
    needed = encrypted_size_bound(size) + _FREE_SPACE_MARGIN
    probe = folder if folder.exists() else folder.parent
    free = shutil.disk_usage(probe).free
    if needed > free:
        raise SafeCaseError(
            f"{path.name} needs {_mib(needed)} MiB but the vault's disk has {_mib(free)} MiB free; nothing was "
            "written. Free some space and try again."
        )


def encrypted_size_bound(size: int) -> int:
    return size + (size // 65536 + 1) * _AGE_OVERHEAD_PER_CHUNK + 1024


def _mib(size: int) -> str:
    return f"{size / 2**20:,.1f}"


def shred_file(path: Path, progress: Callable[[int], None] | None = None) -> None:
    """Overwrite ``path`` with random bytes, fsync, rename it to a random name and remove it.

    Best effort only: SSDs remap blocks, and journaling or copy-on-write file systems and backups may keep old
    copies. Callers say so to the user.
    """
    fd = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "r+b", buffering=0) as handle:
        size = os.fstat(fd).st_size
        chunk = 1 << 20
        written = 0
        while written < size:
            n = min(chunk, size - written)
            handle.write(secrets.token_bytes(n))
            written += n
            if progress is not None:
                progress(written)
        os.fsync(fd)
    hidden = path.with_name(secrets.token_hex(8))
    path.rename(hidden)
    hidden.unlink()
    with contextlib.suppress(OSError):
        fsync_dir(path.parent)
