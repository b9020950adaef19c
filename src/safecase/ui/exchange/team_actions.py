"""The Team menu of the workspace window: contacts, send a bundle, receive a bundle, conflicts.

It owns the exchange windows, opens them without nested event loops, and closes them all when the vault locks
(they hold names, fingerprints and conflicting versions of records).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu, QProgressDialog, QToolButton, QWidget

from safecase.errors import SafeCaseError, shown
from safecase.services.exchange.export import BundleReceipt, ExportPlan
from safecase.services.exchange.sync import BUNDLE_SUFFIX
from safecase.ui.evidence.file_dialogs import choose_file_to_read, choose_save_path
from safecase.ui.exchange.conflicts_dialog import ConflictsDialog
from safecase.ui.exchange.contacts_dialog import ContactsDialog
from safecase.ui.exchange.receive_dialog import ReceiveDialog
from safecase.ui.exchange.send_wizard import SendWizard
from safecase.ui.exchange.sync_action import SyncAction
from safecase.ui.executor import DatabaseExecutor, OperationCancelled, Progress, TaskContext
from safecase.ui.import_action import show_plain_message

BUNDLE_FILTER = f"SafeCase bundles (*{BUNDLE_SUFFIX});;All files (*)"


class TeamActions(QObject):
    records_changed = Signal()  # an import or a conflict resolution changed records

    def __init__(self, executor: DatabaseExecutor, lang: str, window: QWidget) -> None:
        super().__init__(window)
        self._executor = executor
        self._lang = lang
        self._window = window
        self._windows: list[QDialog] = []
        self._progress: QProgressDialog | None = None
        self.sync_action = SyncAction(executor, window)
        self.sync_action.synced.connect(lambda imported: self.records_changed.emit() if imported else None)
        self.actions = {name: QAction(window) for name in ("contacts", "send", "receive", "sync", "conflicts")}
        self.actions["contacts"].triggered.connect(self.show_contacts)
        self.actions["send"].triggered.connect(self.send_bundle)
        self.actions["receive"].triggered.connect(self.receive_bundle)
        self.actions["sync"].triggered.connect(self.sync_action.run)
        self.actions["conflicts"].triggered.connect(self.show_conflicts)
        self.menu = QMenu(window)
        for action in self.actions.values():
            self.menu.addAction(action)
        self.menu.aboutToShow.connect(self._count_conflicts)
        self._conflicts = 0
        self.button = QToolButton(window)
        self.button.setMenu(self.menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.retranslate()

    def retranslate(self) -> None:
        self.button.setText(self.tr("Team"))
        self.button.setToolTip(self.tr("Contacts, bundles and conflicts"))
        texts = {
            "contacts": self.tr("Contacts…"),
            "send": self.tr("Send a bundle…"),
            "receive": self.tr("Receive a bundle…"),
            "sync": self.tr("Sync with a folder…"),
            "conflicts": self.tr("Conflicts (%1)…").replace("%1", str(self._conflicts))
            if self._conflicts
            else self.tr("Conflicts…"),
        }
        for name, text in texts.items():
            self.actions[name].setText(text)

    def _count_conflicts(self) -> None:
        self._executor.submit(
            lambda context: context.workspace.conflicts.count(), on_success=self._show_conflict_count, owner=self
        )

    def _show_conflict_count(self, count: int) -> None:
        self._conflicts = count
        self.retranslate()

    # -- windows ----------------------------------------------------------------------------------------------------

    def show_contacts(self) -> None:
        dialog = self._existing(ContactsDialog) or self._keep(ContactsDialog(self._executor, self._window))
        assert isinstance(dialog, ContactsDialog)
        dialog.reload()
        _raise(dialog)

    def show_conflicts(self) -> None:
        dialog = self._existing(ConflictsDialog)
        if dialog is None:
            conflicts = ConflictsDialog(self._executor, self._lang, self._window)
            conflicts.resolved.connect(self.records_changed)
            dialog = self._keep(conflicts)
        assert isinstance(dialog, ConflictsDialog)
        dialog.reload()
        _raise(dialog)

    def send_bundle(self) -> None:
        wizard = SendWizard(self._executor, self._lang, self._window)
        wizard.plan_approved.connect(self._choose_bundle_path)
        self._keep(wizard)
        wizard.open()

    def receive_bundle(self) -> None:
        choose_file_to_read(self._window, self.tr("Receive a bundle"), BUNDLE_FILTER, self._receive_from)

    def close_windows(self) -> None:
        """Close every exchange window (on lock): nothing they showed stays on screen or in memory."""
        for dialog in self._windows:
            dialog.close()
            dialog.deleteLater()
        self._windows.clear()
        if self._progress is not None:
            self._progress.deleteLater()
            self._progress = None

    # -- sending -----------------------------------------------------------------------------------------------------

    def _choose_bundle_path(self, plan: ExportPlan) -> None:
        title = self.tr("Save the bundle")
        choose_save_path(self._window, title, f"bundle{BUNDLE_SUFFIX}", lambda path: self._write(plan, path))

    def _write(self, plan: ExportPlan, path: Path) -> None:
        if not path.name.endswith(BUNDLE_SUFFIX):
            path = path.with_name(path.name + BUNDLE_SUFFIX)

        def write(context: TaskContext) -> BundleReceipt:
            def progress(done: int, total: int) -> None:
                context.progress(done, total)

            exporter = context.workspace.bundle_exporter
            return exporter.write(plan, path, progress=progress, check_cancelled=context.check_cancelled)

        progress = QProgressDialog(self.tr("Writing the bundle…"), self.tr("Cancel"), 0, 1000, self._window)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        self._progress = progress
        task = self._executor.submit(
            write,
            on_success=self._on_written,
            on_failure=self._on_write_failed,
            on_progress=self._on_progress,
            owner=self,
        )
        progress.canceled.connect(task.cancel)

    def _on_progress(self, progress: Progress) -> None:
        if self._progress is not None and progress.total:
            self._progress.setValue(int(1000 * progress.done / progress.total))

    def _on_written(self, receipt: BundleReceipt) -> None:
        self._close_progress()
        counts = receipt.counts
        text = (
            self.tr("Bundle saved to %1.\n%2 records, %3 evidence files. Only %4 can open it.")
            .replace("%4", ", ".join(shown(c.display_name) for c in receipt.recipients))
            .replace("%3", str(counts["attachments"]))
            .replace("%2", str(counts["records"]))
            .replace("%1", shown(receipt.path))
        )
        show_plain_message(self._window, self.tr("Send a bundle"), text)

    def _on_write_failed(self, error: SafeCaseError) -> None:
        self._close_progress()
        if not isinstance(error, OperationCancelled):
            show_plain_message(self._window, self.tr("Send a bundle"), error.message, warning=True)

    def _close_progress(self) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None

    # -- receiving ---------------------------------------------------------------------------------------------------

    def _receive_from(self, path: Path) -> None:
        dialog = ReceiveDialog(self._executor, path, self._window)
        dialog.imported.connect(self.records_changed)
        dialog.conflicts_requested.connect(self.show_conflicts)
        self._keep(dialog)
        dialog.open()

    # -- bookkeeping -------------------------------------------------------------------------------------------------

    def _existing(self, kind: type[QDialog]) -> QDialog | None:
        return next((d for d in self._windows if isinstance(d, kind)), None)

    def _keep(self, dialog: QDialog) -> QDialog:
        self._windows.append(dialog)
        dialog.destroyed.connect(lambda _obj=None, d=dialog: self._forget(d))
        return dialog

    def _forget(self, dialog: QDialog) -> None:
        if dialog in self._windows:
            self._windows.remove(dialog)


def _raise(dialog: QDialog) -> None:
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
