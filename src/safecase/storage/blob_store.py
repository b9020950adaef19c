"""Encrypted evidence files in the vault's ``blobs/`` folder: one age file each, encrypted to the vault identity.

Names are 32 random hex digits, never derived from the content, so two vaults holding the same photo cannot be
matched by their file names. A blob is written as ``<name>.partial`` and fsynced; the caller's transaction then
references ``<name>``, and only after that commit is the file renamed to ``<name>``. The writer holds an advisory
lock on the file from its creation until after the rename, so ``sweep`` (run on unlock) can tell a crashed intake
from one still running in another process: a dead intake's ``.partial`` is removed if its commit never happened,
and renamed if it did. Finished blobs are never removed by a sweep.
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
    removed_partial: int  # intakes that died before their commit
    completed: int  # intakes that died after their commit, before the rename


def open_regular(path: Path) -> int | None:
    """A read-only descriptor of ``path`` if it is a regular file (never a link; a FIFO never blocks), else None."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    if hasattr(os, "O_NONBLOCK"):
        os.set_blocking(fd, True)
    return fd


class PendingBlob:
    """A blob being written as ``<name>.partial``. ``publish`` after the commit that references it; leave the
    ``with`` block without publishing and the file is gone."""

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
        self._published = False

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
        """Make the written blob durable (still locked, still ``.partial``). Returns its size in bytes."""
        self.file.flush()
        os.fsync(self.file.fileno())
        return os.fstat(self.file.fileno()).st_size

    def publish(self) -> None:
        """Call after the database that references the blob has committed: give it its final name."""
        self._published = True
        if os.name == "nt":  # Windows renames no open file; there is no lock to keep there either
            self.file.close()
        with contextlib.suppress(OSError):  # committed either way: the next unlock's sweep completes the rename
            self._partial.replace(self._final)
            fsutil.fsync_dir(self._folder)

    def __enter__(self) -> PendingBlob:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._published:
            if os.name == "nt":
                self.file.close()
            with contextlib.suppress(OSError):
                self._partial.unlink()
        self.file.close()  # releases the lock, after the unlink so a sweep never sees a half-finished state


class BlobStore:
    def __init__(self, folder: Path, age_identity: Any) -> None:
        self._folder = folder
        self._identity = age_identity
        self._recipient = age_identity.to_public()

    @property
    def folder(self) -> Path:
        return self._folder

    @property
    def identity(self) -> Any:
        """The vault's pyrage X25519 identity, for readers that decrypt blobs themselves."""
        if self._identity is None:
            raise VaultStateError("The vault is locked: unlock it again to read evidence files.")
        return self._identity

    def forget(self) -> None:
        """Drop the reference to the identity (when the vault locks); encrypting still works, decrypting raises."""
        self._identity = None

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
        result: bytes = pyrage.decrypt(data, [self.identity])
        return result

    def decrypt_to(self, name: str, writer: Writer) -> None:
        """Stream the plaintext of blob ``name`` into ``writer``; DecryptionFailed if it was altered."""
        with self.open_encrypted(name) as handle:
            decrypt_stream(handle, writer, self.identity)

    @contextlib.contextmanager
    def open_encrypted(self, name: str) -> Iterator[BinaryIO]:
        path = self.path(name)
        if not os.path.lexists(path):
            raise NotFoundError("The encrypted file is missing from the vault's blobs folder.")
        fd = open_regular(path)
        if fd is None:  # a link, folder, FIFO or device, or unreadable
            raise BlobNotRegularError()
        with os.fdopen(fd, "rb") as handle:
            yield handle

    def prefetch(self, name: str) -> None:
        """Ask the kernel to start reading blob ``name`` into the page cache, so that reading it later (the next
        evidence file of a bundle) does not wait for the disk. Only advice: nothing happens where it is unsupported."""
        if not hasattr(os, "posix_fadvise"):
            return
        fd = open_regular(self.path(name))
        if fd is None:
            return
        try:
            with contextlib.suppress(OSError):
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
        finally:
            os.close(fd)

    def size_on_disk(self, name: str) -> int | None:
        """The size of blob ``name`` as stored, or None if it is not there as a regular file."""
        try:
            facts = self.path(name).lstat()
        except OSError:
            return None
        return facts.st_size if stat.S_ISREG(facts.st_mode) else None

    def sweep(self, is_referenced: Callable[[str], bool]) -> SweepReport:
        """Finish what crashed intakes left: a ``.partial`` that no live process holds is removed, or renamed if
        its commit happened. Finished blobs are never removed, not even unreferenced ones: after a database is
        restored from a backup, those are the newer evidence."""
        removed = completed = 0
        if not self._folder.is_dir():
            return SweepReport(0, 0)
        for entry in sorted(self._folder.iterdir()):
            name = entry.name.removesuffix(PARTIAL_SUFFIX)
            if entry.name.endswith(PARTIAL_SUFFIX) and NAME_PATTERN.match(name):
                outcome = self._settle(entry, is_referenced)
                removed += outcome == "removed"
                completed += outcome == "completed"
        return SweepReport(removed, completed)

    def _settle(self, partial: Path, is_referenced: Callable[[str], bool]) -> str:
        fd = open_regular(partial)
        if fd is None:
            return ""
        try:
            # Checked under the lock: a writer holds it from creating the file until after its rename.
            if not try_lock(fd):
                return ""
            final = partial.with_name(partial.name.removesuffix(PARTIAL_SUFFIX))
            committed = is_referenced(final.name) and not os.path.lexists(final)
            if os.name == "nt":  # Windows renames and removes no open file (and has no lock to keep)
                os.close(fd)
                fd = -1
            with contextlib.suppress(OSError):  # a read-only vault stays as it is
                if committed:
                    partial.replace(final)
                    fsutil.fsync_dir(self._folder)
                    return "completed"
                partial.unlink()
                return "removed"
            return ""
        finally:
            if fd >= 0:
                os.close(fd)
