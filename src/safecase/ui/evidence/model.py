"""The evidence files of one record as a Qt table model, read through the database executor.

A record has a handful of attachments, not a million: the model holds their records whole and reads them again
after every change. Every column comes from the attachment's intake record; nothing is decrypted here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import IntEnum
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from safecase.domain import vocabulary as v
from safecase.domain.media_types import describe
from safecase.errors import SafeCaseError, shown
from safecase.storage.records import RecordState
from safecase.ui.executor import DatabaseExecutor, Task, TaskContext

AttachmentIdRole: Final = Qt.ItemDataRole.UserRole + 1  # str: the attachment record's id
SHORT_HASH_CHARS: Final = 12
_UNITS: Final = ("KB", "MB", "GB", "TB")

AnyIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    TYPE = 0
    FILE_NAME = 1
    SIZE = 2
    SHA256 = 3
    INTAKE = 4
    COPY_ROLE = 5


def human_size(size: int) -> str:
    """``size`` bytes for people: "512 bytes", "14.2 KB", "3.0 MB" (1 KB = 1,024 bytes, as file managers count)."""
    if size < 1024:
        return QCoreApplication.translate("Evidence", "%1 bytes").replace("%1", str(size))
    value = float(size)
    for unit in _UNITS:
        value /= 1024
        if value < 1024 or unit == _UNITS[-1]:
            return f"{value:.1f} {unit}"
    raise AssertionError("unreachable")


def local_minute(utc_iso: str) -> str:
    """A stored UTC time (``2026-03-01T09:30:00.000Z``) in this computer's time zone, to the minute."""
    try:
        moment = datetime.fromisoformat(utc_iso.replace("Z", "+00:00"))
    except ValueError:
        return utc_iso
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def list_attachments(context: TaskContext, record_id: str) -> list[RecordState]:
    """On the database thread: the evidence files of ``record_id``, in intake order."""
    return context.workspace.attachments.list_for(record_id)


def attached_record(context: TaskContext, attachment_id: str) -> tuple[str, str]:
    """On the database thread: the kind and id of the record an evidence file is attached to."""
    attachment = context.workspace.attachments.get(attachment_id)
    owner = context.workspace.records.show(attachment.body["attached_to_id"])
    return owner.kind, owner.id


class EvidenceModel(QAbstractTableModel):
    """The attachments of one record: type, file name, size, short SHA-256, intake time and copy role."""

    loaded = Signal()  # the rows of the current record arrived
    load_failed = Signal(str)  # a one-line message: the list could not be read

    def __init__(self, executor: DatabaseExecutor, lang: str = "en", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._lang = lang
        self._rows: list[RecordState] = []
        self._record_id: str | None = None
        self._task: Task[list[RecordState]] | None = None
        self._generation = 0

    @property
    def record_id(self) -> str | None:
        return self._record_id

    def load(self, record_id: str | None) -> None:
        """Show the evidence of ``record_id`` (None: nothing), read afresh from the vault."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self._generation += 1
        if record_id != self._record_id:
            self._set_rows([])
        self._record_id = record_id
        if record_id is None:
            return
        generation = self._generation
        self._task = self._executor.submit(
            lambda context: list_attachments(context, record_id),
            on_success=lambda rows: self._on_loaded(generation, rows),
            on_failure=lambda error: self._on_load_failed(generation, error),
            owner=self,
        )

    def set_lang(self, lang: str) -> None:
        self._lang = lang
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(Column) - 1))

    def attachment(self, row: int) -> RecordState | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, attachment_id: str) -> int | None:
        for row, state in enumerate(self._rows):
            if state.id == attachment_id:
                return row
        return None

    # -- QAbstractTableModel ------------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = {
            Column.TYPE: self.tr("Type"),
            Column.FILE_NAME: self.tr("File name"),
            Column.SIZE: self.tr("Size"),
            Column.SHA256: self.tr("SHA-256"),
            Column.INTAKE: self.tr("Taken in"),
            Column.COPY_ROLE: self.tr("Copy"),
        }
        return headers.get(Column(section)) if 0 <= section < len(Column) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        state = self.attachment(index.row()) if index.isValid() else None
        if state is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell_text(state.body, Column(index.column()))
        if role == AttachmentIdRole:
            return state.id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == Column.SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == Column.SHA256:
            return state.body["sha256"]  # hex digits only: no user text in a tooltip, which Qt may read as HTML
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    # -- internals ------------------------------------------------------------------------------------------------

    def _cell_text(self, body: dict[str, Any], column: Column) -> str:
        if column is Column.TYPE:
            return describe(body["media_type"], self._lang)
        if column is Column.FILE_NAME:
            return shown(str(body["file_name"]))
        if column is Column.SIZE:
            return human_size(int(body["size"]))
        if column is Column.SHA256:
            return str(body["sha256"])[:SHORT_HASH_CHARS]
        if column is Column.INTAKE:
            return local_minute(str(body["intake_at"]))
        role = body.get("copy_role", "original")
        return v.COPY_ROLES.label(role, self._lang) if role in v.COPY_ROLES else str(role)

    def _set_rows(self, rows: Sequence[RecordState]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def _on_loaded(self, generation: int, rows: list[RecordState]) -> None:
        if generation != self._generation:
            return
        self._task = None
        self._set_rows(rows)
        self.loaded.emit()

    def _on_load_failed(self, generation: int, error: SafeCaseError) -> None:
        if generation == self._generation:
            self._task = None
            self.load_failed.emit(error.message)
