"""A synthetic microphone for the leak sweep's recording step, and the switch that gives it to the app.

Its 16-bit samples are the bytes of a marker, so any plaintext copy of the audio (a WAV in a temporary folder, a
player's cache) holds the marker and is found by the scan. Like the recorder tests' synthetic input it delivers PCM
only when told to (:meth:`MarkerMicrophone.speak`), so the journey decides how long the interview is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from safecase.services.recording_segments import PcmFormat
from safecase.ui.editors import testimony as testimony_editor_module
from safecase.ui.evidence.recorder_audio import (
    AudioInput,
    AudioInputFactory,
    ErrorCallback,
    InputProblem,
    PcmCallback,
)
from safecase.ui.evidence.recorder_widget import RecorderWidget
from safecase.ui.executor import DatabaseExecutor

PCM_FORMAT = PcmFormat(16_000, 1)
CHUNK_BYTES = PCM_FORMAT.sample_rate // 10 * 2  # 100 ms of 16-bit mono


class MarkerMicrophone(AudioInput):
    """A synthetic input whose 16-bit samples are the bytes of a marker: any plaintext copy of the audio (a WAV in a
    temporary folder, a cache of the player) holds the marker and is found by the scan."""

    def __init__(self, _parent: QObject, pcm_marker: bytes) -> None:
        repeated = pcm_marker * (CHUNK_BYTES // len(pcm_marker) + 1)
        self._chunk = repeated[:CHUNK_BYTES]
        self._on_pcm: PcmCallback | None = None

    def problem(self) -> InputProblem | None:
        return None

    def pcm_format(self) -> PcmFormat:
        return PCM_FORMAT

    def start(self, on_pcm: PcmCallback, on_error: ErrorCallback) -> None:
        self._on_pcm = on_pcm

    def suspend(self) -> None:
        pass

    def resume(self) -> None:
        pass

    def stop(self) -> None:
        self._on_pcm = None

    def speak(self, chunks: int) -> None:
        for _ in range(chunks):
            if self._on_pcm is not None:
                self._on_pcm(self._chunk)


@dataclass
class Microphones:
    """Every synthetic microphone the app's recorders made, newest last."""

    pcm_marker: bytes
    made: list[MarkerMicrophone] = field(default_factory=list)

    def make(self, parent: QObject) -> AudioInput:
        microphone = MarkerMicrophone(parent, self.pcm_marker)
        self.made.append(microphone)
        return microphone


def use_synthetic_microphones(microphones: Microphones) -> None:
    """Give the testimony editor's recorder the synthetic input, as the recorder tests do: the app's only other
    input is the system's microphone, which this machine does not have."""

    class SyntheticRecorderWidget(RecorderWidget):
        def __init__(
            self,
            testimony_id: str,
            executor: DatabaseExecutor,
            audio_input_factory: AudioInputFactory = microphones.make,
            parent: QWidget | None = None,
        ) -> None:
            super().__init__(testimony_id, executor, microphones.make, parent)

    testimony_editor_module.RecorderWidget = SyntheticRecorderWidget  # type: ignore[attr-defined]
