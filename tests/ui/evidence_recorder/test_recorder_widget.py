"""The recorder widget with a synthetic tone: record, pause, resume, stop; a lock while recording; no microphone."""

from __future__ import annotations

import io
import threading
import wave
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtMultimedia import QMediaDevices
from pytestqt.qtbot import QtBot

from safecase.domain.kinds import Kind
from safecase.services.recording import recover_interrupted
from safecase.services.recording_segments import PcmFormat
from safecase.services.vault import CreatedVault, VaultService
from safecase.storage.records import RecordState
from safecase.ui.evidence.recorder_audio import InputProblem, SyntheticAudioInput, peak_fraction, sine_pcm
from safecase.ui.evidence.recorder_widget import RecorderState, RecorderWidget, _format_elapsed
from safecase.ui.executor import DatabaseExecutor, TaskContext
from tests.factories import make_body
from tests.ui.helpers import WAIT_MS, run_on, unlock_into

TONE = PcmFormat(16_000, 1)
CHUNK_FRAMES = TONE.sample_rate // 10  # the synthetic input's 100 ms chunks


class InputMaker:
    """An audio input factory that remembers the input it made, so a test can drive it."""

    def __init__(
        self, *, autorun: bool = False, problem: InputProblem | None = None, fail_on_start: bool = False
    ) -> None:
        self.autorun = autorun
        self.problem = problem
        self.fail_on_start = fail_on_start
        self.made: SyntheticAudioInput | None = None

    def __call__(self, parent: QObject) -> SyntheticAudioInput:
        self.made = SyntheticAudioInput(
            parent, TONE, autorun=self.autorun, problem=self.problem, fail_on_start=self.fail_on_start
        )
        return self.made

    @property
    def input(self) -> SyntheticAudioInput:
        assert self.made is not None
        return self.made


def add_testimony(context: TaskContext) -> str:
    records = context.workspace.records
    person = records.add(Kind.PERSON, make_body(Kind.PERSON))
    return records.add(Kind.TESTIMONY, make_body(Kind.TESTIMONY, interviewee_id=person.id)).id


@pytest.fixture
def testimony_id(qtbot: QtBot, unlocked_executor: DatabaseExecutor) -> str:
    result: str = run_on(qtbot, unlocked_executor, add_testimony)
    return result


@pytest.fixture
def maker() -> InputMaker:
    return InputMaker()


@pytest.fixture
def widget(
    qtbot: QtBot, unlocked_executor: DatabaseExecutor, testimony_id: str, maker: InputMaker
) -> Iterator[RecorderWidget]:
    recorder = RecorderWidget(testimony_id, unlocked_executor, maker)
    qtbot.addWidget(recorder)
    recorder.show()
    yield recorder


def start_recording(qtbot: QtBot, widget: RecorderWidget) -> None:
    assert widget.record_button.isEnabled()
    widget.record_button.click()
    qtbot.waitUntil(lambda: widget.state == RecorderState.RECORDING, timeout=WAIT_MS)


def stop_and_wait(qtbot: QtBot, widget: RecorderWidget) -> str:
    with qtbot.waitSignal(widget.saved, timeout=WAIT_MS) as saved:
        widget.stop_button.click()
    attachment_id = saved.args[0] if saved.args else None
    assert isinstance(attachment_id, str)
    return attachment_id


def attachment(qtbot: QtBot, executor: DatabaseExecutor, attachment_id: str) -> tuple[RecordState, bytes]:
    def read(context: TaskContext) -> tuple[RecordState, bytes]:
        attachments = context.workspace.attachments
        return attachments.get(attachment_id), attachments.read_bytes(attachment_id, 2**26)

    state, data = run_on(qtbot, executor, read)
    with wave.open(io.BytesIO(data), "rb") as reader:
        assert (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()) == (1, 2, TONE.sample_rate)
        return state, reader.readframes(reader.getnframes())


def test_record_pause_resume_stop_saves_exactly_the_audio_heard_while_not_paused(
    qtbot: QtBot, widget: RecorderWidget, maker: InputMaker, unlocked_executor: DatabaseExecutor, testimony_id: str
) -> None:
    start_recording(qtbot, widget)
    maker.input.pump(10)  # one second
    qtbot.waitUntil(lambda: widget.elapsed_label.text() == "00:01", timeout=WAIT_MS)
    assert widget.level_meter.value() > 0

    widget.pause_button.click()
    assert widget.state == RecorderState.PAUSED and widget.resume_button.isVisible()
    maker.input.pump(5)  # delivered while paused: not recorded
    widget.resume_button.click()
    maker.input.pump(5)
    attachment_id = stop_and_wait(qtbot, widget)

    state, pcm = attachment(qtbot, unlocked_executor, attachment_id)
    assert state.body["duration_ms"] == 1500
    assert (state.body["source"], state.body["attached_to_id"]) == ("recording", testimony_id)
    assert pcm == sine_pcm(0, 10 * CHUNK_FRAMES, TONE) + sine_pcm(15 * CHUNK_FRAMES, 5 * CHUNK_FRAMES, TONE)
    assert widget.record_button.isEnabled()
    assert widget.state in {RecorderState.IDLE}  # not ==: mypy still takes .state for PAUSED, as asserted above
    assert widget.elapsed_label.text() == "00:01"


