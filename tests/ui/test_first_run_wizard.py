"""The first-run wizard: creates and opens a vault, shows the recovery key once and checks it was copied."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QProgressBar, QWizard
from pytestqt.qtbot import QtBot

from safecase.crypto.recovery_key import parse_recovery_key
from safecase.domain.kinds import Kind
from safecase.services.vault import VaultService
from safecase.storage.vault_folder import VaultFolder
from safecase.ui.executor import DatabaseExecutor
from safecase.ui.first_run_creating import DEMO_PEOPLE
from safecase.ui.first_run_pages import PageId
from safecase.ui.first_run_wizard import FirstRunWizard
from tests.conftest import PASSPHRASE
from tests.ui.helpers import run_on as run_in_executor

WAIT_MS = 60_000
NEW_PASSPHRASE = "tiger paper motion globe"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def wizard(qtbot: QtBot, root: Path, vaults: VaultService, executor: DatabaseExecutor) -> FirstRunWizard:
    wizard = FirstRunWizard(root, vaults, executor)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def fill_details(wizard: FirstRunWizard, passphrase: str = NEW_PASSPHRASE, repeat: str | None = None) -> None:
    page = wizard.details_page
    page.name_field.setText("Test Worker")
    page.organisation_field.setText("Test Org")
    page.passphrase_field.setText(passphrase)
    page.repeat_field.setText(passphrase if repeat is None else repeat)


def create_until_recovery_key(qtbot: QtBot, wizard: FirstRunWizard) -> str:
    """Drive the wizard to the recovery-key page and read the key off the screen, as its owner would."""
    wizard.next()
    fill_details(wizard)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.RECOVERY_KEY, timeout=WAIT_MS)
    return "-".join(label.text() for label in wizard.recovery_key_page.group_labels)


def type_asked_groups(wizard: FirstRunWizard, key: str, *, spoil: bool = False) -> None:
    groups = key.split("-")
    page = wizard.confirm_key_page
    first, second = page.asked_groups
    page.first_field.setText(" ".join(groups[first - 1].lower()))  # lower case and spaces are forgiven
    page.second_field.setText("ZZZZ" if spoil else groups[second - 1])


def finish_button(wizard: FirstRunWizard) -> QAbstractButton:
    return wizard.button(QWizard.WizardButton.FinishButton)


def test_creates_opens_and_confirms_a_vault(
    qtbot: QtBot, wizard: FirstRunWizard, root: Path, vaults: VaultService, executor: DatabaseExecutor
) -> None:
    key = create_until_recovery_key(qtbot, wizard)
    header = vaults.read_header(VaultFolder(root))
    assert parse_recovery_key(key).public_key_bytes() == header.recovery_public_key
    assert wizard.details_page.passphrase_field.text() == ""

    wizard.recovery_key_page.written_down.setChecked(True)
    wizard.next()
    assert wizard.currentId() == PageId.CONFIRM_KEY
    type_asked_groups(wizard, key)
    with qtbot.waitSignal(wizard.vault_ready, timeout=WAIT_MS) as ready:
        finish_button(wizard).click()
    assert ready.args == [False]
    assert not wizard.isVisible()
    assert all(label.text() == "" for label in wizard.recovery_key_page.group_labels)
    assert run_in_executor(qtbot, executor, lambda context: context.workspace.records.count(Kind.PERSON)) == 0
    identity = run_in_executor(qtbot, executor, lambda context: context.workspace.session.identity_record())
    assert (identity.display_name, identity.organisation) == ("Test Worker", "Test Org")


def test_the_new_passphrase_opens_the_vault(
    qtbot: QtBot, wizard: FirstRunWizard, root: Path, vaults: VaultService, executor: DatabaseExecutor
) -> None:
    create_until_recovery_key(qtbot, wizard)
    executor.shutdown()  # closes the wizard's session so that another may open the vault
    with vaults.unlock(root, NEW_PASSPHRASE) as session:
        assert session.identity_record().display_name == "Test Worker"


def test_refuses_mismatched_passphrases(wizard: FirstRunWizard) -> None:
    wizard.next()
    fill_details(wizard, repeat=NEW_PASSPHRASE + "!")
    assert not wizard.details_page.isComplete()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert wizard.details_page.problem.text() == "The two passphrases are not the same."
    wizard.next()
    assert wizard.currentId() == PageId.DETAILS


def test_refuses_a_passphrase_the_rules_reject(wizard: FirstRunWizard) -> None:
    wizard.next()
    fill_details(wizard, passphrase="short")
    assert not wizard.details_page.isComplete()
    assert "too short" in wizard.details_page.problem.text()
    wizard.next()
    assert wizard.currentId() == PageId.DETAILS


def test_the_strength_meter_follows_the_passphrase(wizard: FirstRunWizard) -> None:
    wizard.next()
    page = wizard.details_page
    page.passphrase_field.setText("password1")
    weak = page.strength_bar.value()
    assert "common" in page.strength_text.text()
    page.passphrase_field.setText(NEW_PASSPHRASE)
    assert page.strength_bar.value() > weak
    assert page.strength_text.text().startswith("Very strong")


def test_refuses_a_wrong_retyped_group(qtbot: QtBot, wizard: FirstRunWizard) -> None:
    key = create_until_recovery_key(qtbot, wizard)
    wizard.recovery_key_page.written_down.setChecked(True)
    wizard.next()
    ready: list[bool] = []
    wizard.vault_ready.connect(ready.append)
    type_asked_groups(wizard, key, spoil=True)
    finish_button(wizard).click()
    assert "not what the key says" in wizard.confirm_key_page.error.text()
    assert wizard.isVisible()
    assert wizard.currentId() == PageId.CONFIRM_KEY
    assert ready == []

    type_asked_groups(wizard, key)
    finish_button(wizard).click()
    assert ready == [False]


def test_the_key_must_be_written_down_before_going_on(qtbot: QtBot, wizard: FirstRunWizard) -> None:
    create_until_recovery_key(qtbot, wizard)
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.recovery_key_page.written_down.setChecked(True)
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_cannot_be_cancelled_once_the_vault_is_open(qtbot: QtBot, wizard: FirstRunWizard) -> None:
    create_until_recovery_key(qtbot, wizard)
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()
    wizard.reject()
    QTest.keyClick(wizard, Qt.Key.Key_Escape)
    assert wizard.isVisible()


def test_the_recovery_key_cannot_be_selected(qtbot: QtBot, wizard: FirstRunWizard) -> None:
    create_until_recovery_key(qtbot, wizard)
    for label in wizard.recovery_key_page.group_labels:
        assert label.textInteractionFlags() == Qt.TextInteractionFlag.NoTextInteraction
        assert label.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu


def test_the_demo_vault_is_filled_and_reported_as_demo(
    qtbot: QtBot, wizard: FirstRunWizard, executor: DatabaseExecutor
) -> None:
    wizard.welcome_page.demo_choice.setChecked(True)
    wizard.next()
    assert not wizard.details_page.name_field.isVisible()
    wizard.details_page.passphrase_field.setText(PASSPHRASE)
    wizard.details_page.repeat_field.setText(PASSPHRASE)
    wizard.next()
    qtbot.waitUntil(lambda: finish_button(wizard).isEnabled(), timeout=WAIT_MS)
    assert wizard.currentId() == PageId.CREATING
    with qtbot.waitSignal(wizard.vault_ready, timeout=WAIT_MS) as ready:
        finish_button(wizard).click()
    assert ready.args == [True]
    people = run_in_executor(qtbot, executor, lambda context: context.workspace.records.count(Kind.PERSON))
    assert people == DEMO_PEOPLE


def test_an_occupied_folder_is_refused_on_the_welcome_page(root: Path, wizard: FirstRunWizard) -> None:
    root.mkdir()
    (root / "something.txt").write_text("x", encoding="utf-8")
    wizard.next()
    assert wizard.currentId() == PageId.WELCOME
    assert "will not overwrite" in wizard.welcome_page.error.text()


def test_every_control_has_an_accessible_name(wizard: FirstRunWizard) -> None:
    pages = (
        wizard.welcome_page,
        wizard.details_page,
        wizard.creating_page,
        wizard.recovery_key_page,
        wizard.confirm_key_page,
    )
    for page in pages:
        for kind in (QLineEdit, QAbstractButton, QProgressBar):
            for control in page.findChildren(kind):
                assert control.accessibleName(), control


def test_a_failure_while_creating_is_shown_on_the_page(qtbot: QtBot, root: Path, wizard: FirstRunWizard) -> None:
    wizard.next()
    fill_details(wizard)
    root.mkdir()
    (root / "arrived meanwhile.txt").write_text("x", encoding="utf-8")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.creating_page.retry_button.isVisible(), timeout=WAIT_MS)
    assert "will not overwrite" in wizard.creating_page.error.text()
    assert str(root) not in wizard.creating_page.error.text()
    assert wizard.button(QWizard.WizardButton.BackButton).isVisible()
    assert wizard.button(QWizard.WizardButton.CancelButton).isVisible()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert sorted(path.name for path in root.iterdir()) == ["arrived meanwhile.txt"]
