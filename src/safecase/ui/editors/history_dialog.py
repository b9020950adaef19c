"""The history of one record: every stored version (when, from which device), each shown read-only, and a way
to make an earlier version current again (as a new version: history only grows)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from safecase.domain.kinds import Kind
from safecase.domain.record_types import RECORD_TYPES
from safecase.errors import SafeCaseError
from safecase.storage.records import RecordState, RecordVersion
from safecase.ui.editors.context import EditorContext
from safecase.ui.editors.form import ObjForm
from safecase.ui.widgets.plain import PlainLabel


class HistoryDialog(QDialog):
    """Lists the versions of a record, newest first, and restores the one chosen."""

    restored = Signal(object)  # RecordState: the record after the restore

    def __init__(
        self, kind: Kind, record_id: str, context: EditorContext, *, can_restore: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("History"))
        self.resize(900, 600)
        self._kind = kind
        self._record_id = record_id
        self._context = EditorContext(kind, context.executor, context.lang)
        self.versions: list[RecordVersion] = []
        self.version_list = QListWidget(self)
        self.version_list.setAccessibleName(self.tr("Versions"))
        self.preview = ObjForm(RECORD_TYPES[kind].body, self._context, root=True)
        self.preview.set_read_only(True)
        self.message = PlainLabel("", self)
        self.restore_button = QPushButton(self.tr("Restore this version"), self)
        self.restore_button.setAccessibleName(self.tr("Restore this version"))
        self.restore_button.setEnabled(False)
        self.restore_button.setVisible(can_restore)
        self._lay_out()
        self.version_list.currentRowChanged.connect(self._on_version_list_row_changed)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self._load()

    def _lay_out(self) -> None:
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.preview)
        body = QHBoxLayout()
        body.addWidget(self.version_list, 1)
        body.addWidget(scroll, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _load(self) -> None:
        record_id = self._record_id
        self._context.executor.submit(
            lambda c: c.workspace.records.history(record_id),
            on_success=self._on_history_loaded,
            on_failure=self._on_failure,
            owner=self,
        )

    def _on_history_loaded(self, versions: list[RecordVersion]) -> None:
        self.versions = list(reversed(versions))
        self.version_list.clear()
        for number, version in enumerate(self.versions):
            text = self.tr("%1 · device %2").replace("%1", version.written_at).replace("%2", version.origin_device[:8])
            if number == 0:
                text += self.tr(" (current)")
            if version.deleted:
                text += self.tr(" (deleted)")
            self.version_list.addItem(QListWidgetItem(text))
        if self.versions:
            self.version_list.setCurrentRow(0)

    def _on_version_list_row_changed(self, row: int) -> None:
        if 0 <= row < len(self.versions):
            body = dict(self.versions[row].body)
            if self._kind is Kind.CONTACT and "value" in body:
                body["value"] = "••••••"  # a contact's value is shown only in its editor, after Reveal
            self.preview.set_value(body)
            self.preview.set_read_only(True)
        self.restore_button.setEnabled(row > 0)

    def select_version(self, row: int) -> None:
        self.version_list.setCurrentRow(row)

    def _on_restore_clicked(self) -> None:
        row = self.version_list.currentRow()
        if not 0 < row < len(self.versions):
            return
        record_id, revision = self._record_id, self.versions[row].revision
        self.restore_button.setEnabled(False)
        self._context.executor.submit(
            lambda c: c.workspace.records.restore(record_id, revision),
            on_success=self._on_restored,
            on_failure=self._on_failure,
            owner=self,
        )

    def _on_restored(self, state: RecordState) -> None:
        self.restored.emit(state)
        self.accept()

    def _on_failure(self, error: SafeCaseError) -> None:
        self.message.setText(error.message)
