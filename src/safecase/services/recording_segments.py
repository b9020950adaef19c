"""The segment file of a recording in progress, and the WAV stream made from it. No plaintext ever reaches disk.

``blobs/<name>.recording`` holds a magic line, then frames::

    b"SafeCase recording segments v1\\n"
    frame := [4-byte big-endian length N][N bytes: a complete, standard age file]

Each age file is encrypted to the vault's own X25519 identity. Its plaintext is
``HMAC-SHA256(frame key, name || frame number as 8 bytes big-endian || pcm) || pcm``: the frame key is random per
recording and kept only in its ``recordings`` row, inside the encrypted database. The age recipient is public (it
is on contact cards), so anyone who can write to the vault folder could make a frame that decrypts; only the MAC
shows that a frame is ours, in its place (numbers count from 0), in this recording. PCM is signed 16-bit
little-endian, channels interleaved, a whole number of sample frames, at most :data:`MAX_FRAME_PCM_BYTES`.

Frames are only ever appended and each is fsynced, so after a kill every frame but possibly the last is complete.
A reader stops at the first frame that is short, does not decrypt, or does not verify; the file ending inside that
frame (a torn last frame, normal after a kill) is told apart from damage with more data after it. The PCM format
is not in the file: the ``recordings`` row holds it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import stat
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pyrage

from safecase.crypto.age_stream import DecryptionFailed
from safecase.errors import IntegrityError, UsageError, VaultStateError
from safecase.storage import fsutil
from safecase.storage.blob_store import PARTIAL_SUFFIX, RECORDING_SUFFIX, new_blob_name, try_lock

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

MAGIC = b"SafeCase recording segments v1\n"
LENGTH_BYTES = 4
FRAME_KEY_BYTES = 32
MAC_BYTES = hashlib.sha256().digest_size
MAX_FRAME_PCM_BYTES = 8 * 2**20  # the writer splits anything longer (e.g. after the disk stalled for a while)
MAX_FRAME_BYTES = MAX_FRAME_PCM_BYTES + 2**16  # room for the MAC and age's overhead; anything larger is damage
WAV_HEADER_BYTES = 44
MAX_WAV_DATA_BYTES = 0xFFFF_FFFF - (WAV_HEADER_BYTES - 8)  # RIFF sizes are 32-bit
SAMPLE_RATES = range(8_000, 384_001)
CHANNELS = range(1, 9)
# Windows renames and removes no file that is open (a sharing violation); it has no advisory locks to keep either.
CLOSE_BEFORE_RENAME = os.name == "nt"

Encrypt = Callable[[bytes], bytes]
Decrypt = Callable[[bytes], bytes]


@dataclass(frozen=True)
class PcmFormat:
    """Signed little-endian integer PCM, channels interleaved."""

    sample_rate: int
    channels: int
    sample_bytes: int = 2

    def check(self) -> None:
        if self.sample_bytes != 2:
            raise UsageError("SafeCase records 16-bit audio only.")
        if self.sample_rate not in SAMPLE_RATES or self.channels not in CHANNELS:
            raise UsageError(f"Unsupported audio format: {self.sample_rate} Hz, {self.channels} channel(s).")

    @property
    def frame_bytes(self) -> int:
        """Bytes of one sample frame (one sample per channel)."""
        return self.channels * self.sample_bytes

    @property
    def bytes_per_second(self) -> int:
        return self.sample_rate * self.frame_bytes

    @property
    def max_data_bytes(self) -> int:
        """The most PCM one WAV file can hold (about 6 hours of 48 kHz stereo)."""
        return MAX_WAV_DATA_BYTES - MAX_WAV_DATA_BYTES % self.frame_bytes

    @property
    def max_frame_pcm_bytes(self) -> int:
        """The most PCM one segment frame holds: whole sample frames only."""
        return MAX_FRAME_PCM_BYTES - MAX_FRAME_PCM_BYTES % self.frame_bytes

    def duration_ms(self, data_bytes: int) -> int:
        return data_bytes * 1000 // self.bytes_per_second


@dataclass(frozen=True)
class FrameKey:
    """What proves a frame belongs to one recording, at one place: its random key and its file's name."""

    key: bytes = field(repr=False)
    blob_name: str

    def __post_init__(self) -> None:
        if len(self.key) != FRAME_KEY_BYTES:
            raise VaultStateError("A recording in the vault has a damaged key; run `safecase check`.")

    def mac(self, number: int, pcm: bytes) -> bytes:
        message = self.blob_name.encode("ascii") + number.to_bytes(8, "big") + pcm
        return hmac.new(self.key, message, hashlib.sha256).digest()

    def seal(self, number: int, pcm: bytes) -> bytes:
        """The plaintext of frame ``number``: its MAC, then the PCM."""
        return self.mac(number, pcm) + pcm

    def open(self, number: int, plain: bytes) -> bytes | None:
        """The PCM of ``plain`` if it is frame ``number`` of this recording, else None."""
        pcm = plain[MAC_BYTES:]
        if len(plain) < MAC_BYTES or not hmac.compare_digest(plain[:MAC_BYTES], self.mac(number, pcm)):
            return None
        return pcm


