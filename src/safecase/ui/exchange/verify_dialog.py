"""Comparing a contact's fingerprint in person before marking them verified."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from safecase.errors import shown
from safecase.storage.team_contacts import TeamContact
from safecase.ui.exchange.fingerprint import fingerprint_font, fingerprint_lines
from safecase.ui.widgets.plain import PlainLabel


class VerifyDialog(QDialog):
    confirmed = Signal()  # the user says every digit matched

    def __init__(self, contact: TeamContact, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Verify %1").replace("%1", shown(contact.display_name)))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if contact.fingerprint:
            instruction = self.tr(
                "Ask %1 to open Team contacts in their SafeCase and read their fingerprint aloud, or show it to you. "
                "Confirm only if every digit matches:"
            )
            expected = contact.fingerprint
        else:
            instruction = self.tr(
                "%1 uses only the age tool. Ask them to read out their age recipient (`age-keygen -y KEYFILE`) or "
                "send it over a second channel, and confirm only if it matches exactly:"
            )
            expected = contact.age_recipient
        self.instruction = PlainLabel(instruction.replace("%1", shown(contact.display_name)), self)
        self.instruction.setWordWrap(True)
        self.expected = PlainLabel(fingerprint_lines(expected), self)
        self.expected.setFont(fingerprint_font(18))
        self.expected.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.expected.setAccessibleName(self.tr("Expected fingerprint"))
        buttons = QDialogButtonBox(self)
        self.confirm_button = buttons.addButton(self.tr("Every digit matches"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.instruction)
        layout.addWidget(self.expected)
        layout.addWidget(buttons)

    def _on_accepted(self) -> None:
        self.confirmed.emit()
        self.accept()
