"""The evidence panel: files go in through the panel (as the dialog and a drop do), the list shows them, folders
and remote links are refused, a cancelled intake keeps nothing, and an unsaved record offers nothing to add to."""

from __future__ import annotations

import threading
from pathlib import Path

import shiboken6
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from safecase.storage.records import RecordState
from safecase.ui.evidence.model import Column
from safecase.ui.evidence.panel import EvidencePanel
from safecase.ui.executor import DatabaseExecutor
from tests.ui.evidence.conftest import Attach
from tests.ui.evidence.samples import PNG_SIZE, png_bytes
from tests.ui.helpers import WAIT_MS, run_on


def cell(panel: EvidencePanel, row: int, column: Column) -> str:
    return str(panel.model.index(row, column).data())


def wait_for_rows(qtbot: QtBot, panel: EvidencePanel, count: int) -> None:
    qtbot.waitUntil(lambda: panel.model.rowCount() == count and not panel.intake.is_running, timeout=WAIT_MS)


def stored_attachments(qtbot: QtBot, executor: DatabaseExecutor, record_id: str) -> list[RecordState]:
    found: list[RecordState] = run_on(qtbot, executor, lambda c: c.workspace.attachments.list_for(record_id))
    return found


def test_adding_a_file_through_the_panel_lists_it_with_its_intake_facts(
    qtbot: QtBot, panel: EvidencePanel, tmp_path: Path
) -> None:
    photo = tmp_path / "<b>border crossing<img src=x>.png"
    photo.write_bytes(png_bytes())
    panel.add_files([photo])
    wait_for_rows(qtbot, panel, 1)
    state = panel.model.attachment(0)
    assert state is not None
    assert cell(panel, 0, Column.TYPE) == "PNG image"
    assert cell(panel, 0, Column.FILE_NAME) == "<b>border crossing<img src=x>.png"
    assert cell(panel, 0, Column.SIZE) == f"{photo.stat().st_size} bytes"
    assert cell(panel, 0, Column.SHA256) == state.body["sha256"][:12]
    assert len(cell(panel, 0, Column.INTAKE)) == len("2025-11-24 16:00")
    assert cell(panel, 0, Column.COPY_ROLE) == "Original"
    assert panel.current_attachment() == state  # the new file is selected
    assert "Added <b>border crossing<img src=x>.png." in panel.message_label.text()
    assert panel.message_label.textFormat() == Qt.TextFormat.PlainText


def test_a_drop_of_local_files_adds_them_and_refuses_folders_and_remote_links(
    qtbot: QtBot, panel: EvidencePanel, tmp_path: Path
) -> None:
    photo = tmp_path / "market.png"
    photo.write_bytes(png_bytes())
    folder = tmp_path / "more photos"
    folder.mkdir()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo)), QUrl.fromLocalFile(str(folder)), QUrl("https://example.org/a.jpg")])
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(QPoint(10, 10), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, enter)
    assert enter.isAccepted()
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    drop = QDropEvent(QPointF(10, 10), actions, mime, buttons, modifiers)
    QApplication.sendEvent(panel, drop)
    assert drop.isAccepted()
    wait_for_rows(qtbot, panel, 1)
    message = panel.message_label.text()
    assert "Only files on this computer can be added" in message
    assert "Folders cannot be added as evidence: more photos" in message
    assert "Added market.png." in message


def _drag(mime: QMimeData, actions: Qt.DropAction) -> tuple[QDragEnterEvent, QDropEvent]:
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    return (
        QDragEnterEvent(QPoint(10, 10), actions, mime, buttons, modifiers),
        QDropEvent(QPointF(10, 10), actions, mime, buttons, modifiers),
    )


def test_a_drop_offered_as_a_move_is_taken_as_a_copy(qtbot: QtBot, panel: EvidencePanel, tmp_path: Path) -> None:
    photo = tmp_path / "river.png"
    photo.write_bytes(png_bytes())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    enter, drop = _drag(mime, Qt.DropAction.CopyAction | Qt.DropAction.MoveAction)
    drop.setDropAction(Qt.DropAction.MoveAction)  # Shift-drag: the file manager would delete the original
    QApplication.sendEvent(panel, enter)
    QApplication.sendEvent(panel, drop)
    assert drop.isAccepted() and drop.dropAction() == Qt.DropAction.CopyAction
    wait_for_rows(qtbot, panel, 1)
    assert photo.exists()


