"""Settings: key operations run on the database thread and the vault opens with the new secret afterwards."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from safecase.errors import WrongSecretError
from safecase.services.vault import CreatedVault, VaultService
from safecase.ui.executor import DatabaseExecutor
from safecase.ui.settings_dialog import SettingsDialog
from tests.conftest import PASSPHRASE

NEW_PASSPHRASE = "lantern river copper meadow"


@pytest.fixture
def executor(unlocked_executor: DatabaseExecutor) -> DatabaseExecutor:
    return unlocked_executor


def test_change_passphrase_from_settings(
    qtbot: QtBot, executor: DatabaseExecutor, vaults: VaultService, created_vault: CreatedVault
) -> None:
    dialog = SettingsDialog(executor, vaults, 5)
    dialog.new_passphrase.setText(NEW_PASSPHRASE)
    dialog.repeat_passphrase.setText(NEW_PASSPHRASE)
    dialog.change_button.click()
    assert dialog.new_passphrase.text() == "" and dialog.busy.isVisibleTo(dialog)
    qtbot.waitUntil(lambda: "changed" in dialog.message.text(), timeout=20_000)
    executor.submit(lambda c: c.close_workspace())
    executor.shutdown()
    vaults.unlock(created_vault.folder, NEW_PASSPHRASE).close()
    with pytest.raises(WrongSecretError):
        vaults.unlock(created_vault.folder, PASSPHRASE)


def test_mismatched_new_passphrases_change_nothing(
    qtbot: QtBot, executor: DatabaseExecutor, vaults: VaultService, created_vault: CreatedVault
) -> None:
    dialog = SettingsDialog(executor, vaults, 5)
    dialog.new_passphrase.setText(NEW_PASSPHRASE)
    dialog.repeat_passphrase.setText(NEW_PASSPHRASE + "x")
    dialog.change_button.click()
    assert "differ" in dialog.message.text()
    executor.shutdown()
    vaults.unlock(created_vault.folder, PASSPHRASE).close()


def test_rotate_key_needs_the_current_passphrase(
    qtbot: QtBot, executor: DatabaseExecutor, vaults: VaultService, created_vault: CreatedVault
) -> None:
    dialog = SettingsDialog(executor, vaults, 5)
    dialog.current_passphrase.setText("not the passphrase")
    dialog.rotate_button.click()
    qtbot.waitUntil(lambda: not dialog.busy.isVisibleTo(dialog), timeout=20_000)
    assert "re-encrypted" not in dialog.message.text()
    dialog.current_passphrase.setText(PASSPHRASE)
    dialog.rotate_button.click()
    qtbot.waitUntil(lambda: "re-encrypted" in dialog.message.text(), timeout=30_000)
    executor.shutdown()
    vaults.unlock(created_vault.folder, PASSPHRASE).close()
