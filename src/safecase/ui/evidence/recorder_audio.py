"""Where recorded audio comes from: the default microphone (QtMultimedia) or a synthetic tone for tests.

The providers share one small interface, as Dangerzone's isolation providers do, so the recorder widget never
knows which one it has. Each hands raw PCM (signed 16-bit, little-endian, channels interleaved) to a callback on
the GUI thread, in memory only: nothing here writes a file.
"""

from __future__ import annotations

import array
import math
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QIODevice, QObject, QTimer
from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QAudioSource, QMediaDevices, QtAudio

from safecase.services.recording_segments import PcmFormat

PcmCallback = Callable[[bytes], None]
ErrorCallback = Callable[[], None]

DEFAULT_SAMPLE_RATE = 48_000
SYNTHETIC_FORMAT = PcmFormat(16_000, 1)


class InputProblem(Enum):
    """Why an input cannot record; the widget turns it into a sentence."""

    NO_DEVICE = "no_device"
    UNSUPPORTED_FORMAT = "unsupported_format"


class AudioInput(ABC):
    """A source of PCM for one recording at a time. Qt objects it makes are children of ``parent``."""

    @abstractmethod
    def problem(self) -> InputProblem | None:
        """None when the input can record now."""

    @abstractmethod
    def pcm_format(self) -> PcmFormat: ...

    @abstractmethod
    def start(self, on_pcm: PcmCallback, on_error: ErrorCallback) -> None:
        """Begin delivering PCM to ``on_pcm``; ``on_error`` if the device fails or disappears."""

    @abstractmethod
    def suspend(self) -> None:
        """Pause delivering; audio captured before the call is delivered first, before this returns."""

    @abstractmethod
    def resume(self) -> None: ...

    @abstractmethod
    def stop(self) -> None:
        """Deliver what was captured, then stop delivering and release the device (safe when not started)."""


AudioInputFactory = Callable[[QObject], AudioInput]


def peak_fraction(pcm: bytes) -> float:
    """The loudest sample of 16-bit PCM, 0.0 to 1.0 (for the level meter)."""
    usable = len(pcm) - len(pcm) % 2
    if not usable:
        return 0.0
    samples = memoryview(pcm)[:usable].cast("h")
    return min(1.0, max(max(samples), -min(samples)) / 32768)


class QtAudioInput(AudioInput):
    """The system's default microphone through QAudioSource in push mode (readyRead delivers the bytes)."""

    def __init__(self, parent: QObject) -> None:
        self._parent = parent
        self._device: QAudioDevice = QMediaDevices.defaultAudioInput()
        self._format = _int16_format(self._device)
        self._source: QAudioSource | None = None
        self._io: QIODevice | None = None
        self._on_pcm: PcmCallback | None = None
        self._on_error: ErrorCallback | None = None

    def problem(self) -> InputProblem | None:
        if not QMediaDevices.audioInputs() or self._device.isNull():
            return InputProblem.NO_DEVICE
        if not self._device.isFormatSupported(self._format):
            return InputProblem.UNSUPPORTED_FORMAT
        return None

    def pcm_format(self) -> PcmFormat:
        return PcmFormat(self._format.sampleRate(), self._format.channelCount(), 2)

    def start(self, on_pcm: PcmCallback, on_error: ErrorCallback) -> None:
        self.stop()
        self._on_pcm, self._on_error = on_pcm, on_error
        source = QAudioSource(self._device, self._format, self._parent)
        source.stateChanged.connect(self._on_source_state_changed)
        self._source = source
        self._io = source.start()
        if self._io is None:
            on_error()
            return
        self._io.readyRead.connect(self._on_io_ready_read)

    def suspend(self) -> None:
        if self._source is not None:
            self._drain()  # push mode: bytes already captured wait in the device until the next readyRead
            self._source.suspend()
            self._drain()

    def resume(self) -> None:
        if self._source is not None:
            self._source.resume()

    def stop(self) -> None:
        self._drain()
        source, self._source, self._io = self._source, None, None
        self._on_pcm = self._on_error = None
        if source is not None:
            source.stop()
            source.deleteLater()

    def _on_io_ready_read(self) -> None:
        self._drain()

    def _drain(self) -> None:
        if self._io is None or self._on_pcm is None:
            return
        data = self._io.readAll().data()
        if data:
            self._on_pcm(_little_endian(bytes(data)))

    def _on_source_state_changed(self, _state: QtAudio.State) -> None:
        source = self._source
        if source is not None and source.error() != QtAudio.Error.NoError and self._on_error is not None:
            on_error = self._on_error
            self.stop()
            on_error()


