"""The team contacts as a Qt table: name, organisation, status and fingerprint."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from safecase.errors import shown
from safecase.storage.team_contacts import TeamContact
from safecase.ui.exchange.fingerprint import fingerprint_font

AnyIndex = QModelIndex | QPersistentModelIndex
_COLUMNS = ("name", "organisation", "status", "fingerprint")


class ContactTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._contacts: list[TeamContact] = []

    def set_contacts(self, contacts: list[TeamContact]) -> None:
        self.beginResetModel()
        self._contacts = list(contacts)
        self.endResetModel()

    def contact(self, row: int) -> TeamContact | None:
        return self._contacts[row] if 0 <= row < len(self._contacts) else None

    def row_of(self, contact_id: str) -> int | None:
        return next((row for row, c in enumerate(self._contacts) if c.id == contact_id), None)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._contacts)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (self.tr("Name"), self.tr("Organisation"), self.tr("Status"), self.tr("Fingerprint"))
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        contact = self.contact(index.row()) if index.isValid() else None
        if contact is None:
            return None
        column = _COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(contact, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == "status" and contact.status != "verified":
            return QColor(Qt.GlobalColor.darkRed)
        if role == Qt.ItemDataRole.FontRole and column == "fingerprint":
            return fingerprint_font(10)
        return None

    def _text(self, contact: TeamContact, column: str) -> str:
        if column == "name":
            return shown(contact.display_name)
        if column == "organisation":
            return shown(contact.organisation)
        if column == "status":
            return self._status_text(contact)
        return contact.fingerprint or self.tr("age only: %1").replace("%1", contact.age_recipient[:16] + "…")

    def _status_text(self, contact: TeamContact) -> str:
        texts = {"verified": self.tr("verified"), "unverified": self.tr("not verified"), "revoked": self.tr("removed")}
        return texts[contact.status]
