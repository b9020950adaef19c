"""The desktop app's composition root: builds every object once, passes them in, and runs the lock cycle.

first run -> wizard -> workspace;  later runs -> unlock window -> workspace;  workspace -> (lock, idle, screen
lock, panic) -> unlock window. Locking queues a save of the open editor, cancels queued reads, closes the
database on its own thread (dropping the keys), clears our clipboard text and destroys the workspace window, so
nothing read from the vault stays in a widget.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QLocale, QObject, QSettings, Qt
from PySide6.QtGui import QClipboard
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from safecase.domain.clock import Clock
from safecase.services.recording import recover_interrupted
from safecase.services.vault import VaultService
from safecase.ui.executor import DatabaseExecutor, TaskContext
from safecase.ui.first_run_wizard import FirstRunWizard
from safecase.ui.i18n import LanguageSwitcher
from safecase.ui.main_window import MainWindow
from safecase.ui.protection.clipboard_guard import ClipboardGuard
from safecase.ui.protection.idle_lock import IdleMonitor
from safecase.ui.protection.screen_lock import ScreenLockListener
from safecase.ui.protection.window_privacy import CaptureExclusion, hide_all_windows
from safecase.ui.settings import AppSettings, system_language
from safecase.ui.settings_dialog import SettingsDialog
from safecase.ui.unlock_window import UnlockWindow

log = logging.getLogger(__name__)

MINUTE_MS = 60_000


class SafeCaseApp(QObject):
    def __init__(
        self,
        qt_app: QApplication,
        vault_root: Path,
        vaults: VaultService,
        clock: Clock,
        settings: AppSettings,
        screen_lock: ScreenLockListener,
        language: LanguageSwitcher,
    ) -> None:
        super().__init__()
        self.qt_app = qt_app
        self.vault_root = vault_root
        self.vaults = vaults
        self.settings = settings
        self.language = language
        self.executor = DatabaseExecutor(self)
        self.clipboard = ClipboardGuard(qt_app.clipboard(), clock, parent=self)
        self.idle = IdleMonitor(clock, settings.idle_lock_minutes * MINUTE_MS, self)
        self.screen_lock = screen_lock
        self.main_window: MainWindow | None = None
        self._lock_pending = False
        self.gate: QWidget | None = None  # the unlock window or the wizard, while locked
        self.executor.unhandled_failure.connect(self._on_unhandled_failure)
        self.idle.idle_timeout.connect(self.lock)
        self.screen_lock.session_locked.connect(self.lock)
        qt_app.aboutToQuit.connect(self.shut_down)
        self._capture_exclusion = CaptureExclusion(self)
        qt_app.installEventFilter(self._capture_exclusion)
        language.use(settings.language or system_language(QLocale.system().name()))

    @property
    def is_unlocked(self) -> bool:
        return self.main_window is not None

    def start(self) -> None:
        self.screen_lock.start()
        if self._vault_exists():
            self._show_unlock_window()
        else:
            self._show_wizard()

    # -- the lock cycle -------------------------------------------------------------------------------------------

    def lock(self) -> None:
        """Close the vault and go back to the unlock window (safe to call when already locked)."""
        if self.main_window is None:
            self._lock_pending = self.gate is not None  # e.g. the screen locked while an unlock was running
            return
        log.info("locking")
        self.main_window.keep_awake.disconnect(self._on_keep_awake)  # a recording stopped by the lock is no news
        self.idle.stop()
        self.executor.cancel_all()
        self.main_window.drop_content()  # queues the open editor's save first
        self.executor.submit(lambda context: context.close_workspace())
        self.clipboard.clear_now()
        clear_our_clipboard(self.qt_app)
        window, self.main_window = self.main_window, None
        window.hide()
        window.deleteLater()
        self._show_unlock_window()

    def panic(self) -> None:
        """Hide every window at once, then lock."""
        hide_all_windows(self.qt_app)
        self.lock()

    def shut_down(self) -> None:
        self.qt_app.removeEventFilter(self._capture_exclusion)
        if self.main_window is not None:
            self.main_window.flush_edits()
        self.clipboard.clear_now()
        self.screen_lock.stop()
        self.executor.shutdown()

    # -- windows --------------------------------------------------------------------------------------------------

    def _vault_exists(self) -> bool:
        root = self.vault_root
        return root.exists() and (not root.is_dir() or any(root.iterdir()))

    def _show_unlock_window(self) -> None:
        self._lock_pending = False
        window = UnlockWindow(self.vault_root, self.vaults, self.executor)
        window.unlocked.connect(self._on_unlocked)
        self._set_gate(window)

    def _show_wizard(self) -> None:
        wizard = FirstRunWizard(self.vault_root, self.vaults, self.executor)
        wizard.vault_ready.connect(lambda _demo: self._on_unlocked())
        self._set_gate(wizard)

    def _set_gate(self, window: QWidget) -> None:
        previous, self.gate = self.gate, window
        if previous is not None:
            previous.hide()
            previous.deleteLater()
        window.show()
        window.raise_()
        window.activateWindow()

    def _on_unlocked(self) -> None:
        if self.gate is not None:
            self.gate.hide()
            self.gate.deleteLater()
            self.gate = None
        self._open_main_window()
        self._recover_recordings()
        self.idle.start()
        if self._lock_pending:
            self._lock_pending = False
            self.lock()

    def _open_main_window(self) -> None:
        window = MainWindow(self.executor, self.clipboard, self.language.lang)
        window.lock_requested.connect(self.lock)
        window.panic_requested.connect(self.panic)
        window.language_chosen.connect(self._on_language_chosen)
        window.settings_requested.connect(self._on_settings_requested)
        window.keep_awake.connect(self._on_keep_awake)
        self.main_window = window
        window.show()

    def _on_keep_awake(self, recording: bool) -> None:
        """An interview being recorded is not idleness: the idle lock waits; screen lock and panic still lock."""
        if self.main_window is None:
            return
        if recording:
            self.idle.stop()
        else:
            self.idle.start()

    def _recover_recordings(self) -> None:
        """Save recordings a killed app left behind; they simply appear in their testimony's evidence list."""
        self.executor.submit(_recover_recordings, on_success=self._on_recordings_recovered, owner=self)

    def _on_recordings_recovered(self, outcome: tuple[int, list[str]]) -> None:
        count, problems = outcome
        if self.main_window is None or not (count or problems):
            return
        lines = [self.tr("Recovered %n interrupted recording(s).", "", count)] if count else []
        if problems:  # damage inside a recording: say so, it is evidence
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Recovered recordings"), "", parent=self.main_window)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setText("\n".join([*lines, *problems]))
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
        else:
            self.main_window.statusBar().showMessage(lines[0], 10_000)

    def _on_language_chosen(self, lang: str) -> None:
        if self.main_window is None or lang == self.language.lang:
            return
        self.settings.language = lang
        self.language.use(lang)
        old = self.main_window
        kind = old.current_kind
        old.drop_content()
        old.hide()
        old.deleteLater()
        self._open_main_window()
        self.main_window.show_kind(kind)

    def _on_settings_requested(self) -> None:
        dialog = SettingsDialog(self.executor, self.vaults, self.settings.idle_lock_minutes, self.main_window)
        dialog.accepted.connect(lambda: self._apply_idle_minutes(dialog.idle_minutes.value()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()  # not exec(): a lock during a nested event loop would delete the dialog under it

    def _apply_idle_minutes(self, minutes: int) -> None:
        self.settings.idle_lock_minutes = minutes
        self.idle.set_timeout_ms(self.settings.idle_lock_minutes * MINUTE_MS)

    def _on_unhandled_failure(self, message: str) -> None:
        window = self.main_window
        if window is not None:
            window.statusBar().showMessage(message, 10_000)


def _recover_recordings(context: TaskContext) -> tuple[int, list[str]]:
    """On the database thread, right after unlock: how many were saved, and a line per damaged one."""
    workspace = context.workspace
    problems: list[str] = []
    recovered = recover_interrupted(workspace.session, workspace.attachments, on_problem=problems.append)
    return len(recovered), problems


def clear_our_clipboard(qt_app: QApplication) -> None:
    """On lock: whatever this app put on the clipboard or the X11 selection (e.g. by Ctrl+C in a text field) goes."""
    clipboard = qt_app.clipboard()
    if clipboard.ownsClipboard():
        clipboard.clear(QClipboard.Mode.Clipboard)
    if clipboard.supportsSelection() and clipboard.ownsSelection():
        clipboard.clear(QClipboard.Mode.Selection)


def default_settings_store() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "SafeCase", "SafeCase")
