"""The whole desktop cycle: unlock -> record a Korean testimony -> search finds it -> lock -> unlock -> still there;
auto-lock with a fake clock, panic, screen lock, and settings that hold no content."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from safecase.domain.clock import FakeClock
from safecase.domain.kinds import Kind
from safecase.services.vault import CreatedVault, VaultService
from safecase.ui.app import MINUTE_MS, SafeCaseApp
from safecase.ui.executor import TaskContext
from safecase.ui.i18n import LanguageSwitcher
from safecase.ui.main_window import MainWindow
from safecase.ui.protection.screen_lock import FakeScreenLockListener
from safecase.ui.settings import AppSettings
from safecase.ui.unlock_window import UnlockWindow
from tests.conftest import PASSPHRASE
from tests.factories import make_body
from tests.ui.helpers import run_on

WITNESS_WORDS = "신의주 집결소에서 보위부 차량으로 이송되었습니다"


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "settings" / "safecase.ini"


@pytest.fixture
def app(
    qtbot: QtBot,
    qapp: QApplication,
    vaults: VaultService,
    created_vault: CreatedVault,
    clock: FakeClock,
    settings_file: Path,
) -> Iterator[SafeCaseApp]:
    settings = AppSettings(QSettings(str(settings_file), QSettings.Format.IniFormat))
    settings.language = "en"
    listener = FakeScreenLockListener()
    safecase = SafeCaseApp(qapp, created_vault.folder, vaults, clock, settings, listener, LanguageSwitcher(qapp))
    safecase.start()
    yield safecase
    if safecase.main_window is not None:
        safecase.main_window.hide()
    if safecase.gate is not None:
        safecase.gate.hide()
    safecase.shut_down()
    safecase.language.use("en")  # the translator is installed on the shared QApplication


def unlock(qtbot: QtBot, app: SafeCaseApp) -> MainWindow:
    gate = app.gate
    assert isinstance(gate, UnlockWindow)
    gate.passphrase_field.setText(PASSPHRASE)
    gate.unlock_button.click()
    qtbot.waitUntil(lambda: app.main_window is not None, timeout=15_000)
    assert app.main_window is not None
    return app.main_window


def run_on_vault(qtbot: QtBot, app: SafeCaseApp, operation: Any) -> Any:
    return run_on(qtbot, app.executor, operation)


def add_korean_testimony(context: TaskContext) -> str:
    records = context.workspace.records
    person = records.add(Kind.PERSON, make_body(Kind.PERSON))
    body = make_body(Kind.TESTIMONY, interviewee_id=person.id, original_text=WITNESS_WORDS, language="ko")
    return records.add(Kind.TESTIMONY, body).id


def search_hits(qtbot: QtBot, window: MainWindow, query: str) -> int:
    window.show_search()
    dialog = window.search_dialog
    dialog.query_field.setText(query)
    qtbot.waitUntil(lambda: dialog.model.result_count > 0, timeout=10_000)
    count = dialog.model.result_count
    dialog.hide()
    return count


def is_locked(app: SafeCaseApp) -> bool:
    return app.main_window is None and isinstance(app.gate, UnlockWindow)


def test_record_search_lock_unlock_keeps_the_testimony(qtbot: QtBot, app: SafeCaseApp) -> None:
    window = unlock(qtbot, app)
    assert window.windowTitle() == "SafeCase"
    testimony_id = run_on_vault(qtbot, app, add_korean_testimony)
    assert search_hits(qtbot, window, "집결소") >= 1

    app.lock()
    assert is_locked(app)
    assert run_on_vault(qtbot, app, lambda context: context.has_workspace) is False

    window = unlock(qtbot, app)
    assert search_hits(qtbot, window, "집결소") >= 1
    shown = run_on_vault(qtbot, app, lambda context: context.workspace.records.show(testimony_id))
    assert shown.body["original_text"] == WITNESS_WORDS


def test_the_list_shows_records_after_unlock(qtbot: QtBot, app: SafeCaseApp) -> None:
    window = unlock(qtbot, app)
    run_on_vault(qtbot, app, add_korean_testimony)
    window.show_kind(Kind.TESTIMONY)
    pane = window.pane(Kind.TESTIMONY)
    pane.load()
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1 and not pane.model.is_loading, timeout=10_000)


def test_idle_time_locks_with_a_fake_clock(qtbot: QtBot, app: SafeCaseApp, clock: FakeClock) -> None:
    unlock(qtbot, app)
    clock.advance(4 * MINUTE_MS)
    app.idle.check_now()
    assert app.is_unlocked
    clock.advance(MINUTE_MS + 1)
    app.idle.check_now()
    assert is_locked(app)


def test_panic_hides_every_window_and_locks(qtbot: QtBot, app: SafeCaseApp) -> None:
    window = unlock(qtbot, app)
    window.show_search()
    assert window.search_dialog.isVisible()
    app.panic()
    assert not window.isVisible() and not window.search_dialog.isVisible()
    assert is_locked(app)
    assert run_on_vault(qtbot, app, lambda context: context.has_workspace) is False


def test_screen_lock_locks_the_vault(qtbot: QtBot, app: SafeCaseApp) -> None:
    unlock(qtbot, app)
    listener = app.screen_lock
    assert isinstance(listener, FakeScreenLockListener)
    listener.simulate_lock()
    assert is_locked(app)


def test_lock_clears_our_clipboard_text(qtbot: QtBot, app: SafeCaseApp, qapp: QApplication) -> None:
    unlock(qtbot, app)
    app.clipboard.copy_sensitive("+86 138 0000 0000")
    app.lock()
    assert qapp.clipboard().text() == ""


def test_settings_hold_no_content_and_no_paths(
    qtbot: QtBot, app: SafeCaseApp, settings_file: Path, created_vault: CreatedVault
) -> None:
    window = unlock(qtbot, app)
    run_on_vault(qtbot, app, add_korean_testimony)
    window.language_chosen.emit("ko")
    assert app.main_window is not None and app.main_window.lang == "ko"
    text = settings_file.read_text(encoding="utf-8")
    assert str(created_vault.folder) not in text and created_vault.folder.name not in text
    assert "신의주" not in text
    keys = set(QSettings(str(settings_file), QSettings.Format.IniFormat).allKeys())
    assert keys <= {"ui/language", "protection/idle_lock_minutes"}


def test_a_screen_lock_during_unlock_locks_as_soon_as_the_vault_opens(qtbot: QtBot, app: SafeCaseApp) -> None:
    gate = app.gate
    assert isinstance(gate, UnlockWindow)
    gate.passphrase_field.setText(PASSPHRASE)
    gate.unlock_button.click()
    listener = app.screen_lock
    assert isinstance(listener, FakeScreenLockListener)
    listener.simulate_lock()
    qtbot.waitUntil(lambda: isinstance(app.gate, UnlockWindow) and app.gate is not gate, timeout=15_000)
    assert is_locked(app)
    assert run_on_vault(qtbot, app, lambda context: context.has_workspace) is False


def test_locking_right_after_typing_keeps_the_typing(qtbot: QtBot, app: SafeCaseApp) -> None:
    window = unlock(qtbot, app)
    window.new_record(Kind.CASE)
    editor = window._editor
    assert editor is not None
    editor.form.rows["title"].widget.set_value("Typed just before the lock")
    assert editor.has_unsaved_changes()
    app.lock()  # well before the autosave delay
    unlock(qtbot, app)
    titles = run_on_vault(qtbot, app, lambda c: [s.body["title"] for s in c.workspace.records.list_kind(Kind.CASE)])
    assert titles == ["Typed just before the lock"]
