"""Recording audio into the vault: PCM is encrypted as it arrives and never written to disk in plaintext.

A recording in progress is a row in ``recordings`` (testimony, start time, PCM format, a random frame key) plus its
segment file ``blobs/<random name>.recording`` (format in :mod:`safecase.services.recording_segments` and
docs/RECORD_FORMAT.md): a magic line, then frames of [4-byte big-endian length][a complete age file whose
plaintext is a MAC under the frame key, then raw PCM]. A writer thread appends and fsyncs a frame every half
second, so a killed app loses less than the last second. The file stays under an advisory lock from its creation
until it becomes an attachment, so recovery never takes a recording a live process is still writing.

``finish`` streams the frames it wrote, decrypted and verified one at a time, as a WAV file into
``AttachmentService.attach_stream``; the row goes in the transaction that writes the attachment, the segment file
right after. ``recover_interrupted`` (after every unlock, and ``safecase attachment recover``) does the same for
every row no live process holds, keeping each verified frame up to the first torn, altered or forged one, and
reports damage that cost more than a torn last frame. A recording that cannot be saved (a full disk) is kept.

Threads: ``Recorder.start``, ``finish``, ``discard`` and ``recover_interrupted`` use the database and run on its
thread (the app's database executor); ``append`` and the read-only properties may be called from any thread (the
GUI's); the writer thread touches only the segment file.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from safecase.domain.kinds import Kind
from safecase.errors import IntegrityError, SafeCaseError, UsageError, VaultStateError
from safecase.services import recording_segments
from safecase.services.attachments import AttachmentService
from safecase.services.recording_segments import (
    FRAME_KEY_BYTES,
    FrameKey,
    PcmFormat,
    SegmentScan,
    WavStream,
    append_frame,
    create_segment_file,
    encrypt_frame,
    lock_for_reading,
    open_segment_file,
    scan,
    segment_path,
)
from safecase.services.records import RecordService
from safecase.services.session import VaultSession
from safecase.storage import fsutil
from safecase.storage.blob_store import NAME_PATTERN, RECORDING_SUFFIX
from safecase.storage.records import RecordState

log = logging.getLogger(__name__)

FLUSH_INTERVAL_S = 0.5  # a frame at least this often: a kill loses less than a second
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class RecordingWriteFailed(SafeCaseError):
    def __init__(self, reason: str) -> None:
        super().__init__(f"The recording stopped: it could not be written to the vault's folder ({reason}).")


class RecordingKept(SafeCaseError):
    """A recording could not be saved because of the disk; its row and segment file stay for the next recovery."""

    def __init__(self, what: str, error: OSError) -> None:
        if error.errno in _DISK_FULL:
            super().__init__(
                f"{what} could not be saved because the disk is full. It is kept and will be saved once you free "
                "some space and reopen the vault (or run `safecase attachment recover`)."
            )
        else:
            super().__init__(
                f"{what} could not be saved ({error.strerror or type(error).__name__}). It is kept and will be "
                "saved the next time the vault is opened; if this repeats, check the disk."
            )


@dataclass(frozen=True)
class RecordingRow:
    """A row of ``recordings``: a recording in progress, or one a crash interrupted."""

    blob_name: str
    testimony_id: str
    started_at: str
    pcm: PcmFormat
    frame_key: bytes = field(repr=False)

    @property
    def key(self) -> FrameKey:
        return FrameKey(self.frame_key, self.blob_name)


class _FrameWriter:
    """The background thread that turns buffered PCM into encrypted, fsynced frames of the segment file."""

    def __init__(self, fd: int, seal: Callable[[int, bytes], bytes], pcm: PcmFormat, interval_s: float) -> None:
        self._fd = fd
        self._seal = seal
        self._pcm = pcm
        self._interval_s = interval_s
        self._threshold = max(pcm.frame_bytes, int(pcm.bytes_per_second * interval_s))
        self._changed = threading.Condition()
        self._buffer = bytearray()
        self._accepted = 0
        self._frames = 0
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
    def frames_written(self) -> int:
        """How many frames are in the file, complete and fsynced."""
        with self._changed:
            return self._frames

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
            step = self._pcm.max_frame_pcm_bytes  # a disk that stalled for long leaves more than one frame holds
            for start in range(0, len(data), step):
                if self.failure is None:
                    self._write(data[start : start + step])
            if closing:
                return

    def _write(self, data: bytes) -> None:
        try:
            append_frame(self._fd, self._seal(self._frames, data))
            self._good_size = os.fstat(self._fd).st_size
        except OSError as error:
            log.error("recording frame not written: %s", type(error).__name__)
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, self._good_size)  # so that later readers see whole frames only
            self.failure = RecordingWriteFailed(error.strerror or type(error).__name__)
            return
        with self._changed:
            self._frames += 1


class Recorder:
    """One recording into one testimony. Build it with :meth:`start` on the database thread."""

    def __init__(self, session: VaultSession, attachments: AttachmentService, row: RecordingRow, fd: int) -> None:
        self._session = session
        self._attachments = attachments
        self.row = row
        self._fd: int | None = fd
        self._fd_lock = threading.Lock()  # close_file (GUI thread) may meet finish (database thread)
        key, encrypt = row.key, session.blobs.encrypt_bytes
        self._writer = _FrameWriter(
            fd, lambda number, pcm: encrypt_frame(encrypt, key, number, pcm), row.pcm, FLUSH_INTERVAL_S
        )

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
        folder = session.blobs.folder
        try:
            name, fd = create_segment_file(folder)
        except OSError as error:
            log.error("recording file not created: %s", type(error).__name__)
            if error.errno in _DISK_FULL:
                raise SafeCaseError("The recording could not start: the disk is full. Free some space.") from None
            raise RecordingWriteFailed(error.strerror or type(error).__name__) from None
        row = RecordingRow(name, testimony_id, session.now_iso(), pcm, secrets.token_bytes(FRAME_KEY_BYTES))
        try:
            with session.db.transaction():
                _insert_row(session, row)
                session.log("recording.started", testimony_id)
        except BaseException:
            _remove_file(folder, name, release=lambda: os.close(fd))
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
        """Flush, stop the writer and turn the frames it wrote into an attachment of the testimony.

        Returns None (and discards the recording) when it holds no audio. If saving fails (a full disk, a frame
        damaged or altered on disk), the row and the file stay and the next :func:`recover_interrupted` saves
        what it can; the error says so.
        """
        self._stop_writer()
        if recording_segments.CLOSE_BEFORE_RENAME:
            self._release()  # the file is removed at the end, which Windows refuses while it is open
        try:
            with _kept_on_disk_errors("The recording"):
                return self._convert(description)
        finally:
            self._release()

    def discard(self) -> None:
        """Throw the recording away: its row and its file."""
        self._stop_writer()
        try:
            with self._session.db.transaction():
                _delete_row(self._session, self.row.blob_name)
                self._session.log("recording.discarded", self.row.testimony_id)
            _remove_file(self._session.blobs.folder, self.row.blob_name, release=self._release)
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

    def _convert(self, description: str) -> RecordState | None:
        written = self._writer.frames_written
        try:
            handle = open_segment_file(segment_path(self._session.blobs.folder, self.row.blob_name))
        except FileNotFoundError:
            raise IntegrityError(
                "The recording's file was removed from the vault's folder while recording; it cannot be saved."
            ) from None
        with handle:
            # Only the frames this writer wrote: anything after them was put there by someone else.
            found = scan(handle, self._session.blobs.decrypt_bytes, self.row.key, self.row.pcm, max_frames=written)
            if found.frames < written:
                log.warning("a recording was damaged or altered while it was recorded")
                raise IntegrityError(
                    "The recording file was damaged or altered while recording. It is kept: the part before the "
                    "damage is saved the next time the vault is unlocked."
                )
            return _save(self._session, self._attachments, self.row, handle, found, "recording", description)


def recover_interrupted(
    session: VaultSession,
    attachments: AttachmentService,
    on_problem: Callable[[str], None] | None = None,
) -> list[RecordState]:
    """Save every recording a crash interrupted as an attachment (source ``recovered_recording``).

    Skips recordings a live process still holds. A row without a file is forgotten; a segment file without a row
    (left after its attachment was committed, or before its row was) is removed. A recording that cannot be saved
    (e.g. its testimony was deleted, the disk is full) is kept and reported to ``on_problem``, in one line; so is
    one saved only up to a damaged, altered or forged frame (a torn last frame, normal after a kill, is not).
    """
    report = on_problem or (lambda message: None)
    recovered = []
    for row in _rows(session):
        try:
            with _kept_on_disk_errors(f"The recording interrupted in testimony {row.testimony_id}"):
                state = _recover_one(session, attachments, row, report)
        except SafeCaseError as error:
            log.warning("an interrupted recording could not be recovered: %s", type(error).__name__)
            report(error.message)
            continue
        if state is not None:
            recovered.append(state)
    _remove_orphan_files(session)
    return recovered


def _recover_one(
    session: VaultSession, attachments: AttachmentService, row: RecordingRow, report: Callable[[str], None]
) -> RecordState | None:
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
        found = scan(handle, session.blobs.decrypt_bytes, row.key, row.pcm)
        state = _save(session, attachments, row, handle, found, "recovered_recording", "")
    if found.damaged:
        log.warning("an interrupted recording was damaged; its end was not recovered")
        report(_damage_message(row, found))
    return state


def _damage_message(row: RecordingRow, found: SegmentScan) -> str:
    what = f"The recording interrupted in testimony {row.testimony_id} was damaged or altered"
    if not found.data_bytes:
        return f"{what} from its start: nothing could be recovered ({found.lost_bytes:,} bytes)."
    seconds = row.pcm.duration_ms(found.data_bytes) // 1000
    return (
        f"{what}: it was saved up to {seconds // 60}:{seconds % 60:02d}; the {found.lost_bytes:,} bytes from the "
        "damaged frame on could not be recovered."
    )


def _save(
    session: VaultSession,
    attachments: AttachmentService,
    row: RecordingRow,
    handle: BinaryIO,
    found: SegmentScan,
    source: str,
    description: str,
) -> RecordState | None:
    """Attach the PCM of the frames ``found`` in ``handle`` as a WAV file, then forget the recording."""
    state = None
    if found.data_bytes:
        extra: dict[str, Any] = {"source": source, "duration_ms": row.pcm.duration_ms(found.data_bytes)}
        if description.strip():
            extra["description"] = description
        # attach_stream only calls read(n), which WavStream provides.
        wav = WavStream(handle, session.blobs.decrypt_bytes, row.key, row.pcm, found)
        try:
            state = attachments.attach_stream(
                row.testimony_id,
                wav,
                _file_name(row.started_at),
                extra,
                on_commit=lambda: _delete_row(session, row.blob_name),
            )
        except SafeCaseError as error:
            # The intake words a failing disk for files taken in from outside ("copy the file again"); a
            # recording is kept instead, which _kept_on_disk_errors says.
            if isinstance(error.__context__, OSError):
                raise error.__context__ from None
            raise
    else:
        with session.db.transaction():
            _delete_row(session, row.blob_name)
    _remove_file(session.blobs.folder, row.blob_name, release=handle.close)
    return state


@contextlib.contextmanager
def _kept_on_disk_errors(what: str) -> Iterator[None]:
    """Turn a failure of the disk while saving into a one-line error; nothing is removed before the commit."""
    try:
        yield
    except OSError as error:
        log.error("a recording could not be saved: %s", type(error).__name__)
        raise RecordingKept(what, error) from None


def _file_name(started_at: str) -> str:
    started = datetime.fromisoformat(started_at.replace("Z", "+00:00")).astimezone()
    return started.strftime("Recording %Y-%m-%d %H-%M.wav")


def _rows(session: VaultSession) -> list[RecordingRow]:
    rows = session.db.query_all(
        "SELECT blob_name, testimony_id, started_at, sample_rate, channels, sample_bytes, frame_key FROM recordings"
        " ORDER BY started_at, blob_name"
    )
    return [
        RecordingRow(name, testimony, started, PcmFormat(rate, ch, width), bytes(key))
        for name, testimony, started, rate, ch, width, key in rows
    ]


def _insert_row(session: VaultSession, row: RecordingRow) -> None:
    session.db.execute(
        "INSERT INTO recordings (blob_name, testimony_id, started_at, sample_rate, channels, sample_bytes, frame_key)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            row.blob_name,
            row.testimony_id,
            row.started_at,
            row.pcm.sample_rate,
            row.pcm.channels,
            row.pcm.sample_bytes,
            row.frame_key,
        ),
    )


def _delete_row(session: VaultSession, blob_name: str) -> None:
    session.db.execute("DELETE FROM recordings WHERE blob_name = ?", (blob_name,))


def _remove_file(folder: Path, name: str, release: Callable[[], None]) -> None:
    """Remove a segment file, then ``release`` what holds it open (and locked).

    On POSIX the lock goes only once the file is gone, so no other process sees a state in between; Windows removes
    no open file (and has no locks), so there it is released first. A file that cannot be removed is only logged:
    its row is gone, so the next recovery removes it.
    """
    closed_first = recording_segments.CLOSE_BEFORE_RENAME
    if closed_first:
        release()
    try:
        segment_path(folder, name).unlink(missing_ok=True)
        fsutil.fsync_dir(folder)
    except OSError as error:
        log.warning("a recording file was not removed: %s", type(error).__name__)
    finally:
        if not closed_first:
            release()


def _remove_orphan_files(session: VaultSession) -> None:
    folder = session.blobs.folder
    if not folder.is_dir():
        return
    for path in sorted(folder.glob(f"*{RECORDING_SUFFIX}")):
        name = path.name.removesuffix(RECORDING_SUFFIX)
        if not NAME_PATTERN.match(name):
            continue
        try:
            handle = open_segment_file(path)  # never hangs on a FIFO; refuses links and anything not a file
        except (OSError, VaultStateError):
            continue
        with handle:
            # Checked under the lock: a live recording locks its file before its row exists.
            try:
                orphan = lock_for_reading(handle) and not _has_row(session, name)
            except OSError as error:
                log.warning("a recording file could not be checked: %s", type(error).__name__)
                continue
            if orphan:
                _remove_file(folder, name, release=handle.close)


def _has_row(session: VaultSession, name: str) -> bool:
    return session.db.query_one("SELECT 1 FROM recordings WHERE blob_name = ?", (name,)) is not None