def segment_path(folder: Path, name: str) -> Path:
    return folder / f"{name}{RECORDING_SUFFIX}"


def create_segment_file(folder: Path) -> tuple[str, int]:
    """Create ``<name>.recording`` (0600, a new random name) holding the magic line, locked; returns the name and
    its descriptor.

    The file is made as ``<name>.partial`` (which the unlock sweep removes if we die right here), locked, and only
    then renamed, so no one ever sees an unlocked ``.recording`` file that a live process is about to write. A
    sweep in another process may take the fresh file's lock first, or remove it before we lock it: then the file
    is left to that sweep and we start again under a new name.
    """
    fsutil.make_private_dir(folder)
    while True:
        name = new_blob_name()
        fd = _create_locked(folder, name)
        if fd is not None:
            return name, fd


def _create_locked(folder: Path, name: str) -> int | None:
    partial = folder / f"{name}{PARTIAL_SUFFIX}"
    final = segment_path(folder, name)
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(partial, flags, fsutil.FILE_MODE)
    if not _holds_fresh_file(partial, fd):
        os.close(fd)  # the name is no longer ours: whoever holds it decides what happens to the file
        return None
    renamed = False
    try:
        write_all(fd, MAGIC)
        os.fsync(fd)
        own = os.fstat(fd)
        if CLOSE_BEFORE_RENAME:
            os.close(fd)
            fd = -1
        partial.rename(final)
        renamed = True
        if fd < 0:
            fd = _reopen_own(final, own)
            if fd < 0:
                return None  # replaced between the rename and the open: no longer ours
        fsutil.fsync_dir(folder)
    except BaseException:
        if fd >= 0 and CLOSE_BEFORE_RENAME:
            os.close(fd)
            fd = -1
        with contextlib.suppress(OSError):
            (final if renamed else partial).unlink()
        if fd >= 0:
            os.close(fd)
        raise
    return fd


def _holds_fresh_file(partial: Path, fd: int) -> bool:
    """True if we hold the lock of our new file and its name still leads to it (as PendingBlob.still_ours)."""
    # Without advisory locks (Windows) a fresh file is protected by the sweep's grace period instead.
    if fcntl is not None and not try_lock(fd):
        return False
    try:
        named = partial.lstat()
    except FileNotFoundError:
        return False
    own = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (own.st_dev, own.st_ino)


def _reopen_own(final: Path, own: os.stat_result) -> int:
    """Open our new file again for appending after renaming it closed (Windows); -1 if the name no longer leads to
    it, just as it was."""
    fd = os.open(final, os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0))
    again = os.fstat(fd)
    if (again.st_dev, again.st_ino, again.st_size) != (own.st_dev, own.st_ino, own.st_size):
        os.close(fd)
        return -1
    return fd


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def encrypt_frame(encrypt: Encrypt, key: FrameKey, number: int, pcm: bytes) -> bytes:
    """The age file of frame ``number``."""
    return encrypt(key.seal(number, pcm))


def append_frame(fd: int, ciphertext: bytes) -> None:
    """Append one frame and make it durable."""
    write_all(fd, struct.pack(">I", len(ciphertext)) + ciphertext)
    os.fsync(fd)


