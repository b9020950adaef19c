"""The desktop half of the leak-sweep journey, run inside the child process (see leak_journey.py).

It builds the app as ``safecase app`` does (``ui/launch.py``: the composition root ``SafeCaseApp``, settings in
the platform's QSettings store, the platform's screen-lock listener) and works it as a user would, waiting on the
Qt event loop in between: unlock, search, edit a testimony (autosave), record an interview from a synthetic
microphone whose samples spell a marker, add a file through the file dialog, preview every evidence file, export
one through the file dialog, leave a draft, preview a report (the PDF stays in memory), open the statistics,
switch the language, change the idle minutes, and lock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QWidget, QWizard

from safecase.crypto.kdf import KdfPolicy
from safecase.domain.clock import SystemClock
from safecase.domain.kinds import Kind
from safecase.errors import SafeCaseError
from safecase.services.vault import VaultService
from safecase.ui.app import SafeCaseApp
from safecase.ui.editors.testimony import TestimonyEditor
from safecase.ui.evidence.media_viewer import MediaViewer
from safecase.ui.evidence.panel import EvidencePanel
from safecase.ui.evidence.recorder_widget import RecorderState
from safecase.ui.executor import TaskContext
from safecase.ui.launch import start_app
from safecase.ui.main_thread_gc import MainThreadGarbageCollector
from safecase.ui.main_window import MainWindow
from safecase.ui.reports.report_wizard import ReportWizard
from safecase.ui.settings_dialog import SettingsDialog
from safecase.ui.unlock_window import UnlockWindow
from tests.adversarial.leak_journey_microphone import Microphones

WAIT_S = 30.0


class JourneyStalled(AssertionError):
    """The app never reached a state the journey waits for."""


class Driver:
    """Runs the Qt event loop while the journey waits, as pytest-qt's ``waitUntil`` does."""

    def __init__(self, app: SafeCaseApp) -> None:
        self.app = app

    def wait(self, ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_until(self, ready: Callable[[], bool], what: str, timeout_s: float = WAIT_S) -> None:
        deadline = time.monotonic() + timeout_s
        while not ready():
            if time.monotonic() > deadline:
                raise JourneyStalled(f"waited {timeout_s:.0f} s for {what}")
            self.wait(10)

    def on_vault(self, operation: Callable[[TaskContext], Any]) -> Any:
        """Run ``operation`` on the app's database thread and wait for its result."""
        results: list[Any] = []
        errors: list[SafeCaseError] = []
        self.app.executor.submit(operation, on_success=results.append, on_failure=errors.append)
        self.wait_until(lambda: bool(results or errors), "a database task")
        if errors:
            raise errors[0]
        return results[0]

    @property
    def window(self) -> MainWindow:
        window = self.app.main_window
        if window is None:
            raise JourneyStalled("the vault is locked")
        return window


# -- the app --------------------------------------------------------------------------------------------------------


def open_app(qt_app: QApplication, vault_root: Path) -> tuple[SafeCaseApp, MainThreadGarbageCollector]:
    """What ``ui/launch.py:run_app`` builds (its own ``start_app``), with the test KDF policy; the caller runs the
    event loop."""
    return start_app(qt_app, vault_root, VaultService(KdfPolicy.for_tests(), SystemClock()))


def close_app(driver: Driver, collector: MainThreadGarbageCollector) -> None:
    app = driver.app
    if app.gate is not None:
        app.gate.hide()
    app.shut_down()
    collector.stop()
    driver.wait(50)


def unlock(driver: Driver, passphrase: str) -> MainWindow:
    gate = driver.app.gate
    if not isinstance(gate, UnlockWindow):
        raise JourneyStalled("no unlock window")
    gate.passphrase_field.setText(passphrase)
    gate.unlock_button.click()
    driver.wait_until(lambda: driver.app.main_window is not None, "the unlock")
    return driver.window


def lock(driver: Driver, *, panic: bool = False) -> None:
    """Lock (Ctrl+L), or hide every window and lock (Ctrl+Shift+H); the database must be closed after it."""
    if panic:
        driver.app.panic()
    else:
        driver.app.lock()
    if driver.on_vault(lambda context: context.has_workspace):
        raise JourneyStalled("the lock left the vault open")


def search(driver: Driver, query: str) -> int:
    window = driver.window
    window.show_search()
    dialog = window.search_dialog
    dialog.query_field.setText(query)
    driver.wait_until(lambda: dialog.model.result_count > 0, "search results")
    dialog.hide()
    return dialog.model.result_count


# -- the testimony editor -------------------------------------------------------------------------------------------


def open_testimony(driver: Driver, testimony_id: str, attachments: int) -> TestimonyEditor:
    driver.window.open_record(Kind.TESTIMONY.value, testimony_id)
    editor = driver.window._editor
    if not isinstance(editor, TestimonyEditor):
        raise JourneyStalled("the testimony did not open in its editor")
    driver.wait_until(lambda: editor.recorder is not None, "the testimony's evidence panel")
    panel = evidence_panel(editor)
    driver.wait_until(lambda: panel.model.rowCount() == attachments, "the testimony's evidence list")
    return editor


def evidence_panel(editor: TestimonyEditor) -> EvidencePanel:
    panel = editor.evidence_panel
    if panel is None:
        raise JourneyStalled("the editor has no evidence panel")
    return panel


def type_and_autosave(driver: Driver, editor: TestimonyEditor, field_name: str, words: str) -> None:
    saves: list[str] = []
    editor.saved.connect(saves.append)
    widget = editor.form.rows[field_name].widget
    widget.set_value(f"{widget.value()}\n{words}")
    if not editor.has_unsaved_changes():
        raise JourneyStalled("typing did not mark the editor changed")
    editor.flush()  # what the autosave timer does after a pause, without waiting for it
    driver.wait_until(lambda: bool(saves), "the autosave")


def record_interview(driver: Driver, editor: TestimonyEditor, microphones: Microphones, chunks: int) -> str:
    """Record, let the microphone speak ``chunks`` tenths of a second, Stop; the saved recording's attachment id."""
    recorder = editor.recorder
    if recorder is None:
        raise JourneyStalled("no recorder")
    saved: list[str] = []
    recorder.saved.connect(saved.append)
    recorder.record_button.click()
    driver.wait_until(lambda: recorder.state == RecorderState.RECORDING, "the recording to start")
    for _ in range(chunks):
        microphones.made[-1].speak(1)
        driver.wait(20)
    recorder.stop_button.click()
    driver.wait_until(lambda: bool(saved), "the recording to be saved")
    panel = evidence_panel(editor)
    driver.wait_until(lambda: panel.model.row_of(saved[0]) is not None, "the recording in the evidence list")
    return saved[0]


def add_through_file_dialog(driver: Driver, panel: EvidencePanel, source: Path) -> str:
    """Add evidence… and Qt's file dialog; the new attachment's id once the list shows it."""
    panel.add_button.click()
    choose_in_file_dialog(driver, panel, source).accept()
    driver.wait_until(
        lambda: listed_file(panel, source.name) is not None, f"the file to be taken in ({panel.message_label.text()!r})"
    )
    driver.wait_until(lambda: not panel.findChildren(QFileDialog), "the file dialog to go")
    attachment_id = listed_file(panel, source.name)
    assert attachment_id is not None
    return attachment_id


def listed_file(panel: EvidencePanel, file_name: str) -> str | None:
    """The id of the evidence file of that name in the panel's list, if the list shows it."""
    for row in range(panel.model.rowCount()):
        state = panel.model.attachment(row)
        if state is not None and state.body["file_name"] == file_name:
            return state.id
    return None


def choose_in_file_dialog(driver: Driver, owner: QWidget, path: Path) -> QFileDialog:
    """Pick ``path`` in the one file dialog ``owner`` shows, as a user does: go to its folder, type its name."""
    dialogs = owner.findChildren(QFileDialog)
    if len(dialogs) != 1:
        raise JourneyStalled(f"expected one file dialog, found {len(dialogs)}")
    dialog = dialogs[0]
    dialog.setDirectory(str(path.parent))
    name_field = dialog.findChild(QLineEdit, "fileNameEdit")  # Qt's own dialog: its name field
    if name_field is None:
        raise JourneyStalled("the file dialog has no name field")
    name_field.setText(path.name)
    driver.wait_until(lambda: dialog.selectedFiles() == [str(path)], f"the file dialog to select {path.name}")
    return dialog


def preview(driver: Driver, panel: EvidencePanel, attachment_id: str) -> None:
    panel.select_attachment(attachment_id)
    driver.wait_until(lambda: _selected_id(panel) == attachment_id, "the evidence row to be selected")
    dialog = panel.preview_selected()
    if dialog is None:
        raise JourneyStalled("no preview")
    driver.wait_until(lambda: dialog.viewer is not None, "the preview to decrypt")
    viewer = dialog.viewer
    if getattr(viewer, "error", ""):
        raise JourneyStalled(f"the preview failed: {viewer.error}")  # type: ignore[union-attr]
    if isinstance(viewer, MediaViewer):
        # Loaded (demuxed from the buffer), not played: closing a preview while FFmpeg's audio thread runs can
        # deadlock the GUI thread (the binding holds the GIL in QMediaPlayer.stop()); see the sweep's report.
        driver.wait_until(lambda: viewer.player.duration() > 0, "the recording to load")
    driver.wait(150)
    dialog.close()
    driver.wait_until(lambda: not shiboken6.isValid(dialog), "the preview to close")


def _selected_id(panel: EvidencePanel) -> str | None:
    state = panel.current_attachment()
    return state.id if state is not None else None


def export_through_dialog(driver: Driver, panel: EvidencePanel, attachment_id: str, target: Path) -> None:
    """Export… with the warning dialog and Qt's save dialog, as a user does; the copy is plaintext by design."""
    panel.select_attachment(attachment_id)
    driver.wait_until(lambda: _selected_id(panel) == attachment_id, "the evidence row to be selected")
    export_dialog = panel.export_selected()
    if export_dialog is None:
        raise JourneyStalled("no export dialog")
    export_dialog.choose_button.click()
    choose_in_file_dialog(driver, export_dialog, target).accept()
    driver.wait_until(lambda: export_dialog.destination() == target, "the chosen export path")
    export_dialog.export_button.click()
    driver.wait_until(target.exists, "the exported copy")
    driver.wait_until(lambda: not panel.findChildren(QFileDialog), "the save dialog to go")


def keep_a_draft(driver: Driver, words: str) -> None:
    """A new testimony with no interviewee cannot be saved yet: what is typed is kept as a draft in the vault."""
    driver.window.new_record(Kind.TESTIMONY)
    editor = driver.window._editor
    if not isinstance(editor, TestimonyEditor):
        raise JourneyStalled("no new testimony editor")
    driver.on_vault(lambda _context: None)  # the editor's load has come back
    editor.form.rows["original_text"].widget.set_value(words)
    editor.flush()
    key = editor.autosaver.record_id
    if driver.on_vault(lambda context: context.workspace.draft(key)) is None:
        raise JourneyStalled("no draft was kept")


# -- reports, statistics, settings ----------------------------------------------------------------------------------


def preview_report_then_sign(driver: Driver, target: Path) -> None:
    """The wizard's preview (the PDF only in memory), then "Sign and save…" through Qt's save dialog."""
    window = driver.window
    window.report.open_wizard()
    wizards = window.findChildren(ReportWizard)
    if len(wizards) != 1:
        raise JourneyStalled("no report wizard")
    wizard = wizards[0]
    cases = wizard.choices.cases
    driver.wait_until(lambda: cases.rowCount() >= 1, "the cases to choose from")
    for row in range(cases.rowCount()):
        cases.item(row).setCheckState(Qt.CheckState.Checked)
    wizard.next()
    driver.wait_until(wizard.preview.isComplete, "the report preview")
    if wizard.preview.document.pageCount() < 1:
        raise JourneyStalled("the report preview has no page")
    driver.wait(400)  # QPdfView renders its pages in the background
    wizard.button(QWizard.WizardButton.FinishButton).click()
    driver.wait_until(lambda: not shiboken6.isValid(wizard), "the wizard to close")
    choose_in_file_dialog(driver, window, target).accept()
    signature = target.with_name(target.name + ".minisig")
    driver.wait_until(signature.exists, "the signed report")
    driver.wait_until(lambda: not window.findChildren(QFileDialog), "the save dialog to go")


def open_statistics(driver: Driver) -> None:
    driver.window.report.open_statistics()
    driver.on_vault(lambda _context: None)
    driver.wait(300)


def change_settings(driver: Driver, idle_minutes: int) -> None:
    """Korean from the toolbar (the window is rebuilt), then the idle minutes in the Settings dialog."""
    driver.window.language_chosen.emit("ko")
    driver.wait_until(lambda: driver.app.main_window is not None and driver.window.lang == "ko", "the language")
    driver.window.settings_requested.emit()
    dialogs = driver.window.findChildren(SettingsDialog)
    if len(dialogs) != 1:
        raise JourneyStalled("no settings dialog")
    dialogs[0].idle_minutes.setValue(idle_minutes)
    dialogs[0].accept()
    driver.wait(50)
    if driver.app.settings.idle_lock_minutes != idle_minutes:
        raise JourneyStalled("the idle minutes were not stored")
