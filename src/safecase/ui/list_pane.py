"""One record list: a filter field over a lazily fetched, database-sorted table of one kind."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from safecase.domain.kinds import Kind
from safecase.domain.list_columns import DEFAULT_SORT, LIST_COLUMNS
from safecase.services.workspace import ListQuery
from safecase.ui.executor import DatabaseExecutor
from safecase.ui.record_table_model import RecordIdRole, RecordTableModel
from safecase.ui.widgets.plain import PlainLabel

FILTER_DELAY_MS = 300
MAX_FILTER_CHARS = 200


class RecordListPane(QWidget):
    record_selected = Signal(str, str)  # kind value, record id: the user picked a row
    new_record_requested = Signal(str)  # kind value

    def __init__(self, executor: DatabaseExecutor, kind: Kind, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.model = RecordTableModel(executor, kind, LIST_COLUMNS[kind], lang, self)
        self.filter_field = QLineEdit(self)
        self.filter_field.setMaxLength(MAX_FILTER_CHARS)
        self.filter_field.setClearButtonEnabled(True)
        self.filter_field.setAccessibleName(self.tr("Filter the list"))
        self.new_button = QPushButton(self)
        self.new_button.setAccessibleName(self.tr("New record"))
        self.table = self._make_table()
        self.status = PlainLabel("", self)
        self._filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_field.textChanged.connect(lambda _text: self._filter_timer.start())
        self.new_button.clicked.connect(lambda: self.new_record_requested.emit(self.kind.value))
        self.model.loading_changed.connect(self._on_model_loading_changed)
        self.model.load_failed.connect(self.status.setText)
        self._lay_out()
        self.retranslate(lang)

    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setSortingEnabled(True)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(24)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row size queries
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setDefaultSectionSize(150)
        sort_column, descending = DEFAULT_SORT[self.kind]
        names = [column.name for column in self.model.columns]
        if sort_column in names:
            order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            table.horizontalHeader().setSortIndicator(names.index(sort_column), order)
        table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        table.activated.connect(self._on_row_activated)
        return table

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.filter_field, 1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

    def retranslate(self, lang: str) -> None:
        self.filter_field.setPlaceholderText(self.tr("Filter (words from names, places, text)…"))
        self.new_button.setText(self.tr("&New"))
        self.table.setAccessibleName(self.tr("Records"))
        self.model.set_lang(lang)

    def load(self) -> None:
        """Read the list from the vault (again), with the current sort and filter."""
        sort_column, descending = DEFAULT_SORT[self.kind]
        header = self.table.horizontalHeader()
        names = [column.name for column in self.model.columns]
        if 0 <= header.sortIndicatorSection() < len(names):
            sort_column = names[header.sortIndicatorSection()]
            descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        self.model.set_query(ListQuery(self.kind, sort_column, descending, self.filter_field.text()))

    def clear(self) -> None:
        """Forget every row and the filter text (on lock)."""
        self.filter_field.clear()
        self._filter_timer.stop()
        self.model.clear()

    def _apply_filter(self) -> None:
        self.model.set_text_filter(self.filter_field.text())

    def _on_model_loading_changed(self, loading: bool) -> None:
        if loading:
            self.status.setText(self.tr("Loading…"))
        else:
            self.status.setText(self.tr("%n record(s)", "", self.model.rowCount()))

    def _on_selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self._on_row_activated(indexes[0])

    def _on_row_activated(self, index: QModelIndex) -> None:
        record_id = self.model.data(index, RecordIdRole)
        if isinstance(record_id, str):
            self.record_selected.emit(self.kind.value, record_id)