def test_a_move_only_drag_and_remote_files_are_not_accepted(panel: EvidencePanel, tmp_path: Path) -> None:
    photo = tmp_path / "river.png"
    photo.write_bytes(png_bytes())
    local = QMimeData()
    local.setUrls([QUrl.fromLocalFile(str(photo))])
    enter, _drop = _drag(local, Qt.DropAction.MoveAction)
    QApplication.sendEvent(panel, enter)
    assert not enter.isAccepted()
    remote = QMimeData()
    remote.setUrls([QUrl("https://example.org/a.jpg"), QUrl("file://otherhost/share/a.jpg")])
    enter, _drop = _drag(remote, Qt.DropAction.CopyAction)
    QApplication.sendEvent(panel, enter)
    assert not enter.isAccepted()


def test_the_size_column_is_human(qtbot: QtBot, panel: EvidencePanel, tmp_path: Path) -> None:
    big = tmp_path / "scan.bin"
    big.write_bytes(b"\x00\x01" * 700_000)
    panel.add_files([big])
    wait_for_rows(qtbot, panel, 1)
    assert cell(panel, 0, Column.SIZE) == "1.3 MB"
    assert cell(panel, 0, Column.TYPE) == "File"


def test_one_bad_file_is_reported_and_the_next_still_goes_in(
    qtbot: QtBot, panel: EvidencePanel, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    note = tmp_path / "note.txt"
    note.write_text("Fictional note about a meeting.", encoding="utf-8")
    panel.add_files([empty, note])
    wait_for_rows(qtbot, panel, 1)
    assert cell(panel, 0, Column.FILE_NAME) == "note.txt"
    assert "empty" in panel.message_label.text() and "Added note.txt." in panel.message_label.text()
    assert "#b00020" in panel.message_label.styleSheet()


def test_cancelling_an_intake_keeps_nothing(
    qtbot: QtBot, executor: DatabaseExecutor, panel: EvidencePanel, case: RecordState, tmp_path: Path
) -> None:
    release = threading.Event()
    executor.submit(lambda _c: release.wait(WAIT_MS / 1000))  # holds the database thread: the intake stays queued
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes())
    panel.add_files([photo, photo])
    assert panel.progress_bar.isVisibleTo(panel) and panel.cancel_button.isVisibleTo(panel)
    panel.cancel_button.click()
    release.set()
    qtbot.waitUntil(lambda: not panel.intake.is_running, timeout=WAIT_MS)
    assert "Cancelled" in panel.message_label.text()
    assert not panel.progress_bar.isVisibleTo(panel)
    assert stored_attachments(qtbot, executor, case.id) == []


def test_progress_is_shown_while_a_file_goes_in(qtbot: QtBot, panel: EvidencePanel, tmp_path: Path) -> None:
    recording = tmp_path / "long.bin"
    recording.write_bytes(bytes(range(256)) * 40_000)  # about 10 MB: many blocks
    seen: list[int] = []
    panel.intake.progressed.connect(seen.append)
    with qtbot.waitSignal(panel.intake.file_started, timeout=WAIT_MS) as started:
        panel.add_files([recording])
        assert panel.progress_bar.isVisibleTo(panel)
    assert started.args == ["long.bin", 1, 1]
    assert panel.progress_label.text() == "Adding long.bin (1 of 1)…"
    wait_for_rows(qtbot, panel, 1)
    assert seen[0] == 0 and seen[-1] == 1000 and len(seen) > 3
    assert seen == sorted(seen)
    assert not panel.progress_bar.isVisibleTo(panel)


