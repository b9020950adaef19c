"""Resolving conflicts: records edited on two laptops without either seeing the other's edit.

Each conflicting version is shown in full beside the others (plain text, fields in order), with where and when it
was written. Keeping one writes it as a new version over all of them; the others stay in the history.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from safecase.domain.kinds import Kind
from safecase.domain.records import display_title
from safecase.errors import SafeCaseError
from safecase.services.exchange.conflicts import Conflict
from safecase.storage.records import RecordVersion
from safecase.ui.executor import DatabaseExecutor
from safecase.ui.import_action import show_plain_message
from safecase.ui.widgets.plain import PlainLabel

AnyIndex = QModelIndex | QPersistentModelIndex


class ConflictTableModel(QAbstractTableModel):
    def __init__(self, lang: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self._conflicts: list[Conflict] = []

    def set_conflicts(self, conflicts: list[Conflict]) -> None:
        self.beginResetModel()
        self._conflicts = list(conflicts)
        self.endResetModel()

    def conflict(self, row: int) -> Conflict | None:
        return self._conflicts[row] if 0 <= row < len(self._conflicts) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._conflicts)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Record"), self.tr("Kind"), self.tr("Versions"))[section]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        conflict = self.conflict(index.row()) if index.isValid() else None
        if conflict is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        if index.column() == 0:
            return display_title(Kind(conflict.kind), conflict.heads[-1].body, lang=self._lang)
        if index.column() == 1:
            return conflict.kind
        return str(len(conflict.heads))


def differing_fields(versions: tuple[RecordVersion, ...]) -> set[str]:
    """The top-level fields whose values are not the same in every version."""
    names = {name for version in versions for name in version.body}
    return {name for name in names if len({json.dumps(v.body.get(name), sort_keys=True) for v in versions}) > 1}


def version_text(version: RecordVersion, differing: set[str]) -> str:
    """The body field by field, the fields that differ between the versions marked with ►."""
    lines = []
    for name in sorted(version.body):
        value = json.dumps(version.body[name], ensure_ascii=False, indent=2, sort_keys=True)
        lines.append(f"{'►' if name in differing else ' '} {name}: {value}")
    for name in sorted(differing - set(version.body)):
        lines.append(f"► {name}: —")
    return "\n".join(lines)


class VersionPane(QGroupBox):
    keep_requested = Signal(str)  # revision

    def __init__(
        self, version: RecordVersion, differing: set[str], *, is_current: bool, is_local: bool, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.revision = version.revision
        if is_local:
            title = self.tr("Written %1 on this laptop").replace("%1", version.written_at)
        else:
            title = self.tr("Written %1 on another laptop (%2)")
            title = title.replace("%2", version.origin_device).replace("%1", version.written_at)
        if is_current:
            title += "  " + self.tr("(shown now)")
        if version.deleted:
            title += "  " + self.tr("(a deletion)")
        self.setTitle(title)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setPlainText(version_text(version, differing))
        self.keep = QPushButton(self.tr("Keep this version"), self)
        self.keep.clicked.connect(lambda: self.keep_requested.emit(self.revision))
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.keep)


class ConflictsDialog(QDialog):
    resolved = Signal()  # a record's state may have changed: lists should be read again

    def __init__(self, executor: DatabaseExecutor, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._device_id = ""
        self.setWindowTitle(self.tr("Conflicts"))
        self.model = ConflictTableModel(lang, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.explanation = PlainLabel(
            self.tr(
                "These records were changed on two laptops without either seeing the other's change. Both versions "
                "are kept; choose the one to keep. The other stays in the record's history."
            ),
            self,
        )
        self.explanation.setWordWrap(True)
        self.versions = QWidget(self)
        self.versions_layout = QHBoxLayout(self.versions)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.versions)
        splitter.setSizes([180, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(splitter, 1)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())
        self.resize(1000, 700)

    def reload(self) -> None:
        self._executor.submit(
            lambda context: (context.workspace.session.device_id, context.workspace.conflicts.list()),
            on_success=self._show,
            on_failure=self._on_failed,
            owner=self,
        )

    def _show(self, loaded: tuple[str, list[Conflict]]) -> None:
        self._device_id, conflicts = loaded
        self.model.set_conflicts(conflicts)
        if conflicts:
            self.table.selectRow(0)
        else:
            self._clear_versions()
            self.explanation.setText(self.tr("No conflicts: every record has one current version."))

    def _show_selected(self) -> None:
        self._clear_versions()
        rows = self.table.selectionModel().selectedRows()
        conflict = self.model.conflict(rows[0].row()) if rows else None
        if conflict is None:
            return
        differing = differing_fields(conflict.heads)
        for version in conflict.heads:
            pane = VersionPane(
                version,
                differing,
                is_current=version.revision == conflict.current_revision,
                is_local=version.origin_device == self._device_id,
                parent=self.versions,
            )
            pane.keep_requested.connect(lambda revision, record_id=conflict.record_id: self._keep(record_id, revision))
            self.versions_layout.addWidget(pane)

    def _clear_versions(self) -> None:
        while self.versions_layout.count():
            item = self.versions_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def _keep(self, record_id: str, revision: str) -> None:
        self._executor.submit(
            lambda context: context.workspace.conflicts.resolve(record_id, revision),
            on_success=lambda _state: self._on_resolved(),
            on_failure=self._on_failed,
            owner=self,
        )

    def _on_resolved(self) -> None:
        self.resolved.emit()
        self.reload()

    def _on_failed(self, error: SafeCaseError) -> None:
        show_plain_message(self, self.tr("Conflicts"), error.message, warning=True)
