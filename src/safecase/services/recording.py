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

This module holds the public API, :class:`Recorder` and :func:`recover_interrupted`; the writer thread is in
:mod:`safecase.services.recording_writer`, the ``recordings`` rows and saving as an attachment in
:mod:`safecase.services.recording_store`.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import Callable

from safecase.domain.kinds import Kind
from safecase.errors import IntegrityError, SafeCaseError, UsageError, VaultStateError
from safecase.services import recording_segments
from safecase.services.attachments import AttachmentService
from safecase.services.recording_segments import (
    FRAME_KEY_BYTES,
    PcmFormat,
    SegmentScan,
    create_segment_file,
    encrypt_frame,
    lock_for_reading,
    open_segment_file,
    scan,
    segment_path,
)
from safecase.services.recording_store import (
    DISK_FULL,
    RecordingRow,
    delete_row,
    has_row,
    insert_row,
    kept_on_disk_errors,
    read_rows,
    remove_segment_file,
    save_as_attachment,
)
from safecase.services.recording_writer import FLUSH_INTERVAL_S, FrameWriter, RecordingWriteFailed
from safecase.services.records import RecordService
from safecase.services.session import VaultSession
from safecase.storage.blob_store import NAME_PATTERN, RECORDING_SUFFIX
from safecase.storage.records import RecordState

log = logging.getLogger(__name__)


class Recorder:
    """One recording into one testimony. Build it with :meth:`start` on the database thread."""

    def __init__(self, session: VaultSession, attachments: AttachmentService, row: RecordingRow, fd: int) -> None:
        self._session = session
        self._attachments = attachments
        self.row = row
        self._fd: int | None = fd
        self._fd_lock = threading.Lock()  # close_file (GUI thread) may meet finish (database thread)
        key, encrypt = row.key, session.blobs.encrypt_bytes
        self._writer = FrameWriter(
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
            if error.errno in DISK_FULL:
                raise SafeCaseError("The recording could not start: the disk is full. Free some space.") from None
            raise RecordingWriteFailed(error.strerror or type(error).__name__) from None
        row = RecordingRow(name, testimony_id, session.now_iso(), pcm, secrets.token_bytes(FRAME_KEY_BYTES))
        try:
            with session.db.transaction():
                insert_row(session, row)
                session.log("recording.started", testimony_id)
        except BaseException:
            remove_segment_file(folder, name, release=lambda: os.close(fd))
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
            with kept_on_disk_errors("The recording"):
                return self._convert(description)
        finally:
            self._release()

    def discard(self) -> None:
        """Throw the recording away: its row and its file."""
        self._stop_writer()
        try:
            with self._session.db.transaction():
                delete_row(self._session, self.row.blob_name)
                self._session.log("recording.discarded", self.row.testimony_id)
            remove_segment_file(self._session.blobs.folder, self.row.blob_name, release=self._release)
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
            return save_as_attachment(
                self._session, self._attachments, self.row, handle, found, "recording", description
            )


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
    for row in read_rows(session):
        try:
            with kept_on_disk_errors(f"The recording interrupted in testimony {row.testimony_id}"):
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
            delete_row(session, row.blob_name)
        return None
    with handle:  # closing releases the lock, after the file is gone
        if not lock_for_reading(handle):
            return None
        found = scan(handle, session.blobs.decrypt_bytes, row.key, row.pcm)
        state = save_as_attachment(session, attachments, row, handle, found, "recovered_recording", "")
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
                orphan = lock_for_reading(handle) and not has_row(session, name)
            except OSError as error:
                log.warning("a recording file could not be checked: %s", type(error).__name__)
                continue
            if orphan:
                remove_segment_file(folder, name, release=handle.close)
