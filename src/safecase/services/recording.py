"""Recording audio into the vault: PCM is encrypted as it arrives and never written to disk in plaintext.

A recording in progress is a row in ``recordings`` (testimony, start time, PCM format) plus its segment file
``blobs/<random name>.recording`` (format in :mod:`safecase.services.recording_segments` and
docs/RECORD_FORMAT.md): a magic line, then frames of [4-byte big-endian length][a complete age file whose
plaintext is raw PCM]. A writer thread appends and fsyncs a frame every half second, so a killed app loses less
than the last second. The file stays under an advisory lock from its creation until it becomes an attachment, so
recovery never takes a recording a live process is still writing.

``finish`` streams the frames, decrypted one at a time, as a WAV file into ``AttachmentService.attach_stream``; the
row goes in the transaction that writes the attachment, the segment file right after. ``recover_interrupted``
(after every unlock, and ``safecase attachment recover``) does the same for every row no live process holds,
keeping each complete frame up to the first torn or altered one.

Threads: ``Recorder.start``, ``finish``, ``discard`` and ``recover_interrupted`` use the database and run on its
thread (the app's database executor); ``append`` and the read-only properties may be called from any thread (the
GUI's); the writer thread touches only the segment file.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from safecase.domain.kinds import Kind
from safecase.errors import SafeCaseError, UsageError, VaultStateError
from safecase.services.attachments import AttachmentService
from safecase.services.recording_segments import (
    PcmFormat,
    WavStream,
    append_frame,
    create_segment_file,
    lock_for_reading,
    measure,
    open_segment_file,
    segment_path,
)
from safecase.services.records import RecordService
from safecase.services.session import VaultSession
from safecase.storage import fsutil
from safecase.storage.blob_store import NAME_PATTERN, RECORDING_SUFFIX, new_blob_name
from safecase.storage.records import RecordState

log = logging.getLogger(__name__)

FLUSH_INTERVAL_S = 0.5  # a frame at least this often: a kill loses less than a second


class RecordingWriteFailed(SafeCaseError):
    def __init__(self, reason: str) -> None:
        super().__init__(f"The recording stopped: it could not be written to the vault's folder ({reason}).")


@dataclass(frozen=True)
class RecordingRow:
    """A row of ``recordings``: a recording in progress, or one a crash interrupted."""

    blob_name: str
    testimony_id: str
    started_at: str
    pcm: PcmFormat


class _FrameWriter:
    """The background thread that turns buffered PCM into encrypted, fsynced frames of the segment file."""

    def __init__(self, fd: int, encrypt: Callable[[bytes], bytes], pcm: PcmFormat, interval_s: float) -> None:
        self._fd = fd
        self._encrypt = encrypt
        self._pcm = pcm
        self._interval_s = interval_s
        self._threshold = max(pcm.frame_bytes, int(pcm.bytes_per_second * interval_s))
        self._changed = threading.Condition()
        self._buffer = bytearray()
        self._accepted = 0
        self._closing = False
        self._good_size = os.fstat(fd).st_size
        self.failure: RecordingWriteFailed | None = None
        self._thread = threading.Thread(target=self._run, name="safecase-recording", daemon=True)
        self._thread.start()

    @property
    def accepted(self) -> int:
        with self._changed:
            return self._accepted

    @property
    def is_full(self) -> bool:
        with self._changed:
            return self._accepted >= self._pcm.max_data_bytes

    def push(self, pcm: bytes) -> None:
        with self._changed:
            if self._closing or self.failure is not None:
                return
            room = self._pcm.max_data_bytes - self._accepted
            taken = pcm[:room]
            self._buffer += taken
            self._accepted += len(taken)
            if len(self._buffer) >= self._threshold:
                self._changed.notify()

    def close(self) -> None:
        """Write what is buffered (whole sample frames) and stop the thread."""
        with self._changed:
            self._closing = True
            self._changed.notify()
        self._thread.join()

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._closing or len(self._buffer) >= self._threshold, self._interval_s)
                usable = len(self._buffer) - len(self._buffer) % self._pcm.frame_bytes
                data = bytes(self._buffer[:usable])
                del self._buffer[:usable]
                closing = self._closing
            if data and self.failure is None:
                self._write(data)
            if closing:
                return

    def _write(self, data: bytes) -> None:
        try:
            append_frame(self._fd, self._encrypt(data))
            self._good_size = os.fstat(self._fd).st_size
        except OSError as error:
            log.error("recording frame not written: %s", type(error).__name__)
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, self._good_size)  # so that later readers see whole frames only
            self.failure = RecordingWriteFailed(error.strerror or type(error).__name__)


class Recorder:
    """One recording into one testimony. Build it with :meth:`start` on the database thread."""

    def __init__(self, session: VaultSession, attachments: AttachmentService, row: RecordingRow, fd: int) -> None:
        self._session = session
        self._attachments = attachments
        self.row = row
        self._fd: int | None = fd
        self._fd_lock = threading.Lock()  # close_file (GUI thread) may meet finish (database thread)
        self._writer = _FrameWriter(fd, session.blobs.encrypt_bytes, row.pcm, FLUSH_INTERVAL_S)

    @classmethod
    def start(
        cls,
        session: VaultSession,
        attachments: AttachmentService,
        testimony_id: str,
        sample_rate: int,
        channels: int,
        sample_bytes: int = 2,
    ) -> Recorder:
        """Create the locked segment file, then commit its ``recordings`` row (database thread)."""
        pcm = PcmFormat(sample_rate, channels, sample_bytes)
        pcm.check()
        if RecordService(session).show(testimony_id).kind != Kind.TESTIMONY.value:
            raise UsageError("A recording belongs to a testimony; open the testimony and record there.")
        row = RecordingRow(new_blob_name(), testimony_id, session.now_iso(), pcm)
        fd = create_segment_file(session.blobs.folder, row.blob_name)
        try:
            with session.db.transaction():
                _insert_row(session, row)
                session.log("recording.started", testimony_id)
        except BaseException:
            _remove_file(session.blobs.folder, row.blob_name)
            os.close(fd)
            raise
        return cls(session, attachments, row, fd)

    # -- any thread ---------------------------------------------------------------------------------------------

    def append(self, pcm: bytes) -> None:
        """Queue PCM for encryption (cheap; thread-safe). Beyond what one WAV file holds it is dropped: see
        :attr:`is_full`. Pausing is simply not appending."""
        self._writer.push(pcm)

    @property
    def elapsed_ms(self) -> int:
        """The length of the audio appended so far; pauses add nothing."""
        return self.row.pcm.duration_ms(self._writer.accepted)

    @property
    def is_full(self) -> bool:
        """True once the recording holds all one WAV file can (hours); the caller should finish it."""
        return self._writer.is_full

    @property
    def failure(self) -> SafeCaseError | None:
        """Set when a frame could not be written (e.g. the disk is full); later audio is dropped."""
        return self._writer.failure

    # -- database thread ----------------------------------------------------------------------------------------

    def finish(self, description: str = "") -> RecordState | None:
        """Flush, stop the writer and turn the recording into an attachment of the testimony.

        Returns None (and discards the recording) when it holds no audio. If saving fails, the row and the file
        stay and the next :func:`recover_interrupted` saves them.
        """
        self._stop_writer()
        try:
            return _convert(self._session, self._attachments, self.row, "recording", description)
        finally:
            self._release()

    def discard(self) -> None:
        """Throw the recording away: its row and its file."""
        self._stop_writer()
        try:
            with self._session.db.transaction():
                _delete_row(self._session, self.row.blob_name)
                self._session.log("recording.discarded", self.row.testimony_id)
            _remove_file(self._session.blobs.folder, self.row.blob_name)
        finally:
            self._release()

    def close_file(self) -> None:
        """Flush and close the segment file without the database (any thread; safe to call twice). The recording
        is left for :func:`recover_interrupted`; use this when the vault locks before :meth:`finish` could run."""
        self._stop_writer()
        self._release()

    def _stop_writer(self) -> None:
        self._writer.close()

    def _release(self) -> None:
        with self._fd_lock:
            fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # releases the lock: after the file is gone, or when it is left for recovery


def recover_interrupted(
    session: VaultSession,
    attachments: AttachmentService,
    on_problem: Callable[[str], None] | None = None,
) -> list[RecordState]:
    """Save every recording a crash interrupted as an attachment (source ``recovered_recording``).

    Skips recordings a live process still holds. A row without a file is forgotten; a segment file without a row
    (left after its attachment was committed, or before its row was) is removed. A recording that cannot be saved
    (e.g. its testimony was deleted) is kept and reported to ``on_problem``.
    """
    recovered = []
    for row in _rows(session):
        try:
            state = _recover_one(session, attachments, row)
        except SafeCaseError as error:
            log.warning("an interrupted recording could not be recovered: %s", type(error).__name__)
            if on_problem is not None:
                on_problem(error.message)
            continue
        if state is not None:
            recovered.append(state)
    _remove_orphan_files(session)
    return recovered


def _recover_one(session: VaultSession, attachments: AttachmentService, row: RecordingRow) -> RecordState | None:
    if not NAME_PATTERN.match(row.blob_name):
        raise VaultStateError("A recording in the vault has an invalid file name; run `safecase check`.")
    try:
        handle = open_segment_file(segment_path(session.blobs.folder, row.blob_name))
    except FileNotFoundError:
        with session.db.transaction():
            _delete_row(session, row.blob_name)
        return None
    with handle:  # closing releases the lock, after the file is gone
        if not lock_for_reading(handle):
            return None
        return _convert_locked(session, attachments, row, handle, "recovered_recording", "")


def _convert(
    session: VaultSession, attachments: AttachmentService, row: RecordingRow, source: str, description: str
) -> RecordState | None:
    with open_segment_file(segment_path(session.blobs.folder, row.blob_name)) as handle:
        return _convert_locked(session, attachments, row, handle, source, description)


def _convert_locked(
    session: VaultSession,
    attachments: AttachmentService,
    row: RecordingRow,
    handle: BinaryIO,
    source: str,
    description: str,
) -> RecordState | None:
    """Attach the PCM of ``handle``'s complete frames as a WAV file, then forget the recording."""
    decrypt = session.blobs.decrypt_bytes
    frames, data_bytes = measure(handle, decrypt, row.pcm)
    state = None
    if data_bytes:
        extra: dict[str, Any] = {"source": source, "duration_ms": row.pcm.duration_ms(data_bytes)}
        if description.strip():
            extra["description"] = description
        # attach_stream only calls read(n), which WavStream provides.
        wav = WavStream(handle, decrypt, row.pcm, frames, data_bytes)
        state = attachments.attach_stream(
            row.testimony_id,
            wav,
            _file_name(row.started_at),
            extra,
            on_commit=lambda: _delete_row(session, row.blob_name),
        )
    else:
        with session.db.transaction():
            _delete_row(session, row.blob_name)
    _remove_file(session.blobs.folder, row.blob_name)
    return state


