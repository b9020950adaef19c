"""Redacting words for reports from a record's editor: marked on the saved text, shown on a band, left out of the
report, removable; the record itself never changes."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMenu, QPlainTextEdit
from pytestqt.qtbot import QtBot

from safecase.domain.kinds import Kind
from safecase.services.reports.content import ReportRequest, build_report
from safecase.services.reports.redaction import RedactionService
from safecase.storage.records import RecordState
from safecase.ui.editors import RecordEditor, create_editor
from safecase.ui.editors.report_redaction import python_offset, utf16_offset
from safecase.ui.executor import DatabaseExecutor, TaskContext
from tests.ui.editors.conftest import Run

SECRET = "the house of Ri Chol-min by the river"
# A character outside the Basic Multilingual Plane first: Qt's offsets (UTF-16) and Python's then differ.
DESCRIPTION = f"𠀀 They hid at {SECRET}, then crossed at Hyesan."


def open_case(qtbot: QtBot, executor: DatabaseExecutor, add: Callable[..., RecordState]) -> RecordEditor:
    case = add(Kind.CASE, summary=DESCRIPTION)
    editor = create_editor(Kind.CASE, case.id, executor=executor, lang="en", clipboard=None)
    qtbot.addWidget(editor)
    qtbot.waitUntil(lambda: editor.state is not None, timeout=10_000)
    return editor


def select(edit: QPlainTextEdit, words: str) -> None:
    text = edit.toPlainText()
    start = utf16_offset(text, text.index(words))
    cursor = edit.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(words.encode("utf-16-le")) // 2, QTextCursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)


def summary_edit(editor: RecordEditor) -> QPlainTextEdit:
    edit = editor.form.rows["summary"].widget.edit  # type: ignore[attr-defined]
    assert isinstance(edit, QPlainTextEdit)
    return edit


def report_text(run: Run, case_id: str) -> str:
    def make(context: TaskContext) -> str:
        content = build_report(context.workspace.session, ReportRequest((case_id,), (), "internal", "en"))
        return "\n".join(section.summary for section in content.cases)

    result: str = run(make)
    return result


def test_selected_words_are_left_out_of_reports_and_shown_marked_until_removed(
    qtbot: QtBot, executor: DatabaseExecutor, add: Callable[..., RecordState], run: Run
) -> None:
    editor = open_case(qtbot, executor, add)
    marker, edit = editor.redaction_marker, summary_edit(editor)
    assert editor.state is not None
    case_id = editor.state.id
    select(edit, SECRET)
    selection = marker.selection("summary")
    assert selection is not None and selection.words == SECRET
    assert DESCRIPTION[selection.start : selection.end] == SECRET

    marker.mark(selection, "hiding place")
    qtbot.waitUntil(lambda: len(marker.placed) == 1, timeout=10_000)
    assert len(edit.extraSelections()) == 1
    assert edit.extraSelections()[0].cursor.selectedText() == SECRET
    assert "Marked" in editor.status_label.text()
    if os.environ.get("SAFECASE_SHOTS"):
        editor.resize(900, 700)
        editor.grab().save(str(Path(os.environ["SAFECASE_SHOTS"]) / "editor_redaction.png"))
    shown = report_text(run, case_id)
    assert SECRET not in shown and "[redacted]" in shown and "Hyesan" in shown
    assert run(lambda c: c.workspace.records.show(case_id)).body["summary"] == DESCRIPTION  # the record is unchanged

    band = edit.extraSelections()[0]
    inside_band = QTextCursor(band.cursor).selectionStart() + 3
    menu = QMenu()
    marker.add_actions(menu, "summary", 0)  # a right-click outside the band offers no removal
    assert not [action for action in menu.actions() if action.text().startswith("Stop redacting")]
    menu = QMenu()
    marker.add_actions(menu, "summary", inside_band)
    stop = [action for action in menu.actions() if action.text().startswith("Stop redacting")]
    assert len(stop) == 1
    stop[0].trigger()
    qtbot.waitUntil(lambda: not marker.placed, timeout=10_000)
    assert edit.extraSelections() == []
    assert SECRET in report_text(run, case_id)


def test_nothing_is_marked_when_the_record_changed_since_the_words_were_selected(
    qtbot: QtBot, executor: DatabaseExecutor, add: Callable[..., RecordState], run: Run
) -> None:
    editor = open_case(qtbot, executor, add)
    marker, edit = editor.redaction_marker, summary_edit(editor)
    assert editor.state is not None
    case_id = editor.state.id
    select(edit, SECRET)
    selection = marker.selection("summary")
    assert selection is not None
    body = {**run(lambda c: c.workspace.records.show(case_id)).body, "summary": "Rewritten elsewhere."}
    run(lambda c: c.workspace.records.edit(case_id, body))
    marker.mark(selection)
    qtbot.waitUntil(lambda: editor.status_label.text().startswith("Not marked"), timeout=10_000)
    assert run(lambda c: RedactionService(c.workspace.session).list_spans(case_id)) == []


def test_the_menu_offers_redaction_only_for_a_selection_in_a_saved_record(
    qtbot: QtBot, executor: DatabaseExecutor, add: Callable[..., RecordState]
) -> None:
    editor = open_case(qtbot, executor, add)
    menu = QMenu()
    editor.redaction_marker.add_actions(menu, "summary")
    assert [a.isEnabled() for a in menu.actions() if a.text() == "Redact for reports…"] == [False]
    select(summary_edit(editor), "Hyesan")
    menu = QMenu()
    editor.redaction_marker.add_actions(menu, "summary")
    assert [a.isEnabled() for a in menu.actions() if a.text() == "Redact for reports…"] == [True]


@given(st.text(max_size=40), st.data())
def test_qt_and_python_offsets_convert_both_ways(text: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(text)))
    assert python_offset(text, utf16_offset(text, position)) == position


def test_words_with_a_no_break_space_can_be_marked(
    qtbot: QtBot, executor: DatabaseExecutor, add: Callable[..., RecordState], run: Run
) -> None:
    case = add(Kind.CASE, summary="Met Ri\u00a0Chol-min at the market.")  # the widget shows U+00A0 as a space
    editor = create_editor(Kind.CASE, case.id, executor=executor, lang="en", clipboard=None)
    qtbot.addWidget(editor)
    qtbot.waitUntil(lambda: editor.state is not None, timeout=10_000)
    select(summary_edit(editor), "Ri Chol-min")
    selection = editor.redaction_marker.selection("summary")
    assert selection is not None and selection.words == "Ri\u00a0Chol-min"
    editor.redaction_marker.mark(selection)
    qtbot.waitUntil(lambda: len(editor.redaction_marker.placed) == 1, timeout=10_000)
    assert "Chol-min" not in report_text(run, case.id)


def test_nothing_can_be_marked_while_the_screen_differs_from_the_saved_text(
    qtbot: QtBot, executor: DatabaseExecutor, add: Callable[..., RecordState]
) -> None:
    editor = open_case(qtbot, executor, add)
    marker, edit = editor.redaction_marker, summary_edit(editor)
    edit.setPlainText("New words first. " + edit.toPlainText())  # typed, not saved yet
    select(edit, SECRET)
    assert marker.selection("summary") is None
    menu = QMenu()
    marker.add_actions(menu, "summary")
    redact = [action for action in menu.actions() if action.text().startswith("Redact for reports")]
    assert len(redact) == 1 and not redact[0].isEnabled() and "saved" in redact[0].text()
