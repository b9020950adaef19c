"""The Team windows: contacts with fingerprint and QR code, the send wizard's review, receiving, and conflicts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget, QWizard
from pytestqt.qtbot import QtBot

from safecase.domain.kinds import Kind
from safecase.services.attachments import AttachmentService
from safecase.services.exchange.contacts import ContactService
from safecase.services.exchange.export import BundleExporter
from safecase.services.exchange.scope import ScopeRequest
from safecase.services.exchange.sync import outbox_code
from safecase.services.records import RecordService
from safecase.services.session import VaultSession
from safecase.services.vault import VaultService
from safecase.ui.editors import create_editor
from safecase.ui.exchange.conflicts_dialog import ConflictsDialog, VersionPane
from safecase.ui.exchange.contacts_dialog import ContactsDialog
from safecase.ui.exchange.receive_dialog import ReceiveDialog
from safecase.ui.exchange.send_wizard import SendWizard
from safecase.ui.exchange.sync_action import SyncAction
from safecase.ui.exchange.verify_dialog import VerifyDialog
from safecase.ui.executor import DatabaseExecutor, TaskContext
from tests.conftest import PASSPHRASE
from tests.factories import make_body
from tests.ui.helpers import WAIT_MS, run_on


def _shoot(widget: QWidget, name: str) -> None:
    """With SAFECASE_SHOTS=DIR, save what the window looks like (how docs/screenshots/team_*.png are made)."""
    folder = os.environ.get("SAFECASE_SHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / name))


@pytest.fixture
def colleague(tmp_path: Path, vaults: VaultService) -> Iterator[VaultSession]:
    """A second vault, open directly (not through the executor): a field worker who sends bundles."""
    vaults.create(tmp_path / "colleague", PASSPHRASE, "Han Mi-rae", "Field team")
    with vaults.unlock(tmp_path / "colleague", PASSPHRASE) as session:
        yield session


def _introduce(qtbot: QtBot, executor: DatabaseExecutor, colleague: VaultSession, *, verified: bool) -> str:
    """Each side adds the other's card; returns the colleague's contact id in the executor's vault."""
    own_card = run_on(qtbot, executor, lambda context: context.workspace.contacts.own_card())
    ContactService(colleague).add_card(own_card)
    card = ContactService(colleague).own_card()

    def add(context: TaskContext) -> str:
        contact = context.workspace.contacts.add_card(card).contact
        if verified:
            context.workspace.contacts.verify(contact.id)
        return contact.id

    contact_id: str = run_on(qtbot, executor, add)
    return contact_id


def _send_to_executor_vault(colleague: VaultSession, path: Path) -> None:
    contacts = ContactService(colleague)
    recipient = next(c for c in contacts.all() if c.display_name == "Test Worker")
    exporter = BundleExporter(colleague, AttachmentService(colleague))
    exporter.write(exporter.plan([recipient], ScopeRequest()), path)


def test_contacts_window_shows_your_fingerprint_and_qr_and_verifies_a_contact(
    qtbot: QtBot, unlocked_executor: DatabaseExecutor, colleague: VaultSession
) -> None:
    contact_id = _introduce(qtbot, unlocked_executor, colleague, verified=False)
    dialog = ContactsDialog(unlocked_executor)
    qtbot.addWidget(dialog)
    dialog.reload()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=WAIT_MS)
    assert dialog.own_qr.pixmap() is not None and not dialog.own_qr.pixmap().isNull()
    own_fingerprint = run_on(qtbot, unlocked_executor, lambda c: c.workspace.session.identity.public().fingerprint())
    assert dialog.own_fingerprint.text().split() == own_fingerprint.split()
    dialog.table.selectRow(0)
    assert dialog.buttons["verify"].isEnabled()
    dialog.show()
    _shoot(dialog, "team_contacts.png")

    dialog.buttons["verify"].click()
    verify = dialog.findChild(VerifyDialog)
    assert verify is not None
    assert verify.expected.text().split() == colleague.identity.public().fingerprint().split()
    verify.confirm_button.click()
    qtbot.waitUntil(lambda: dialog.model.contact(0) is not None and dialog.model.contact(0).verified, timeout=WAIT_MS)
    stored = run_on(qtbot, unlocked_executor, lambda c: c.workspace.contacts.resolve(contact_id))
    assert stored.verified


