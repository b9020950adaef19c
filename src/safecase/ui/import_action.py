"""Import records from a JSON or CSV file, in the background, with progress and a Cancel button.

Cancelling is offered while rows are being checked (nothing is written until every row is valid); the write
itself is one transaction and runs to its end. The file dialog is Qt's own, not the platform's: platform dialogs
keep "recently used" lists, which would name the file on disk.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
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
        name, _ = QFileDialog.getOpenFileName(
            self._parent,
            self.tr("Import records"),
            "",
            self.tr("Records (*.json *.jsonl *.csv)"),
            options=QFileDialog.Option.DontUseNativeDialog,
        )
        return Path(name) if name else None

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
        QMessageBox.information(self._parent, self.tr("Import"), self.tr("Imported %n record(s).", "", total))
        self.imported.emit()

    def _on_failed(self, error: SafeCaseError) -> None:
        self._close_dialog()
        if not isinstance(error, OperationCancelled):
            QMessageBox.warning(self._parent, self.tr("Import"), error.message)

    def _close_dialog(self) -> None:
        if self._dialog is not None:
            self._dialog.reset()
            self._dialog.deleteLater()
            self._dialog = None
        self._task = None


def _import(context: TaskContext, path: Path) -> dict[str, int]:
    rows = read_rows(path, detect_format(path, None))
    context.check_cancelled()

    def progress(done: int, total: int) -> None:
        context.check_cancelled()
        context.progress(done, total)

    counts = import_rows(context.workspace.records, rows, progress)
    context.progress(len(rows), len(rows))
    return counts
