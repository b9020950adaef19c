"""The evidence panel inside an editor: the files attached to the record, "Add evidence…" (or drop files on the
panel), Preview, Export… and Verify, with progress while files are taken in.

A record that has not been saved has no id to attach to, so the panel only says to save it first. Every outcome
(and every error, which may quote a file name) is shown as plain text in the panel's message line.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from safecase.errors import SafeCaseError, shown
from safecase.services.evidence_export import ExportResult
from safecase.storage.records import RecordState
from safecase.ui.evidence.export_dialog import ExportDialog, export_message
from safecase.ui.evidence.file_dialogs import choose_files_to_add
from safecase.ui.evidence.intake import EvidenceIntake
from safecase.ui.evidence.model import Column, EvidenceModel
from safecase.ui.evidence.preview import PreviewDialog
from safecase.ui.executor import DatabaseExecutor
from safecase.ui.widgets.plain import PlainLabel

ERROR_STYLE = "color: #b00020; font-weight: 600;"
VISIBLE_ROWS = 4


def _is_local(url: QUrl) -> bool:
    """A file on this computer: ``file://host/...`` names another machine's share, which is not."""
    return url.isLocalFile() and not url.host()


class EvidencePanel(QFrame):
    """The evidence files of one record; ``set_record`` says which (None: not saved yet)."""

    evidence_added = Signal(str)  # attachment id: a file was taken in

    def __init__(self, executor: DatabaseExecutor, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._executor = executor
        self._lang = lang
        self._pending_selection: str | None = None
        self._intake_lines: list[str] = []
        self._intake_failed = False
        self.model = EvidenceModel(executor, lang, self)
        self.intake = EvidenceIntake(executor, self)
        self._build()
        self._lay_out()
        self._connect()
        self.set_record(None)

    # -- building -----------------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = PlainLabel(self.tr("Evidence files"), self)
        self.title.setStyleSheet("font-weight: 600;")
        self.hint_label = PlainLabel("", self)
        self.hint_label.setWordWrap(True)
        self.table = self._make_table()
        self.add_button = QPushButton(self.tr("Add evidence…"), self)
        self.add_button.setAccessibleName(self.tr("Add evidence files to this record"))
        self.preview_button = QPushButton(self.tr("Preview"), self)
        self.export_button = QPushButton(self.tr("Export…"), self)
        self.export_button.setAccessibleName(self.tr("Export an unencrypted copy"))
        self.verify_button = QPushButton(self.tr("Verify"), self)
        self.verify_button.setAccessibleName(self.tr("Check the file against its intake SHA-256"))
        self.progress_label = PlainLabel("", self)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setTextVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.message_label = PlainLabel("", self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # copy a hash
        self.message_label.setAccessibleName(self.tr("Evidence messages"))

    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.model)
        table.setAccessibleName(self.tr("Evidence files of this record"))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.FILE_NAME, QHeaderView.ResizeMode.Stretch)
        return table

    def _lay_out(self) -> None:
        self.recorder_slot = QVBoxLayout()  # set_recorder_widget puts a recorder here, above the list
        self._buttons = (self.add_button, self.preview_button, self.export_button, self.verify_button)
        buttons = QHBoxLayout()
        for button in self._buttons:
            buttons.addWidget(button)
        buttons.addStretch(1)
        progress = QHBoxLayout()
        progress.addWidget(self.progress_label)
        progress.addWidget(self.progress_bar, 1)
        progress.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.hint_label)
        layout.addLayout(self.recorder_slot)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addLayout(progress)
        layout.addWidget(self.message_label)
        self._progress_widgets = (self.progress_label, self.progress_bar, self.cancel_button)

    def _connect(self) -> None:
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.preview_button.clicked.connect(self.preview_selected)
        self.export_button.clicked.connect(self.export_selected)
        self.verify_button.clicked.connect(self.verify_selected)
        self.cancel_button.clicked.connect(self.intake.cancel)
        self.table.activated.connect(self._on_table_activated)  # double-click, or Enter on the row
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.loaded.connect(self._on_model_loaded)
        self.model.load_failed.connect(lambda message: self.show_message(message, error=True))
        self.intake.file_started.connect(self._on_intake_file_started)
        self.intake.progressed.connect(self.progress_bar.setValue)
        self.intake.file_added.connect(self._on_intake_file_added)
        self.intake.file_failed.connect(self._on_intake_file_failed)
        self.intake.cancelled.connect(self._on_intake_cancelled)
        self.intake.finished.connect(self._on_intake_finished)

    # -- the contract -------------------------------------------------------------------------------------------

    @property
    def record_id(self) -> str | None:
        return self.model.record_id

    def set_record(self, record_id: str | None) -> None:
        """Show the evidence of ``record_id``; None means the record is not saved yet (nothing can be added)."""
        if record_id is not None and record_id == self.model.record_id:
            return
        self.model.load(record_id)
        self.setAcceptDrops(record_id is not None)
        saved_hint = self.tr("Drop files here or press “Add evidence…”. They are kept encrypted in the vault.")
        unsaved_hint = self.tr("Save the record to add evidence.")
        self.hint_label.setText(saved_hint if record_id is not None else unsaved_hint)
        self._set_progress_visible(False)
        for button in self._buttons:
            button.setVisible(record_id is not None)  # a record not saved yet: just the hint, in little room
        self._fit_table()
        self._update_buttons()

    def refresh(self) -> None:
        record_id = self.model.record_id
        if record_id is not None:
            self.model.load(record_id)

    def set_lang(self, lang: str) -> None:
        self._lang = lang
        self.model.set_lang(lang)

    def set_recorder_widget(self, widget: QWidget) -> None:
        """Put ``widget`` (an audio recorder, for testimonies) above the list, replacing any earlier one."""
        while (item := self.recorder_slot.takeAt(0)) is not None:
            if (old := item.widget()) is not None:
                old.deleteLater()
        self.recorder_slot.addWidget(widget)

    def current_attachment(self) -> RecordState | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.attachment(rows[0].row()) if rows else None

    def select_attachment(self, attachment_id: str) -> None:
        """Select that evidence file (now, or as soon as the list has arrived)."""
        row = self.model.row_of(attachment_id)
        if row is None:
            self._pending_selection = attachment_id
            return
        self._pending_selection = None
        index = self.model.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")

    # -- adding -------------------------------------------------------------------------------------------------

    def add_files(self, paths: Sequence[Path]) -> None:
        """Take ``paths`` in as evidence on this record (what the dialog and a drop both end in)."""
        self._begin_report()
        self._take_in(paths)

    def add_urls(self, urls: Sequence[QUrl]) -> None:
        """A drop: local files are added, anything else (web links, remote shares) is refused."""
        self._begin_report()
        if not all(_is_local(url) for url in urls):
            refused = self.tr("Only files on this computer can be added. Save the file first, then add it.")
            self._report_intake(refused, failed=True)
        self._take_in([Path(url.toLocalFile()) for url in urls if _is_local(url)])

    def _take_in(self, paths: Sequence[Path]) -> None:
        record_id = self.model.record_id
        if record_id is None:
            self._report_intake(self.tr("Save the record to add evidence."), failed=True)
            return
        folders = [path for path in paths if path.is_dir()]
        files = [path for path in paths if not path.is_dir()]
        if folders:
            names = ", ".join(path.name or str(path) for path in folders)
            refused = self.tr("Folders cannot be added as evidence: %1. Add the files inside them.")
            self._report_intake(refused.replace("%1", names), failed=True)
        if files:
            if not self.intake.is_running:
                self.progress_label.setText(self.tr("Adding files…"))
                self.progress_bar.setValue(0)
            self.intake.add(record_id, files)
            self._set_progress_visible(True)
            self._update_buttons()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self._accept_as_copy(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self._accept_as_copy(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if not self._accept_as_copy(event):
            return
        self.add_urls(event.mimeData().urls())

    def _accept_as_copy(self, event: QDropEvent) -> bool:
        """Always a copy, never a move: a file manager deletes a moved file's original once the drop returns,
        before the intake has read it."""
        wanted = self.model.record_id is not None and event.mimeData().hasUrls()
        if not wanted or not event.possibleActions() & Qt.DropAction.CopyAction:
            event.ignore()
            return False
        if not any(_is_local(url) for url in event.mimeData().urls()):
            event.ignore()
            return False
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        return True

    def _on_add_button_clicked(self) -> None:
        choose_files_to_add(self, self.add_files)

    def _on_intake_file_started(self, name: str, number: int, count: int) -> None:
        text = self.tr("Adding %1 (%2 of %3)…").replace("%2", str(number)).replace("%3", str(count))
        self.progress_label.setText(text.replace("%1", name))  # the name last: "%2" in it stays as it is
        self._set_progress_visible(True)
        self._update_buttons()

    def _on_intake_file_added(self, attachment_id: str, name: str) -> None:
        self._report_intake(self.tr("Added %1.").replace("%1", name))
        self._pending_selection = attachment_id
        self.refresh()
        self.evidence_added.emit(attachment_id)

    def _on_intake_file_failed(self, _name: str, message: str) -> None:
        self._report_intake(message, failed=True)

    def _on_intake_cancelled(self) -> None:
        self._report_intake(self.tr("Cancelled; the file being added was not kept."), failed=True)

    def _on_intake_finished(self) -> None:
        self._set_progress_visible(False)
        self._update_buttons()

    def _begin_report(self) -> None:
        """A new batch starts a new report; files dropped while others go in add to the running one."""
        if not self.intake.is_running:
            self._intake_lines, self._intake_failed = [], False

    def _report_intake(self, line: str, *, failed: bool = False) -> None:
        self._intake_lines.append(line)
        self._intake_failed = self._intake_failed or failed
        self.show_message("\n".join(self._intake_lines[-8:]), error=self._intake_failed)

    # -- preview, export, verify ----------------------------------------------------------------------------------

    def preview_selected(self) -> PreviewDialog | None:
        state = self.current_attachment()
        if state is None:
            return None
        dialog = PreviewDialog(self._executor, state, self._lang, self)
        dialog.show()
        return dialog

    def export_selected(self) -> ExportDialog | None:
        state = self.current_attachment()
        if state is None:
            return None
        dialog = ExportDialog(state, self)
        dialog.accepted.connect(lambda: self._on_export_dialog_accepted(dialog))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def export(self, attachment: RecordState, destination: Path, *, strip: bool) -> None:
        attachment_id = attachment.id
        self.show_message(self.tr("Exporting %1…").replace("%1", shown(attachment.body["file_name"])))
        self._executor.submit(
            lambda context: context.workspace.attachments.export(
                attachment_id, destination, strip=strip, check_cancelled=context.check_cancelled
            ),
            on_success=self._on_exported,
            on_failure=self._on_action_failed,
            owner=self,
        )

    def verify_selected(self) -> None:
        state = self.current_attachment()
        if state is None:
            return
        attachment_id = state.id
        self.show_message(self.tr("Verifying %1…").replace("%1", shown(state.body["file_name"])))
        self._executor.submit(
            lambda context: context.workspace.attachments.verify(
                attachment_id, check_cancelled=context.check_cancelled
            ),
            on_success=self._on_verified,
            on_failure=self._on_action_failed,
            owner=self,
        )

    def _on_export_dialog_accepted(self, dialog: ExportDialog) -> None:
        destination = dialog.destination()
        if destination is not None:
            self.export(dialog.attachment, destination, strip=dialog.strip())

    def _on_exported(self, result: ExportResult) -> None:
        self.show_message(export_message(result))

    def _on_verified(self, state: RecordState) -> None:
        text = self.tr("%1 is intact: it matches the SHA-256 taken at intake,\n%2")
        self.show_message(text.replace("%2", state.body["sha256"]).replace("%1", shown(state.body["file_name"])))

    def _on_action_failed(self, error: SafeCaseError) -> None:
        self.show_message(error.message, error=True)

    # -- state ----------------------------------------------------------------------------------------------------

    def _set_progress_visible(self, visible: bool) -> None:
        for widget in self._progress_widgets:
            widget.setVisible(visible)

    def _update_buttons(self) -> None:
        saved = self.model.record_id is not None
        selected = self.current_attachment() is not None
        self.add_button.setEnabled(saved)
        for button in (self.preview_button, self.export_button, self.verify_button):
            button.setEnabled(selected)

    def _on_model_loaded(self) -> None:
        self._fit_table()
        if self._pending_selection is not None:
            self.select_attachment(self._pending_selection)
        self._update_buttons()

    def _fit_table(self) -> None:
        """No list while there is nothing in it; else room for up to ``VISIBLE_ROWS`` rows, so the panel takes
        from the form above only the height its evidence needs (the splitter honours the minimum)."""
        rows = self.model.rowCount()
        self.table.setVisible(rows > 0)
        header = self.table.horizontalHeader().sizeHint().height()
        row_height = self.table.verticalHeader().defaultSectionSize()
        frame = 2 * self.table.frameWidth()
        self.table.setMinimumHeight(header + row_height * min(max(rows, 1), VISIBLE_ROWS) + frame)

    def _on_table_activated(self, _index: QModelIndex) -> None:
        self.preview_selected()
