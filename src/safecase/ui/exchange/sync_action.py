"""Syncing with a folder from the app: a USB stick or a shared folder holding ``inbox`` and ``outbox``.

The folder is chosen with Qt's own dialog (no recent-folder list left behind); the sync runs on the database
thread, and a summary says what went out to whom, what came in, and what was refused and why.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from safecase.errors import SafeCaseError, shown
from safecase.services.exchange.sync import SyncFolder, SyncReport
from safecase.ui.executor import DatabaseExecutor, OperationCancelled, TaskContext
from safecase.ui.import_action import forget_file_dialog_history, show_plain_message


def _sync(context: TaskContext, folder: Path) -> SyncReport:
    workspace = context.workspace
    contacts = [contact for contact in workspace.contacts.all() if contact.verified]
    syncer = SyncFolder(workspace.session, workspace.bundle_exporter, workspace.bundle_importer)
    return syncer.sync(folder, contacts, check_cancelled=context.check_cancelled)


def describe(report: SyncReport) -> str:
    lines = []
    for receipt in report.sent:
        names = ", ".join(shown(c.display_name) for c in receipt.recipients)
        sent = QCoreApplication.translate("SyncAction", "Sent to %1: %2 records.")
        lines.append(sent.replace("%2", str(receipt.counts["records"])).replace("%1", names))
    for contact in report.nothing_new:
        nothing = QCoreApplication.translate("SyncAction", "Nothing new for %1.")
        lines.append(nothing.replace("%1", shown(contact.display_name)))
    for _path, result in report.imported:
        received = QCoreApplication.translate("SyncAction", "Received from %1: %2 new, %3 updated, %4 conflicts.")
        lines.append(
            received.replace("%4", str(len(result.conflicts)))
            .replace("%3", str(result.updated_records))
            .replace("%2", str(result.new_records))
            .replace("%1", shown(result.summary.sender_name))
        )
    if report.already_imported:
        before = QCoreApplication.translate("SyncAction", "%1 bundle(s) in the inbox were imported before.")
        lines.append(before.replace("%1", str(len(report.already_imported))))
    if report.not_for_us:
        others = QCoreApplication.translate("SyncAction", "%1 bundle(s) in the inbox are for someone else.")
        lines.append(others.replace("%1", str(len(report.not_for_us))))
    for path, error in report.refused:
        refused = QCoreApplication.translate("SyncAction", "Refused %1: %2")
        lines.append(refused.replace("%2", error.message).replace("%1", shown(path.name)))
    return "\n".join(lines) or QCoreApplication.translate("SyncAction", "Nothing to send and nothing received.")


class SyncAction(QObject):
    synced = Signal(bool)  # the sync finished; True if it imported anything (lists should be read again)

    def __init__(self, executor: DatabaseExecutor, parent: QWidget) -> None:
        super().__init__(parent)
        self._executor = executor
        self._parent = parent
        self._progress: QProgressDialog | None = None

    def run(self) -> None:
        title = self.tr("Sync with a folder (USB stick or shared folder)")
        dialog = QFileDialog(self._parent, title, str(Path.home()))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
        dialog.destroyed.connect(lambda _dialog=None: forget_file_dialog_history())

        def finished(result: int) -> None:
            chosen = dialog.selectedFiles() if result == QFileDialog.DialogCode.Accepted else []
            dialog.deleteLater()
            if chosen:
                self.start(Path(chosen[0]))

        dialog.finished.connect(finished)
        dialog.open()

    def start(self, folder: Path) -> None:
        progress = QProgressDialog(self.tr("Syncing…"), self.tr("Cancel"), 0, 0, self._parent)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        self._progress = progress
        task = self._executor.submit(
            lambda context: _sync(context, folder), on_success=self._on_synced, on_failure=self._on_failed, owner=self
        )
        progress.canceled.connect(task.cancel)

    def _on_synced(self, report: SyncReport) -> None:
        self._close_progress()
        show_plain_message(self._parent, self.tr("Sync"), describe(report), warning=bool(report.refused))
        self.synced.emit(bool(report.imported))

    def _on_failed(self, error: SafeCaseError) -> None:
        self._close_progress()
        if not isinstance(error, OperationCancelled):
            show_plain_message(self._parent, self.tr("Sync"), error.message, warning=True)

    def _close_progress(self) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None
