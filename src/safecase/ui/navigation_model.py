"""The navigation list: the kinds of record a user browses, as a Qt list model."""

from __future__ import annotations

from typing import Any, Final

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from safecase.domain.kinds import Kind

NAVIGATION_KINDS: Final = (Kind.CASE, Kind.PERSON, Kind.TESTIMONY, Kind.EVENT, Kind.LOCATION, Kind.CONTACT)
KindRole: Final = Qt.ItemDataRole.UserRole + 1

_PLURAL: Final = {
    Kind.CASE: ("Cases", "사례"),
    Kind.PERSON: ("People", "인물"),
    Kind.TESTIMONY: ("Testimonies", "증언"),
    Kind.EVENT: ("Events", "사건"),
    Kind.LOCATION: ("Locations", "장소"),
    Kind.CONTACT: ("Contacts", "연락처"),
}


def kind_list_label(kind: Kind, lang: str) -> str:
    en, ko = _PLURAL.get(kind, (kind.label("en"), kind.label("ko")))
    return ko if lang == "ko" else en


class NavigationModel(QAbstractListModel):
    def __init__(self, lang: str = "en", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lang = lang

    def set_lang(self, lang: str) -> None:
        self._lang = lang
        self.dataChanged.emit(self.index(0), self.index(len(NAVIGATION_KINDS) - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(NAVIGATION_KINDS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(NAVIGATION_KINDS):
            return None
        kind = NAVIGATION_KINDS[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return kind_list_label(kind, self._lang)
        if role == KindRole:
            return kind.value
        return None
