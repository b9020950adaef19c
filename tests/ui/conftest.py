"""GUI tests run offscreen: no display is needed, and nothing is shown on one if there is.

As in the app (ui/main_thread_gc.py), Python's cyclic garbage collector runs on the GUI thread only: collected on
the database thread, a widget caught in a reference cycle would be freed there and crash Qt.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before the Qt application exists

from pytestqt.qtbot import QtBot

from safecase.services.vault import CreatedVault, VaultService
from safecase.ui.executor import DatabaseExecutor
from tests.ui.helpers import unlock_into


@pytest.fixture(autouse=True)
def collect_garbage_on_the_gui_thread() -> Iterator[None]:
    gc.collect()
    gc.disable()
    yield
    gc.enable()
    gc.collect()


@pytest.fixture
def executor(qtbot: QtBot) -> Iterator[DatabaseExecutor]:
    """A database executor with no vault open yet."""
    executor = DatabaseExecutor()
    yield executor
    executor.shutdown()


@pytest.fixture
def unlocked_executor(qtbot: QtBot, vaults: VaultService, created_vault: CreatedVault) -> Iterator[DatabaseExecutor]:
    """A database executor holding the open test vault."""
    executor = DatabaseExecutor()
    unlock_into(qtbot, executor, vaults, created_vault.folder)
    yield executor
    executor.shutdown()
