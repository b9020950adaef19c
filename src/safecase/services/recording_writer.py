"""The background thread of a recording in progress: it turns buffered PCM into encrypted, fsynced frames.

:class:`safecase.services.recording.Recorder` owns one :class:`FrameWriter` per recording. Any thread may
:meth:`FrameWriter.push` PCM; the writer thread alone touches the segment file (format in
:mod:`safecase.services.recording_segments`), appending a frame at least every :data:`FLUSH_INTERVAL_S`. A frame
that cannot be written stops the recording with :class:`RecordingWriteFailed`; the file keeps whole frames only.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable

from safecase.errors import SafeCaseError
from safecase.services.recording_segments import PcmFormat, append_frame

log = logging.getLogger(__name__)

FLUSH_INTERVAL_S = 0.5  # a frame at least this often: a kill loses less than a second


class RecordingWriteFailed(SafeCaseError):
    def __init__(self, reason: str) -> None:
        super().__init__(f"The recording stopped: it could not be written to the vault's folder ({reason}).")


class FrameWriter:
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
