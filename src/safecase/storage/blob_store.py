"""Encrypted evidence files in the vault's ``blobs/`` folder: one age file each, encrypted to the vault identity.

Names are 32 random hex digits, never derived from the content, so two vaults holding the same photo cannot be
matched by their file names. A blob is written as ``<name>.partial``, fsynced, renamed to ``<name>`` and only then
referenced by the database, in the caller's transaction. The writer holds an advisory lock on the file from its
creation until the database commit, so ``sweep`` (run on unlock) can tell a crashed intake, whose files it
removes, from one still running in another process, which it leaves alone.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pyrage

from safecase.crypto.age_stream import Writer, decrypt_stream, encrypt_stream
from safecase.errors import NotFoundError, VaultStateError
from safecase.storage import fsutil

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

NAME_PATTERN = re.compile(r"^[0-9a-f]{32}$")
PARTIAL_SUFFIX = ".partial"
RECORDING_SUFFIX = ".recording"
# Without advisory locks (Windows), leftovers are removed only once they are clearly abandoned.
_UNLOCKABLE_GRACE_SECONDS = 24 * 3600


class BlobNotRegularError(VaultStateError):
    def __init__(self) -> None:
        super().__init__("A stored evidence file was replaced by a link, folder or other non-file.")


def new_blob_name() -> str:
    return secrets.token_hex(16)


def _check_name(name: str) -> str:
    if not NAME_PATTERN.match(name):
        raise VaultStateError("A stored evidence file has an invalid name; run `safecase check`.")
    return name


def try_lock(fd: int) -> bool:
    """Take an exclusive advisory lock without waiting; False if another process holds it."""
    if fcntl is None:  # pragma: no cover - Windows
        return time.time() - os.fstat(fd).st_mtime > _UNLOCKABLE_GRACE_SECONDS
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@dataclass(frozen=True)
class SweepReport:
    removed_partial: int
    removed_unreferenced: int


class PendingBlob:
    """A blob being written. Leave the ``with`` block without ``keep()`` and the file is gone."""

    def __init__(self, folder: Path, name: str) -> None:
        self.name = name
        self._folder = folder
        self._partial = folder / f"{name}{PARTIAL_SUFFIX}"
        self._final = folder / name
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self._partial, flags, fsutil.FILE_MODE)
        # Without advisory locks (Windows) a fresh file is protected by the sweep's grace period instead.
        self._locked = fcntl is None or try_lock(fd)
        self.file: BinaryIO = os.fdopen(fd, "wb", buffering=0)
        self._kept = False
        self._renamed = False

    def still_ours(self) -> bool:
        """True if we hold the lock and the name still leads to our file (a sweep may have won the race)."""
        if not self._locked:
            return False
        try:
            named = os.lstat(self._partial)
        except FileNotFoundError:
            return False
        own = os.fstat(self.file.fileno())
        return (named.st_dev, named.st_ino) == (own.st_dev, own.st_ino)

    def abandon(self) -> None:
        self.file.close()

    def finish(self) -> int:
        """Make the written blob durable under its final name (still locked). Returns its size in bytes."""
        self.file.flush()
        os.fsync(self.file.fileno())
        self._partial.rename(self._final)
        self._renamed = True
        fsutil.fsync_dir(self._folder)
        return os.fstat(self.file.fileno()).st_size

    def keep(self) -> None:
        """Call after the database that references the blob has committed."""
        self._kept = True

    def __enter__(self) -> PendingBlob:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._kept:
            with contextlib.suppress(FileNotFoundError):
                (self._final if self._renamed else self._partial).unlink()
        self.file.close()  # releases the lock, after the unlink so a sweep never sees a half-finished state


class BlobStore:
    def __init__(self, folder: Path, age_identity: Any) -> None:
        self._folder = folder
        self._identity = age_identity
        self._recipient = age_identity.to_public()

    @property
    def folder(self) -> Path:
        return self._folder

    def path(self, name: str) -> Path:
        return self._folder / _check_name(name)

    def new_blob(self) -> PendingBlob:
        fsutil.make_private_dir(self._folder)
        while True:
            pending = PendingBlob(self._folder, new_blob_name())
            if pending.still_ours():
                return pending
            pending.abandon()  # a sweep in another process removed it before we held the lock: take a new name

    def encrypt_into(self, pending: PendingBlob, reader: Any) -> None:
        encrypt_stream(reader, pending.file, self._recipient)

    def encrypt_bytes(self, data: bytes) -> bytes:
        """A complete age file holding ``data`` (for recording segments)."""
        result: bytes = pyrage.encrypt(data, [self._recipient])
        return result

    def decrypt_bytes(self, data: bytes) -> bytes:
        result: bytes = pyrage.decrypt(data, [self._identity])
        return result

    def decrypt_to(self, name: str, writer: Writer) -> None:
        """Stream the plaintext of blob ``name`` into ``writer``; DecryptionFailed if it was altered."""
        with self.open_encrypted(name) as handle:
            decrypt_stream(handle, writer, self._identity)

    @contextlib.contextmanager
    def open_encrypted(self, name: str) -> Iterator[BinaryIO]:
        path = self.path(name)
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            raise NotFoundError("The encrypted file is missing from the vault's blobs folder.") from None
        except OSError:  # a symbolic link (ELOOP), a folder on some systems, no permission
            raise BlobNotRegularError() from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise BlobNotRegularError()
        with os.fdopen(fd, "rb") as handle:
            yield handle

    def stored_size(self, name: str) -> int:
        try:
            return self.path(name).stat().st_size
        except FileNotFoundError:
            return -1

    def remove(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(name).unlink()

    def names(self) -> list[str]:
        if not self._folder.is_dir():
            return []
        return sorted(p.name for p in self._folder.iterdir() if NAME_PATTERN.match(p.name))

    def sweep(self, is_referenced: Callable[[str], bool]) -> SweepReport:
        """Remove what crashed intakes left: partial files and finished blobs no record references."""
        partial = unreferenced = 0
        if not self._folder.is_dir():
            return SweepReport(0, 0)
        for entry in sorted(self._folder.iterdir()):
            name = entry.name
            if name.endswith(PARTIAL_SUFFIX) and NAME_PATTERN.match(name.removesuffix(PARTIAL_SUFFIX)):
                partial += self._remove_if_abandoned(entry, None)
            elif NAME_PATTERN.match(name):
                unreferenced += self._remove_if_abandoned(entry, is_referenced)
        return SweepReport(partial, unreferenced)

    @staticmethod
    def _remove_if_abandoned(path: Path, is_referenced: Callable[[str], bool] | None) -> int:
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return 0
        try:
            # Checked again under the lock: a writer releases its lock only after its database commit.
            if try_lock(fd) and (is_referenced is None or not is_referenced(path.name)):
                path.unlink(missing_ok=True)
                return 1
            return 0
        finally:
            os.close(fd)