def _int16_format(device: QAudioDevice) -> QAudioFormat:
    """Signed 16-bit at the device's preferred rate, mono or stereo."""
    preferred = device.preferredFormat()
    audio_format = QAudioFormat()
    audio_format.setSampleRate(preferred.sampleRate() or DEFAULT_SAMPLE_RATE)
    audio_format.setChannelCount(min(max(preferred.channelCount(), 1), 2))
    audio_format.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    return audio_format


def _little_endian(pcm: bytes) -> bytes:
    if sys.byteorder == "little":
        return pcm
    samples = array.array("h", pcm[: len(pcm) - len(pcm) % 2])
    samples.byteswap()
    return samples.tobytes()


def sine_pcm(first_frame: int, frames: int, pcm: PcmFormat, frequency: float = 440.0, amplitude: float = 0.5) -> bytes:
    """Deterministic 16-bit sine-wave PCM, the same tone on every channel (tests recompute what was sent)."""
    samples = array.array("h")
    scale = amplitude * 32767
    for frame in range(first_frame, first_frame + frames):
        value = round(scale * math.sin(2 * math.pi * frequency * frame / pcm.sample_rate))
        samples.extend([value] * pcm.channels)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples.tobytes()


class SyntheticAudioInput(AudioInput):
    """A sine tone in chunks on a QTimer (or on :meth:`pump`), for tests and demonstrations without a microphone.

    :meth:`capture` holds chunks back as a push-mode device does between two readyRead signals; like the real input,
    ``suspend`` and ``stop`` deliver them first. ``fail_on_start`` reports an error from ``start``, as QAudioSource
    does when the device cannot be opened.
    """

    def __init__(
        self,
        parent: QObject,
        pcm: PcmFormat = SYNTHETIC_FORMAT,
        chunk_ms: int = 100,
        *,
        autorun: bool = True,
        problem: InputProblem | None = None,
        fail_on_start: bool = False,
    ) -> None:
        self._pcm = pcm
        self._fail_on_start = fail_on_start
        self._pending: list[bytes] = []
        self._chunk_frames = pcm.sample_rate * chunk_ms // 1000
        self._problem = problem
        self._autorun = autorun
        self.frames_sent = 0
        self._on_pcm: PcmCallback | None = None
        self._on_error: ErrorCallback | None = None
        self._timer = QTimer(parent)
        self._timer.setInterval(chunk_ms)
        self._timer.timeout.connect(self.pump)

    def problem(self) -> InputProblem | None:
        return self._problem

    def pcm_format(self) -> PcmFormat:
        return self._pcm

    @property
    def is_running(self) -> bool:
        return self._on_pcm is not None

    def start(self, on_pcm: PcmCallback, on_error: ErrorCallback) -> None:
        self._pending.clear()
        if self._fail_on_start:
            on_error()
            return
        self._on_pcm, self._on_error = on_pcm, on_error
        self.resume()

    def suspend(self) -> None:
        self._drain()
        self._timer.stop()

    def resume(self) -> None:
        if self._autorun and self._on_pcm is not None:
            self._timer.start()

    def stop(self) -> None:
        self._drain()
        self._timer.stop()
        self._on_pcm = self._on_error = None

    def pump(self, chunks: int = 1) -> None:
        """Deliver ``chunks`` chunks now (what the timer does every chunk), after any held back by :meth:`capture`."""
        self._drain()
        for _ in range(chunks):
            if self._on_pcm is None:
                return
            self._on_pcm(self._next_chunk())

    def capture(self, chunks: int = 1) -> None:
        """Capture ``chunks`` chunks without delivering them yet (only a drain or the next pump does)."""
        if self._on_pcm is not None:
            self._pending.extend(self._next_chunk() for _ in range(chunks))

    def _next_chunk(self) -> bytes:
        data = sine_pcm(self.frames_sent, self._chunk_frames, self._pcm)
        self.frames_sent += self._chunk_frames
        return data

    def _drain(self) -> None:
        pending, self._pending = self._pending, []
        for data in pending:
            if self._on_pcm is not None:
                self._on_pcm(data)

    def fail(self) -> None:
        """Act as a microphone that was unplugged."""
        on_error = self._on_error
        self.stop()
        if on_error is not None:
            on_error()
