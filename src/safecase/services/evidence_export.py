"""Writing an evidence file out of the vault: the one place plaintext reaches disk, and only where the user chose.

The copy goes to a new file (``O_EXCL``, never over an existing one or through a link), is fsynced (it may be on a
USB stick about to be pulled), and is removed again, truncated first, if anything fails: decryption, the SHA-256
check, metadata stripping, or a full disk.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from safecase.crypto.age_stream import DecryptionFailed, Writer
from safecase.errors import SafeCaseError, UsageError, shown
from safecase.services.metadata_strip import StripResult, not_stripped_note, strip_metadata

STRIPPABLE_TYPES = frozenset({"image/jpeg", "image/png"})
MAX_STRIP_BYTES = 512 * 2**20  # images are stripped from memory; no photo comes near this


@dataclass(frozen=True)
class ExportResult:
    path: Path
    size: int
    strip: StripResult | None


class ExportWriteFailed(SafeCaseError):
    """Writing the exported copy failed (full disk, removed USB stick); the partial copy was removed."""


class HashingSink:
    """A writer that hashes and counts what it passes on to ``target`` (or nowhere), refusing more than ``limit``."""

    def __init__(self, target: Writer | None = None, limit: int | None = None) -> None:
        self.digest = hashlib.sha256()
        self.size = 0
        self._target = target
        self._limit = limit
        self.check_cancelled: Callable[[], None] | None = None  # raises to stop; called once per block

    def write(self, data: bytes) -> int:
        if self.check_cancelled is not None:
            self.check_cancelled()
        self.size += len(data)
        if self._limit is not None and self.size > self._limit:
            raise DecryptionFailed("The encrypted file is larger than its record says.")
        self.digest.update(data)
        if self._target is not None:
            try:
                self._target.write(data)
            except OSError as exc:
                raise write_failure(exc) from None
        return len(data)


DecryptChecked = Callable[[HashingSink], None]


def export_copy(body: dict[str, Any], destination: Path, strip: bool, decrypt: DecryptChecked) -> ExportResult:
    """Write the plaintext that ``decrypt`` verifies into the new file ``destination``."""
    media_type = body["media_type"]
    if strip and media_type in STRIPPABLE_TYPES and body["size"] > MAX_STRIP_BYTES:
        raise UsageError("This image is too large to clean; export it without --strip-metadata.")
    handle = create_export_file(destination)
    try:
        with handle:
            result = _write(body, handle, strip, decrypt)
            try:
                handle.flush()
                os.fsync(handle.fileno())
            except OSError as exc:
                raise write_failure(exc) from None
            size = os.fstat(handle.fileno()).st_size
    except BaseException:
        discard_export_file(destination)
        raise
    return ExportResult(destination, size, result)


def _write(body: dict[str, Any], handle: BinaryIO, strip: bool, decrypt: DecryptChecked) -> StripResult | None:
    media_type = body["media_type"]
    if not strip or media_type not in STRIPPABLE_TYPES:
        decrypt(HashingSink(handle, limit=body["size"]))
        return StripResult((), not_stripped_note(media_type)) if strip else None
    plain = io.BytesIO()  # verified before any of it is written out
    decrypt(HashingSink(plain, limit=body["size"]))
    plain.seek(0)
    try:
        return strip_metadata(media_type, plain, handle)
    except OSError as exc:
        raise write_failure(exc) from None


def write_failure(error: OSError) -> ExportWriteFailed:
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return ExportWriteFailed("The destination disk is full; the partial copy was removed. Choose another place.")
    return ExportWriteFailed(f"Writing the copy failed ({error.strerror}); the partial copy was removed.")


def create_export_file(path: Path) -> BinaryIO:
    exists = f"{shown(path)} already exists; SafeCase will not overwrite it. Choose another name."
    if path.is_symlink() or path.exists():
        raise UsageError(exists)
    if not path.parent.is_dir():
        raise UsageError(f"The folder {shown(path.parent)} does not exist. Create it or choose another place.")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        raise UsageError(exists) from None
    except OSError as exc:
        raise UsageError(f"Cannot create {shown(path)}: {exc.strerror}.") from None
    return os.fdopen(fd, "wb")


def discard_export_file(path: Path) -> None:
    """Remove a failed export, truncating first so its blocks are released at once."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            os.ftruncate(fd, 0)
        finally:
            os.close(fd)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
