"""A new user's first day, through the windows: the wizard creates the vault, a testimony is typed in Korean in
the testimony editor and autosaved, search finds it, the vault is locked and unlocked, and it is still there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QAbstractButton, QApplication, QWizard
from pytestqt.qtbot import QtBot

from safecase.domain.clock import FakeClock
from safecase.domain.kinds import Kind
from safecase.services.vault import VaultService
from safecase.ui.app import SafeCaseApp
from safecase.ui.first_run_pages import PageId
from safecase.ui.first_run_wizard import FirstRunWizard
from safecase.ui.i18n import LanguageSwitcher
from safecase.ui.protection.screen_lock import NullScreenLockListener
from safecase.ui.settings import AppSettings
from safecase.ui.unlock_window import UnlockWindow
from tests.factories import make_body
from tests.ui.helpers import run_on

NEW_PASSPHRASE = "lantern river copper meadow"
WORDS = "국경 경비대에 붙잡혀 단둥 변방구류소로 옮겨졌다"
WAIT_MS = 20_000


@pytest.fixture
def app(
    qtbot: QtBot, qapp: QApplication, vaults: VaultService, clock: FakeClock, tmp_path: Path
) -> Iterator[SafeCaseApp]:
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    settings.language = "ko"
    safecase = SafeCaseApp(
        qapp, tmp_path / "vault", vaults, clock, settings, NullScreenLockListener(), LanguageSwitcher(qapp)
    )
    safecase.start()
    yield safecase
    for window in (safecase.main_window, safecase.gate):
        if window is not None:
            window.hide()
    safecase.shut_down()
    safecase.language.use("en")


def create_vault_with_the_wizard(qtbot: QtBot, app: SafeCaseApp) -> None:
    wizard = app.gate
    assert isinstance(wizard, FirstRunWizard)
    wizard.next()
    details = wizard.details_page
    details.passphrase_field.setText(NEW_PASSPHRASE)
    details.repeat_field.setText(NEW_PASSPHRASE)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.RECOVERY_KEY, timeout=WAIT_MS)
    groups = [label.text() for label in wizard.recovery_key_page.group_labels]
    wizard.recovery_key_page.written_down.setChecked(True)
    wizard.next()
    first, second = wizard.confirm_key_page.asked_groups
    wizard.confirm_key_page.first_field.setText(groups[first - 1])
    wizard.confirm_key_page.second_field.setText(groups[second - 1])
    finish: QAbstractButton = wizard.button(QWizard.WizardButton.FinishButton)
    finish.click()
    qtbot.waitUntil(lambda: app.main_window is not None, timeout=WAIT_MS)


def on_vault(qtbot: QtBot, app: SafeCaseApp, operation: Any) -> Any:
    return run_on(qtbot, app.executor, operation)


def test_first_day(qtbot: QtBot, app: SafeCaseApp) -> None:
    create_vault_with_the_wizard(qtbot, app)
    window = app.main_window
    assert window is not None and window.lang == "ko"
    person = on_vault(qtbot, app, lambda c: c.workspace.records.add(Kind.PERSON, make_body(Kind.PERSON)))

    window.show_kind(Kind.TESTIMONY)
    window.new_record(Kind.TESTIMONY)
    editor = window._editor
    assert editor is not None
    form = editor.form
    form.rows["interviewee_id"].widget.set_value(person.id)
    form.rows["original_text"].widget.set_value(WORDS)
    qtbot.waitUntil(lambda: editor.record_id is not None and not editor.has_unsaved_changes(), timeout=WAIT_MS)
    testimony_id = editor.record_id

    window.show_search()
    window.search_dialog.query_field.setText("변방구류소")
    qtbot.waitUntil(lambda: window.search_dialog.model.result_count == 1, timeout=WAIT_MS)

    app.lock()
    assert isinstance(app.gate, UnlockWindow) and app.main_window is None
    app.gate.passphrase_field.setText(NEW_PASSPHRASE)
    app.gate.unlock_button.click()
    qtbot.waitUntil(lambda: app.main_window is not None, timeout=WAIT_MS)
    state = on_vault(qtbot, app, lambda c: c.workspace.records.show(testimony_id))
    assert state.body["original_text"] == WORDS
    assert app.main_window is not None
    pane = app.main_window.pane(Kind.TESTIMONY)
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1 and not pane.model.is_loading, timeout=WAIT_MS)
