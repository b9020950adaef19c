"""Receiving a bundle: what it says about itself (after a full check), then the import and what it changed.

The bundle is checked completely before the dialog offers to import it (signature, every member, its end). A
bundle from someone who is not a contact is imported only if the user ticks that what it brings is marked as from
an unverified source; one not addressed to this vault cannot be imported at all.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QProgressBar, QPushButton, QVBoxLayout, QWidget

from safecase.errors import SafeCaseError, shown
from safecase.services.exchange.importer import BundleSummary, ImportResult
from safecase.ui.evidence.model import human_size
from safecase.ui.executor import DatabaseExecutor, OperationCancelled, Progress, Task, TaskContext
from safecase.ui.widgets.plain import PlainLabel

T = TypeVar("T")


def _inspect(context: TaskContext, path: Path) -> BundleSummary:
    return context.workspace.bundle_importer.inspect(path, check_cancelled=context.check_cancelled)


class ReceiveDialog(QDialog):
    imported = Signal()  # records were merged: lists should be read again
    conflicts_requested = Signal()  # the user wants to resolve the conflicts the import found

    def __init__(self, executor: DatabaseExecutor, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._path = path
        self._summary: BundleSummary | None = None
        self._task: Task[Any] | None = None
        self.setWindowTitle(self.tr("Receive a bundle"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.text = PlainLabel(self.tr("Checking the whole bundle…"), self)
        self.text.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.allow_unknown = QCheckBox(
            self.tr("Import anyway; mark everything it brings as from an unverified source"), self
        )
        self.allow_unknown.hide()
        self.allow_unknown.toggled.connect(lambda _checked: self._update_buttons())
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.conflicts_button = QPushButton(self.tr("Resolve conflicts…"), self)
        self.buttons.addButton(self.conflicts_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.conflicts_button.hide()
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.conflicts_button.clicked.connect(self._on_conflicts_clicked)
        self.close_button.clicked.connect(self._on_close_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.progress)
        layout.addWidget(self.allow_unknown)
        layout.addWidget(self.buttons)
        self.resize(600, 360)
        self._update_buttons()
        self._start(lambda context: _inspect(context, path), self._on_inspected)

    # -- steps ------------------------------------------------------------------------------------------------------

    def _start(self, operation: Callable[[TaskContext], T], on_success: Callable[[T], None]) -> None:
        self.progress.show()
        self._task = self._executor.submit(
            operation, on_success=on_success, on_failure=self._on_failed, on_progress=self._on_progress, owner=self
        )

    def _on_inspected(self, summary: BundleSummary) -> None:
        self._task = None
        self._summary = summary
        self.progress.hide()
        self.text.setText(self.describe(summary))
        self.allow_unknown.setVisible(summary.sender_status == "unknown")
        self._update_buttons()

    def _on_import_clicked(self) -> None:
        path, allow = self._path, self.allow_unknown.isChecked()

        def run(context: TaskContext) -> ImportResult:
            def progress(done: int, total: int) -> None:
                context.check_cancelled()
                context.progress(done, total)

            importer = context.workspace.bundle_importer
            return importer.import_bundle(
                path, allow_unknown_sender=allow, progress=progress, check_cancelled=context.check_cancelled
            )

        self.import_button.setEnabled(False)
        self.text.setText(self.tr("Importing…"))
        self._start(run, self._on_imported)

    def _on_imported(self, result: ImportResult) -> None:
        self._task = None
        self.progress.hide()
        self.text.setText(self.describe_result(result))
        self.import_button.hide()
        self.allow_unknown.hide()
        self.close_button.setText(self.tr("Close"))
        self.conflicts_button.setVisible(bool(result.conflicts))
        if not result.replay:
            self.imported.emit()

    def _on_failed(self, error: SafeCaseError) -> None:
        self._task = None
        self.progress.hide()
        if not isinstance(error, OperationCancelled):
            self.text.setText(self.tr("This bundle was refused; nothing changed.") + "\n\n" + error.message)
        self._summary = None
        self.allow_unknown.hide()
        self._update_buttons()

    def _on_progress(self, progress: Progress) -> None:
        if progress.total:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * progress.done / progress.total))

    def _on_conflicts_clicked(self) -> None:
        self.conflicts_requested.emit()
        self.accept()

    def _on_close_clicked(self) -> None:
        if self._task is not None:
            self._task.cancel()
        self.reject()

    def _update_buttons(self) -> None:
        summary = self._summary
        ready = summary is not None and summary.addressed_to_this_vault and summary.sender_status != "revoked"
        if summary is not None and summary.sender_status == "unknown":
            ready = ready and self.allow_unknown.isChecked()
        self.import_button.setEnabled(bool(ready))

    # -- texts ------------------------------------------------------------------------------------------------------

    def describe(self, summary: BundleSummary) -> str:
        statuses = {
            "verified": self.tr("verified contact"),
            "unverified": self.tr("contact whose fingerprint you have not verified"),
            "revoked": self.tr("REMOVED contact: this bundle will be refused"),
            "unknown": self.tr("NOT one of your contacts"),
        }
        counts = summary.counts
        lines = [
            self.tr("From: %1 (%2)")
            .replace("%2", statuses[summary.sender_status])
            .replace("%1", shown(summary.sender_name)),
            self.tr("Fingerprint: %1").replace("%1", summary.sender.fingerprint or ""),
            self.tr("Made: %1, bundle number %2")
            .replace("%2", str(summary.sequence))
            .replace("%1", summary.created_at),
            self.tr("Holds %1 records (%2 persons, %3 contact details) and %4 evidence files (%5).")
            .replace("%5", human_size(counts["attachment_bytes"]))
            .replace("%4", str(counts["attachments"]))
            .replace("%3", str(counts["contacts"]))
            .replace("%2", str(counts["persons"]))
            .replace("%1", str(counts["records"])),
        ]
        if not summary.addressed_to_this_vault:
            lines.append(self.tr("It is NOT addressed to this vault (it was forwarded): it cannot be imported."))
        if summary.imported_at:
            lines.append(
                self.tr("You imported it before, at %1; importing again changes nothing.").replace(
                    "%1", summary.imported_at
                )
            )
        return "\n".join(lines)

    def describe_result(self, result: ImportResult) -> str:
        if result.replay:
            return self.tr("Already imported; nothing changed.")
        lines = [
            self.tr("Imported: %1 new records, %2 updated, %3 unchanged; %4 evidence files.")
            .replace("%4", str(result.attachments_added))
            .replace("%3", str(result.unchanged_records))
            .replace("%2", str(result.updated_records))
            .replace("%1", str(result.new_records)),
            self.tr(
                "%n record(s) now in conflict: both versions are kept until you choose.", "", len(result.conflicts)
            ),
        ]
        if result.unverified:
            lines.append(self.tr("What it brought is marked as from an unverified source."))
        return "\n".join(lines)
