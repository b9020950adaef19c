"""Reading an evidence file back out of the vault, checked against its intake SHA-256 and size.

One place says what each way of failing means to the user (altered, missing, replaced by a link, unreadable disk),
for every reader: verify, preview, export, and bundles. ``verified_blocks`` hands out the plaintext in blocks for a
stream that goes elsewhere (a bundle): a file small enough is decrypted in memory and checked before its first
block goes; a larger one is checked at its end, and the caller discards what it wrote if that fails.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import pyrage

from safecase.crypto.age_pipe import AgeDecryptingReader
from safecase.crypto.age_stream import DecryptionFailed
from safecase.errors import IntegrityError, NotFoundError, shown
from safecase.storage.attachment_blobs import AttachmentBlobs
from safecase.storage.blob_store import BlobNotRegularError, BlobStore
from safecase.storage.records import RecordState

IN_MEMORY_BYTES = 16 << 20  # evidence up to this size is decrypted in one call (photos, documents, short audio)
BLOCK_BYTES = 1 << 20
Cancel = Callable[[], None]


def evidence_name(state: RecordState) -> str:
    return f"Evidence file {state.id} ({shown(state.body.get('file_name', ''))})"


def altered(state: RecordState) -> IntegrityError:
    return IntegrityError(
        f"{evidence_name(state)} does not match its intake SHA-256: the encrypted file was altered or damaged. "
        "Restore the vault's blobs folder from a backup."
    )


@contextlib.contextmanager
def read_errors(state: RecordState) -> Iterator[None]:
    """Turn the ways reading a blob fails into one IntegrityError each, naming the evidence file."""
    try:
        yield
    except DecryptionFailed:
        raise altered(state) from None
    except NotFoundError:
        raise IntegrityError(
            f"{evidence_name(state)}: its encrypted file is missing from the vault's blobs folder. Restore the "
            "folder from a backup."
        ) from None
    except BlobNotRegularError:
        raise IntegrityError(
            f"{evidence_name(state)}: its encrypted file was replaced by a link, folder or other non-file. Restore "
            "the vault's blobs folder from a backup."
        ) from None
    except OSError as exc:  # the blob could not be read (EIO: a failing disk)
        raise IntegrityError(
            f"{evidence_name(state)}: its encrypted file could not be read ({exc.strerror}). Copy the vault to a "
            "healthy disk and run `safecase check`."
        ) from None


def verified_blocks(
    blobs: BlobStore, index: AttachmentBlobs, state: RecordState, check_cancelled: Cancel | None = None
) -> Iterator[bytes]:
    """The plaintext of an evidence file in blocks; IntegrityError (at the end, for a large file) if it is not
    exactly what was taken in."""
    blob = index.get(state.id)
    if blob is None:
        raise NotFoundError(f"{evidence_name(state)}: this vault holds no encrypted file for it.")
    if blobs.size_on_disk(blob.blob_name) not in (blob.stored_size, None):
        raise altered(state)
    size, sha256 = int(state.body["size"]), state.body["sha256"]
    if size <= IN_MEMORY_BYTES:
        yield from _in_memory(blobs, blob.blob_name, state, size, sha256)
        return
    yield from _streamed(blobs, blob.blob_name, state, size, sha256, check_cancelled)


def _in_memory(blobs: BlobStore, name: str, state: RecordState, size: int, sha256: str) -> Iterator[bytes]:
    with read_errors(state), blobs.open_encrypted(name) as handle:
        sealed = handle.read(IN_MEMORY_BYTES + (1 << 20))
        try:
            plain = blobs.decrypt_bytes(sealed)
        except pyrage.DecryptError:
            raise DecryptionFailed("altered") from None
    if len(plain) != size or hashlib.sha256(plain).hexdigest() != sha256:
        raise altered(state)
    for start in range(0, len(plain), BLOCK_BYTES):
        yield plain[start : start + BLOCK_BYTES]


def _streamed(
    blobs: BlobStore, name: str, state: RecordState, size: int, sha256: str, check_cancelled: Cancel | None
) -> Iterator[bytes]:
    digest, seen = hashlib.sha256(), 0
    with read_errors(state), blobs.open_encrypted(name) as handle, _reader(blobs, handle) as plain:
        while block := plain.read(BLOCK_BYTES):
            if check_cancelled is not None:
                check_cancelled()
            seen += len(block)
            if seen > size:
                raise altered(state)
            digest.update(block)
            yield block
    if seen != size or digest.hexdigest() != sha256:
        raise altered(state)


def _reader(blobs: BlobStore, handle: Any) -> AgeDecryptingReader:
    return AgeDecryptingReader(handle, [blobs.identity])
