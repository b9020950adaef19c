"""The desktop app saves interrupted recordings right after each unlock; they appear in the testimony's evidence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from safecase.domain.clock import FakeClock
from safecase.domain.kinds import Kind
from safecase.services.attachments import AttachmentService
from safecase.services.recording import Recorder
from safecase.services.records import RecordService
from safecase.services.vault import CreatedVault, VaultService
from safecase.storage.records import RecordState
from safecase.ui.app import SafeCaseApp
from safecase.ui.executor import TaskContext
from safecase.ui.i18n import LanguageSwitcher
from safecase.ui.protection.screen_lock import FakeScreenLockListener
from safecase.ui.settings import AppSettings
from safecase.ui.unlock_window import UnlockWindow
from tests.conftest import PASSPHRASE
from tests.factories import make_body
from tests.ui.helpers import WAIT_MS, run_on


@pytest.fixture
def interrupted_testimony(vaults: VaultService, created_vault: CreatedVault) -> str:
    """A testimony with a recording of 1.5 s that a killed app left behind (closed, never finished)."""
    with vaults.unlock(created_vault.folder, PASSPHRASE) as session:
        records = RecordService(session)
        person = records.add(Kind.PERSON, make_body(Kind.PERSON))
        testimony_id = records.add(Kind.TESTIMONY, make_body(Kind.TESTIMONY, interviewee_id=person.id)).id
        recorder = Recorder.start(session, AttachmentService(session), testimony_id, 16_000, 1)
        recorder.append(b"\x01\x02" * 24_000)
        recorder.close_file()
    return testimony_id


@pytest.fixture
def app(
    qtbot: QtBot,
    qapp: QApplication,
    vaults: VaultService,
    created_vault: CreatedVault,
    clock: FakeClock,
    tmp_path: Path,
) -> Iterator[SafeCaseApp]:
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    settings.language = "en"
    safecase = SafeCaseApp(
        qapp, created_vault.folder, vaults, clock, settings, FakeScreenLockListener(), LanguageSwitcher(qapp)
    )
    safecase.start()
    yield safecase
    if safecase.main_window is not None:
        safecase.main_window.hide()
    if safecase.gate is not None:
        safecase.gate.hide()
    safecase.shut_down()


def test_unlocking_saves_the_recording_a_killed_app_left(
    qtbot: QtBot, app: SafeCaseApp, interrupted_testimony: str
) -> None:
    gate = app.gate
    assert isinstance(gate, UnlockWindow)
    gate.passphrase_field.setText(PASSPHRASE)
    gate.unlock_button.click()
    qtbot.waitUntil(lambda: app.main_window is not None, timeout=WAIT_MS)
    window = app.main_window
    assert window is not None
    qtbot.waitUntil(lambda: "Recovered 1 interrupted" in window.statusBar().currentMessage(), timeout=WAIT_MS)

    def evidence(context: TaskContext) -> list[RecordState]:
        return context.workspace.attachments.list_for(interrupted_testimony)

    (state,) = run_on(qtbot, app.executor, evidence)
    assert (state.body["source"], state.body["duration_ms"]) == ("recovered_recording", 1500)
