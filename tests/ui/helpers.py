"""Helpers for GUI tests that drive the database executor."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from safecase.errors import SafeCaseError
from safecase.services.vault import VaultService
from safecase.services.workspace import Workspace
from safecase.ui.executor import DatabaseExecutor, TaskContext
from tests.conftest import PASSPHRASE

WAIT_MS = 20_000


def run_on(qtbot: QtBot, executor: DatabaseExecutor, operation: Callable[[TaskContext], Any]) -> Any:
    """Run ``operation`` on the database thread and wait for its result, raising its error."""
    results: list[Any] = []
    errors: list[SafeCaseError] = []
    executor.submit(operation, on_success=results.append, on_failure=errors.append)
    qtbot.waitUntil(lambda: bool(results or errors), timeout=WAIT_MS)
    if errors:
        raise errors[0]
    return results[0]


def unlock_into(qtbot: QtBot, executor: DatabaseExecutor, vaults: VaultService, folder: Path) -> None:
    """Unlock the vault at ``folder`` into the executor, as the unlock window does."""

    def unlock(context: TaskContext) -> None:
        context.set_workspace(Workspace(vaults.unlock(folder, PASSPHRASE)))

    run_on(qtbot, executor, unlock)
