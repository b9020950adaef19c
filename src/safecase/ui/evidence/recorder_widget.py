"""Record an interview into one testimony: Record, Pause, Resume, Stop, a level meter and the elapsed time.

PCM goes from the audio input straight into a :class:`safecase.services.recording.Recorder`, which encrypts it
within half a second; no plaintext file exists at any point. The input starts on the click: until the Recorder
arrives from the database thread (which may be busy with a long task), PCM waits in a bounded in-memory buffer and
is handed over first, so the first words are kept. Stop saves the recording as evidence on the database thread and
emits ``saved``.

A lock (or closing the editor) while recording: whoever owns the widget calls :meth:`RecorderWidget.flush` from its
own flush (the testimony editor's ``flush`` runs before a lock closes the vault), which stops the recording and
queues its save ahead of the close, so it is finished cleanly. Should the widget be destroyed without that, its
segment file is closed and the recording is recovered (``recovered_recording``) after the next unlock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import Enum, auto

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from safecase.errors import SafeCaseError, VaultStateError
from safecase.services.recording import Recorder
from safecase.ui.evidence.recorder_audio import AudioInput, AudioInputFactory, InputProblem, QtAudioInput, peak_fraction
from safecase.ui.executor import DatabaseExecutor, OperationCancelled, TaskContext
from safecase.ui.widgets.plain import PlainLabel

log = logging.getLogger(__name__)

TICK_MS = 250
START_BUFFER_SECONDS = 180  # audio kept in memory while the database thread is busy; beyond it, stop and save
METER_STEPS = 100
METER_FALL = 0.6  # the meter falls back to this share of its value each tick, so it does not flicker


class RecorderState(Enum):
    IDLE = auto()
    UNAVAILABLE = auto()
    STARTING = auto()
    RECORDING = auto()
    PAUSED = auto()
    SAVING = auto()


class _Holder:
    """The open recording, outside the widget, so the widget's ``destroyed`` signal can still close its file."""

    def __init__(self) -> None:
        self.recorder: Recorder | None = None

    def take(self) -> Recorder | None:
        recorder, self.recorder = self.recorder, None
        return recorder

    def abandon(self, _object: QObject | None = None) -> None:
        recorder = self.take()
        if recorder is not None:
            recorder.close_file()  # left for recover_interrupted after the next unlock


