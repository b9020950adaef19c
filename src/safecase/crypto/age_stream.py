"""age files, streamed: the one place SafeCase calls pyrage's encrypt_io/decrypt_io.

An age file is authenticated chunk by chunk (64 KiB STREAM chunks, the last one flagged as last), so a decryptor
notices a flipped byte in the chunk that holds it and a truncation at the end. Plaintext of the chunks before a
damaged one has already been written when the error is raised: callers write to a place they discard on error.

pyrage reads its input in 8 KiB calls. ``BlockReader`` serves those calls from large blocks, so that whatever
the caller does per block (hash, count, sniff) runs a few thousand times per gigabyte, not a hundred thousand.

pyrage writes in small pieces too (64 KiB chunks when encrypting, 8 KiB of plaintext when decrypting); both
directions gather them into blocks of the same size before they reach the file or the sink that hashes.

When the output is a file, the kernel is asked to start writing each finished stretch of it to disk while the
rest is still being encrypted, so that the caller's closing fsync does not wait for the whole file at once (on
this project's CI disk that fsync was a fifth of the time of a 1 GiB intake).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, cast

import pyrage

from safecase.errors import IntegrityError

BLOCK_BYTES = 1 << 20
WRITEBACK_BYTES = 8 << 20  # how much encrypted output accumulates before its writeback is started


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class Writer(Protocol):
    def write(self, data: bytes, /) -> int: ...


class DecryptionFailed(IntegrityError):
    """The age data did not authenticate: altered, truncated, or not encrypted to this identity."""


class BlockReader:
    """A file-like ``read`` over ``source`` that hands every block it reads to ``on_block`` first."""

    def __init__(self, source: Readable, on_block: Callable[[bytes], None], block_bytes: int = BLOCK_BYTES) -> None:
        self._source = source
        self._on_block = on_block
        self._block_bytes = block_bytes
        self._block = memoryview(b"")
        self._offset = 0
        self._eof = False

    def read(self, size: int = -1) -> bytes:
        if self._offset >= len(self._block) and not self._refill():
            return b""
        end = len(self._block) if size < 0 else min(len(self._block), self._offset + size)
        piece = self._block[self._offset : end].tobytes()
        self._offset = end
        return piece

    def _refill(self) -> bool:
        if self._eof:
            return False
        data = self._source.read(self._block_bytes)
        if not data:
            self._eof = True
            return False
        self._on_block(data)
        self._block, self._offset = memoryview(data), 0
        return True


class _Relay:
    """Passes ``read``/``write`` through and remembers the first exception they raise.

    pyrage turns an exception from a Python reader or writer into its own error carrying only text; the relay
    lets us re-raise the original (a cancelled intake, a full disk, a file that changed while being read).
    """

    def __init__(self, target: Any) -> None:
        self._target = target
        self.failure: BaseException | None = None

    def read(self, size: int = -1) -> bytes:
        try:
            data: bytes = self._target.read(size)
        except BaseException as exc:
            self.failure = self.failure or exc
            raise
        return data

    def write(self, data: bytes) -> int:
        try:
            written: int = self._target.write(data)
        except BaseException as exc:
            self.failure = self.failure or exc
            raise
        return written


class _WriteBehind:
    """Writes to a regular file and starts the writeback of every ``WRITEBACK_BYTES`` written.

    ``POSIX_FADV_DONTNEED`` on dirty pages starts writing them back without waiting for it, and lets them leave
    the page cache once written, so a large blob neither leaves one long fsync for the end nor pushes everything
    else out of the cache. Durability is unchanged: it still comes from the caller's fsync.
    """

    def __init__(self, target: Writer, fd: int) -> None:
        self._target = target
        self._fd = fd
        self._started = self._written = os.lseek(fd, 0, os.SEEK_CUR)

    def write(self, data: bytes) -> int:
        written = self._target.write(data)
        self._written += written
        if self._written - self._started >= WRITEBACK_BYTES:
            with contextlib.suppress(OSError):  # only advice: a file system without it is merely slower
                os.posix_fadvise(self._fd, self._started, self._written - self._started, os.POSIX_FADV_DONTNEED)
            self._started = self._written
        return written


def _with_write_behind(writer: Writer) -> Writer:
    fileno = getattr(writer, "fileno", None)
    if fileno is None or not hasattr(os, "posix_fadvise"):  # a sink, not a file; or macOS and Windows
        return writer
    try:
        fd = fileno()
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
    except (OSError, ValueError):  # BytesIO's UnsupportedOperation, a closed file
        return writer
    return _WriteBehind(writer, fd) if regular else writer


class _BlockWriter:
    """Gathers small writes into blocks of ``BLOCK_BYTES`` for ``target``; ``flush`` passes on the rest."""

    def __init__(self, target: Writer) -> None:
        self._target = target
        self._buffer = bytearray()

    def write(self, data: bytes) -> int:
        self._buffer += data
        if len(self._buffer) >= BLOCK_BYTES:
            self.flush()
        return len(data)

    def flush(self) -> None:
        # Handed over whole and never touched again, so no copy into bytes: every sink here (hashlib, files)
        # takes a bytearray as it takes bytes.
        block = cast(bytes, self._buffer)
        self._buffer = bytearray()
        written = self._target.write(block)
        while written < len(block):  # a raw file may take less than it was given
            block = block[written:]
            written = self._target.write(block)


def _reraise_own(*relays: _Relay) -> None:
    for relay in relays:
        if relay.failure is not None:
            raise relay.failure


class ChunkReader:
    """A file-like ``read`` over an iterator of byte blocks (a stream made on demand, such as a bundle's tar)."""

    def __init__(self, blocks: Iterator[bytes | memoryview]) -> None:
        self._blocks = blocks
        self._block = memoryview(b"")
        self._offset = 0

    def read(self, size: int = -1) -> bytes:
        while self._offset >= len(self._block):
            block = next(self._blocks, None)
            if block is None:
                return b""
            self._block, self._offset = memoryview(block), 0
        end = len(self._block) if size < 0 else min(len(self._block), self._offset + size)
        piece = self._block[self._offset : end].tobytes()
        self._offset = end
        return piece


def encrypt_stream(reader: Any, writer: Writer, recipient: Any) -> None:
    """Encrypt everything ``reader.read`` yields to the age ``recipient`` (a pyrage x25519 Recipient)."""
    encrypt_stream_to(reader, writer, [recipient])


def encrypt_stream_to(reader: Any, writer: Writer, recipients: Sequence[Any]) -> None:
    """Encrypt everything ``reader.read`` yields to every one of ``recipients``."""
    blocks = _BlockWriter(_with_write_behind(writer))
    source, sink = _Relay(reader), _Relay(blocks)
    try:
        pyrage.encrypt_io(source, sink, list(recipients))
    except pyrage.EncryptError as exc:
        _reraise_own(source, sink)
        raise IntegrityError("The file could not be encrypted; the vault identity is damaged.") from exc
    _reraise_own(source, sink)  # pyrage 1.4 drops an error raised by the writer in its final flush
    blocks.flush()


def decrypt_stream(reader: Any, writer: Writer, identity: Any) -> None:
    """Decrypt an age stream with ``identity`` into ``writer``; DecryptionFailed if it does not authenticate."""
    blocks = _BlockWriter(writer)
    source, sink = _Relay(reader), _Relay(blocks)
    try:
        pyrage.decrypt_io(source, sink, [identity])
    except (pyrage.DecryptError, OSError):
        _reraise_own(source, sink)
        raise DecryptionFailed("The encrypted data is altered, truncated or not for this vault.") from None
    blocks.flush()  # after the last chunk authenticated; errors of the sink itself reach the caller as they are
