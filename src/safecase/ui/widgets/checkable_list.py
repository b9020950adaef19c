"""A list of things to tick (cases, recipients), each remembering its record id; shared by the report wizard, the
Statistics window and the send wizard."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from safecase.domain.kinds import Kind
from safecase.domain.records import display_title
from safecase.ui.executor import TaskContext

IdRole = Qt.ItemDataRole.UserRole + 1
MAX_CASES_LISTED = 5000


def load_cases(context: TaskContext, lang: str) -> list[tuple[str, str]]:
    """On the database thread: (id, title) of every case, newest first as the list shows them."""
    cases = context.workspace.records.list_kind(Kind.CASE, limit=MAX_CASES_LISTED)
    return [(case.id, display_title(Kind.CASE, case.body, lang=lang)) for case in cases]


class CheckableListModel(QStandardItemModel):
    """Checkable titles with their ids; ``checked_ids`` is what the user ticked."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def set_items(self, items: list[tuple[str, str]]) -> None:
        """Replace the list with ``(id, title)`` pairs, none ticked."""
        self.clear()
        for item_id, title in items:
            item = QStandardItem(title)
            item.setData(item_id, IdRole)
            item.setCheckable(True)
            item.setEditable(False)
            self.appendRow(item)

    def checked_ids(self) -> list[str]:
        return [
            str(self.item(row).data(IdRole))
            for row in range(self.rowCount())
            if self.item(row).checkState() == Qt.CheckState.Checked
        ]
