"""The database executor: one thread, operations in order, results on the GUI thread, cancelling, the workspace."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from safecase.domain.kinds import Kind
from safecase.errors import SafeCaseError, ValidationError
from safecase.services.vault import CreatedVault, VaultService
from safecase.services.workspace import ListQuery, Workspace
from safecase.ui.executor import DatabaseExecutor, OperationCancelled, TaskContext
from tests.conftest import PASSPHRASE
from tests.factories import make_body


def run_to_end(qtbot: QtBot, executor: DatabaseExecutor, operation: Any) -> tuple[list[Any], list[SafeCaseError]]:
    results: list[Any] = []
    errors: list[SafeCaseError] = []
    executor.submit(operation, on_success=results.append, on_failure=errors.append)
    qtbot.waitUntil(lambda: bool(results or errors), timeout=10_000)
    return results, errors


def test_operations_run_in_order_on_one_other_thread(qtbot: QtBot, executor: DatabaseExecutor) -> None:
    seen: list[tuple[int, str]] = []

    def numbered(number: int) -> Any:
        return lambda _context: (number, threading.current_thread().name)

    for number in range(20):
        executor.submit(numbered(number), on_success=seen.append)
    qtbot.waitUntil(lambda: len(seen) == 20)
    assert [number for number, _ in seen] == list(range(20))
    assert {name for _, name in seen} == {"safecase-database"}
    assert threading.current_thread().name != "safecase-database"


def test_callbacks_run_on_the_gui_thread(qtbot: QtBot, executor: DatabaseExecutor) -> None:
    callback_threads: list[str] = []
    executor.submit(lambda _context: 1, on_success=lambda _: callback_threads.append(threading.current_thread().name))
    qtbot.waitUntil(lambda: bool(callback_threads))
    assert callback_threads == [threading.main_thread().name]


def test_expected_errors_reach_on_failure(qtbot: QtBot, executor: DatabaseExecutor) -> None:
    def fail(_context: TaskContext) -> None:
        raise ValidationError("is required", field="title")

    results, errors = run_to_end(qtbot, executor, fail)
    assert results == [] and isinstance(errors[0], ValidationError)
    assert errors[0].field == "title"


def test_unexpected_errors_become_internal_errors_without_content(qtbot: QtBot, executor: DatabaseExecutor) -> None:
    def crash(_context: TaskContext) -> None:
        raise KeyError("Kim Yeong-hui")

    _, errors = run_to_end(qtbot, executor, crash)
    assert "KeyError" in errors[0].message and "Kim" not in errors[0].message


def test_a_cancelled_queued_task_never_runs(qtbot: QtBot, executor: DatabaseExecutor) -> None:
    gate = threading.Event()
    ran: list[str] = []
    executor.submit(lambda _context: gate.wait(5))
    task = executor.submit(lambda _context: ran.append("ran"))
    done: list[int] = []
    executor.submit(lambda _context: 1, on_success=done.append)
    task.cancel()
    gate.set()
    qtbot.waitUntil(lambda: bool(done))
    assert ran == []


def test_cancel_all_leaves_writes_that_survive_a_lock(qtbot: QtBot, executor: DatabaseExecutor) -> None:
    gate = threading.Event()
    ran: list[str] = []
    executor.submit(lambda _context: gate.wait(5))
    executor.submit(lambda _context: ran.append("a read"))
    executor.submit(lambda _context: ran.append("a stopped recording's save"), survives_lock=True)
    done: list[int] = []
    executor.submit(lambda _context: 1, on_success=done.append, survives_lock=True)
    executor.cancel_all()
    gate.set()
    qtbot.waitUntil(lambda: bool(done))
    assert ran == ["a stopped recording's save"]


def test_a_running_task_sees_cancel(qtbot: QtBot, executor: DatabaseExecutor) -> None:
    started = threading.Event()

    def long_operation(context: TaskContext) -> None:
        started.set()
        for _ in range(500):
            context.check_cancelled()
            threading.Event().wait(0.01)

    errors: list[SafeCaseError] = []
    task = executor.submit(long_operation, on_failure=errors.append)
    assert started.wait(5)
    task.cancel()
    qtbot.waitUntil(lambda: bool(errors), timeout=5_000)
    assert isinstance(errors[0], OperationCancelled)


def test_no_callback_once_the_owner_is_deleted(qtbot: QtBot, executor: DatabaseExecutor) -> None:
    owner = QObject()
    gate = threading.Event()
    called: list[object] = []
    executor.submit(lambda _context: gate.wait(5))
    executor.submit(lambda _context: 1, on_success=called.append, owner=owner)
    done: list[int] = []
    executor.submit(lambda _context: 2, on_success=done.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _valid(owner))
    gate.set()
    qtbot.waitUntil(lambda: bool(done))
    assert called == []


def _valid(obj: QObject) -> bool:
    import shiboken6

    return bool(shiboken6.isValid(obj))


def test_progress_reaches_the_gui_thread(qtbot: QtBot, executor: DatabaseExecutor) -> None:
    reports: list[tuple[int, int | None]] = []

    def counting(context: TaskContext) -> str:
        for step in range(3):
            context.progress(step + 1, 3)
        return "done"

    results: list[str] = []
    executor.submit(counting, on_success=results.append, on_progress=lambda p: reports.append((p.done, p.total)))
    qtbot.waitUntil(lambda: bool(results))
    assert reports == [(1, 3), (2, 3), (3, 3)]


def test_busy_signal_brackets_the_work(qtbot: QtBot, executor: DatabaseExecutor) -> None:
    states: list[bool] = []
    executor.busy_changed.connect(states.append)
    results: list[int] = []
    executor.submit(lambda _context: 1)
    executor.submit(lambda _context: 2, on_success=results.append)
    qtbot.waitUntil(lambda: bool(results) and not executor.is_busy)
    assert states == [True, False]


def test_workspace_is_opened_used_and_closed_on_the_worker(
    qtbot: QtBot, executor: DatabaseExecutor, vaults: VaultService, created_vault: CreatedVault, tmp_path: Path
) -> None:
    def unlock(context: TaskContext) -> None:
        context.set_workspace(Workspace(vaults.unlock(created_vault.folder, PASSPHRASE)))

    run_to_end(qtbot, executor, unlock)
    _, errors = run_to_end(
        qtbot, executor, lambda context: context.workspace.records.add(Kind.PERSON, make_body(Kind.PERSON)).id
    )
    assert errors == []
    keys, _ = run_to_end(qtbot, executor, lambda context: list(context.workspace.list_keys(ListQuery(Kind.PERSON))))
    assert len(keys[0]) == 1 and len(keys[0][0]) == 1
    run_to_end(qtbot, executor, lambda context: context.close_workspace())
    _, errors = run_to_end(qtbot, executor, lambda context: context.workspace)
    assert errors and "locked" in errors[0].message
