"""The team contacts window: your own fingerprint and QR code to show others, and the people you exchange with.

Verifying is done in person: the other person reads their fingerprint aloud from their own SafeCase (or shows its
QR code), and you mark them verified only if every digit matches what their card gave you. Until then, what they
send is marked as coming from an unverified source.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from safecase.errors import SafeCaseError, shown
from safecase.storage import fsutil
from safecase.storage.team_contacts import TeamContact
from safecase.ui.evidence.file_dialogs import choose_file_to_read, choose_save_path
from safecase.ui.exchange.add_recipient_dialog import AddRecipientDialog
from safecase.ui.exchange.contacts_model import ContactTableModel
from safecase.ui.exchange.fingerprint import fingerprint_font, fingerprint_lines
from safecase.ui.exchange.qr import qr_pixmap
from safecase.ui.exchange.verify_dialog import VerifyDialog
from safecase.ui.executor import DatabaseExecutor, TaskContext
from safecase.ui.import_action import show_plain_message
from safecase.ui.widgets.plain import PlainLabel

CARD_FILTER = "SafeCase contact cards (*.safecase-card *.json);;All files (*)"


@dataclass(frozen=True)
class OwnIdentity:
    display_name: str
    fingerprint: str
    qr_payload: str


def _load(context: TaskContext) -> tuple[OwnIdentity, list[TeamContact]]:
    stored = context.workspace.session.identity_record()
    public = stored.identity.public()
    own = OwnIdentity(stored.display_name, public.fingerprint(), public.qr_payload())
    return own, context.workspace.contacts.all()


class ContactsDialog(QDialog):
    contacts_changed = Signal()  # a contact was added, verified or removed

    def __init__(self, executor: DatabaseExecutor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self.setWindowTitle(self.tr("Team contacts"))
        self.own_name = PlainLabel("", self)
        self.own_fingerprint = PlainLabel("", self)
        self.own_fingerprint.setFont(fingerprint_font())
        self.own_fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.own_qr = QLabel(self)
        self.own_qr.setAccessibleName(self.tr("QR code of your fingerprint"))
        self.model = ContactTableModel(self)
        self.table = self._make_table()
        self.buttons = {
            name: QPushButton(self)
            for name in ("save_card", "add_card", "add_age", "verify", "remove")
        }  # fmt: skip
        self._lay_out()
        self._connect()
        self.retranslate()
        self.resize(900, 640)

    # -- building -------------------------------------------------------------------------------------------------

    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().hide()
        return table

    def _lay_out(self) -> None:
        self.own_box = QGroupBox(self)
        own_text = QVBoxLayout()
        own_text.addWidget(self.own_name)
        own_text.addWidget(self.own_fingerprint)
        self.own_hint = PlainLabel("", self)
        self.own_hint.setWordWrap(True)
        own_text.addWidget(self.own_hint)
        own_text.addWidget(self.buttons["save_card"], alignment=Qt.AlignmentFlag.AlignLeft)
        own_text.addStretch()
        own = QHBoxLayout(self.own_box)
        own.addLayout(own_text, 1)
        own.addWidget(self.own_qr)
        actions = QHBoxLayout()
        for name in ("add_card", "add_age", "verify", "remove"):
            actions.addWidget(self.buttons[name])
        actions.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.own_box)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)

    def _connect(self) -> None:
        self.buttons["save_card"].clicked.connect(self._on_save_card_clicked)
        self.buttons["add_card"].clicked.connect(self._on_add_card_clicked)
        self.buttons["add_age"].clicked.connect(self._on_add_age_clicked)
        self.buttons["verify"].clicked.connect(self._on_verify_clicked)
        self.buttons["remove"].clicked.connect(self._on_remove_clicked)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

    def retranslate(self) -> None:
        self.own_box.setTitle(self.tr("You"))
        self.own_hint.setText(
            self.tr(
                "Read these digits aloud to each team member, or let them compare the QR code, so they can verify "
                "you. Give them your card first."
            )
        )
        texts = {
            "save_card": self.tr("Save my card…"),
            "add_card": self.tr("Add a card…"),
            "add_age": self.tr("Add an age recipient…"),
            "verify": self.tr("Verify…"),
            "remove": self.tr("Remove"),
        }
        for name, text in texts.items():
            self.buttons[name].setText(text)
        self._update_buttons()

    # -- public ---------------------------------------------------------------------------------------------------

    def reload(self) -> None:
        self._executor.submit(_load, on_success=self._show, on_failure=self._on_failed, owner=self)

    def selected_contact(self) -> TeamContact | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.contact(rows[0].row()) if rows else None

    # -- slots ------------------------------------------------------------------------------------------------------

    def _show(self, loaded: tuple[OwnIdentity, list[TeamContact]]) -> None:
        own, contacts = loaded
        self.own_name.setText(shown(own.display_name) or self.tr("(no name)"))
        self.own_fingerprint.setText(fingerprint_lines(own.fingerprint))
        self.own_qr.setPixmap(qr_pixmap(own.qr_payload, 4))
        selected = self.selected_contact()
        self.model.set_contacts(contacts)
        row = self.model.row_of(selected.id) if selected else None
        if row is not None:
            self.table.selectRow(row)
        self._update_buttons()

    def _update_buttons(self) -> None:
        contact = self.selected_contact()
        self.buttons["verify"].setEnabled(contact is not None and contact.status == "unverified")
        self.buttons["remove"].setEnabled(contact is not None and not contact.revoked)

    def _on_save_card_clicked(self) -> None:
        title = self.tr("Save your contact card")
        choose_save_path(self, title, "my-card.safecase-card", self._save_card_to)

    def _save_card_to(self, path: Path) -> None:
        def save(context: TaskContext) -> Path:
            fsutil.write_new_private_file(path, context.workspace.contacts.own_card())
            return path

        self._executor.submit(
            save,
            on_success=lambda saved: show_plain_message(self, self.tr("Card saved"), shown(saved)),
            on_failure=self._on_failed,
            owner=self,
        )

    def _on_add_card_clicked(self) -> None:
        choose_file_to_read(self, self.tr("Add a contact card"), CARD_FILTER, self._add_card_from)

    def _add_card_from(self, path: Path) -> None:
        def add(context: TaskContext) -> TeamContact:
            data = fsutil.read_small_file(path, 64 << 10, "contact card")
            return context.workspace.contacts.add_card(data).contact

        self._executor.submit(add, on_success=self._on_contact_added, on_failure=self._on_failed, owner=self)

    def _on_add_age_clicked(self) -> None:
        dialog = AddRecipientDialog(self)
        dialog.accepted_recipient.connect(self._add_age_recipient)
        dialog.open()

    def _add_age_recipient(self, recipient: str, name: str, organisation: str) -> None:
        def add(context: TaskContext) -> TeamContact:
            return context.workspace.contacts.add_age_recipient(recipient, name, organisation).contact

        self._executor.submit(add, on_success=self._on_contact_added, on_failure=self._on_failed, owner=self)

    def _on_contact_added(self, contact: TeamContact) -> None:
        self.reload()
        self.contacts_changed.emit()
        if not contact.verified:
            show_plain_message(
                self,
                self.tr("Contact added"),
                self.tr("%1 was added. Verify their fingerprint with them before you trust what they send.").replace(
                    "%1", shown(contact.display_name)
                ),
            )

    def _on_verify_clicked(self) -> None:
        contact = self.selected_contact()
        if contact is None:
            return
        dialog = VerifyDialog(contact, self)
        dialog.confirmed.connect(lambda: self._verify(contact))
        dialog.open()

    def _verify(self, contact: TeamContact) -> None:
        self._executor.submit(
            lambda context: context.workspace.contacts.verify(contact.id),
            on_success=lambda _verified: self._changed(),
            on_failure=self._on_failed,
            owner=self,
        )

    def _on_remove_clicked(self) -> None:
        contact = self.selected_contact()
        if contact is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Remove contact"),
            self.tr("Remove %1? Bundles they sign will be refused from now on, and they will be sent nothing.").replace(
                "%1", shown(contact.display_name)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(lambda clicked: self._remove(contact) if clicked is yes else None)
        box.open()

    def _remove(self, contact: TeamContact) -> None:
        self._executor.submit(
            lambda context: context.workspace.contacts.remove(contact.id),
            on_success=lambda _removed: self._changed(),
            on_failure=self._on_failed,
            owner=self,
        )

    def _changed(self) -> None:
        self.reload()
        self.contacts_changed.emit()

    def _on_failed(self, error: SafeCaseError) -> None:
        show_plain_message(self, self.tr("Team contacts"), error.message, warning=True)
