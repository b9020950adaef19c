"""Import records from a JSON or CSV file, in the background, with progress and a Cancel button.

Cancelling is offered while rows are being checked (nothing is written until every row is valid); the write
itself is one transaction and runs to its end. The file dialog is Qt's own, not the platform's: platform dialogs
keep "recently used" lists, which would name the file on disk.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from safecase.errors import SafeCaseError
from safecase.services.importer import detect_format, import_rows, read_rows
from safecase.ui.executor import DatabaseExecutor, OperationCancelled, Progress, Task, TaskContext


class ImportAction(QObject):
    imported = Signal()  # records were written; lists should be read again

    def __init__(self, executor: DatabaseExecutor, parent: QWidget) -> None:
        super().__init__(parent)
        self._executor = executor
        self._parent = parent
        self._task: Task[dict[str, int]] | None = None
        self._dialog: QProgressDialog | None = None

    def run(self) -> None:
        path = self._choose_file()
        if path is not None:
            self.start(path)

    def _choose_file(self) -> Path | None:
        dialog = QFileDialog(self._parent, self.tr("Import records"), "", self.tr("Records (*.json *.jsonl *.csv)"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        chosen = dialog.selectedFiles()[0] if dialog.exec() and dialog.selectedFiles() else ""
        shiboken6.delete(dialog)  # its destructor writes the folder history, which forget_file_dialog_history undoes
        forget_file_dialog_history()
        return Path(chosen) if chosen else None

    def start(self, path: Path) -> None:
        dialog = QProgressDialog(self.tr("Checking the records…"), self.tr("Cancel"), 0, 0, self._parent)
        dialog.setWindowTitle(self.tr("Import"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        self._dialog = dialog
        self._task = self._executor.submit(
            lambda context: _import(context, path),
            on_success=self._on_imported,
            on_failure=self._on_failed,
            on_progress=self._on_progress,
            owner=self,
        )
        dialog.canceled.connect(self._task.cancel)

    def _on_progress(self, progress: Progress) -> None:
        if self._dialog is not None and progress.total:
            self._dialog.setMaximum(progress.total)
            self._dialog.setValue(progress.done)

    def _on_imported(self, counts: dict[str, int]) -> None:
        self._close_dialog()
        total = sum(counts.values())
        show_plain_message(self._parent, self.tr("Import"), self.tr("Imported %n record(s).", "", total))
        self.imported.emit()

    def _on_failed(self, error: SafeCaseError) -> None:
        self._close_dialog()
        if not isinstance(error, OperationCancelled):
            show_plain_message(self._parent, self.tr("Import"), error.message, warning=True)

    def _close_dialog(self) -> None:
        if self._dialog is not None:
            self._dialog.reset()
            self._dialog.deleteLater()
            self._dialog = None
        self._task = None


def forget_file_dialog_history() -> None:
    """Qt's file dialog keeps the folders it visited in the QtProject settings; a seized laptop must not list them."""
    store = QSettings(QSettings.Scope.UserScope, "QtProject")
    store.remove("FileDialog")
    store.sync()


def show_plain_message(parent: QWidget, title: str, text: str, *, warning: bool = False) -> None:
    """A message box whose text is never read as rich text (an error may quote a file name or a row)."""
    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def _import(context: TaskContext, path: Path) -> dict[str, int]:
    rows = read_rows(path, detect_format(path, None))
    context.check_cancelled()

    def progress(done: int, total: int) -> None:
        context.check_cancelled()
        context.progress(done, total)

    counts = import_rows(context.workspace.records, rows, progress)
    context.progress(len(rows), len(rows))
    return counts
