"""The segment file of a recording in progress, and the WAV stream made from it. No plaintext ever reaches disk.

``blobs/<name>.recording`` holds a magic line, then frames::

    b"SafeCase recording segments v1\\n"
    frame := [4-byte big-endian length N][N bytes: a complete, standard age file]

Each age file is encrypted to the vault's own X25519 identity and its plaintext is raw PCM (signed 16-bit,
little-endian, channels interleaved), a whole number of sample frames. Frames are only ever appended and each is
fsynced, so after a kill every frame but possibly the last is complete; a reader stops at the first frame that is
short or does not decrypt. The PCM format is not in the file: the ``recordings`` row holds it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyrage

from safecase.crypto.age_stream import DecryptionFailed
from safecase.errors import IntegrityError, UsageError, VaultStateError
from safecase.storage import fsutil
from safecase.storage.blob_store import PARTIAL_SUFFIX, RECORDING_SUFFIX, try_lock

MAGIC = b"SafeCase recording segments v1\n"
LENGTH_BYTES = 4
MAX_FRAME_BYTES = 64 * 2**20  # a frame holds about half a second of audio; anything larger is damage
WAV_HEADER_BYTES = 44
MAX_WAV_DATA_BYTES = 0xFFFF_FFFF - (WAV_HEADER_BYTES - 8)  # RIFF sizes are 32-bit
SAMPLE_RATES = range(8_000, 384_001)
CHANNELS = range(1, 9)

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

    def duration_ms(self, data_bytes: int) -> int:
        return data_bytes * 1000 // self.bytes_per_second


def segment_path(folder: Path, name: str) -> Path:
    return folder / f"{name}{RECORDING_SUFFIX}"


def create_segment_file(folder: Path, name: str) -> int:
    """Create ``<name>.recording`` (0600) holding the magic line, locked; returns its descriptor.

    The file is made as ``<name>.partial`` (which the unlock sweep removes if we die right here), locked, and only
    then renamed, so no one ever sees an unlocked ``.recording`` file that a live process is about to write.
    """
    fsutil.make_private_dir(folder)
    partial = folder / f"{name}{PARTIAL_SUFFIX}"
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(partial, flags, fsutil.FILE_MODE)
    try:
        try_lock(fd)  # our own fresh file: no one else can hold it yet
        write_all(fd, MAGIC)
        os.fsync(fd)
        partial.rename(segment_path(folder, name))
        fsutil.fsync_dir(folder)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        os.close(fd)
        raise
    return fd


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def append_frame(fd: int, ciphertext: bytes) -> None:
    """Append one frame and make it durable."""
    write_all(fd, struct.pack(">I", len(ciphertext)) + ciphertext)
    os.fsync(fd)


def open_segment_file(path: Path) -> BinaryIO:
    """Open a segment file for reading, refusing links and anything but a regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        raise
    except OSError as error:  # e.g. ELOOP: a symbolic link where the file should be
        raise VaultStateError(
            f"A recording file in the vault cannot be opened ({error.strerror}); run `safecase check`."
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise VaultStateError("A recording file in the vault is not a regular file; run `safecase check`.")
    return os.fdopen(fd, "rb")


def lock_for_reading(handle: BinaryIO) -> bool:
    """False when a live process still holds the file (it is recording into it)."""
    return try_lock(handle.fileno())


def plain_frames(handle: BinaryIO, decrypt: Decrypt) -> Iterator[bytes]:
    """The PCM of every complete frame from the start of the file, stopping at the first torn or altered one."""
    handle.seek(0)
    if handle.read(len(MAGIC)) != MAGIC:
        return
    while True:
        prefix = handle.read(LENGTH_BYTES)
        if len(prefix) < LENGTH_BYTES:
            return
        (length,) = struct.unpack(">I", prefix)
        ciphertext = handle.read(length) if 0 < length <= MAX_FRAME_BYTES else b""
        if len(ciphertext) < length or not ciphertext:
            return
        try:
            yield decrypt(ciphertext)
        except (pyrage.DecryptError, DecryptionFailed):  # what pyrage raises, or our wrapper of it
            return


def measure(handle: BinaryIO, decrypt: Decrypt, pcm: PcmFormat) -> tuple[int, int]:
    """(frames to use, PCM bytes they hold): whole sample frames only, at most what one WAV file can hold."""
    frames = total = 0
    for plain in plain_frames(handle, decrypt):
        if total + len(plain) > pcm.max_data_bytes:
            break
        frames, total = frames + 1, total + len(plain)
    return frames, total - total % pcm.frame_bytes


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
    """A file-like ``read`` yielding a WAV file: the header, then the PCM of the segment file's frames, decrypted
    one frame at a time (only one frame's plaintext is ever in memory)."""

    def __init__(self, handle: BinaryIO, decrypt: Decrypt, pcm: PcmFormat, frames: int, data_bytes: int) -> None:
        self._pieces = self._generate(handle, decrypt, pcm, frames, data_bytes)
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
    def _generate(handle: BinaryIO, decrypt: Decrypt, pcm: PcmFormat, frames: int, data_bytes: int) -> Iterator[bytes]:
        yield wav_header(pcm, data_bytes)
        remaining = data_bytes
        for index, plain in enumerate(plain_frames(handle, decrypt)):
            if index == frames or remaining == 0:
                break
            piece = plain[:remaining]
            remaining -= len(piece)
            yield piece
        if remaining:
            raise IntegrityError("A recording file changed while it was being saved; it is kept for recovery.")