class RecorderWidget(QWidget):
    """Records audio into one testimony (see the module docstring for locks and crashes)."""

    saved = Signal(str)  # AttachmentId of the recording just saved as evidence on the testimony
    # True while the microphone records (from Record, and on Resume); False on Pause, on a failed start and when the
    # recording is handed over to be saved. Whoever keeps the machine awake holds its idle lock only while True.
    recording_changed = Signal(bool)

    def __init__(
        self,
        testimony_id: str,
        executor: DatabaseExecutor,
        audio_input_factory: AudioInputFactory = QtAudioInput,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._testimony_id = testimony_id
        self._executor = executor
        self._input: AudioInput = audio_input_factory(self)
        self._holder = _Holder()
        self.destroyed.connect(self._holder.abandon)
        self._state = RecorderState.IDLE
        self._stop_when_started = False
        self._recording = False  # what recording_changed last said
        self._start_buffer: list[bytes] = []
        self._start_buffer_bytes = 0
        self._start_buffer_limit = 0
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._on_tick_timeout)
        self._build()
        self._check_input()

    # -- public -------------------------------------------------------------------------------------------------

    @property
    def state(self) -> RecorderState:
        return self._state

    def flush(self) -> None:
        """Stop a running recording and queue its save now; never blocks. Call before a lock closes the vault."""
        if self._state in (RecorderState.RECORDING, RecorderState.PAUSED):
            self._save()
        elif self._state == RecorderState.STARTING:
            self._stop_before_started()

    # -- layout -------------------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.record_button = self._button(self.tr("&Record"), self.tr("Record"), self._on_record_clicked)
        self.pause_button = self._button(self.tr("&Pause"), self.tr("Pause"), self._on_pause_clicked)
        self.resume_button = self._button(self.tr("Res&ume"), self.tr("Resume"), self._on_resume_clicked)
        self.stop_button = self._button(self.tr("&Stop"), self.tr("Stop and save"), self._on_stop_clicked)
        self.level_meter = QProgressBar()
        self.level_meter.setRange(0, METER_STEPS)
        self.level_meter.setTextVisible(False)
        self.level_meter.setAccessibleName(self.tr("Input level"))
        self.elapsed_label = QLabel(_format_elapsed(0))
        self.elapsed_label.setAccessibleName(self.tr("Recorded time"))
        self.message = PlainLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Recording status"))
        controls = QHBoxLayout()
        for button in (self.record_button, self.pause_button, self.resume_button, self.stop_button):
            controls.addWidget(button)
        controls.addWidget(self.level_meter, 1)
        controls.addWidget(self.elapsed_label)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(controls)
        column.addWidget(self.message)
        self._show_state()

    def _button(self, text: str, accessible_name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(accessible_name)
        button.clicked.connect(slot)
        return button

    def _show_state(self) -> None:
        state = self._state
        self.record_button.setEnabled(state == RecorderState.IDLE)
        self.record_button.setVisible(state in (RecorderState.IDLE, RecorderState.UNAVAILABLE, RecorderState.STARTING))
        self.pause_button.setVisible(state == RecorderState.RECORDING)
        self.resume_button.setVisible(state == RecorderState.PAUSED)
        self.stop_button.setVisible(state not in (RecorderState.IDLE, RecorderState.UNAVAILABLE))
        self.stop_button.setEnabled(state != RecorderState.SAVING and not self._stop_when_started)
        if state not in (RecorderState.RECORDING, RecorderState.PAUSED):
            self.level_meter.setValue(0)

    def _set_state(self, state: RecorderState) -> None:
        self._state = state
        self._show_state()

    # -- the input ----------------------------------------------------------------------------------------------

    def _check_input(self) -> bool:
        problem = self._input.problem()
        if problem is None:
            self.record_button.setToolTip(self.tr("Record the interview into this testimony (encrypted as it goes)"))
            if self._state == RecorderState.UNAVAILABLE:
                self._set_state(RecorderState.IDLE)
            return True
        reason = self._problem_text(problem)
        self.record_button.setToolTip(reason)
        self.message.setText(reason)
        self._set_state(RecorderState.UNAVAILABLE)
        return False

    def _problem_text(self, problem: InputProblem) -> str:
        if problem == InputProblem.NO_DEVICE:
            return self.tr("No microphone found. Connect one and reopen this testimony.")
        return self.tr("The microphone cannot record 16-bit audio. Choose another input in the system settings.")

    def _on_input_pcm(self, pcm: bytes) -> None:
        recorder = self._holder.recorder
        if self._state == RecorderState.STARTING:
            self._buffer_before_started(pcm)
        elif self._state == RecorderState.RECORDING and recorder is not None:
            recorder.append(pcm)
        else:
            return
        self.level_meter.setValue(max(self.level_meter.value(), round(peak_fraction(pcm) * METER_STEPS)))

    def _buffer_before_started(self, pcm: bytes) -> None:
        if self._stop_when_started:
            return
        if self._start_buffer_bytes + len(pcm) > self._start_buffer_limit:
            self._stop_before_started(
                self.tr("The vault stayed busy, so recording stopped after three minutes; they will be saved.")
            )
            return
        self._start_buffer.append(pcm)
        self._start_buffer_bytes += len(pcm)

    def _on_input_error(self) -> None:
        reason = self.tr("The microphone stopped working; what was recorded is being saved.")
        if self._state in (RecorderState.RECORDING, RecorderState.PAUSED):
            self._save(reason)
        elif self._state == RecorderState.STARTING:
            self._stop_before_started(reason)

    # -- recording ----------------------------------------------------------------------------------------------

    def _on_record_clicked(self) -> None:
        if self._state != RecorderState.IDLE or not self._check_input():
            return
        pcm, testimony_id = self._input.pcm_format(), self._testimony_id

        def start(context: TaskContext) -> Recorder:
            workspace = context.workspace
            return Recorder.start(
                workspace.session, workspace.attachments, testimony_id, pcm.sample_rate, pcm.channels, pcm.sample_bytes
            )

        self._stop_when_started = False
        self._clear_start_buffer()
        self._start_buffer_limit = pcm.sample_rate * pcm.channels * pcm.sample_bytes * START_BUFFER_SECONDS
        self._set_state(RecorderState.STARTING)
        if not self._start_input():
            self._clear_start_buffer()
            self._set_state(RecorderState.IDLE)
            if self._check_input():
                self.message.setText(self.tr("The microphone could not be started."))
            return  # no recorder was asked for, so there is nothing to save
        self.message.setText(self.tr("Starting…"))
        self._set_recording(True)
        # No owner: a recorder that starts after this widget is gone must still be closed (see _on_recorder_started).
        self._executor.submit(start, on_success=self._on_recorder_started, on_failure=self._on_start_failed)

    def _start_input(self) -> bool:
        """Start the input now; False if it failed at once (raised, or reported an error before returning)."""
        starting, failed = True, False

        def on_error() -> None:
            nonlocal failed
            if starting:
                failed = True
            else:
                self._on_input_error()

        try:
            self._input.start(self._on_input_pcm, on_error)
        except Exception:  # a UI boundary: whatever the device raises means "cannot record now"
            log.exception("the audio input failed to start")
            failed = True
        starting = False
        if failed:
            self._input.stop()
        return not failed

    def _set_recording(self, recording: bool) -> None:
        if recording != self._recording:
            self._recording = recording
            self.recording_changed.emit(recording)

    def _stop_before_started(self, reason: str = "") -> None:
        """Stop the input while the Recorder is still on its way; what was buffered is saved when it arrives."""
        self._input.stop()
        self._stop_when_started = True
        self.message.setText(reason or self.tr("Saving the recording…"))
        self._show_state()

    def _clear_start_buffer(self) -> None:
        self._start_buffer.clear()
        self._start_buffer_bytes = 0

    def _on_recorder_started(self, recorder: Recorder) -> None:
        if not shiboken6.isValid(self):
            recorder.close_file()
            return
        self._holder.recorder = recorder
        for pcm in self._start_buffer:
            recorder.append(pcm)
        self._clear_start_buffer()
        self._set_state(RecorderState.RECORDING)
        if self._stop_when_started:
            self._save(self.message.text())
            return
        self.message.setText(self.tr("Recording…"))
        self._tick.start()

    def _on_start_failed(self, error: SafeCaseError) -> None:
        if not shiboken6.isValid(self):
            return
        self._input.stop()
        self._clear_start_buffer()
        self._stop_when_started = False
        self._set_state(RecorderState.IDLE)
        self._set_recording(False)
        if isinstance(error, OperationCancelled):
            self.message.clear()
        else:
            self.message.setText(self.tr("Could not start recording: %1").replace("%1", error.message))

    def _on_pause_clicked(self) -> None:
        if self._state == RecorderState.RECORDING:
            self._input.suspend()  # while still RECORDING: a drained chunk captured before the pause is kept
            self._set_state(RecorderState.PAUSED)
            self.level_meter.setValue(0)
            self.message.setText(self.tr("Paused"))
            self._set_recording(False)

    def _on_resume_clicked(self) -> None:
        if self._state == RecorderState.PAUSED:
            self._set_state(RecorderState.RECORDING)
            self.message.setText(self.tr("Recording…"))
            self._set_recording(True)
            self._input.resume()

    def _on_stop_clicked(self) -> None:
        if self._state in (RecorderState.RECORDING, RecorderState.PAUSED):
            self._save()
        elif self._state == RecorderState.STARTING and not self._stop_when_started:
            self._stop_before_started()

    def _on_tick_timeout(self) -> None:
        recorder = self._holder.recorder
        if recorder is None:
            return
        self.elapsed_label.setText(_format_elapsed(recorder.elapsed_ms))
        self.level_meter.setValue(int(self.level_meter.value() * METER_FALL))
        if recorder.failure is not None:
            self._save(recorder.failure.message)
        elif recorder.is_full:
            self._save(self.tr("The recording reached the longest one file can hold and was saved; record again."))

    # -- saving -------------------------------------------------------------------------------------------------

    def _save(self, reason: str = "") -> None:
        """Stop the input and hand the recording to the database thread to become evidence."""
        self._input.stop()
        self._tick.stop()
        recorder = self._holder.take()
        self._set_state(RecorderState.SAVING)
        self.message.setText(reason or self.tr("Saving the recording…"))
        self._set_recording(False)
        if recorder is None:
            self._set_state(RecorderState.IDLE)
            return
        self.elapsed_label.setText(_format_elapsed(recorder.elapsed_ms))
        self._executor.submit(
            lambda context: _finish(context, recorder),
            on_success=self._on_saved,
            on_failure=lambda error: self._on_save_failed(recorder, error),
            survives_lock=True,  # Stop was pressed: a lock right after must not turn this into a recovery
        )

    def _on_saved(self, attachment_id: str | None) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_state(RecorderState.IDLE)
        if attachment_id is None:
            self.message.setText(self.tr("Nothing was recorded."))
            return
        self.message.setText(self.tr("Saved as evidence on this testimony."))
        self.saved.emit(attachment_id)

    def _on_save_failed(self, recorder: Recorder, error: SafeCaseError) -> None:
        recorder.close_file()  # e.g. cancelled by a lock before it ran: keep it for recovery
        if not shiboken6.isValid(self):
            return
        self._set_state(RecorderState.IDLE)
        text = self.tr("The recording could not be saved now; it is kept and will be recovered after the next unlock.")
        self.message.setText(f"{text}\n{error.message}")


def _finish(context: TaskContext, recorder: Recorder) -> str | None:
    """On the database thread: the recording becomes an attachment; its id, or None if it held no audio."""
    try:
        context.workspace  # noqa: B018 - raises when the vault is locked
    except VaultStateError:
        recorder.close_file()
        raise
    state = recorder.finish()
    return None if state is None else state.id


def _format_elapsed(ms: int) -> str:
    seconds = ms // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"
