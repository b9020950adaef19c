"""The one background thread that owns the vault for the desktop app.

Every piece of database work (unlock, list pages, saves, search, lock) is an *operation*: a plain function that
gets a ``TaskContext`` and runs on this thread, one at a time, in the order submitted. The SQLCipher connection is
opened by the unlock operation on this thread and closed by the lock operation on it, so no other thread ever
touches it. Results come back to the GUI thread through queued signals and reach the caller's callbacks there;
operations never see a widget (as in Anki's ``QueryOp``). Cancelling is cooperative: a queued task is skipped and
a running one sees ``context.cancelled`` and may stop at a safe point.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal

from safecase.errors import Cancelled, SafeCaseError, VaultStateError
from safecase.services.workspace import Workspace
from safecase.storage.database import DatabaseErrors, translate_database_error

log = logging.getLogger(__name__)

T = TypeVar("T")


class OperationCancelled(Cancelled):
    """Raised by ``TaskContext.check_cancelled`` in a task the user or a lock cancelled."""


class InternalError(SafeCaseError):
    def __init__(self, type_name: str) -> None:
        super().__init__(f"unexpected internal error ({type_name}); please report it. Your data was not changed.")


@dataclass(frozen=True)
class Progress:
    done: int
    total: int | None = None


class TaskContext:
    """What an operation gets: the unlocked workspace, progress reporting and the cancel flag (no Qt)."""

    def __init__(self, executor: DatabaseExecutor, task: Task[Any]) -> None:
        self._executor = executor
        self._task = task

    @property
    def workspace(self) -> Workspace:
        workspace = self._executor._workspace
        if workspace is None or not workspace.is_open:
            raise VaultStateError("the vault is locked; unlock it first.")
        return workspace

    @property
    def has_workspace(self) -> bool:
        return self._executor._workspace is not None

    def set_workspace(self, workspace: Workspace) -> None:
        self.close_workspace()
        self._executor._workspace = workspace

    def close_workspace(self) -> None:
        workspace, self._executor._workspace = self._executor._workspace, None
        if workspace is not None and workspace.is_open:
            workspace.close()

    @property
    def cancelled(self) -> bool:
        return self._task.cancelled

    def check_cancelled(self) -> None:
        if self._task.cancelled:
            raise OperationCancelled()

    def progress(self, done: int, total: int | None = None) -> None:
        self._executor._post(_PROGRESS, self._task.task_id, Progress(done, total))

    def partial(self, value: object) -> None:
        """Hand part of the result to the GUI thread now (e.g. the first rows of a long list)."""
        self._executor._post(_PARTIAL, self._task.task_id, value)


@dataclass(eq=False)
class Task(Generic[T]):
    """A submitted operation; ``cancel()`` may be called from the GUI thread at any time."""

    task_id: int
    operation: Callable[[TaskContext], T]
    on_success: Callable[[T], None] | None = None
    on_failure: Callable[[SafeCaseError], None] | None = None
    on_progress: Callable[[Progress], None] | None = None
    owner: QObject | None = None
    on_partial: Callable[[Any], None] | None = None
    survives_lock: bool = False  # a write the user already asked for (saving a stopped recording): a lock waits
    _cancel: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


_STOP = object()
_FINISHED, _PROGRESS, _PARTIAL = "finished", "progress", "partial"


class DatabaseExecutor(QObject):
    busy_changed = Signal(bool)  # True when an operation starts on an idle executor, False when the queue drains
    unhandled_failure = Signal(str)  # the message of a failure whose task had no on_failure callback

    # Worker -> GUI thread: a bare wake-up. Results travel in a thread-safe mailbox instead of as signal
    # arguments, because PySide6 6.12 over-releases Python objects passed as `object` arguments of a queued
    # cross-thread signal (seen: the refcount of None itself falling until the interpreter aborts).
    _mail_posted = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: queue.Queue[object] = queue.Queue()
        self._tasks: dict[int, Task[Any]] = {}
        self._ids = itertools.count(1)
        self._workspace: Workspace | None = None
        self._busy = False
        self._mailbox: queue.SimpleQueue[tuple[str, int, Any]] = queue.SimpleQueue()
        self._mail_posted.connect(self._deliver_mail)
        self._thread = threading.Thread(target=self._run, name="safecase-database", daemon=True)
        self._thread.start()

    def submit(
        self,
        operation: Callable[[TaskContext], T],
        *,
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[SafeCaseError], None] | None = None,
        on_progress: Callable[[Progress], None] | None = None,
        on_partial: Callable[[Any], None] | None = None,
        owner: QObject | None = None,
        survives_lock: bool = False,
    ) -> Task[T]:
        """Queue ``operation``; its callbacks run later on the GUI thread, and not at all once ``owner`` is gone.

        ``survives_lock``: ``cancel_all`` (lock, panic) leaves it queued; the workspace closes after it.
        """
        task = Task(next(self._ids), operation, on_success, on_failure, on_progress, owner, on_partial, survives_lock)
        self._tasks[task.task_id] = task
        self._set_busy(True)
        self._queue.put(task)
        return task

    def cancel_all(self) -> None:
        """Cancel every queued task and ask the running one to stop (the panic button and lock use this), except
        writes submitted with ``survives_lock``."""
        for task in list(self._tasks.values()):
            if not task.survives_lock:
                task.cancel()

    @property
    def is_busy(self) -> bool:
        return self._busy

    def shutdown(self, timeout_s: float = 30.0) -> None:
        """Close the workspace (signing the audit tip) after the queued work, then end the thread."""
        self.submit(lambda context: context.close_workspace())
        self._queue.put(_STOP)
        self._thread.join(timeout_s)

    def _run(self) -> None:
        while (item := self._queue.get()) is not _STOP:
            assert isinstance(item, Task)
            task_id = item.task_id
            outcome = self._execute(item)
            # The task's callbacks and operation may hold widgets: their last reference must be dropped on the GUI
            # thread (which keeps the task until the outcome arrives), never here, where freeing one crashes Qt.
            del item
            self._post(_FINISHED, task_id, outcome)
            del outcome

    def _execute(self, task: Task[Any]) -> tuple[Any, SafeCaseError | None]:
        if task.cancelled:
            return None, OperationCancelled()
        try:
            try:
                return task.operation(TaskContext(self, task)), None
            except DatabaseErrors as database_error:
                raise translate_database_error(database_error) from None
        except SafeCaseError as error:
            return None, _without_frames(error)
        except Exception as unexpected:  # the thread boundary: log the type only, never content
            log.error("operation failed: %s", type(unexpected).__name__)
            return None, InternalError(type(unexpected).__name__)

    def _post(self, kind: str, task_id: int, payload: object) -> None:
        """On the worker thread: leave a message for the GUI thread and wake it."""
        self._mailbox.put((kind, task_id, payload))
        self._mail_posted.emit()

    def _deliver_mail(self) -> None:
        while True:
            try:
                kind, task_id, payload = self._mailbox.get_nowait()
            except queue.Empty:
                return
            if kind == _FINISHED:
                self._on_worker_finished(task_id, *payload)
            elif kind == _PROGRESS:
                self._on_worker_progressed(task_id, payload)
            else:
                self._on_worker_partial(task_id, payload)

    def _on_worker_finished(self, task_id: int, result: object, error: SafeCaseError | None) -> None:
        task = self._tasks.pop(task_id, None)
        if not self._tasks:
            self._set_busy(False)
        if task is None or (task.owner is not None and not shiboken6.isValid(task.owner)):
            return
        if error is None:
            if task.on_success is not None:
                task.on_success(result)
        elif isinstance(error, OperationCancelled) and task.on_failure is None:
            return
        elif task.on_failure is not None:
            task.on_failure(error)
        else:
            self.unhandled_failure.emit(error.message)

    def _on_worker_progressed(self, task_id: int, progress: Progress) -> None:
        task = self._live_task(task_id)
        if task is not None and task.on_progress is not None:
            task.on_progress(progress)

    def _on_worker_partial(self, task_id: int, value: object) -> None:
        task = self._live_task(task_id)
        if task is not None and task.on_partial is not None:
            task.on_partial(value)

    def _live_task(self, task_id: int) -> Task[Any] | None:
        task = self._tasks.get(task_id)
        if task is None or task.cancelled or (task.owner is not None and not shiboken6.isValid(task.owner)):
            return None
        return task

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)


def _without_frames(error: SafeCaseError) -> SafeCaseError:
    """The error without its traceback and chained exceptions, whose frames could keep the operation (and the
    widgets it captured) alive on the database thread."""
    error.__traceback__ = None
    error.__context__ = None
    error.__cause__ = None
    return error
