"""The recorder inside the app: a saved testimony's evidence panel holds it, and recording holds off the idle lock
(but not a real lock)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from safecase.domain.clock import FakeClock
from safecase.ui.app import MINUTE_MS, SafeCaseApp
from safecase.ui.editors.testimony import TestimonyEditor
from safecase.ui.evidence.recorder_widget import RecorderWidget
from tests.ui.test_app_flow import add_korean_testimony, app, is_locked, run_on_vault, settings_file, unlock

__all__ = ["app", "settings_file"]  # fixtures shared with the app-flow tests


def open_testimony(qtbot: QtBot, app: SafeCaseApp) -> TestimonyEditor:
    window = unlock(qtbot, app)
    testimony_id = run_on_vault(qtbot, app, add_korean_testimony)
    window.open_record("testimony", testimony_id)
    editor = window._editor
    assert isinstance(editor, TestimonyEditor)
    qtbot.waitUntil(lambda: editor.recorder is not None, timeout=10_000)
    return editor


def test_a_saved_testimony_has_a_recorder_in_its_evidence_panel(qtbot: QtBot, app: SafeCaseApp) -> None:
    editor = open_testimony(qtbot, app)
    assert isinstance(editor.recorder, RecorderWidget)
    assert editor.evidence_panel is not None and editor.evidence_panel.isAncestorOf(editor.recorder)


def test_recording_holds_off_the_idle_lock_until_it_stops(qtbot: QtBot, app: SafeCaseApp, clock: FakeClock) -> None:
    editor = open_testimony(qtbot, app)
    assert editor.recorder is not None
    editor.recorder.recording_changed.emit(True)  # what Record does once the microphone runs
    clock.advance(30 * MINUTE_MS)
    app.idle.check_now()
    assert app.is_unlocked, "an hour-long interview is not idleness"
    editor.recorder.recording_changed.emit(False)
    clock.advance(6 * MINUTE_MS)
    app.idle.check_now()
    assert is_locked(app)


def test_a_lock_while_recording_stays_locked(qtbot: QtBot, app: SafeCaseApp, clock: FakeClock) -> None:
    editor = open_testimony(qtbot, app)
    assert editor.recorder is not None
    editor.recorder.recording_changed.emit(True)
    app.lock()
    assert is_locked(app)
    clock.advance(30 * MINUTE_MS)
    app.idle.check_now()  # the idle monitor was not restarted by the recording ending with the lock
    assert is_locked(app)