def open_segment_file(path: Path) -> BinaryIO:
    """Open a segment file for reading, refusing links and anything but a regular file.

    Opened non-blocking, so a FIFO put where the file should be cannot hang us in ``open``; a regular file is then
    read in blocking mode as usual. FileNotFoundError if there is nothing at ``path``.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as error:  # e.g. ELOOP: a symbolic link where the file should be
        raise VaultStateError(
            f"A recording file in the vault cannot be opened ({error.strerror}); run `safecase check`."
        ) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise VaultStateError("A recording file in the vault is not a regular file; run `safecase check`.")
        if os.name == "posix":
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def lock_for_reading(handle: BinaryIO) -> bool:
    """False when a live process still holds the file (it is recording into it)."""
    return try_lock(handle.fileno())


class SegmentReader:
    """The PCM of every verified frame from the start of a segment file, in order, until the first frame that is
    torn, damaged, forged, out of place or beyond ``max_frames``. Afterwards :attr:`good_end` is where the last
    frame read ends and :attr:`torn` tells whether the file simply ends inside the next one."""

    def __init__(self, handle: BinaryIO, decrypt: Decrypt, key: FrameKey, max_frames: int | None = None) -> None:
        self._handle = handle
        self._decrypt = decrypt
        self._key = key
        self._max_frames = max_frames
        self.good_end = 0
        self.torn = False

    def __iter__(self) -> Iterator[bytes]:
        handle = self._handle
        self.good_end, self.torn = 0, False
        handle.seek(0)
        magic = handle.read(len(MAGIC))
        if magic != MAGIC:
            self.torn = MAGIC.startswith(magic)
            return
        self.good_end = len(MAGIC)
        number = 0
        while self._max_frames is None or number < self._max_frames:
            pcm = self._next_frame(number)
            if pcm is None:
                return
            self.good_end = handle.tell()
            number += 1
            yield pcm

    def _next_frame(self, number: int) -> bytes | None:
        prefix = self._handle.read(LENGTH_BYTES)
        if len(prefix) < LENGTH_BYTES:
            self.torn = True  # also at a clean end, where nothing at all is left
            return None
        (length,) = struct.unpack(">I", prefix)
        if not 0 < length <= MAX_FRAME_BYTES:
            return None
        ciphertext = self._handle.read(length)
        if len(ciphertext) < length:
            self.torn = True
            return None
        try:
            plain = self._decrypt(ciphertext)
        except (pyrage.DecryptError, DecryptionFailed):  # what pyrage raises, or our wrapper of it
            return None
        return self._key.open(number, plain)


@dataclass(frozen=True)
class SegmentScan:
    """What a segment file holds that can be saved, and what cannot."""

    frames: int  # frames to use, from the first
    data_bytes: int  # the PCM they hold
    lost_bytes: int  # bytes of the file after them
    torn: bool  # the lost bytes are one frame the file ends inside (normal after a kill), not damage

    @property
    def damaged(self) -> bool:
        """True if a frame is damaged or forged and data after it is lost (not just a torn last frame)."""
        return self.lost_bytes > 0 and not self.torn


def scan(
    handle: BinaryIO, decrypt: Decrypt, key: FrameKey, pcm: PcmFormat, max_frames: int | None = None
) -> SegmentScan:
    """Measure the usable frames: whole sample frames only, at most what one WAV file can hold."""
    reader = SegmentReader(handle, decrypt, key, max_frames)
    frames = total = end = 0
    for plain in reader:
        if total + len(plain) > pcm.max_data_bytes:
            break  # more than one WAV file holds, which the writer never writes: treated as damage
        frames, total, end = frames + 1, total + len(plain), reader.good_end
    else:
        end = reader.good_end  # also right after the magic line, when no frame was read
    size = os.fstat(handle.fileno()).st_size
    return SegmentScan(frames, total - total % pcm.frame_bytes, max(size - end, 0), reader.torn)


def wav_header(pcm: PcmFormat, data_bytes: int) -> bytes:
    """The 44-byte RIFF/WAVE header of uncompressed PCM (format tag 1)."""
    return struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF",
        WAV_HEADER_BYTES - 8 + data_bytes,
        b"WAVE",
        b"fmt ",
        16,
        1,
        pcm.channels,
        pcm.sample_rate,
        pcm.bytes_per_second,
        pcm.frame_bytes,
        pcm.sample_bytes * 8,
        b"data",
        data_bytes,
    )


class WavStream:
    """A file-like ``read`` yielding a WAV file: the header, then the PCM of the segment file's first ``frames``
    frames, decrypted and verified again one frame at a time (only one frame's plaintext is ever in memory)."""

    def __init__(self, handle: BinaryIO, decrypt: Decrypt, key: FrameKey, pcm: PcmFormat, found: SegmentScan) -> None:
        self._pieces = self._generate(SegmentReader(handle, decrypt, key, found.frames), pcm, found.data_bytes)
        self._current = memoryview(b"")

    def read(self, size: int = -1) -> bytes:
        while not self._current:
            piece = next(self._pieces, None)
            if piece is None:
                return b""
            self._current = memoryview(piece)
        end = len(self._current) if size < 0 else size
        chunk, self._current = self._current[:end].tobytes(), self._current[end:]
        return chunk

    @staticmethod
    def _generate(frames: SegmentReader, pcm: PcmFormat, data_bytes: int) -> Iterator[bytes]:
        yield wav_header(pcm, data_bytes)
        remaining = data_bytes
        for plain in frames:
            if remaining == 0:
                break
            piece = plain[:remaining]
            remaining -= len(piece)
            yield piece
        if remaining:
            raise IntegrityError("A recording file changed while it was being saved; it is kept for recovery.")
