"""Fixtures for editor tests: an executor with an unlocked workspace, and helpers to run work on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from safecase.domain.kinds import Kind
from safecase.errors import SafeCaseError
from safecase.services.vault import CreatedVault, VaultService
from safecase.services.workspace import Workspace
from safecase.storage.records import RecordState
from safecase.ui.executor import DatabaseExecutor, TaskContext
from tests.conftest import PASSPHRASE
from tests.factories import make_body

Run = Callable[[Callable[[TaskContext], Any]], Any]


@pytest.fixture
def executor(qtbot: QtBot, vaults: VaultService, created_vault: CreatedVault) -> Iterator[DatabaseExecutor]:
    executor = DatabaseExecutor()
    folder = created_vault.folder
    executor.submit(lambda c: c.set_workspace(Workspace(vaults.unlock(folder, PASSPHRASE))))
    yield executor
    executor.shutdown()


@pytest.fixture
def run(qtbot: QtBot, executor: DatabaseExecutor) -> Run:
    """Run an operation on the executor and wait for its result (raising its error)."""

    def run_operation(operation: Callable[[TaskContext], Any]) -> Any:
        results: list[Any] = []
        errors: list[SafeCaseError] = []
        executor.submit(operation, on_success=results.append, on_failure=errors.append)
        qtbot.waitUntil(lambda: bool(results or errors), timeout=10_000)
        if errors:
            raise errors[0]
        return results[0]

    return run_operation


@pytest.fixture
def add(run: Run) -> Callable[..., RecordState]:
    """Store a record of `kind` built by the factory with `overrides`."""

    def add_record(kind: Kind, **overrides: object) -> RecordState:
        body = make_body(kind, **overrides)
        state: RecordState = run(lambda c: c.workspace.records.add(kind, body))
        return state

    return add_record


@pytest.fixture
def idle(qtbot: QtBot, executor: DatabaseExecutor) -> Callable[[], None]:
    """Wait until the executor has delivered everything queued so far."""

    def wait_idle() -> None:
        done: list[bool] = []
        executor.submit(lambda _c: None, on_success=lambda _r: done.append(True))
        qtbot.waitUntil(lambda: bool(done), timeout=10_000)

    return wait_idle