def test_files_still_waiting_go_in_after_the_panel_is_gone(
    qtbot: QtBot, executor: DatabaseExecutor, panel: EvidencePanel, case: RecordState, tmp_path: Path
) -> None:
    release = threading.Event()
    executor.submit(lambda _c: release.wait(WAIT_MS / 1000))
    names = ["one.txt", "two.txt", "three.txt"]
    for name in names:
        (tmp_path / name).write_text(f"Fictional note {name}", encoding="utf-8")
    panel.add_files([tmp_path / name for name in names])
    shiboken6.delete(panel)  # the user opened another record
    release.set()
    stored = stored_attachments(qtbot, executor, case.id)  # queued after the three intakes: they ran first
    assert [state.body["file_name"] for state in stored] == names


def test_an_unsaved_record_offers_nothing_to_add_to(qtbot: QtBot, executor: DatabaseExecutor) -> None:
    panel = EvidencePanel(executor, "en")
    qtbot.addWidget(panel)
    assert panel.hint_label.text() == "Save the record to add evidence."
    assert not panel.add_button.isEnabled() and not panel.acceptDrops()
    panel.add_files([Path("/nonexistent")])
    assert "Save the record" in panel.message_label.text()


def test_the_add_dialog_attaches_the_chosen_file_and_leaves_no_folder_history(
    qtbot: QtBot, panel: EvidencePanel, tmp_path: Path
) -> None:
    photo = tmp_path / "river.png"
    photo.write_bytes(png_bytes(PNG_SIZE))

    panel.add_button.click()  # the dialog opens without a nested event loop
    dialogs = panel.findChildren(QFileDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    dialogs[0].setDirectory(str(tmp_path))
    dialogs[0].selectFile(photo.name)
    qtbot.waitUntil(lambda: dialogs[0].selectedFiles() == [str(photo)], timeout=WAIT_MS)
    dialogs[0].accept()
    wait_for_rows(qtbot, panel, 1)
    qtbot.waitUntil(lambda: not panel.findChildren(QFileDialog), timeout=WAIT_MS)
    assert "FileDialog" not in QSettings(QSettings.Scope.UserScope, "QtProject").childGroups()


def test_selecting_an_attachment_waits_for_the_list(
    qtbot: QtBot, executor: DatabaseExecutor, case: RecordState, attach: Attach, tmp_path: Path, window: QWidget
) -> None:
    (tmp_path / "a.txt").write_text("first fictional note", encoding="utf-8")
    (tmp_path / "b.txt").write_text("second fictional note", encoding="utf-8")
    attach(tmp_path / "a.txt")
    second = attach(tmp_path / "b.txt")
    panel = EvidencePanel(executor, "ko", window)
    panel.set_record(case.id)
    panel.select_attachment(second.id)
    qtbot.waitUntil(lambda: panel.current_attachment() is not None, timeout=WAIT_MS)
    assert panel.current_attachment() == second
    assert cell(panel, 1, Column.TYPE) == "텍스트" and cell(panel, 1, Column.COPY_ROLE) == "원본"


def test_a_recorder_widget_goes_above_the_list(panel: EvidencePanel) -> None:
    first, second = QWidget(), QWidget()
    panel.set_recorder_widget(first)
    panel.set_recorder_widget(second)
    item = panel.recorder_slot.itemAt(0)
    assert panel.recorder_slot.count() == 1 and item is not None and item.widget() is second


def test_placeholders_in_a_file_name_are_shown_as_they_are(qtbot: QtBot, panel: EvidencePanel, tmp_path: Path) -> None:
    odd = tmp_path / "report %2 of %3.txt"
    odd.write_text("Fictional report", encoding="utf-8")
    with qtbot.waitSignal(panel.intake.file_started, timeout=WAIT_MS):
        panel.add_files([odd])
    assert panel.progress_label.text() == "Adding report %2 of %3.txt (1 of 1)…"
    wait_for_rows(qtbot, panel, 1)
    panel.verify_button.click()
    qtbot.waitUntil(lambda: "is intact" in panel.message_label.text(), timeout=WAIT_MS)
    assert panel.message_label.text().startswith("report %2 of %3.txt is intact")
