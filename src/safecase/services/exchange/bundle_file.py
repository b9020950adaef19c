"""Reading a bundle file: decrypt it as a stream, read its signed head, then walk its members against the manifest.

Everything here is bounded: the file's size is capped, the manifest and signature are read only up to their
caps, each member is read in blocks, and the members must be exactly the ones the manifest names, in its order,
with the sizes it gives. The stream ends properly (tar end blocks, then the age stream's authenticated last
chunk) or the bundle is refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Self

from safecase.crypto.age_pipe import AgeDecryptingReader
from safecase.errors import IntegrityError, UsageError, shown
from safecase.services.exchange.manifest import (
    MANIFEST_NAME,
    MAX_MANIFEST_BYTES,
    MAX_SIGNATURE_BYTES,
    SIGNATURE_NAME,
    Manifest,
    Member,
)
from safecase.storage.tar_stream import TarMember, TarReader

MAX_BUNDLE_BYTES = 64 << 30
READ_BLOCK = 1 << 20
Cancel = Callable[[], None]


class BundleDamaged(IntegrityError):
    pass


@dataclass(frozen=True)
class BundleHead:
    manifest: Manifest
    manifest_bytes: bytes
    signature_text: str

    @property
    def manifest_sha256(self) -> str:
        return hashlib.sha256(self.manifest_bytes).hexdigest()


def open_bundle_file(path: Path) -> BinaryIO:
    """The bundle for reading: a regular file (never a FIFO or device; links are followed) under the size cap."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise UsageError(f"{shown(path)} does not exist.") from None
    except OSError as exc:
        raise UsageError(f"Cannot read {shown(path)}: {exc.strerror}.") from None
    facts = os.fstat(fd)
    if not stat.S_ISREG(facts.st_mode):
        os.close(fd)
        raise UsageError(f"{shown(path)} is not a file: give the path of a bundle file.")
    if facts.st_size > MAX_BUNDLE_BYTES:
        os.close(fd)
        raise UsageError(f"{shown(path)} is larger than SafeCase accepts for a bundle ({MAX_BUNDLE_BYTES >> 30} GiB).")
    return os.fdopen(fd, "rb")


class BundleStream:
    """One pass over a bundle: ``head()`` first, then ``members()``, then ``finish()``."""

    def __init__(self, path: Path, age_identity: Any) -> None:
        self._file = open_bundle_file(path)
        self.file_size = os.fstat(self._file.fileno()).st_size
        self._plain = AgeDecryptingReader(self._file, [age_identity])
        self._tar = TarReader(self._plain)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._plain.close()
        self._file.close()

    def head(self) -> BundleHead:
        manifest_bytes = self._small_member(MANIFEST_NAME, MAX_MANIFEST_BYTES)
        signature = self._small_member(SIGNATURE_NAME, MAX_SIGNATURE_BYTES)
        manifest = Manifest.parse(manifest_bytes)
        if manifest.declared_bytes > self.file_size:
            raise BundleDamaged(
                f"The bundle's manifest declares {manifest.declared_bytes} bytes of content but the file holds only "
                f"{self.file_size}: it was altered or cut short. Ask the sender for it again."
            )
        try:
            signature_text = signature.decode("utf-8")
        except UnicodeDecodeError:
            raise BundleDamaged("The bundle's signature is not text: it was altered.") from None
        return BundleHead(manifest, manifest_bytes, signature_text)

    def members(self, manifest: Manifest) -> Iterator[tuple[Member, TarMember]]:
        """Each member the manifest names, as the tar stream holds it (same name, same size), in order."""
        for expected in manifest.members:
            found = self._tar.next_member()
            if found is None:
                raise BundleDamaged(f"The bundle ends before its member {expected.name}: it was cut short.")
            if found.name != expected.name or found.size != expected.size:
                raise BundleDamaged(
                    f"The bundle holds {shown(found.name)} where its manifest names {expected.name}: it was altered."
                )
            yield expected, found

    def finish(self) -> None:
        """Require the proper end: no further member, end blocks, and the age stream's authenticated end."""
        extra = self._tar.next_member()
        if extra is not None:
            raise BundleDamaged(f"The bundle holds a member its manifest does not name ({shown(extra.name)}).")
        if self._plain.read(1):
            raise BundleDamaged("The bundle holds data after the end of its archive: it was altered.")

    def _small_member(self, name: str, limit: int) -> bytes:
        member = self._tar.next_member()
        if member is None or member.name != name:
            raise BundleDamaged(f"This is not a SafeCase bundle: it does not start with {name}.")
        if member.size > limit:
            raise BundleDamaged(f"The bundle's {name} is larger than any SafeCase writes: it was altered.")
        return member.read()  # all of it (within the cap just checked): one read() gives at most a block


def hash_member(
    member: TarMember, expected: Member, sink: Any | None = None, check_cancelled: Cancel | None = None
) -> None:
    """Read the whole member (into ``sink`` if given); BundleDamaged unless it has the manifest's SHA-256."""
    digest = hashlib.sha256()
    while True:
        if check_cancelled is not None:
            check_cancelled()
        block = member.read(READ_BLOCK)
        if not block:
            break
        digest.update(block)
        if sink is not None:
            sink.write(block)
    if digest.hexdigest() != expected.sha256:
        raise BundleDamaged(f"The bundle's member {expected.name} does not match its manifest: it was altered.")
