"""Taking files in as evidence from the desktop app: one task per file on the database thread, with progress.

Each file is its own task, so a file that cannot be taken in (a folder, an unreadable file, a full disk) is
reported and the next one still goes in. All of a batch is queued at once: closing the editor does not drop the
files still waiting (they go in; only the panel's reports stop), while Cancel, or a lock, does. A cancelled file
stops at its next block; the service then removes its partial encrypted file and writes no record.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from safecase.errors import SafeCaseError
from safecase.storage.records import RecordState
from safecase.ui.executor import DatabaseExecutor, OperationCancelled, Progress, Task, TaskContext

PROGRESS_STEPS = 200  # at most this many progress reports a file, however many blocks it has


def attach_file(context: TaskContext, record_id: str, path: Path) -> RecordState:
    """On the database thread: take ``path`` in on ``record_id``, reporting progress and stopping on cancel."""
    context.progress(0)  # without a total: this file starts now
    reported = [-1]

    def on_progress(done: int, total: int) -> None:
        context.check_cancelled()
        step = done * PROGRESS_STEPS // total if total else PROGRESS_STEPS
        if step != reported[0]:
            reported[0] = step
            context.progress(done, total)

    return context.workspace.attachments.attach(record_id, path, progress=on_progress)


class EvidenceIntake(QObject):
    """The files being taken in on one record; the panel shows what it reports."""

    file_started = Signal(str, int, int)  # file name, its number in this batch (from 1), files in this batch
    progressed = Signal(int)  # per mille of the current file
    file_added = Signal(str, str)  # attachment id, file name
    file_failed = Signal(str, str)  # file name, message (one line, for the user)
    cancelled = Signal()  # the user cancelled; the files still waiting were dropped
    finished = Signal()  # nothing is waiting or running any more

    def __init__(self, executor: DatabaseExecutor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._tasks: dict[int, Task[RecordState]] = {}
        self._batch_size = 0
        self._cancelled = False

    @property
    def is_running(self) -> bool:
        return bool(self._tasks)

    def add(self, record_id: str, paths: list[Path]) -> None:
        """Queue ``paths`` for ``record_id``, after any files still going in."""
        if not self._tasks:
            self._batch_size, self._cancelled = 0, False
        for path in paths:
            self._batch_size += 1
            self._submit(record_id, path, self._batch_size)

    def cancel(self) -> None:
        for task in self._tasks.values():
            task.cancel()

    def _submit(self, record_id: str, path: Path, number: int) -> None:
        def on_progress(progress: Progress) -> None:
            if progress.total is None:
                self.file_started.emit(path.name, number, self._batch_size)
                self.progressed.emit(0)
            elif progress.total:
                self.progressed.emit(progress.done * 1000 // progress.total)

        task = self._executor.submit(
            lambda context: attach_file(context, record_id, path),
            on_success=lambda state: self._on_attached(task, state),
            on_failure=lambda error: self._on_failed(task, path, error),
            on_progress=on_progress,
            owner=self,
        )
        self._tasks[task.task_id] = task

    def _on_attached(self, task: Task[RecordState], state: RecordState) -> None:
        self.progressed.emit(1000)
        self.file_added.emit(state.id, state.body["file_name"])
        self._done(task)

    def _on_failed(self, task: Task[RecordState], path: Path, error: SafeCaseError) -> None:
        if not isinstance(error, OperationCancelled):
            self.file_failed.emit(path.name, error.message)
        elif not self._cancelled:
            self._cancelled = True
            self.cancelled.emit()
        self._done(task)

    def _done(self, task: Task[RecordState]) -> None:
        self._tasks.pop(task.task_id, None)
        if not self._tasks:
            self.finished.emit()
