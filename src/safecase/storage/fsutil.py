"""Safe file helpers used for everything the vault writes: private modes, atomic replace, no symlinks.

Every file SafeCase creates is 0600 and every folder 0700. A write that must survive a crash goes to a temporary
file in the same folder, is fsynced, replaces the target with ``os.replace`` and then the folder itself is fsynced,
so after a power cut the target holds either the old or the new content, never a mix.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from safecase.errors import VaultStateError

FILE_MODE = 0o600
DIR_MODE = 0o700


def refuse_symlink(path: Path, what: str) -> None:
    if path.is_symlink():
        raise VaultStateError(f"The {what} {path} is a symbolic link; SafeCase refuses links. Use the real folder.")


def make_private_dir(path: Path) -> None:
    """Create `path` 0700, with any missing parents also 0700. Existing parents are left exactly as they are."""
    refuse_symlink(path, "folder")
    missing = [p for p in (path, *path.parents) if not p.exists()]
    try:
        for folder in reversed(missing):
            folder.mkdir(mode=DIR_MODE)
            folder.chmod(DIR_MODE)  # mkdir's mode is filtered by the umask
    except FileExistsError:
        pass
    except OSError as exc:
        raise VaultStateError(f"Cannot create the folder {path}: {exc.strerror}. Choose another place.") from exc


def fsync_dir(path: Path) -> None:
    if os.name != "posix":  # Windows cannot open a folder for fsync; NTFS journals the rename itself.
        return
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_temporary(path: Path, data: bytes) -> Path:
    """Write `data` to a new private temporary file beside `path`, fsynced (atomic_write's first half); on any
    failure the temporary file is removed."""
    refuse_symlink(path, "file")
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return tmp


def replace_with(tmp: Path, path: Path) -> None:
    """Put a file from `write_temporary` in place of `path` and make that durable (atomic_write's second half)."""
    try:
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` durably: temp file, fsync, replace, fsync the folder."""
    replace_with(write_temporary(path, data), path)


def read_small_file(path: Path, limit: int, what: str) -> bytes:
    """Read a file that must be small (a header, a key file), refusing links, devices and oversized files."""
    refuse_symlink(path, what)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError as exc:
        raise VaultStateError(f"The {what} {path} does not exist.") from exc
    except OSError as exc:
        raise VaultStateError(f"Cannot read the {what} {path}: {exc.strerror}.") from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise VaultStateError(f"The {what} {path} is not a regular file.")
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise VaultStateError(f"The {what} {path} is larger than {limit} bytes; it cannot be a {what}.")
    return data


def private_leftovers(folder: Path) -> list[Path]:
    """Temporary files an interrupted atomic write left behind (they hold header bytes, never user content)."""
    return sorted(folder.glob(".*.tmp"))


def remove_private_leftovers(folder: Path) -> None:
    for leftover in private_leftovers(folder):
        overwrite_and_unlink(leftover)


def overwrite_and_unlink(path: Path) -> None:
    """Overwrite a small file with random bytes, fsync and delete it. A link is removed, never followed.

    Best effort: SSDs, copy-on-write and journaling file systems may keep old blocks elsewhere. For the vault header
    this is still what matters, because the header alone holds the wrapped keys.
    """
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return
    except OSError:  # a symbolic link (ELOOP) or something we may not write: remove the name only
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return
    with os.fdopen(fd, "r+b") as handle:
        if stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            handle.write(secrets.token_bytes(max(os.fstat(handle.fileno()).st_size, 1)))
            handle.flush()
            os.fsync(handle.fileno())
    path.unlink()


def write_new_private_file(path: Path, data: bytes) -> None:
    """Create a new 0600 file (never overwriting one) for something the user asked to export."""
    fd = _create_new_private_file(path)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _create_new_private_file(path: Path) -> int:
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise VaultStateError(f"{path} already exists; SafeCase will not overwrite it. Choose another name.")
    try:
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    except FileExistsError as exc:
        raise VaultStateError(f"{path} already exists; SafeCase will not overwrite it. Choose another name.") from exc
    except OSError as exc:
        raise VaultStateError(f"Cannot create {path}: {exc.strerror}.") from exc


class ReservedFile:
    """A new, empty 0600 file claimed before a long operation whose result must end up in it.

    Claiming first means a bad path is reported before anything irreversible happens (for the recovery key: before
    the vault exists); `discard` removes the empty file if the operation fails.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = _create_new_private_file(path)

    def fill(self, data: bytes) -> None:
        if self._fd is None:
            raise ValueError("the reserved file was already filled or discarded")
        fd, self._fd = self._fd, None
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())

    def discard(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