def test_the_synthetic_tone_records_in_real_time(
    qtbot: QtBot, unlocked_executor: DatabaseExecutor, testimony_id: str
) -> None:
    maker = InputMaker(autorun=True)
    widget = RecorderWidget(testimony_id, unlocked_executor, maker)
    qtbot.addWidget(widget)
    start_recording(qtbot, widget)
    qtbot.waitUntil(lambda: maker.input.frames_sent >= 8 * CHUNK_FRAMES, timeout=WAIT_MS)

    attachment_id = stop_and_wait(qtbot, widget)

    state, pcm = attachment(qtbot, unlocked_executor, attachment_id)
    assert pcm == sine_pcm(0, maker.input.frames_sent, TONE)
    assert state.body["duration_ms"] == maker.input.frames_sent * 1000 // TONE.sample_rate


def test_a_flush_before_a_lock_saves_the_recording_before_the_vault_closes(
    qtbot: QtBot, widget: RecorderWidget, maker: InputMaker, unlocked_executor: DatabaseExecutor, testimony_id: str
) -> None:
    start_recording(qtbot, widget)
    maker.input.pump(7)

    with qtbot.waitSignal(widget.saved, timeout=WAIT_MS):
        unlocked_executor.cancel_all()  # what SafeCaseApp.lock does, in its order
        widget.flush()
        unlocked_executor.submit(lambda context: context.close_workspace())

    assert not maker.input.is_running
    assert run_on(qtbot, unlocked_executor, lambda context: context.has_workspace) is False


def test_a_lock_right_after_stop_still_saves_the_recording_as_recorded(
    qtbot: QtBot, widget: RecorderWidget, maker: InputMaker, unlocked_executor: DatabaseExecutor
) -> None:
    start_recording(qtbot, widget)
    maker.input.pump(7)
    gate = threading.Event()
    unlocked_executor.submit(lambda _context: gate.wait(5))  # the database is busy when Stop is pressed
    with qtbot.waitSignal(widget.saved, timeout=WAIT_MS) as saved:
        widget.stop_button.click()
        unlocked_executor.cancel_all()  # the lock comes before the save has run
        widget.flush()
        unlocked_executor.submit(lambda context: context.close_workspace())
        gate.set()
    assert saved.args and saved.args[0]


def test_a_widget_destroyed_while_recording_leaves_the_recording_for_recovery(
    qtbot: QtBot,
    unlocked_executor: DatabaseExecutor,
    testimony_id: str,
    vaults: VaultService,
    created_vault: CreatedVault,
) -> None:
    maker = InputMaker()
    widget = RecorderWidget(testimony_id, unlocked_executor, maker)
    start_recording(qtbot, widget)
    maker.input.pump(12)
    widget.deleteLater()  # no flush(): as if the owner forgot it
    qtbot.waitUntil(lambda: not shiboken6.isValid(widget), timeout=WAIT_MS)
    run_on(qtbot, unlocked_executor, lambda context: context.close_workspace())
    unlock_into(qtbot, unlocked_executor, vaults, created_vault.folder)

    def recover(context: TaskContext) -> list[RecordState]:
        return recover_interrupted(context.workspace.session, context.workspace.attachments)

    (state,) = run_on(qtbot, unlocked_executor, recover)
    assert (state.body["source"], state.body["duration_ms"]) == ("recovered_recording", 1200)


def test_a_failing_microphone_stops_and_saves_what_was_recorded(
    qtbot: QtBot, widget: RecorderWidget, maker: InputMaker, unlocked_executor: DatabaseExecutor
) -> None:
    start_recording(qtbot, widget)
    maker.input.pump(3)

    with qtbot.waitSignal(widget.saved, timeout=WAIT_MS) as saved:
        maker.input.fail()

    state, _pcm = attachment(qtbot, unlocked_executor, str(saved.args[0]))
    assert state.body["duration_ms"] == 300


def test_stopping_before_any_audio_saves_nothing(qtbot: QtBot, widget: RecorderWidget) -> None:
    start_recording(qtbot, widget)
    widget.stop_button.click()
    qtbot.waitUntil(lambda: widget.state == RecorderState.IDLE, timeout=WAIT_MS)
    assert widget.message.text() == "Nothing was recorded."


def test_an_input_that_cannot_record_disables_record_and_says_why(
    qtbot: QtBot, unlocked_executor: DatabaseExecutor, testimony_id: str
) -> None:
    widget = RecorderWidget(testimony_id, unlocked_executor, InputMaker(problem=InputProblem.UNSUPPORTED_FORMAT))
    qtbot.addWidget(widget)
    assert not widget.record_button.isEnabled()
    assert "16-bit" in widget.record_button.toolTip()


def test_without_a_microphone_the_real_input_disables_record_with_a_reason(
    qtbot: QtBot, unlocked_executor: DatabaseExecutor, testimony_id: str
) -> None:
    if QMediaDevices.audioInputs():
        pytest.skip("this machine has a microphone")
    widget = RecorderWidget(testimony_id, unlocked_executor)  # the QtMultimedia input
    qtbot.addWidget(widget)
    widget.show()

    assert widget.state == RecorderState.UNAVAILABLE
    assert not widget.record_button.isEnabled()
    assert widget.record_button.toolTip() == "No microphone found. Connect one and reopen this testimony."
    assert widget.message.text() == widget.record_button.toolTip()
    widget.record_button.click()
    assert widget.state == RecorderState.UNAVAILABLE


def test_levels_and_times_are_shown_as_people_read_them() -> None:
    assert peak_fraction(b"") == 0.0
    assert peak_fraction(b"\x00\x80") == 1.0  # -32768
    assert peak_fraction(b"\x00\x40\x00\x00") == 0.5
    assert [_format_elapsed(ms) for ms in (0, 59_999, 61_000, 3_725_000)] == ["00:00", "00:59", "01:01", "1:02:05"]
