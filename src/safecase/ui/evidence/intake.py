"""Taking files in as evidence from the desktop app: one after another on the database thread, with progress.

Each file is its own task, so a file that cannot be taken in (a folder, an unreadable file, a full disk) is
reported and the next one still goes in. Cancel stops the file being read at its next block (the service then
removes the partial encrypted file and writes no record) and drops the files still waiting.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from safecase.errors import SafeCaseError
from safecase.storage.records import RecordState
from safecase.ui.executor import DatabaseExecutor, OperationCancelled, Progress, Task, TaskContext

PROGRESS_STEPS = 200  # at most this many progress reports a file, however many blocks it has


def attach_file(context: TaskContext, record_id: str, path: Path) -> RecordState:
    """On the database thread: take ``path`` in on ``record_id``, reporting progress and stopping on cancel."""
    reported = [-1]

    def on_progress(done: int, total: int) -> None:
        context.check_cancelled()
        step = done * PROGRESS_STEPS // total if total else PROGRESS_STEPS
        if step != reported[0]:
            reported[0] = step
            context.progress(done, total)

    return context.workspace.attachments.attach(record_id, path, progress=on_progress)


class EvidenceIntake(QObject):
    """A queue of files to take in on one record; the panel shows what it reports."""

    file_started = Signal(str, int, int)  # file name, its number in this batch (from 1), files in this batch
    progressed = Signal(int)  # per mille of the current file
    file_added = Signal(str, str)  # attachment id, file name
    file_failed = Signal(str, str)  # file name, message (one line, for the user)
    cancelled = Signal()  # the user cancelled; the files still waiting were dropped
    finished = Signal()  # nothing is waiting or running any more

    def __init__(self, executor: DatabaseExecutor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._waiting: deque[tuple[str, Path]] = deque()
        self._task: Task[RecordState] | None = None
        self._done_in_batch = 0
        self._batch_size = 0

    @property
    def is_running(self) -> bool:
        return self._task is not None

    def add(self, record_id: str, paths: list[Path]) -> None:
        """Queue ``paths`` for ``record_id``; starts at once if nothing is running."""
        if not self.is_running and not self._waiting:
            self._done_in_batch = self._batch_size = 0
        self._waiting.extend((record_id, path) for path in paths)
        self._batch_size += len(paths)
        if not self.is_running:
            self._next()

    def cancel(self) -> None:
        self._waiting.clear()
        if self._task is not None:
            self._task.cancel()

    def _next(self) -> None:
        if not self._waiting:
            self._task = None
            self.finished.emit()
            return
        record_id, path = self._waiting.popleft()
        self._done_in_batch += 1
        self.file_started.emit(path.name, self._done_in_batch, self._batch_size)
        self.progressed.emit(0)
        self._task = self._executor.submit(
            lambda context: attach_file(context, record_id, path),
            on_success=lambda state: self._on_attached(state),
            on_failure=lambda error: self._on_failed(path, error),
            on_progress=self._on_progress,
            owner=self,
        )

    def _on_progress(self, progress: Progress) -> None:
        if progress.total:
            self.progressed.emit(progress.done * 1000 // progress.total)

    def _on_attached(self, state: RecordState) -> None:
        self.progressed.emit(1000)
        self.file_added.emit(state.id, state.body["file_name"])
        self._next()

    def _on_failed(self, path: Path, error: SafeCaseError) -> None:
        if isinstance(error, OperationCancelled):
            self._waiting.clear()
            self.cancelled.emit()
        else:
            self.file_failed.emit(path.name, error.message)
        self._next()
