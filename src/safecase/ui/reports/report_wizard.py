"""The report wizard: choose cases, policy and language; look at the exact PDF and at everything left out; sign.

The preview is the unsigned PDF itself, held in memory (overwritten when the wizard closes) and shown with QtPdf;
beside it, every redacted item with its reason (policy, consent or manual) and the people shown only by pseudonym.
"Sign and save" signs those very bytes, so what was looked at is what leaves.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QListView,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from safecase.domain.disclosure import POLICIES
from safecase.errors import SafeCaseError
from safecase.services.reports.content import ReportRequest, build_report
from safecase.services.reports.model import ReportContent
from safecase.services.reports.report import unsigned_pdf
from safecase.ui.evidence.plaintext import Plaintext
from safecase.ui.executor import DatabaseExecutor, TaskContext
from safecase.ui.reports.left_out_text import LeftOutText
from safecase.ui.widgets.checkable_list import CheckableListModel, load_cases
from safecase.ui.widgets.plain import PlainLabel


class ChoicesPage(QWizardPage):
    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("What the report covers"))
        self.setSubTitle(self.tr("Names appear only where the policy and each person's consent allow it."))
        self.cases = CheckableListModel(self)
        self.cases.itemChanged.connect(lambda _item: self.completeChanged.emit())
        self.cases_view = QListView(self)
        self.cases_view.setModel(self.cases)
        self.policy = QComboBox(self)
        for item in POLICIES:
            self.policy.addItem(item.title(lang), item.name)
        self.korean = QRadioButton("한국어", self)
        self.english = QRadioButton("English", self)
        group = QButtonGroup(self)
        group.addButton(self.korean)
        group.addButton(self.english)
        (self.korean if lang == "ko" else self.english).setChecked(True)
        languages = QHBoxLayout()
        languages.addWidget(self.korean)
        languages.addWidget(self.english)
        languages.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.cases_view, 1)
        layout.addWidget(self.policy)
        layout.addLayout(languages)

    def request(self) -> ReportRequest:
        lang = "ko" if self.korean.isChecked() else "en"
        return ReportRequest(tuple(self.cases.checked_ids()), (), str(self.policy.currentData()), lang)

    def isComplete(self) -> bool:
        return bool(self.cases.checked_ids())


class PreviewPage(QWizardPage):
    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notes = LeftOutText(lang, self)
        self.setTitle(self.tr("The report, exactly as it will be signed"))
        self.status = PlainLabel("", self)
        self.status.setWordWrap(True)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setAccessibleName(self.tr("Report preview"))
        self.left_out = QStandardItemModel(self)
        self.left_out_view = QListView(self)
        self.left_out_view.setModel(self.left_out)
        self.left_out_view.setAccessibleName(self.tr("What the report leaves out, and why"))
        splitter = QSplitter(self)
        splitter.addWidget(self.view)
        splitter.addWidget(self.left_out_view)
        splitter.setSizes([620, 360])
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        self.content: ReportContent | None = None
        self.plaintext: Plaintext | None = None

    def show_working(self) -> None:
        self.forget()
        self.status.setText(self.tr("Making the report…"))

    def show_report(self, content: ReportContent, pdf: bytearray) -> None:
        self.forget()
        self.content = content
        self.plaintext = Plaintext()
        self.plaintext.take(pdf)
        self.document.load(self.plaintext.open_device())
        self.view.setDocument(self.document)
        self.plaintext.before_wipe(self._close_document)
        self.status.setText(
            self.tr("%1 pages. %2 item(s) left out, %3 person(s) shown only by pseudonym (listed on the right).")
            .replace("%3", str(len(content.pseudonymised)))
            .replace("%2", str(len(content.redactions)))
            .replace("%1", str(self.document.pageCount()))
        )
        for redaction in content.redactions:
            item = QStandardItem(self._notes.describe(redaction))
            item.setEditable(False)
            self.left_out.appendRow(item)
        self.completeChanged.emit()

    def show_error(self, message: str) -> None:
        self.forget()
        self.status.setText(self.tr("The report could not be made: %1").replace("%1", message))

    def forget(self) -> None:
        """Close the preview and overwrite its bytes (also on lock)."""
        self.content = None
        self.left_out.clear()
        if self.plaintext is not None:
            self.plaintext.wipe()
            self.plaintext = None
        self.completeChanged.emit()

    def _close_document(self) -> None:
        self.view.setDocument(None)  # type: ignore[arg-type]  # Qt accepts no document
        self.document.close()

    def isComplete(self) -> bool:
        return self.content is not None and self.plaintext is not None


def _make_preview(context: TaskContext, request: ReportRequest) -> tuple[ReportContent, bytearray]:
    content = build_report(context.workspace.session, request)
    return content, bytearray(unsigned_pdf(content))


class ReportWizard(QWizard):
    """Collects the choices and shows the preview; ``sign_requested`` asks the caller to save the shown PDF."""

    sign_requested = Signal(object, object)  # ReportContent, bytes (the previewed PDF)

    def __init__(self, executor: DatabaseExecutor, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._lang = lang
        self._asked = 0
        self.setWindowTitle(self.tr("Report for a Special Rapporteur"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.choices = ChoicesPage(lang, self)
        self.preview = PreviewPage(lang, self)
        self.addPage(self.choices)
        self.addPage(self.preview)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Sign and save…"))
        self.currentIdChanged.connect(self._on_page_changed)
        self.accepted.connect(self._on_accepted)
        self.finished.connect(lambda _result: self.preview.forget())
        self.resize(1100, 800)
        executor.submit(lambda c: load_cases(c, lang), on_success=self.choices.cases.set_items, owner=self)

    def _on_page_changed(self, page_id: int) -> None:
        if self.page(page_id) is not self.preview:
            return
        self.preview.show_working()
        self._asked += 1
        asked, request = self._asked, self.choices.request()
        self._executor.submit(
            lambda context: _make_preview(context, request),
            on_success=lambda made: self._on_previewed(asked, made),
            on_failure=lambda error: self._on_failed(asked, error),
            owner=self,
        )

    def _on_previewed(self, asked: int, made: tuple[ReportContent, bytearray]) -> None:
        if asked == self._asked:
            self.preview.show_report(*made)

    def _on_failed(self, asked: int, error: SafeCaseError) -> None:
        if asked == self._asked:
            self.preview.show_error(error.message)

    def _on_accepted(self) -> None:
        preview = self.preview
        if preview.content is not None and preview.plaintext is not None:
            self.sign_requested.emit(preview.content, bytes(preview.plaintext.view()))


def suggested_name(content: ReportContent) -> Path:
    return Path(f"report-{content.generated_at[:10]}.pdf")
