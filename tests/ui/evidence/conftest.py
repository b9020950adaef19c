"""Fixtures for the evidence panel and preview: an unlocked vault with a case, and a panel showing that case."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from safecase.domain.kinds import Kind
from safecase.storage.records import RecordState
from safecase.ui.evidence.panel import EvidencePanel
from safecase.ui.executor import DatabaseExecutor
from tests.factories import make_body
from tests.ui.helpers import WAIT_MS, run_on

Attach = Callable[[Path], RecordState]


@pytest.fixture
def executor(unlocked_executor: DatabaseExecutor) -> DatabaseExecutor:
    return unlocked_executor


@pytest.fixture
def case(qtbot: QtBot, executor: DatabaseExecutor) -> RecordState:
    state: RecordState = run_on(qtbot, executor, lambda c: c.workspace.records.add(Kind.CASE, make_body(Kind.CASE)))
    return state


@pytest.fixture
def attach(qtbot: QtBot, executor: DatabaseExecutor, case: RecordState) -> Attach:
    """Take a file in on the case directly through the service (for tests about what comes after intake)."""

    def attach_file(path: Path) -> RecordState:
        state: RecordState = run_on(qtbot, executor, lambda c: c.workspace.attachments.attach(case.id, path))
        return state

    return attach_file


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    """A stand-in for the main window: the parent of the panel, and so of its dialogs."""
    widget = QWidget()
    widget.resize(900, 500)
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def panel(qtbot: QtBot, executor: DatabaseExecutor, case: RecordState, window: QWidget) -> EvidencePanel:
    panel = EvidencePanel(executor, "en", window)
    panel.resize(900, 500)
    with qtbot.waitSignal(panel.model.loaded, timeout=WAIT_MS):
        panel.set_record(case.id)
    return panel
