"""Where a recording lives until it is saved: its ``recordings`` row and segment file, and saving it as a WAV file.

Shared by :class:`safecase.services.recording.Recorder` (``finish``, ``discard``) and
:func:`safecase.services.recording.recover_interrupted`: the SQL of the ``recordings`` table, removing a segment
file in the order each platform needs, and turning the verified frames of a segment file into an attachment, the
row going in the transaction that writes it. A failing disk while saving becomes :class:`RecordingKept`: the row and
the file stay for the next recovery. All of it runs on the database thread.
"""

from __future__ import annotations

import contextlib
import errno
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from safecase.errors import SafeCaseError
from safecase.services import recording_segments
from safecase.services.attachments import AttachmentService
from safecase.services.recording_segments import FrameKey, PcmFormat, SegmentScan, WavStream, segment_path
from safecase.services.session import VaultSession
from safecase.storage import fsutil
from safecase.storage.records import RecordState

log = logging.getLogger(__name__)

DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class RecordingKept(SafeCaseError):
    """A recording could not be saved because of the disk; its row and segment file stay for the next recovery."""

    def __init__(self, what: str, error: OSError) -> None:
        if error.errno in DISK_FULL:
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


def save_as_attachment(
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
                on_commit=lambda: delete_row(session, row.blob_name),
            )
        except SafeCaseError as error:
            # The intake words a failing disk for files taken in from outside ("copy the file again"); a
            # recording is kept instead, which kept_on_disk_errors says.
            if isinstance(error.__context__, OSError):
                raise error.__context__ from None
            raise
    else:
        with session.db.transaction():
            delete_row(session, row.blob_name)
    remove_segment_file(session.blobs.folder, row.blob_name, release=handle.close)
    return state


@contextlib.contextmanager
def kept_on_disk_errors(what: str) -> Iterator[None]:
    """Turn a failure of the disk while saving into a one-line error; nothing is removed before the commit."""
    try:
        yield
    except OSError as error:
        log.error("a recording could not be saved: %s", type(error).__name__)
        raise RecordingKept(what, error) from None


def _file_name(started_at: str) -> str:
    started = datetime.fromisoformat(started_at.replace("Z", "+00:00")).astimezone()
    return started.strftime("Recording %Y-%m-%d %H-%M.wav")


def read_rows(session: VaultSession) -> list[RecordingRow]:
    rows = session.db.query_all(
        "SELECT blob_name, testimony_id, started_at, sample_rate, channels, sample_bytes, frame_key FROM recordings"
        " ORDER BY started_at, blob_name"
    )
    return [
        RecordingRow(name, testimony, started, PcmFormat(rate, ch, width), bytes(key))
        for name, testimony, started, rate, ch, width, key in rows
    ]


def insert_row(session: VaultSession, row: RecordingRow) -> None:
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


def delete_row(session: VaultSession, blob_name: str) -> None:
    session.db.execute("DELETE FROM recordings WHERE blob_name = ?", (blob_name,))


def has_row(session: VaultSession, name: str) -> bool:
    return session.db.query_one("SELECT 1 FROM recordings WHERE blob_name = ?", (name,)) is not None


def remove_segment_file(folder: Path, name: str, release: Callable[[], None]) -> None:
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
