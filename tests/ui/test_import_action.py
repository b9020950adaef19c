"""Import from the app: in the background, with progress, all or nothing, and cancellable while checking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from safecase.domain.kinds import Kind
from safecase.ui import import_action
from safecase.ui.executor import DatabaseExecutor
from safecase.ui.import_action import ImportAction, show_plain_message


@pytest.fixture
def executor(unlocked_executor: DatabaseExecutor) -> DatabaseExecutor:
    return unlocked_executor


@pytest.fixture(autouse=True)
def quiet_message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(import_action, "show_plain_message", lambda _parent, _title, text, **_: shown.append(text))
    return shown


def people_file(tmp_path: Path, count: int, *, broken_last: bool = False) -> Path:
    rows = [{"kind": "person", "pseudonym": f"P-IMP{n:04d}"} for n in range(count)]
    if broken_last:
        rows[-1]["sex"] = "not-a-sex"
    path = tmp_path / "people.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    return path


def count_people(qtbot: QtBot, executor: DatabaseExecutor) -> int:
    result: list[int] = []
    executor.submit(lambda c: c.workspace.records.count(Kind.PERSON), on_success=result.append)
    qtbot.waitUntil(lambda: bool(result))
    return result[0]


def test_import_writes_every_row_and_reports(
    qtbot: QtBot, executor: DatabaseExecutor, tmp_path: Path, quiet_message_boxes: list[str]
) -> None:
    parent = QWidget()
    action = ImportAction(executor, parent)
    with qtbot.waitSignal(action.imported, timeout=20_000):
        action.start(people_file(tmp_path, 250))
    assert count_people(qtbot, executor) == 250
    assert quiet_message_boxes == ["Imported 250 record(s)."]


def test_a_bad_row_imports_nothing_and_says_which(
    qtbot: QtBot, executor: DatabaseExecutor, tmp_path: Path, quiet_message_boxes: list[str]
) -> None:
    action = ImportAction(executor, QWidget())
    action.start(people_file(tmp_path, 50, broken_last=True))
    qtbot.waitUntil(lambda: bool(quiet_message_boxes), timeout=20_000)
    assert "row 50" in quiet_message_boxes[0] and "nothing was imported" in quiet_message_boxes[0]
    assert count_people(qtbot, executor) == 0


def test_cancelling_while_checking_writes_nothing(
    qtbot: QtBot, executor: DatabaseExecutor, tmp_path: Path, quiet_message_boxes: list[str]
) -> None:
    action = ImportAction(executor, QWidget())
    action.start(people_file(tmp_path, 3000))
    assert action._task is not None
    action._task.cancel()
    qtbot.waitUntil(lambda: action._task is None, timeout=20_000)
    assert count_people(qtbot, executor) == 0
    assert quiet_message_boxes == []


def test_the_file_dialog_leaves_no_folder_history(qtbot: QtBot, executor: DatabaseExecutor, tmp_path: Path) -> None:
    action = ImportAction(executor, QWidget())

    def close_dialog() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()]
        if not shown:
            QTimer.singleShot(20, close_dialog)
            return
        shown[0].setDirectory(str(tmp_path))
        shown[0].reject()

    QTimer.singleShot(20, close_dialog)
    assert action._choose_file() is None
    assert "FileDialog" not in QSettings(QSettings.Scope.UserScope, "QtProject").childGroups()


def test_messages_are_plain_text(qtbot: QtBot) -> None:
    parent = QWidget()
    show_plain_message(parent, "Import", "<img src=x> row 3", warning=True)
    boxes = parent.findChildren(QMessageBox)
    assert boxes and boxes[0].textFormat() == Qt.TextFormat.PlainText
    assert boxes[0].text() == "<img src=x> row 3"
    boxes[0].close()
