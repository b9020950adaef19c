"""age streams turned inside out: a writer the caller pushes plaintext into, a reader it pulls plaintext from.

pyrage only pulls from a reader and pushes into a writer, and only while it runs. A bundle export pushes (tar
headers, then files decrypted by other pyrage calls) and a bundle import pulls (a tar parser that feeds members to
other pyrage calls), so each class runs pyrage in a thread of its own and trades blocks with the caller through a
small bounded channel: memory stays at a few blocks whatever the size of the stream.

pyrage holds the GIL while it works, so the thread buys no parallelism; it only inverts control. Either side
shutting the channel wakes the other, which is how a failure in the thread reaches the caller at once and how
the caller stops the thread early without ever waiting on it.

What pyrage 1.4 reports when age data does not authenticate (the classes below name the cases a user can act on):

* not encrypted to these identities, or an X25519 stanza of the header altered: DecryptError "No matching keys found"
* header MAC altered: DecryptError "Header MAC is invalid"; header lines altered, or not an age file at all:
  "Header is invalid" or "Unknown age format..."
* cut inside the header: DecryptError "Incomplete header" or "failed to fill whole buffer" (also an empty file)
* cut at a chunk boundary: OSError "age file is truncated"
* a payload byte altered, cut inside a chunk, or bytes appended after a final chunk that is not full: OSError
  "decryption error" (these three cannot be told apart: the last chunk simply fails to authenticate)
* bytes appended after a full final chunk: OSError "last chunk has been processed"

Plaintext of the chunks before a damaged one reaches the reader before the error does: only ``read`` returning
``b""`` (or ``authenticated``) says the whole stream authenticated.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, Self

import pyrage

from safecase.crypto.age_stream import (
    BLOCK_BYTES,
    DecryptionFailed,
    Readable,
    Writer,
    _BlockWriter,
    _Relay,
    _reraise_own,
    _with_write_behind,
)
from safecase.errors import IntegrityError, SafeCaseError

CHANNEL_BLOCKS = 4  # blocks in flight between the caller and the pyrage thread
_NEW_COPY = "ask the sender for a new copy."


class NotForThisIdentity(DecryptionFailed):
    """No stanza of the age header opens with the given identities (or that stanza was altered)."""

    def __init__(self) -> None:
        super().__init__(f"This file is not encrypted to this vault (or its header is damaged); {_NEW_COPY}")


class DamagedHeader(DecryptionFailed):
    """The age header was altered, or the data is not an age file at all."""

    def __init__(self) -> None:
        super().__init__(f"This file is not an age-encrypted file, or its header is damaged; {_NEW_COPY}")


class AlteredOrTruncated(DecryptionFailed):
    """A chunk failed to authenticate: altered, cut inside a chunk, or followed by extra bytes."""

    def __init__(self) -> None:
        super().__init__(f"The encrypted data is altered or incomplete (truncated); {_NEW_COPY}")


class Truncated(DecryptionFailed):
    """The age data ends early: inside the header or at a chunk boundary before the last chunk."""

    def __init__(self) -> None:
        super().__init__(f"The encrypted file is incomplete (truncated); copy the whole file again or {_NEW_COPY}")


class TrailingData(DecryptionFailed):
    """Bytes follow the last chunk of an otherwise complete age file."""

    def __init__(self) -> None:
        super().__init__(f"The encrypted file has extra data after its end; {_NEW_COPY}")


class PlaintextEndsEarly(IntegrityError):
    """``read_exactly`` reached the authenticated end of the stream before it had all the bytes it was asked for."""

    def __init__(self) -> None:
        super().__init__(f"The decrypted data ends before its expected end; {_NEW_COPY}")


class EncryptionFailed(SafeCaseError):
    """pyrage refused to encrypt for a reason of its own (no reader or writer of ours failed)."""

    def __init__(self) -> None:
        super().__init__("The data could not be encrypted (the encryption keys may be damaged); try again.")


# pyrage's messages, matched by substring: a message a later pyrage words differently falls back to the generic
# DecryptionFailed, which is still the right exit code.
_PYRAGE_MESSAGES: tuple[tuple[str, Callable[[], DecryptionFailed]], ...] = (
    ("No matching keys found", NotForThisIdentity),
    ("Header MAC is invalid", DamagedHeader),
    ("Header is invalid", DamagedHeader),
    ("Unknown age format", DamagedHeader),
    ("Incomplete header", Truncated),
    ("failed to fill whole buffer", Truncated),
    ("age file is truncated", Truncated),
    ("last chunk has been processed", TrailingData),
    ("decryption error", AlteredOrTruncated),
)


class _Stopped(Exception):
    """The other side shut the channel; raised through pyrage to end its run."""


class _Channel:
    """A bounded queue of blocks (``None`` ends the stream) that either side can shut to wake the other."""

    def __init__(self, capacity: int = CHANNEL_BLOCKS) -> None:
        self._items: deque[bytes | None] = deque()
        self._capacity = capacity
        self._changed = threading.Condition()
        self._shut = False

    def put(self, item: bytes | None) -> None:
        with self._changed:
            while len(self._items) >= self._capacity and not self._shut:
                self._changed.wait()
            if self._shut:
                raise _Stopped
            self._items.append(item)
            self._changed.notify_all()

    def get(self) -> bytes | None:
        with self._changed:
            while not self._items and not self._shut:
                self._changed.wait()
            if self._shut:
                raise _Stopped
            item = self._items.popleft()
            self._changed.notify_all()
            return item

    def shut(self) -> None:
        with self._changed:
            self._shut = True
            self._items.clear()  # whoever shuts is done with the stream: the blocks would only hold memory
            self._changed.notify_all()


class _ChannelSink:
    """The writer end of a channel, for ``_BlockWriter``."""

    def __init__(self, channel: _Channel) -> None:
        self._channel = channel

    def write(self, block: bytes) -> int:
        if block:  # an empty flush must not look like the end of the stream
            self._channel.put(block)
        return len(block)


class _ChannelReader:
    """The reader end of a channel: file-like ``read`` over its blocks, ``b""`` once the end marker arrived."""

    def __init__(self, channel: _Channel) -> None:
        self._channel = channel
        self._block = memoryview(b"")
        self._offset = 0
        self.ended = False

    def read(self, size: int = -1) -> bytes:
        while self._offset >= len(self._block):
            if self.ended:
                return b""
            block = self._channel.get()
            if block is None:
                self.ended = True
                return b""
            self._block, self._offset = memoryview(block), 0
        end = len(self._block) if size < 0 else min(len(self._block), self._offset + size)
        piece = self._block[self._offset : end].tobytes()
        self._offset = end
        return piece


def _classified(message: str) -> DecryptionFailed:
    for fragment, failure in _PYRAGE_MESSAGES:
        if fragment in message:
            return failure()
    return DecryptionFailed(f"The encrypted data is altered, truncated or not for this vault; {_NEW_COPY}")


def _decryption_failure(exc: BaseException, *relays: _Relay) -> BaseException:
    for relay in relays:  # our own reader's or writer's error, which pyrage has turned into text or passed on
        if relay.failure is not None:
            return relay.failure
    if isinstance(exc, (pyrage.DecryptError, OSError)):
        return _classified(str(exc))
    return exc


class AgeEncryptingWriter:
    """Encrypts what is written to it into ``output`` as one age stream to ``recipients`` (pyrage x25519 Recipients).

    ``close`` completes the stream and raises any failure (the output's own OSError as itself); ``abort`` stops
    without completing it, for a caller that deletes the output. As a context manager it closes on success and
    aborts on an exception.
    """

    def __init__(self, output: Writer, recipients: Sequence[Any]) -> None:
        if not recipients:
            raise ValueError("at least one recipient is needed")
        self.bytes_done = 0
        self._channel = _Channel()
        self._blocks = _BlockWriter(_ChannelSink(self._channel))
        self._failure: BaseException | None = None
        self._closed = False
        self._thread = threading.Thread(
            target=self._run, args=(output, list(recipients)), name="safecase-age-encrypt", daemon=True
        )
        self._thread.start()

    def write(self, data: bytes) -> int:
        if self._closed:
            raise ValueError("write to a closed AgeEncryptingWriter")
        self._raise_failure()
        try:
            for start in range(0, len(data), BLOCK_BYTES):  # a huge write still travels in bounded blocks
                self._blocks.write(data[start : start + BLOCK_BYTES])
        except _Stopped:
            self._raise_failure()
            raise EncryptionFailed from None
        self.bytes_done += len(data)
        return len(data)

    def close(self) -> None:
        """Complete the age stream; raises the first failure of the thread or of the output."""
        if self._closed:
            return
        self._closed = True
        try:
            self._blocks.flush()
            self._channel.put(None)
        except _Stopped:
            pass  # the thread ended early: its failure is raised below
        self._thread.join()
        self._raise_failure()

    def abort(self) -> None:
        """Stop without completing the stream (the output is left incomplete); never raises for the stop."""
        self._closed = True
        self._channel.shut()
        self._thread.join()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    def _raise_failure(self) -> None:
        failure = self._failure
        if failure is not None and not isinstance(failure, _Stopped):
            raise failure

    def _run(self, output: Writer, recipients: list[Any]) -> None:
        blocks = _BlockWriter(_with_write_behind(output))
        source, sink = _Relay(_ChannelReader(self._channel)), _Relay(blocks)
        try:
            pyrage.encrypt_io(source, sink, recipients)
            # pyrage drops the error of its last small write (a buffer flushed on drop): ask the relays too.
            _reraise_own(source, sink)
            blocks.flush()
        except BaseException as exc:
            if source.failure is None and sink.failure is None and isinstance(exc, pyrage.EncryptError):
                self._failure = EncryptionFailed()
            else:
                self._failure = source.failure or sink.failure or exc
        finally:
            self._channel.shut()  # wakes a caller waiting to put a block


class AgeDecryptingReader:
    """Decrypts the age stream read from ``source`` with ``identities``; ``read`` gives the plaintext.

    ``read`` returns ``b""`` only at the authenticated end of the stream; a stream that does not authenticate
    raises a ``DecryptionFailed`` (subclasses above), an error of ``source`` is raised as itself. ``close`` may
    come before the end: the thread stops and nothing is raised for that.
    """

    def __init__(self, source: Readable, identities: Sequence[Any]) -> None:
        if not identities:
            raise ValueError("at least one identity is needed")
        self.bytes_done = 0
        self._channel = _Channel()
        self._plaintext = _ChannelReader(self._channel)
        self._failure: BaseException | None = None
        self._closed = False
        self._thread = threading.Thread(
            target=self._run, args=(source, list(identities)), name="safecase-age-decrypt", daemon=True
        )
        self._thread.start()

    @property
    def authenticated(self) -> bool:
        """True once the whole stream was read and authenticated."""
        return self._plaintext.ended

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (all the rest if negative: memory grows with the stream); ``b""`` at the end."""
        if size < 0:
            return b"".join(iter(lambda: self._read_some(BLOCK_BYTES), b""))
        return self._read_some(size) if size else b""

    def read_exactly(self, count: int) -> bytes:
        """Exactly ``count`` bytes; PlaintextEndsEarly if the stream ends before."""
        pieces: list[bytes] = []
        missing = count
        while missing > 0:
            piece = self._read_some(missing)
            if not piece:
                raise PlaintextEndsEarly
            pieces.append(piece)
            missing -= len(piece)
        return b"".join(pieces)

    def close(self) -> None:
        """Stop reading (at the end or before it); the thread has ended when this returns."""
        self._closed = True
        self._channel.shut()
        self._thread.join()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def _read_some(self, size: int) -> bytes:
        if self._closed:
            raise ValueError("read from a closed AgeDecryptingReader")
        try:
            piece = self._plaintext.read(size)
        except _Stopped:
            failure = self._failure
            if failure is None or isinstance(failure, _Stopped):  # cannot happen: only close() stops it so
                raise DecryptionFailed(f"The encrypted data could not be read; {_NEW_COPY}") from None
            raise failure from None
        if not piece:
            self._thread.join()  # the end marker is the thread's last act
        self.bytes_done += len(piece)
        return piece

    def _run(self, source: Readable, identities: list[Any]) -> None:
        blocks = _BlockWriter(_ChannelSink(self._channel))
        reader, sink = _Relay(source), _Relay(blocks)
        ended = False
        try:
            pyrage.decrypt_io(reader, sink, identities)
            _reraise_own(reader, sink)  # in case pyrage dropped an error of ours, as it does when encrypting
            if reader.read(1):  # pyrage 1.4 rejects trailing bytes itself; this keeps it so if it ever stops
                raise TrailingData
            blocks.flush()
            self._channel.put(None)
            ended = True
        except BaseException as exc:
            self._failure = _decryption_failure(exc, reader, sink)
        finally:
            if not ended:
                self._channel.shut()  # wakes the caller waiting for a block, to raise the failure
