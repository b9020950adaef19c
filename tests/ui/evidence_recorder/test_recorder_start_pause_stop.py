"""The recorder widget at its edges: a busy database thread at Record, the idle lock while paused, audio still in
the device at Pause and Stop, an input that fails to start, and the status a glance or a screen reader reads."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import cast

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject
from PySide6.QtMultimedia import QAudioSource
from pytestqt.qtbot import QtBot

from safecase.ui.evidence import recorder_widget
from safecase.ui.evidence.recorder_audio import QtAudioInput, sine_pcm
from safecase.ui.evidence.recorder_widget import RecorderState, RecorderWidget
from safecase.ui.executor import DatabaseExecutor
from tests.ui.evidence_recorder.test_recorder_widget import (
    CHUNK_FRAMES,
    TONE,
    InputMaker,
    add_testimony,
    attachment,
    start_recording,
    stop_and_wait,
)
from tests.ui.helpers import WAIT_MS, run_on


@pytest.fixture
def testimony_id(qtbot: QtBot, unlocked_executor: DatabaseExecutor) -> str:
    result: str = run_on(qtbot, unlocked_executor, add_testimony)
    return result


def make_widget(qtbot: QtBot, executor: DatabaseExecutor, testimony_id: str, maker: InputMaker) -> RecorderWidget:
    widget = RecorderWidget(testimony_id, executor, maker)
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def busy(unlocked_executor: DatabaseExecutor) -> Iterator[threading.Event]:
    """A long task at the front of the database queue (a video intake, a preview decrypt) until the event is set."""
    release = threading.Event()
    unlocked_executor.submit(lambda context: release.wait(WAIT_MS / 1000))
    yield release
    release.set()


def count_saves(monkeypatch: pytest.MonkeyPatch, widget: RecorderWidget) -> list[str]:
    saves: list[str] = []
    save = widget._save

    def counted(reason: str = "") -> None:
        saves.append(reason)
        save(reason)

    monkeypatch.setattr(widget, "_save", counted)
    return saves


def test_audio_from_the_click_is_kept_while_the_database_thread_is_busy(
    qtbot: QtBot, unlocked_executor: DatabaseExecutor, testimony_id: str, busy: threading.Event
) -> None:
    maker = InputMaker()
    widget = make_widget(qtbot, unlocked_executor, testimony_id, maker)
    widget.record_button.click()
    assert widget.state == RecorderState.STARTING and maker.input.is_running
    assert widget.message.text() == "Starting…"
    maker.input.pump(6)  # the interviewee's first words, before the recorder exists

    busy.set()
    qtbot.waitUntil(lambda: widget.state == RecorderState.RECORDING, timeout=WAIT_MS)
    assert widget.message.text() == "Recording…"
    maker.input.pump(4)
    attachment_id = stop_and_wait(qtbot, widget)

    _state, pcm = attachment(qtbot, unlocked_executor, attachment_id)
    assert pcm == sine_pcm(0, 10 * CHUNK_FRAMES, TONE)


def test_stop_while_starting_saves_what_was_buffered(
    qtbot: QtBot, unlocked_executor: DatabaseExecutor, testimony_id: str, busy: threading.Event
) -> None:
    maker = InputMaker()
    widget = make_widget(qtbot, unlocked_executor, testimony_id, maker)
    widget.record_button.click()
    maker.input.pump(3)
    assert widget.stop_button.isVisible()
    widget.stop_button.click()
    assert not maker.input.is_running and not widget.stop_button.isEnabled()

    with qtbot.waitSignal(widget.saved, timeout=WAIT_MS) as saved:
        busy.set()
    _state, pcm = attachment(qtbot, unlocked_executor, str(saved.args[0]))
    assert pcm == sine_pcm(0, 3 * CHUNK_FRAMES, TONE)
    assert widget.state == RecorderState.IDLE


def test_a_full_start_buffer_stops_the_input_says_so_and_saves_what_it_holds(
    qtbot: QtBot,
    unlocked_executor: DatabaseExecutor,
    testimony_id: str,
    busy: threading.Event,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(recorder_widget, "START_BUFFER_SECONDS", 1)
    maker = InputMaker()
    widget = make_widget(qtbot, unlocked_executor, testimony_id, maker)
    widget.record_button.click()
    maker.input.pump(12)  # one second fits; the eleventh chunk does not

    assert not maker.input.is_running
    assert "stopped" in widget.message.text()
    with qtbot.waitSignal(widget.saved, timeout=WAIT_MS) as saved:
        busy.set()
    _state, pcm = attachment(qtbot, unlocked_executor, str(saved.args[0]))
    assert pcm == sine_pcm(0, 10 * CHUNK_FRAMES, TONE)


def test_pause_releases_the_idle_lock_and_resume_takes_it_again(
    qtbot: QtBot, unlocked_executor: DatabaseExecutor, testimony_id: str
) -> None:
    maker = InputMaker()
    widget = make_widget(qtbot, unlocked_executor, testimony_id, maker)
    said: list[bool] = []
    widget.recording_changed.connect(said.append)

    start_recording(qtbot, widget)
    maker.input.pump(2)
    assert said == [True] and widget.message.text() == "Recording…"
    widget.pause_button.click()
    assert said == [True, False] and widget.message.text() == "Paused"
    widget.resume_button.click()
    assert said == [True, False, True] and widget.message.text() == "Recording…"
    widget.pause_button.click()
    stop_and_wait(qtbot, widget)

    assert said == [True, False, True, False]


def test_audio_still_in_the_device_at_pause_and_stop_is_recorded(
    qtbot: QtBot, unlocked_executor: DatabaseExecutor, testimony_id: str
) -> None:
    maker = InputMaker()
    widget = make_widget(qtbot, unlocked_executor, testimony_id, maker)
    start_recording(qtbot, widget)
    maker.input.pump(3)
    maker.input.capture(2)  # captured before the pause, not yet delivered
    widget.pause_button.click()
    widget.resume_button.click()
    maker.input.pump(1)
    maker.input.capture(1)
    attachment_id = stop_and_wait(qtbot, widget)

    _state, pcm = attachment(qtbot, unlocked_executor, attachment_id)
    assert pcm == sine_pcm(0, 7 * CHUNK_FRAMES, TONE)


class StubSource:
    """Stands in for QAudioSource: the test only checks what is read before it suspends or stops."""

    def __init__(self, log: list[str]) -> None:
        self.log = log

    def suspend(self) -> None:
        self.log.append("suspend")

    def stop(self) -> None:
        self.log.append("stop")

    def deleteLater(self) -> None:
        pass


@pytest.mark.parametrize("action", ["suspend", "stop"])
def test_the_qt_input_delivers_what_the_device_holds_before_it_suspends_or_stops(qtbot: QtBot, action: str) -> None:
    parent = QObject()
    audio = QtAudioInput(parent)
    events: list[str] = []
    received: list[bytes] = []
    data = QByteArray(b"\x01\x00\x02\x00")
    device = QBuffer(data)
    device.open(QIODevice.OpenModeFlag.ReadOnly)
    audio._source = cast(QAudioSource, StubSource(events))
    audio._io = device

    def on_pcm(pcm: bytes) -> None:
        received.append(pcm)
        events.append("pcm")

    audio._on_pcm = on_pcm
    getattr(audio, action)()

    assert received == [b"\x01\x00\x02\x00"]
    assert events == ["pcm", action]


def test_an_input_that_fails_at_start_asks_for_no_recorder_and_ends_idle(
    qtbot: QtBot, unlocked_executor: DatabaseExecutor, testimony_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    maker = InputMaker(fail_on_start=True)
    widget = make_widget(qtbot, unlocked_executor, testimony_id, maker)
    saves = count_saves(monkeypatch, widget)
    said: list[bool] = []
    widget.recording_changed.connect(said.append)
    submitted: list[object] = []
    submit = unlocked_executor.submit
    monkeypatch.setattr(unlocked_executor, "submit", lambda *a, **k: submitted.append(a) or submit(*a, **k))

    widget.record_button.click()
    qtbot.wait(200)

    assert (saves, said, submitted) == ([], [], [])
    assert widget.state == RecorderState.IDLE and widget.record_button.isEnabled()
    assert widget.message.text() == "The microphone could not be started."
    assert not widget._tick.isActive()


def test_an_input_that_raises_at_start_ends_unavailable_when_the_microphone_is_gone(
    qtbot: QtBot, unlocked_executor: DatabaseExecutor, testimony_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    maker = InputMaker()
    widget = make_widget(qtbot, unlocked_executor, testimony_id, maker)
    saves = count_saves(monkeypatch, widget)

    def unplugged(*_args: object) -> None:
        monkeypatch.setattr(maker.input, "_problem", recorder_widget.InputProblem.NO_DEVICE)
        raise OSError("device gone")

    monkeypatch.setattr(maker.input, "start", unplugged)
    widget.record_button.click()

    assert saves == []
    assert widget.state == RecorderState.UNAVAILABLE
    assert widget.message.text().startswith("No microphone found")


def test_an_input_failing_while_starting_is_saved_exactly_once(
    qtbot: QtBot,
    unlocked_executor: DatabaseExecutor,
    testimony_id: str,
    busy: threading.Event,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    maker = InputMaker()
    widget = make_widget(qtbot, unlocked_executor, testimony_id, maker)
    saves = count_saves(monkeypatch, widget)
    widget.record_button.click()
    maker.input.pump(2)
    maker.input.fail()

    with qtbot.waitSignal(widget.saved, timeout=WAIT_MS) as saved:
        busy.set()
    qtbot.wait(2 * recorder_widget.TICK_MS)

    assert len(saves) == 1 and "stopped working" in saves[0]
    assert widget.state == RecorderState.IDLE and not widget._tick.isActive()
    _state, pcm = attachment(qtbot, unlocked_executor, str(saved.args[0]))
    assert pcm == sine_pcm(0, 2 * CHUNK_FRAMES, TONE)