def test_send_wizard_shows_exactly_what_leaves_and_asks_before_contact_details_go(
    qtbot: QtBot, unlocked_executor: DatabaseExecutor, colleague: VaultSession
) -> None:
    _introduce(qtbot, unlocked_executor, colleague, verified=True)

    def fill(context: TaskContext) -> None:
        records = context.workspace.records
        person = records.add(Kind.PERSON, make_body(Kind.PERSON))
        records.add(Kind.CONTACT, make_body(Kind.CONTACT, person_id=person.id))
        records.add(Kind.TESTIMONY, make_body(Kind.TESTIMONY, interviewee_id=person.id))

    run_on(qtbot, unlocked_executor, fill)
    wizard = SendWizard(unlocked_executor, "en")
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.recipients_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT_MS)
    assert not page.isComplete()
    page.model.item(0).setCheckState(page.model.item(0).checkState().Checked)
    assert page.isComplete()
    wizard.next()
    wizard.content_page.include_contacts.setChecked(True)
    wizard.next()
    review = wizard.review_page
    qtbot.waitUntil(lambda: review.plan is not None, timeout=WAIT_MS)
    text = review.summary.text()
    assert "persons: 1" in text and "testimonies: 1" in text and "contact details: 1" in text
    assert review.contacts_warning.isVisible() and not review.isComplete()
    review.contacts_warning.setChecked(True)
    assert review.isComplete()
    _shoot(wizard, "team_send_review.png")
    approved: list[object] = []
    wizard.plan_approved.connect(approved.append)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert approved and approved[0] is review.plan


def test_receive_dialog_checks_then_imports_and_says_what_changed(
    qtbot: QtBot, unlocked_executor: DatabaseExecutor, colleague: VaultSession, tmp_path: Path
) -> None:
    _introduce(qtbot, unlocked_executor, colleague, verified=True)
    RecordService(colleague).add(Kind.CASE, make_body(Kind.CASE))
    path = tmp_path / "from-han.safecase-bundle"
    _send_to_executor_vault(colleague, path)
    dialog = ReceiveDialog(unlocked_executor, path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=WAIT_MS)
    assert "Han Mi-rae" in dialog.text.text() and "verified contact" in dialog.text.text()
    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS):
        dialog.import_button.click()
    assert "1 new records" in dialog.text.text()
    count = run_on(qtbot, unlocked_executor, lambda c: c.workspace.records.count(Kind.CASE))
    assert count == 1


def test_receive_dialog_needs_consent_for_an_unknown_sender(
    qtbot: QtBot, unlocked_executor: DatabaseExecutor, colleague: VaultSession, tmp_path: Path
) -> None:
    own_card = run_on(qtbot, unlocked_executor, lambda context: context.workspace.contacts.own_card())
    ContactService(colleague).add_card(own_card)  # they know us; we do not know them
    path = tmp_path / "unknown.safecase-bundle"
    RecordService(colleague).add(Kind.CASE, make_body(Kind.CASE))
    _send_to_executor_vault(colleague, path)
    dialog = ReceiveDialog(unlocked_executor, path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "NOT one of your contacts" in dialog.text.text(), timeout=WAIT_MS)
    assert not dialog.import_button.isEnabled()
    dialog.allow_unknown.setChecked(True)
    assert dialog.import_button.isEnabled()


