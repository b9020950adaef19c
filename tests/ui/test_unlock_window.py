"""The unlock window: the right secret opens the vault in the executor; anything else says why and stays usable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractAnimation
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from safecase.domain.kinds import Kind
from safecase.services.vault import CreatedVault, VaultService
from safecase.ui.executor import DatabaseExecutor
from safecase.ui.unlock_window import UnlockWindow
from tests.conftest import PASSPHRASE
from tests.ui.helpers import run_on as run_in_executor

WAIT_MS = 20_000


def make_window(qtbot: QtBot, root: Path, vaults: VaultService, executor: DatabaseExecutor) -> UnlockWindow:
    window = UnlockWindow(root, vaults, executor)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def window(qtbot: QtBot, created_vault: CreatedVault, vaults: VaultService, executor: DatabaseExecutor) -> UnlockWindow:
    return make_window(qtbot, created_vault.folder, vaults, executor)


def submit(qtbot: QtBot, window: UnlockWindow, field: QLineEdit, text: str) -> None:
    field.setText(text)
    window.unlock_button.click()


def wait_until_idle(qtbot: QtBot, window: UnlockWindow) -> None:
    qtbot.waitUntil(lambda: window.unlock_button.isEnabled(), timeout=WAIT_MS)


def vault_bytes(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_the_window_shows_nothing_about_the_vault(window: UnlockWindow, created_vault: CreatedVault) -> None:
    assert window.windowTitle() == "SafeCase"
    assert window.passphrase_field.echoMode() is QLineEdit.EchoMode.Password
    assert window.unlock_button.isDefault()
    shown = " ".join(label.text() for label in window.findChildren(QLabel))
    assert str(created_vault.folder) not in shown
    assert created_vault.vault_id not in shown


def test_unlock_with_the_right_passphrase_opens_the_workspace(
    qtbot: QtBot, window: UnlockWindow, executor: DatabaseExecutor
) -> None:
    with qtbot.waitSignal(window.unlocked, timeout=WAIT_MS):
        submit(qtbot, window, window.passphrase_field, PASSPHRASE)
    assert run_in_executor(qtbot, executor, lambda context: context.workspace.records.count(Kind.PERSON)) == 0


def test_inputs_are_disabled_and_the_field_cleared_while_unlocking(qtbot: QtBot, window: UnlockWindow) -> None:
    with qtbot.waitSignal(window.unlocked, timeout=WAIT_MS):
        submit(qtbot, window, window.passphrase_field, PASSPHRASE)
        assert window.passphrase_field.text() == ""
        assert not window.passphrase_field.isEnabled()
        assert not window.unlock_button.isEnabled()
        assert window.busy_bar.isVisible()
        assert (window.busy_bar.minimum(), window.busy_bar.maximum()) == (0, 0)
    assert window.passphrase_field.isEnabled()
    assert not window.busy_bar.isVisible()


def test_a_wrong_passphrase_shakes_and_says_only_that(
    qtbot: QtBot, window: UnlockWindow, created_vault: CreatedVault
) -> None:
    before = vault_bytes(created_vault.folder)
    unlocked: list[None] = []
    window.unlocked.connect(lambda: unlocked.append(None))
    submit(qtbot, window, window.passphrase_field, "not the passphrase")
    assert window.passphrase_field.text() == ""
    wait_until_idle(qtbot, window)
    assert window.message.text() == "Wrong passphrase."
    assert window.shake_animation.state() is QAbstractAnimation.State.Running
    assert unlocked == []
    assert vault_bytes(created_vault.folder) == before
    assert window.passphrase_field.isEnabled()
    qtbot.waitUntil(lambda: window.shake_animation.state() is QAbstractAnimation.State.Stopped, timeout=WAIT_MS)


def test_the_right_passphrase_works_after_a_wrong_one(qtbot: QtBot, window: UnlockWindow) -> None:
    submit(qtbot, window, window.passphrase_field, "not the passphrase")
    wait_until_idle(qtbot, window)
    with qtbot.waitSignal(window.unlocked, timeout=WAIT_MS):
        submit(qtbot, window, window.passphrase_field, PASSPHRASE)
    assert window.message.text() == ""


def test_an_empty_passphrase_is_not_submitted(qtbot: QtBot, window: UnlockWindow) -> None:
    submit(qtbot, window, window.passphrase_field, "")
    assert window.message.text() == "Type your passphrase."
    assert window.unlock_button.isEnabled()


def test_a_folder_that_is_not_a_vault_says_so_without_the_path(
    qtbot: QtBot, tmp_path: Path, vaults: VaultService, executor: DatabaseExecutor
) -> None:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a vault", encoding="utf-8")
    window = make_window(qtbot, folder, vaults, executor)
    submit(qtbot, window, window.passphrase_field, PASSPHRASE)
    wait_until_idle(qtbot, window)
    assert "not a SafeCase vault" in window.message.text()
    assert str(folder) not in window.message.text()
    assert window.shake_animation.state() is QAbstractAnimation.State.Stopped
    assert window.passphrase_field.isEnabled()


def test_a_vault_from_a_newer_safecase_asks_for_an_update(
    qtbot: QtBot, window: UnlockWindow, created_vault: CreatedVault
) -> None:
    for name in ("header.json", "header.bak.json"):
        path = created_vault.folder / name
        header = json.loads(path.read_bytes())
        header["version"] = 2
        path.write_text(json.dumps(header), encoding="utf-8")
    submit(qtbot, window, window.passphrase_field, PASSPHRASE)
    wait_until_idle(qtbot, window)
    assert "newer SafeCase" in window.message.text()
    assert "keep a copy of the whole vault folder" in window.message.text()
    assert window.passphrase_field.isEnabled()
    assert window.mode_toggle.isEnabled()


def test_unlock_with_the_recovery_key(
    qtbot: QtBot, window: UnlockWindow, created_vault: CreatedVault, executor: DatabaseExecutor
) -> None:
    window.mode_toggle.click()
    assert window.recovery_field.isVisible()
    assert not window.passphrase_field.isVisible()
    with qtbot.waitSignal(window.unlocked, timeout=WAIT_MS):
        submit(qtbot, window, window.recovery_field, created_vault.recovery_key.lower().replace("-", " "))
    assert window.recovery_field.text() == ""
    assert run_in_executor(qtbot, executor, lambda context: context.workspace.records.count(Kind.PERSON)) == 0


def test_a_recovery_key_typo_is_shown_and_kept_for_correcting(
    qtbot: QtBot, window: UnlockWindow, created_vault: CreatedVault
) -> None:
    window.mode_toggle.click()
    key = created_vault.recovery_key
    typo = ("1" if key[0] != "1" else "2") + key[1:]
    submit(qtbot, window, window.recovery_field, typo)
    assert "typo" in window.message.text()
    assert window.recovery_field.text() == typo
    assert window.unlock_button.isEnabled()


def test_another_vaults_recovery_key_is_wrong(
    qtbot: QtBot, tmp_path: Path, window: UnlockWindow, vaults: VaultService
) -> None:
    other = vaults.create(tmp_path / "other", PASSPHRASE)
    window.mode_toggle.click()
    submit(qtbot, window, window.recovery_field, other.recovery_key)
    wait_until_idle(qtbot, window)
    assert window.message.text() == "Wrong recovery key."
    assert window.shake_animation.state() is QAbstractAnimation.State.Running


def test_every_control_has_an_accessible_name(window: UnlockWindow) -> None:
    for widget in (window.passphrase_field, window.recovery_field, window.unlock_button, window.mode_toggle):
        assert widget.accessibleName()
