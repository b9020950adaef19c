"""The vault folder on disk: where the header, its backup, the database and the blobs live.

```
<vault>/            0700
  header.json       0600  plaintext header: format, vault id, KDF settings, wrapped keys; no user data
  header.bak.json   0600  the same header, rewritten after it (a damaged header can be restored from it)
  vault.db          0600  SQLCipher 4 database (plus vault.db-wal / vault.db-shm while open)
  blobs/            0700  encrypted evidence files
```
A new vault is built in a hidden sibling folder and renamed into place, so an interrupted ``init`` leaves no
half-made vault behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from safecase.crypto.header_format import MAX_HEADER_BYTES
from safecase.errors import VaultStateError
from safecase.storage import fsutil

HEADER_NAME = "header.json"
HEADER_BACKUP_NAME = "header.bak.json"
DATABASE_NAME = "vault.db"
BLOBS_NAME = "blobs"
HEADER_SIZE_LIMIT = MAX_HEADER_BYTES


@dataclass(frozen=True)
class VaultFolder:
    root: Path

    @property
    def header(self) -> Path:
        return self.root / HEADER_NAME

    @property
    def header_backup(self) -> Path:
        return self.root / HEADER_BACKUP_NAME

    @property
    def database(self) -> Path:
        return self.root / DATABASE_NAME

    @property
    def blobs(self) -> Path:
        return self.root / BLOBS_NAME

    def require_existing(self) -> None:
        """Refuse a missing, linked or incomplete vault folder with a message that says what to do."""
        fsutil.refuse_symlink(self.root, "vault folder")
        if self.root.exists() and not self.root.is_dir():
            raise VaultStateError(f"{self.root} is a file, not a vault folder. Point --vault at the vault's folder.")
        if not self.root.is_dir():
            raise VaultStateError(
                f"No vault at {self.root}. Create one with `safecase init`, or point --vault (or SAFECASE_VAULT) "
                "at an existing vault folder."
            )
        if not self.header.exists() and not self.header_backup.exists():
            if self.database.exists():
                raise VaultStateError(
                    f"The vault at {self.root} has no header (was it shredded?). Restore an exported header "
                    "backup with `safecase header restore FILE`."
                )
            raise VaultStateError(f"{self.root} is not a SafeCase vault (no {HEADER_NAME}).")
        if not self.database.exists():
            raise VaultStateError(
                f"The vault database {self.database} is missing. Restore the vault folder from a backup."
            )
        fsutil.refuse_symlink(self.database, "vault database")

    def require_writable(self) -> None:
        paths = [self.root, *(p for p in (self.header, self.database) if p.exists())]
        if not all(os.access(path, os.W_OK) for path in paths):
            raise VaultStateError(
                f"The vault folder {self.root} is read-only. Make it writable (chmod u+w) or copy the vault."
            )

    def read_header_bytes(self, use_backup: bool = False) -> bytes:
        path = self.header_backup if use_backup else self.header
        return fsutil.read_small_file(path, HEADER_SIZE_LIMIT, "vault header")

    def write_header(self, data: bytes) -> None:
        """Atomically replace the header, then its backup: at every instant one of them is complete.

        Both copies are written and fsynced as temporary files before either is put in place, so a disk that is
        full (or fails) stops the change before anything changed, rather than between the two copies.
        """
        staged: list[Path] = []
        try:
            for target in (self.header, self.header_backup):
                staged.append(fsutil.write_temporary(target, data))
        except BaseException as error:
            for tmp in staged:
                tmp.unlink(missing_ok=True)
            if isinstance(error, OSError):
                raise HeaderNotWritten(error) from None
            raise
        fsutil.replace_with(staged[0], self.header)
        fsutil.replace_with(staged[1], self.header_backup)

    def repair_backup(self, header: bytes) -> None:
        """Make the backup equal the header that just opened the vault.

        A crash between writing the header and its backup leaves a backup that may still open with a replaced
        passphrase, or not at all; the next successful unlock puts that right.
        """
        try:
            current = self.read_header_bytes(use_backup=True)
        except VaultStateError:
            current = b""
        if current != header:
            try:
                fsutil.atomic_write(self.header_backup, header)
            except OSError as error:
                raise HeaderNotWritten(error) from None

    def destroy_headers(self) -> None:
        """Overwrite and delete every copy of the header in the folder, interrupted writes included."""
        for path in (self.header, self.header_backup, *fsutil.private_leftovers(self.root)):
            fsutil.overwrite_and_unlink(path)
        fsutil.fsync_dir(self.root)

    def require_shreddable(self) -> None:
        """Shred needs only the header files and a folder it may delete them from."""
        fsutil.refuse_symlink(self.root, "vault folder")
        if not self.root.is_dir():
            raise VaultStateError(f"No vault at {self.root}: there is nothing to shred.")
        if not (self.header.exists() or self.header_backup.exists() or fsutil.private_leftovers(self.root)):
            raise VaultStateError(f"The vault at {self.root} has no header left: it is already shredded.")
        if not os.access(self.root, os.W_OK):
            raise VaultStateError(
                f"The vault folder {self.root} is read-only, so its keys cannot be destroyed. Make it writable "
                "(or destroy the whole drive)."
            )

    def remove_leftovers(self) -> None:
        fsutil.remove_private_leftovers(self.root)


class HeaderNotWritten(VaultStateError):
    """The header could not be written (a full or failing disk, no permission); both copies are as they were."""

    def __init__(self, error: OSError) -> None:
        full = error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
        self.reason = "the disk is full" if full else (error.strerror or "the disk failed").lower()
        advice = "Free some space" if full else "Check the disk and the vault folder's permissions"
        super().__init__(
            f"The vault header could not be written ({self.reason}); it was left as it was. {advice} and try again."
        )


def refuse_existing_vault_target(target: Path) -> None:
    """A new vault goes only where nothing is yet (or into an empty folder)."""
    fsutil.refuse_symlink(target, "vault folder")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise VaultStateError(
            f"{target} already exists and is not empty: SafeCase will not overwrite it. Choose another folder "
            "with --vault."
        )


@contextlib.contextmanager
def staging_folder(target: Path) -> Iterator[VaultFolder]:
    """Yield a private hidden folder beside `target`; on success rename it to `target`, else delete it."""
    refuse_existing_vault_target(target)
    fsutil.make_private_dir(target.parent)
    _remove_abandoned_staging(target)
    staging = target.parent / f".{target.name}.creating-{secrets.token_hex(4)}"
    fsutil.make_private_dir(staging)
    try:
        yield VaultFolder(staging)
        if target.exists():
            target.rmdir()
        staging.rename(target)
        fsutil.fsync_dir(target.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _remove_abandoned_staging(target: Path) -> None:
    """Delete what an interrupted `init` left beside `target`, header first (it alone holds wrapped keys)."""
    for leftover in target.parent.glob(f".{target.name}.creating-*"):
        if leftover.is_dir() and not leftover.is_symlink():
            for header in [*leftover.glob("header*.json"), *leftover.glob(".*.tmp")]:
                fsutil.overwrite_and_unlink(header)
            shutil.rmtree(leftover, ignore_errors=True)