def test_conflicts_window_lists_both_versions_and_keeping_one_resolves_it(
    qtbot: QtBot, unlocked_executor: DatabaseExecutor, colleague: VaultSession, tmp_path: Path
) -> None:
    _introduce(qtbot, unlocked_executor, colleague, verified=True)
    case = RecordService(colleague).add(Kind.CASE, make_body(Kind.CASE, title="Tumen crossing, 2019"))
    first = tmp_path / "first.safecase-bundle"
    _send_to_executor_vault(colleague, first)
    run_on(qtbot, unlocked_executor, lambda c: c.workspace.bundle_importer.import_bundle(first))
    run_on(qtbot, unlocked_executor, lambda c: c.workspace.records.edit(case.id, {**case.body, "title": "Ours"}))
    RecordService(colleague).edit(case.id, {**case.body, "title": "Theirs"})
    second = tmp_path / "second.safecase-bundle"
    _send_to_executor_vault(colleague, second)
    run_on(qtbot, unlocked_executor, lambda c: c.workspace.bundle_importer.import_bundle(second))

    dialog = ConflictsDialog(unlocked_executor, "en")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reload()
    qtbot.waitUntil(lambda: len(dialog.findChildren(VersionPane)) == 2, timeout=WAIT_MS)
    panes = dialog.findChildren(VersionPane)
    assert {"Ours" in p.text.toPlainText() for p in panes} == {True, False}
    _shoot(dialog, "team_conflicts.png")
    keep = next(p for p in panes if "Ours" in p.text.toPlainText())
    with qtbot.waitSignal(dialog.resolved, timeout=WAIT_MS):
        keep.keep.click()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0, timeout=WAIT_MS)
    title = run_on(qtbot, unlocked_executor, lambda c: c.workspace.records.show(case.id).body["title"])
    assert title == "Ours"


def test_an_editor_warns_about_records_from_an_unverified_sender_and_about_conflicts(
    qtbot: QtBot, unlocked_executor: DatabaseExecutor, colleague: VaultSession, tmp_path: Path
) -> None:
    _introduce(qtbot, unlocked_executor, colleague, verified=False)
    case = RecordService(colleague).add(Kind.CASE, make_body(Kind.CASE))
    path = tmp_path / "unverified.safecase-bundle"
    _send_to_executor_vault(colleague, path)
    run_on(qtbot, unlocked_executor, lambda c: c.workspace.bundle_importer.import_bundle(path))
    editor = create_editor(Kind.CASE, case.id, executor=unlocked_executor, lang="en", clipboard=None)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitUntil(lambda: editor.source_banner.isVisible(), timeout=WAIT_MS)
    assert "not verified" in editor.source_banner.text()
    assert "two laptops" not in editor.source_banner.text()


def test_sync_from_the_app_imports_the_inbox_and_fills_the_outbox(
    qtbot: QtBot, unlocked_executor: DatabaseExecutor, colleague: VaultSession, tmp_path: Path
) -> None:
    contact_id = _introduce(qtbot, unlocked_executor, colleague, verified=True)
    RecordService(colleague).add(Kind.CASE, make_body(Kind.CASE))
    stick = tmp_path / "stick"
    (stick / "inbox").mkdir(parents=True)
    _send_to_executor_vault(colleague, stick / "inbox" / "from-han.safecase-bundle")
    run_on(qtbot, unlocked_executor, lambda c: c.workspace.records.add(Kind.CASE, make_body(Kind.CASE)))
    window = QWidget()
    qtbot.addWidget(window)
    action = SyncAction(unlocked_executor, window)
    with qtbot.waitSignal(action.synced, timeout=WAIT_MS) as synced:
        action.start(stick)
    assert synced.args == [True]
    assert run_on(qtbot, unlocked_executor, lambda c: c.workspace.records.count(Kind.CASE)) == 2
    code = run_on(qtbot, unlocked_executor, lambda c: outbox_code(c.workspace.contacts.resolve(contact_id)))
    sent = list((stick / "outbox" / code).glob("*.safecase-bundle"))
    assert len(sent) == 1 and not list((stick / "outbox" / code).glob("*.partial"))
    box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
    assert "Received from Han Mi-rae: 1 new" in box.text() and "Sent to Han Mi-rae" in box.text()
    box.close()
