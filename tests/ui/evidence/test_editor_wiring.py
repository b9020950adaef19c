"""The evidence panel in the editors: shown for the kinds evidence can be attached to, waiting for a new record's
first save; an evidence file found by search opens its record with the file selected; a lock closes a preview and
overwrites its bytes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from safecase.domain.clock import FakeClock
from safecase.domain.kinds import ATTACHABLE_KINDS, Kind
from safecase.services.vault import CreatedVault, VaultService
from safecase.storage.records import RecordState
from safecase.ui.app import SafeCaseApp
from safecase.ui.editors import RecordEditor, create_editor
from safecase.ui.executor import DatabaseExecutor, TaskContext
from safecase.ui.i18n import LanguageSwitcher
from safecase.ui.main_window import MainWindow
from safecase.ui.protection.screen_lock import FakeScreenLockListener
from safecase.ui.settings import AppSettings
from safecase.ui.unlock_window import UnlockWindow
from tests.conftest import PASSPHRASE
from tests.factories import make_body
from tests.ui.evidence.samples import select
from tests.ui.helpers import WAIT_MS, run_on


def open_editor(qtbot: QtBot, executor: DatabaseExecutor, kind: Kind, record_id: str | None) -> RecordEditor:
    editor = create_editor(kind, record_id, executor=executor, lang="en", clipboard=None)
    qtbot.addWidget(editor)
    if record_id is not None:
        qtbot.waitUntil(lambda: editor.state is not None, timeout=WAIT_MS)
    return editor


def stored_person(qtbot: QtBot, executor: DatabaseExecutor) -> RecordState:
    state: RecordState = run_on(qtbot, executor, lambda c: c.workspace.records.add(Kind.PERSON, make_body(Kind.PERSON)))
    return state


def test_attachable_kinds_get_the_panel_and_others_do_not(qtbot: QtBot, unlocked_executor: DatabaseExecutor) -> None:
    person = stored_person(qtbot, unlocked_executor)
    for kind in Kind:
        if kind is not Kind.ATTACHMENT:
            editor = create_editor(kind, None, executor=unlocked_executor, lang="en", clipboard=None)
            qtbot.addWidget(editor)
            assert (editor.evidence_panel is not None) == (kind in ATTACHABLE_KINDS), kind
    editor = open_editor(qtbot, unlocked_executor, Kind.PERSON, person.id)
    assert editor.evidence_panel is not None and editor.evidence_panel.record_id == person.id
    assert editor.evidence_panel.add_button.isEnabled()


def test_a_new_record_can_take_evidence_once_saved(qtbot: QtBot, unlocked_executor: DatabaseExecutor) -> None:
    editor = open_editor(qtbot, unlocked_executor, Kind.CASE, None)
    panel = editor.evidence_panel
    assert panel is not None
    assert panel.hint_label.text() == "Save the record to add evidence."
    assert not panel.add_button.isEnabled()
    title = editor.form.rows["title"].widget.findChild(QLineEdit)
    assert title is not None
    with qtbot.waitSignal(editor.saved, timeout=WAIT_MS):
        title.setText("Fictional case: a river crossing")
    assert panel.record_id == editor.record_id is not None
    assert panel.add_button.isEnabled() and panel.acceptDrops()


# -- through the whole app ------------------------------------------------------------------------------------------


@pytest.fixture
def app(
    qapp: QApplication, vaults: VaultService, created_vault: CreatedVault, clock: FakeClock, tmp_path: Path
) -> Iterator[SafeCaseApp]:
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    settings.language = "en"
    safecase = SafeCaseApp(
        qapp, created_vault.folder, vaults, clock, settings, FakeScreenLockListener(), LanguageSwitcher(qapp)
    )
    safecase.start()
    yield safecase
    for window in (safecase.main_window, safecase.gate):
        if window is not None:
            window.hide()
    safecase.shut_down()


def unlock(qtbot: QtBot, app: SafeCaseApp) -> MainWindow:
    gate = app.gate
    assert isinstance(gate, UnlockWindow)
    gate.passphrase_field.setText(PASSPHRASE)
    gate.unlock_button.click()
    qtbot.waitUntil(lambda: app.main_window is not None, timeout=WAIT_MS)
    assert app.main_window is not None
    return app.main_window


def case_with_evidence(tmp_path: Path) -> Callable[[TaskContext], tuple[str, str]]:
    def add(context: TaskContext) -> tuple[str, str]:
        case = context.workspace.records.add(Kind.CASE, make_body(Kind.CASE))
        (tmp_path / "decoy.txt").write_text("An unrelated fictional note.", encoding="utf-8")
        context.workspace.attachments.attach(case.id, tmp_path / "decoy.txt")
        path = tmp_path / "hoeryong-market-photo.txt"
        path.write_text("Fictional description of a market photo.", encoding="utf-8")
        return case.id, context.workspace.attachments.attach(case.id, path).id

    return add


def current_panel_attachment(window: MainWindow) -> str | None:
    editor = window.editor_area.currentWidget()
    panel = getattr(editor, "evidence_panel", None)
    chosen = panel.current_attachment() if panel is not None else None
    return chosen.id if chosen is not None else None


def test_an_evidence_file_found_by_search_opens_its_record_with_the_file_selected(
    qtbot: QtBot, app: SafeCaseApp, tmp_path: Path
) -> None:
    window = unlock(qtbot, app)
    case_id, attachment_id = run_on(qtbot, app.executor, case_with_evidence(tmp_path))
    window.show_search()
    window.search_dialog.query_field.setText("hoeryong")
    model = window.search_dialog.model
    qtbot.waitUntil(lambda: model.result_count > 0, timeout=WAIT_MS)
    hits = [model.result_at(index) for index in model.result_indexes()]
    assert [(hit.kind, hit.record.id) for hit in hits if hit is not None] == [(Kind.ATTACHMENT, attachment_id)]
    window.search_dialog.choose_current()
    qtbot.waitUntil(lambda: current_panel_attachment(window) == attachment_id, timeout=WAIT_MS)
    editor = window.editor_area.currentWidget()
    assert isinstance(editor, RecordEditor) and editor.kind is Kind.CASE and editor.record_id == case_id


def test_a_lock_closes_an_open_preview_and_overwrites_its_bytes(qtbot: QtBot, app: SafeCaseApp, tmp_path: Path) -> None:
    window = unlock(qtbot, app)
    case_id, attachment_id = run_on(qtbot, app.executor, case_with_evidence(tmp_path))
    window.open_record(Kind.CASE.value, case_id)
    editor = window.editor_area.currentWidget()
    assert isinstance(editor, RecordEditor) and editor.evidence_panel is not None
    panel = editor.evidence_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=WAIT_MS)
    select(panel, attachment_id)
    dialog = panel.preview_selected()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.viewer is not None, timeout=WAIT_MS)
    held, plaintext = dialog.plaintext.data, dialog.plaintext
    assert b"market photo" in bytes(held.data())
    app.lock()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=WAIT_MS)
    assert plaintext.wiped and bytes(held.data()) == bytes(held.size())
    assert isinstance(app.gate, UnlockWindow)
