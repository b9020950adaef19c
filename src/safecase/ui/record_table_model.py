"""The table model behind every record list: sorted and filtered in the database, fetched in pages on demand.

The model holds the sorted integer keys of the rows its query matches (8 bytes a row; a million rows is 8 MB,
streamed in chunks so the first screen shows before the last key arrives) and a bounded cache of pages of list
columns. ``data()`` never waits: a row whose page is not cached shows a placeholder and asks for its page; page
requests are coalesced, at most one is in flight, and only the pages asked for most recently (the ones on
screen) are fetched, so scrolling fast through a million rows never queues a million rows of work. The first
request goes out at once; requests made while it is in flight are batched into the next one.
"""

from __future__ import annotations

import logging
from array import array
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from safecase.domain.kinds import Kind
from safecase.domain.list_columns import ListColumn
from safecase.errors import SafeCaseError
from safecase.services.workspace import ListQuery
from safecase.storage.listing import ListRow
from safecase.ui.executor import DatabaseExecutor, Task, TaskContext

log = logging.getLogger(__name__)

PAGE_SIZE: Final = 100
MAX_CACHED_PAGES: Final = 60
MAX_PAGES_PER_FETCH: Final = 6  # about two screens
PLACEHOLDER: Final = "…"

RecordIdRole: Final = Qt.ItemDataRole.UserRole + 1  # str: the record's UUID
RecordKeyRole: Final = Qt.ItemDataRole.UserRole + 2  # int: the record's key in the database
RevisionRole: Final = Qt.ItemDataRole.UserRole + 3  # str: the record's current revision

AnyIndex = QModelIndex | QPersistentModelIndex


