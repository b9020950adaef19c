"""The generic editor: form round-trips, autosave, drafts, validation beside the field, history and flush."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from safecase.domain.kinds import Kind
from safecase.domain.records import kinds_in_dependency_order, validate_body
from safecase.services.vault import CreatedVault, VaultService
from safecase.services.workspace import Workspace
from safecase.storage.records import RecordState
from safecase.ui.editors import RecordEditor, create_editor
from safecase.ui.editors.fields import LineField, MultilineField
from safecase.ui.editors.history_dialog import HistoryDialog
from safecase.ui.executor import DatabaseExecutor
from tests.conftest import PASSPHRASE
from tests.factories import REQUIRED_REFERENCES
from tests.ui.editors.conftest import Run


def open_editor(qtbot: QtBot, executor: DatabaseExecutor, kind: Kind, record_id: str | None) -> RecordEditor:
    editor = create_editor(kind, record_id, executor=executor, lang="en", clipboard=None)
    qtbot.addWidget(editor)
    if record_id is not None:
        qtbot.waitUntil(lambda: editor.state is not None, timeout=10_000)
    return editor


def stored_with_references(add: Callable[..., RecordState], kind: Kind) -> RecordState:
    overrides: dict[str, Any] = {}
    for field, target in REQUIRED_REFERENCES.get(kind, {}).items():
        target_id = add(target).id
        overrides[field] = [target_id] if field == "event_ids" else target_id
    return add(kind, **overrides)


# Evidence files have no form: they are taken in through the evidence panel and shown in it (tests/ui/evidence).
@pytest.mark.parametrize("kind", [kind for kind in kinds_in_dependency_order() if kind is not Kind.ATTACHMENT])
def test_every_kind_round_trips_through_the_form(
    qtbot: QtBot, executor: DatabaseExecutor, add: Callable[..., RecordState], kind: Kind
) -> None:
    state = stored_with_references(add, kind)
    editor = open_editor(qtbot, executor, kind, state.id)
    assert validate_body(kind, editor.current_body()) == state.body
    assert not editor.has_unsaved_changes()


def text_widget(editor: RecordEditor, name: str) -> Any:
    widget = editor.form.rows[name].widget
    assert isinstance(widget, LineField | MultilineField)
    return widget.edit


def test_editing_a_field_autosaves_a_new_version(
    qtbot: QtBot, executor: DatabaseExecutor, add: Callable[..., RecordState], run: Run
) -> None:
    state = add(Kind.CASE)
    editor = open_editor(qtbot, executor, Kind.CASE, state.id)
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        text_widget(editor, "title").setText("Returns via Sinuiju")
    history = run(lambda c: c.workspace.records.history(state.id))
    assert len(history) == 2 and history[-1].body["title"] == "Returns via Sinuiju"
    assert editor.status_label.text().startswith("Saved ")
    assert not editor.has_unsaved_changes()


def test_a_new_record_is_added_once_then_edited(qtbot: QtBot, executor: DatabaseExecutor, run: Run) -> None:
    editor = open_editor(qtbot, executor, Kind.TAG, None)
    assert editor.record_id is None
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        text_widget(editor, "label").setText("Sinuiju")
    record_id = editor.record_id
    assert record_id is not None
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        text_widget(editor, "label").setText("Sinuiju crossing")
    assert run(lambda c: c.workspace.records.count(Kind.TAG)) == 1
    assert run(lambda c: c.workspace.records.show(record_id)).body["label"] == "Sinuiju crossing"


def test_an_invalid_value_shows_beside_its_field_and_is_kept_as_a_draft(
    qtbot: QtBot, executor: DatabaseExecutor, add: Callable[..., RecordState], run: Run, idle: Callable[[], None]
) -> None:
    state = add(Kind.CASE)
    editor = open_editor(qtbot, executor, Kind.CASE, state.id)
    text_widget(editor, "opened_on").setText("2019-13")
    qtbot.waitUntil(lambda: editor.status_label.text().startswith("Not saved yet"), timeout=10_000)
    row = editor.form.rows["opened_on"]
    assert row.error.isVisibleTo(editor) and "month" in row.error.text()
    assert not editor.form.rows["title"].error.isVisibleTo(editor)
    editor.flush()
    idle()
    draft = run(lambda c: c.workspace.draft(state.id))
    assert draft is not None and draft.body["opened_on"] == "2019-13"
    assert len(run(lambda c: c.workspace.records.history(state.id))) == 1

    reopened = open_editor(qtbot, executor, Kind.CASE, state.id)
    qtbot.waitUntil(lambda: text_widget(reopened, "opened_on").text() == "2019-13", timeout=10_000)
    assert reopened.draft_banner.isVisibleTo(reopened)
    assert reopened.has_unsaved_changes()


def test_a_service_error_names_its_field(
    qtbot: QtBot, executor: DatabaseExecutor, add: Callable[..., RecordState]
) -> None:
    state = stored_with_references(add, Kind.CONTACT)
    editor = open_editor(qtbot, executor, Kind.CONTACT, state.id)
    picker = editor.form.rows["person_id"].widget
    picker.set_value("5b0f7ab0-0000-4000-8000-000000000000")  # a well-formed id of no record
    qtbot.waitUntil(lambda: editor.form.rows["person_id"].error.isVisibleTo(editor), timeout=10_000)
    assert "does not exist" in editor.form.rows["person_id"].error.text()


def test_restoring_an_earlier_version_from_the_history(
    qtbot: QtBot, executor: DatabaseExecutor, add: Callable[..., RecordState], run: Run
) -> None:
    state = add(Kind.CASE, title="First title")
    editor = open_editor(qtbot, executor, Kind.CASE, state.id)
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        text_widget(editor, "title").setText("Second title")
    editor.history_button.click()
    dialog = editor.findChild(HistoryDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.version_list.count() == 2, timeout=10_000)
    dialog.select_version(1)
    assert dialog.preview.body()["title"] == "First title"
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        dialog.restore_button.click()
    assert text_widget(editor, "title").text() == "First title"
    assert len(run(lambda c: c.workspace.records.history(state.id))) == 3


def test_markup_in_user_text_is_shown_literally(
    qtbot: QtBot, executor: DatabaseExecutor, add: Callable[..., RecordState]
) -> None:
    markup = "<b>x</b><img src=x>"
    state = add(Kind.CASE, title=markup, summary=markup)
    editor = open_editor(qtbot, executor, Kind.CASE, state.id)
    assert text_widget(editor, "title").text() == markup
    assert text_widget(editor, "summary").toPlainText() == markup
    assert editor.title_label.text().endswith(markup)


def test_flush_before_a_lock_saves_the_state(
    qtbot: QtBot,
    executor: DatabaseExecutor,
    add: Callable[..., RecordState],
    run: Run,
    vaults: VaultService,
    created_vault: CreatedVault,
) -> None:
    state = add(Kind.CASE)
    editor = open_editor(qtbot, executor, Kind.CASE, state.id)
    text_widget(editor, "title").setText("Typed just before the lock")
    assert editor.has_unsaved_changes()
    editor.flush()
    executor.submit(lambda c: c.close_workspace())
    qtbot.waitUntil(lambda: not executor.is_busy, timeout=10_000)
    assert not editor.has_unsaved_changes()
    folder = created_vault.folder
    executor.submit(lambda c: c.set_workspace(Workspace(vaults.unlock(folder, PASSPHRASE))))
    assert run(lambda c: c.workspace.records.show(state.id)).body["title"] == "Typed just before the lock"


def test_a_huge_paste_does_not_validate_on_every_keystroke(
    qtbot: QtBot, executor: DatabaseExecutor, add: Callable[..., RecordState]
) -> None:
    state = add(Kind.CASE)
    editor = open_editor(qtbot, executor, Kind.CASE, state.id)
    text_widget(editor, "summary").setPlainText("가" * 10_000_000)
    qtbot.waitUntil(lambda: editor.form.rows["summary"].error.isVisibleTo(editor), timeout=10_000)
    assert "too long" in editor.form.rows["summary"].error.text()


def test_typing_before_a_stored_record_has_loaded_cannot_overwrite_it(
    qtbot: QtBot, executor: DatabaseExecutor, add: Callable[..., RecordState], run: Run
) -> None:
    state = add(Kind.CASE, title="Stored title")
    gate = threading.Event()
    executor.submit(lambda _context: gate.wait(5))  # the database thread is busy, so the load waits
    editor = create_editor(Kind.CASE, state.id, executor=executor, lang="en", clipboard=None)
    qtbot.addWidget(editor)
    editor.form.rows["title"].widget.set_value("")
    editor.flush()
    assert not editor.has_unsaved_changes()
    gate.set()
    qtbot.waitUntil(lambda: editor.state is not None, timeout=10_000)
    assert editor.current_body()["title"] == "Stored title"
    assert len(run(lambda c: c.workspace.records.history(state.id))) == 1


def test_a_new_person_shows_the_pseudonym_the_service_assigned(qtbot: QtBot, executor: DatabaseExecutor) -> None:
    editor = open_editor(qtbot, executor, Kind.PERSON, None)
    editor.form.rows["origin"].widget.set_value("Hoeryong")
    qtbot.waitUntil(lambda: editor.state is not None, timeout=10_000)
    assert editor.state is not None
    pseudonym = editor.form.rows["pseudonym"].widget.value()
    assert pseudonym == editor.state.body["pseudonym"] and str(pseudonym).startswith("P-")
    assert not editor.has_unsaved_changes()
