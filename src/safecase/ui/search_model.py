"""The results of "search everywhere" as a two-level Qt model: one group row per kind, its hits below it.

Groups come in the order of their best hit, and hits keep their rank inside a group. A hit's title, in the model's
language, is its display text; its snippet, record id and kind are available through the custom roles below, for
the delegate and the dialog. The model holds no tool tips: Qt guesses whether a tool tip is rich text, and user text
must never be interpreted as markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import overload

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from safecase.domain.kinds import Kind
from safecase.domain.records import display_title
from safecase.services.search import SearchResult

SnippetRole = int(Qt.ItemDataRole.UserRole) + 1  # a hit's Snippet (None on group rows)
RecordIdRole = int(Qt.ItemDataRole.UserRole) + 2  # a hit's record id, str (None on group rows)
KindRole = int(Qt.ItemDataRole.UserRole) + 3  # the kind of a hit or of a group, as its value (str: "person")
IsGroupRole = int(Qt.ItemDataRole.UserRole) + 4  # True on group rows

# internalId of a group row; a hit's internalId is its group's row + 1.
_GROUP_ID = 0

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invalid index, as a default argument


@dataclass
class _Group:
    kind: Kind
    results: list[SearchResult] = field(default_factory=list)


class SearchResultsModel(QAbstractItemModel):
    """Search hits grouped by kind, one column; ``set_results`` replaces everything with a model reset."""

    def __init__(self, lang: str = "en", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self._query = ""
        self._groups: list[_Group] = []

    # -- content --------------------------------------------------------------------------------------------------

    @property
    def lang(self) -> str:
        return self._lang

    @lang.setter
    def lang(self, lang: str) -> None:
        if lang == self._lang:
            return
        self._lang = lang
        for row, group in enumerate(self._groups):  # group labels and hit titles both change
            parent = self.index(row, 0)
            self.dataChanged.emit(parent, parent)
            self.dataChanged.emit(self.index(0, 0, parent), self.index(len(group.results) - 1, 0, parent))

    @property
    def query(self) -> str:
        """The query the current results answer."""
        return self._query

    @property
    def result_count(self) -> int:
        return sum(len(group.results) for group in self._groups)

    def set_results(self, query: str, results: list[SearchResult]) -> None:
        """Show ``results`` (ranked best first) for ``query``, grouped by kind."""
        groups: dict[Kind, _Group] = {}
        for result in results:
            groups.setdefault(result.kind, _Group(result.kind)).results.append(result)
        self.beginResetModel()
        self._query = query
        self._groups = list(groups.values())
        self.endResetModel()

    def clear(self) -> None:
        self.set_results("", [])

    def result_at(self, index: AnyIndex) -> SearchResult | None:
        """The hit at ``index``, or None for a group row or an invalid index."""
        if not index.isValid() or index.internalId() == _GROUP_ID:
            return None
        group = index.internalId() - 1
        if group >= len(self._groups) or index.row() >= len(self._groups[group].results):
            return None  # an index kept from before a reset
        return self._groups[group].results[index.row()]

    def result_indexes(self) -> list[QModelIndex]:
        """The index of every hit, in display order (for moving through hits from the query field)."""
        indexes: list[QModelIndex] = []
        for row, group in enumerate(self._groups):
            parent = self.index(row, 0)
            indexes.extend(self.index(child, 0, parent) for child in range(len(group.results)))
        return indexes

    # -- QAbstractItemModel -----------------------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = _ROOT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _GROUP_ID)
        return self.createIndex(row, column, parent.row() + 1)

    @overload
    def parent(self) -> QObject | None: ...
    @overload
    def parent(self, child: AnyIndex) -> QModelIndex: ...
    def parent(self, child: AnyIndex | None = None) -> QObject | QModelIndex | None:
        if child is None:  # QObject.parent(), which this name hides in Python
            return super().parent()
        if not child.isValid() or child.internalId() == _GROUP_ID:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, _GROUP_ID)

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == _GROUP_ID and parent.column() == 0:
            return len(self._groups[parent.row()].results)
        return 0

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 1

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == _GROUP_ID:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if index.internalId() == _GROUP_ID:
            return self._group_data(self._groups[index.row()], role) if index.row() < len(self._groups) else None
        result = self.result_at(index)
        if result is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._title(result)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self._title(result)}. {result.snippet.text}"
        if role == SnippetRole:
            return result.snippet
        if role == RecordIdRole:
            return result.record.id
        if role == KindRole:
            return result.kind.value
        if role == IsGroupRole:
            return False
        return None

    def _title(self, result: SearchResult) -> str:
        """The hit's title in the model's language (the service's is always English)."""
        if self._lang == "en":
            return result.title
        return display_title(result.kind, result.record.body, lang=self._lang)

    def _group_data(self, group: _Group, role: int) -> object:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.tr("{kind} ({count})").format(kind=group.kind.label(self._lang), count=len(group.results))
        if role == KindRole:
            return group.kind.value
        if role == IsGroupRole:
            return True
        return None