class RecordTableModel(QAbstractTableModel):
    loading_changed = Signal(bool)  # True while the keys of the current query are still arriving
    row_count_known = Signal(int)  # every key of the current query has arrived; the number of rows
    load_failed = Signal(str)  # a one-line message: the list could not be read

    def __init__(
        self,
        executor: DatabaseExecutor,
        kind: Kind,
        columns: Sequence[ListColumn],
        lang: str = "en",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._executor = executor
        self._kind = kind
        self._columns = tuple(columns)
        self._lang = lang
        self._query = ListQuery(kind)
        self._keys = array("q")
        self._pages: OrderedDict[int, dict[int, ListRow]] = OrderedDict()
        self._wanted: OrderedDict[int, None] = OrderedDict()
        self._page_task: Task[Any] | None = None
        self._load_task: Task[Any] | None = None
        self._generation = 0
        self._loading = False

    # -- the query ----------------------------------------------------------------------------------------------

    @property
    def kind(self) -> Kind:
        return self._kind

    @property
    def query(self) -> ListQuery:
        return self._query

    @property
    def columns(self) -> tuple[ListColumn, ...]:
        return self._columns

    @property
    def is_loading(self) -> bool:
        return self._loading

    def set_query(self, query: ListQuery) -> None:
        """Show the rows of ``query``: drop everything held and stream its keys from the database."""
        if self._load_task is not None:
            self._load_task.cancel()
        if self._page_task is not None:
            self._page_task.cancel()
            self._page_task = None
        self._generation += 1
        self.beginResetModel()
        self._query = query
        self._keys = array("q")
        self._pages.clear()
        self._wanted.clear()
        self.endResetModel()
        self._set_loading(True)
        generation = self._generation
        self._load_task = self._executor.submit(
            lambda context: _stream_keys(context, query),
            on_partial=lambda part: self._on_keys_arrived(generation, part),
            on_success=lambda _: self._on_keys_complete(generation),
            on_failure=lambda error: self._on_load_failed(generation, error),
            owner=self,
        )

    def clear(self) -> None:
        """Forget every key and row (on lock), without reading anything."""
        for task in (self._load_task, self._page_task):
            if task is not None:
                task.cancel()
        self._load_task = self._page_task = None
        self._generation += 1
        self.beginResetModel()
        self._keys = array("q")
        self._pages.clear()
        self._wanted.clear()
        self.endResetModel()
        self._set_loading(False)

    def set_text_filter(self, text: str) -> None:
        if text != self._query.text_filter:
            self.set_query(replace(self._query, text_filter=text))

    def set_lang(self, lang: str) -> None:
        self._lang = lang
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self._columns) - 1))
        if self._keys:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._keys) - 1, len(self._columns) - 1))

    def forget_cached_rows(self) -> None:
        """Drop cached pages (after an edit) so the rows on screen are read again."""
        self._pages.clear()
        if self._keys:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._keys) - 1, len(self._columns) - 1))

    # -- QAbstractTableModel ------------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns)
        if horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].label(self._lang)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._keys):
            return None
        row = self._cached_row(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            if row is None:
                return PLACEHOLDER if index.column() == 0 else ""
            column = self._columns[index.column()]
            return column.cell_text(_value(row, column.name), self._lang)
        if row is None:
            return None
        if role == RecordIdRole:
            return row.id
        if role == RecordKeyRole:
            return row.num
        if role == RevisionRole:
            return row.revision
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        query = replace(self._query, sort_column=self._columns[column].name, descending=descending)
        if query != self._query:
            self.set_query(query)

    # -- for views and tests --------------------------------------------------------------------------------------

    def record_id(self, row: int) -> str | None:
        cached = self._cached_row(row, request=False) if 0 <= row < len(self._keys) else None
        return cached.id if cached is not None else None

    def row_of_record(self, record_id: str) -> int | None:
        """The row of a record among the cached rows, if it is cached."""
        for page, rows in self._pages.items():
            for num, row in rows.items():
                if row.id == record_id:
                    start = page * PAGE_SIZE
                    end = min(start + PAGE_SIZE, len(self._keys))
                    for position in range(start, end):
                        if self._keys[position] == num:
                            return position
        return None

    def cached_row_count(self) -> int:
        return sum(len(rows) for rows in self._pages.values())

    # -- pages --------------------------------------------------------------------------------------------------

    def _cached_row(self, row: int, *, request: bool = True) -> ListRow | None:
        page = row // PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            if request:
                self._want(page)
            return None
        self._pages.move_to_end(page)
        return rows.get(self._keys[row])

    def _want(self, page: int) -> None:
        self._wanted[page] = None
        self._wanted.move_to_end(page)
        if self._page_task is None:
            self._fetch_wanted_pages()

    def _fetch_wanted_pages(self) -> None:
        if self._page_task is not None or not self._wanted:
            return
        pages = [page for page in reversed(self._wanted) if page not in self._pages][:MAX_PAGES_PER_FETCH]
        self._wanted.clear()
        if not pages:
            return
        keys = {page: self._keys[page * PAGE_SIZE : (page + 1) * PAGE_SIZE].tolist() for page in pages}
        kind, generation = self._kind, self._generation
        self._page_task = self._executor.submit(
            lambda context: _read_pages(context, kind, keys),
            on_success=lambda found: self._on_pages_arrived(generation, found),
            on_failure=lambda error: self._on_pages_failed(generation, error),
            owner=self,
        )

    def _on_pages_arrived(self, generation: int, found: dict[int, dict[int, ListRow]]) -> None:
        if generation != self._generation:
            return
        self._page_task = None
        for page, rows in found.items():
            self._store_page(page, rows)
        self._fetch_wanted_pages()

    def _on_pages_failed(self, generation: int, error: SafeCaseError) -> None:
        if generation == self._generation:
            self._page_task = None
            self.load_failed.emit(error.message)

    def _store_page(self, page: int, rows: dict[int, ListRow]) -> None:
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > MAX_CACHED_PAGES:
            self._pages.popitem(last=False)
        first = page * PAGE_SIZE
        last = min(first + PAGE_SIZE, len(self._keys)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self._columns) - 1))

    # -- keys ---------------------------------------------------------------------------------------------------

    def _on_keys_arrived(self, generation: int, part: tuple[list[int], dict[int, ListRow] | None]) -> None:
        if generation != self._generation:
            return
        keys, first_rows = part
        if not keys:
            return
        start = len(self._keys)
        self.beginInsertRows(QModelIndex(), start, start + len(keys) - 1)
        self._keys.extend(keys)
        if first_rows is not None and start == 0:
            self._pages[0] = first_rows
        self.endInsertRows()

    def _on_keys_complete(self, generation: int) -> None:
        if generation == self._generation:
            self._load_task = None
            self._set_loading(False)
            self.row_count_known.emit(len(self._keys))

    def _on_load_failed(self, generation: int, error: SafeCaseError) -> None:
        if generation == self._generation:
            self._load_task = None
            self._set_loading(False)
            self.load_failed.emit(error.message)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)


def _stream_keys(context: TaskContext, query: ListQuery) -> None:
    """On the database thread: send the keys in chunks, the first with the rows of the first page."""
    workspace = context.workspace
    first = True
    for chunk in workspace.list_keys(query):
        context.check_cancelled()
        rows = workspace.list_rows(query.kind, chunk[:PAGE_SIZE]) if first else None
        context.partial((chunk, rows))
        first = False


def _read_pages(context: TaskContext, kind: Kind, keys: dict[int, list[int]]) -> dict[int, dict[int, ListRow]]:
    all_keys = [key for page_keys in keys.values() for key in page_keys]
    rows = context.workspace.list_rows(kind, all_keys)
    return {page: {key: rows[key] for key in page_keys if key in rows} for page, page_keys in keys.items()}


def _value(row: ListRow, name: str) -> object:
    if name in ("created_at", "updated_at", "revision"):
        return getattr(row, name)
    return row.values.get(name)
