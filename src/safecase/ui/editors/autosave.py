"""Autosave for record editors: a moment after the last change, save the form as a new version if it is valid,
or else as a draft in the vault, so no typing is lost to a crash or an auto-lock.

All saving runs on the database executor. A new record gets its id up front (it is also its draft key), and the
save operation adds the record if it does not exist yet or edits it if it does, so saves queued one after the
other never create two records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTime, QTimer, Signal

from safecase.domain.ids import new_record_id
from safecase.domain.kinds import Kind
from safecase.domain.records import validate_body
from safecase.errors import NotFoundError, SafeCaseError, ValidationError
from safecase.storage.records import RecordState
from safecase.ui.executor import DatabaseExecutor, OperationCancelled, TaskContext

AUTOSAVE_DELAY_MS = 1_500


@dataclass(frozen=True)
class SaveRequest:
    kind: Kind
    record_id: str
    body: dict[str, Any]


def save_record(context: TaskContext, request: SaveRequest) -> RecordState:
    """On the database thread: add the record or edit it, then drop its draft."""
    workspace = context.workspace
    try:
        workspace.records.show(request.record_id)
    except NotFoundError:
        state = workspace.records.add(request.kind, request.body, record_id=request.record_id)
    else:
        state = workspace.records.edit(request.record_id, request.body)
    workspace.discard_draft(request.record_id)
    return state


class Autosaver(QObject):
    """Decides when and how an editor's state is saved, and reports it as a one-line status."""

    status_changed = Signal(str)  # "Saving…", "Saved 14:02", "Not saved yet: <reason>"
    saved = Signal(object)  # RecordState, after a version was written
    rejected = Signal(object)  # ValidationError, from instant validation or the service

    def __init__(
        self,
        kind: Kind,
        record_id: str | None,
        executor: DatabaseExecutor,
        body_source: Callable[[], dict[str, Any]],
        *,
        auto_commit: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._kind = kind
        self.record_id = record_id or new_record_id()
        self.exists = record_id is not None
        self.base_revision: str | None = None
        self._executor = executor
        self._body_source = body_source
        self._auto_commit = auto_commit
        self._generation = 0
        self._saved_generation = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)

    @property
    def dirty(self) -> bool:
        return self._generation != self._saved_generation

    def mark_changed(self) -> None:
        """The form changed: save a moment after the last change."""
        self._generation += 1
        self._timer.start()

    def mark_clean(self) -> None:
        """The form now shows what is stored (after loading or restoring)."""
        self._timer.stop()
        self._saved_generation = self._generation

    def flush(self) -> None:
        """Queue a save of the current state now, if anything changed; never blocks."""
        if self.dirty:
            self.save_now()

    def save_now(self, *, commit: bool = False) -> None:
        self._timer.stop()
        body = self._body_source()
        generation = self._generation
        try:
            validate_body(self._kind, body)
        except ValidationError as error:
            self._save_draft(body, error)
            return
        if self._auto_commit or commit:
            self._commit(body, generation)
        else:
            self._save_draft(body, None)

    def _commit(self, body: dict[str, Any], generation: int) -> None:
        self.status_changed.emit(self.tr("Saving…"))
        request = SaveRequest(self._kind, self.record_id, body)
        self._executor.submit(
            lambda c: save_record(c, request),
            on_success=lambda state: self._on_saved(state, generation),
            on_failure=lambda error: self._on_save_failed(error, body),
            owner=self,
        )

    def _on_saved(self, state: RecordState, generation: int) -> None:
        self.exists = True
        self.base_revision = state.revision
        if generation == self._generation:
            self._saved_generation = generation
        self.status_changed.emit(self.tr("Saved %1").replace("%1", QTime.currentTime().toString("HH:mm")))
        self.saved.emit(state)

    def _on_save_failed(self, error: SafeCaseError, body: dict[str, Any]) -> None:
        if isinstance(error, OperationCancelled):
            return  # cancelled by a lock, which queued a fresh save of the same form first
        if isinstance(error, ValidationError):
            self._save_draft(body, error)
            return
        self._save_draft(body, None)
        self.status_changed.emit(self.tr("Not saved yet: %1").replace("%1", error.message))

    def _save_draft(self, body: dict[str, Any], error: ValidationError | None) -> None:
        key, kind, base = self.record_id, self._kind, self.base_revision
        self._executor.submit(
            lambda c: c.workspace.save_draft(key, kind, base, body),
            on_failure=lambda failure: self.status_changed.emit(
                self.tr("Not saved: %1").replace("%1", failure.message)
            ),
            owner=self,
        )
        if error is not None:
            self.status_changed.emit(self.tr("Not saved yet: %1").replace("%1", error.message))
            self.rejected.emit(error)
        else:
            self.status_changed.emit(self.tr("Draft kept; not recorded yet"))
