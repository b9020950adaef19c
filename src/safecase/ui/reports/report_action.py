"""The Report toolbar action: the wizard, then "Sign and save" to a new PDF with its .minisig beside it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QProgressDialog, QWidget

from safecase.errors import SafeCaseError
from safecase.services.reports.model import ReportContent
from safecase.services.reports.report import SignedReportFiles, describe_output, sign_and_write
from safecase.ui.evidence.file_dialogs import choose_save_path
from safecase.ui.executor import DatabaseExecutor, TaskContext
from safecase.ui.import_action import show_plain_message
from safecase.ui.reports.report_wizard import ReportWizard, suggested_name
from safecase.ui.reports.statistics_view import StatisticsDialog


class ReportAction(QObject):
    def __init__(self, executor: DatabaseExecutor, lang: str, window: QWidget) -> None:
        super().__init__(window)
        self._executor = executor
        self._lang = lang
        self._window = window
        self._wizard: ReportWizard | None = None
        self._progress: QProgressDialog | None = None
        self.action = QAction(window)
        self.action.triggered.connect(self.open_wizard)
        self.statistics_action = QAction(window)
        self.statistics_action.triggered.connect(self.open_statistics)
        self._statistics: StatisticsDialog | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.action.setText(self.tr("Report…"))
        self.action.setStatusTip(self.tr("A signed, redacted report for a Special Rapporteur"))
        self.statistics_action.setText(self.tr("Statistics"))
        self.statistics_action.setStatusTip(self.tr("Charts over the whole vault, and detainees per centre"))

    def open_wizard(self) -> None:
        if self._wizard is not None:
            self._wizard.raise_()
            return
        wizard = ReportWizard(self._executor, self._lang, self._window)
        wizard.sign_requested.connect(self._choose_path)
        wizard.destroyed.connect(lambda _obj=None: setattr(self, "_wizard", None))
        self._wizard = wizard
        wizard.open()

    def open_statistics(self) -> None:
        if self._statistics is None:
            self._statistics = StatisticsDialog(self._executor, self._lang, self._window)
        self._statistics.reload()
        self._statistics.show()
        self._statistics.raise_()

    def close_windows(self) -> None:
        """On lock: the preview's bytes are overwritten and the wizard goes; the statistics are forgotten."""
        if self._statistics is not None:
            self._statistics.clear()
            self._statistics.close()
            self._statistics.deleteLater()
            self._statistics = None
        if self._wizard is not None:
            self._wizard.preview.forget()
            self._wizard.close()
            self._wizard = None

    def _choose_path(self, content: ReportContent, pdf: bytes) -> None:
        title = self.tr("Save the signed report")
        choose_save_path(self._window, title, str(suggested_name(content)), lambda path: self._sign(content, pdf, path))

    def _sign(self, content: ReportContent, pdf: bytes, path: Path) -> None:
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")

        def sign(context: TaskContext) -> SignedReportFiles:
            return sign_and_write(context.workspace.session, content, pdf, path)

        self._progress = QProgressDialog(self.tr("Signing the report…"), "", 0, 0, self._window)
        self._progress.setCancelButton(None)
        self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._progress.setMinimumDuration(300)
        self._executor.submit(sign, on_success=self._on_signed, on_failure=self._on_failed, owner=self)

    def _on_signed(self, files: SignedReportFiles) -> None:
        self._close_progress()
        show_plain_message(self._window, self.tr("Report"), describe_output(files))

    def _on_failed(self, error: SafeCaseError) -> None:
        self._close_progress()
        show_plain_message(self._window, self.tr("Report"), error.message, warning=True)

    def _close_progress(self) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None