def _file_name(started_at: str) -> str:
    started = datetime.fromisoformat(started_at.replace("Z", "+00:00")).astimezone()
    return started.strftime("Recording %Y-%m-%d %H-%M.wav")


def _rows(session: VaultSession) -> list[RecordingRow]:
    rows = session.db.query_all(
        "SELECT blob_name, testimony_id, started_at, sample_rate, channels, sample_bytes FROM recordings"
        " ORDER BY started_at, blob_name"
    )
    return [
        RecordingRow(name, testimony, started, PcmFormat(rate, ch, width))
        for name, testimony, started, rate, ch, width in rows
    ]


def _insert_row(session: VaultSession, row: RecordingRow) -> None:
    session.db.execute(
        "INSERT INTO recordings (blob_name, testimony_id, started_at, sample_rate, channels, sample_bytes)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (row.blob_name, row.testimony_id, row.started_at, row.pcm.sample_rate, row.pcm.channels, row.pcm.sample_bytes),
    )


def _delete_row(session: VaultSession, blob_name: str) -> None:
    session.db.execute("DELETE FROM recordings WHERE blob_name = ?", (blob_name,))


def _remove_file(folder: Path, name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        segment_path(folder, name).unlink()
        fsutil.fsync_dir(folder)


def _remove_orphan_files(session: VaultSession) -> None:
    folder = session.blobs.folder
    if not folder.is_dir():
        return
    for path in sorted(folder.glob(f"*{RECORDING_SUFFIX}")):
        name = path.name.removesuffix(RECORDING_SUFFIX)
        if not NAME_PATTERN.match(name):
            continue
        try:
            handle = open_segment_file(path)
        except (OSError, VaultStateError):
            continue
        with handle:
            # Checked under the lock: a live recording locks its file before its row exists.
            if (
                lock_for_reading(handle)
                and session.db.query_one("SELECT 1 FROM recordings WHERE blob_name = ?", (name,)) is None
            ):
                _remove_file(folder, name)
