"""Adding someone who has only the standard age tool (a rapporteur's office): their age recipient and a name."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from safecase.ui.widgets.plain import PlainLabel


class AddRecipientDialog(QDialog):
    accepted_recipient = Signal(str, str, str)  # age recipient, name, organisation

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add an age recipient"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.explanation = PlainLabel(
            self.tr(
                "For someone without SafeCase: they can open bundles you send them with the age tool, but cannot "
                "send you bundles."
            ),
            self,
        )
        self.explanation.setWordWrap(True)
        self.recipient = QLineEdit(self)
        self.recipient.setPlaceholderText("age1…")
        self.name = QLineEdit(self)
        self.organisation = QLineEdit(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QFormLayout(self)
        layout.addRow(self.explanation)
        layout.addRow(self.tr("Age recipient"), self.recipient)
        layout.addRow(self.tr("Name"), self.name)
        layout.addRow(self.tr("Organisation"), self.organisation)
        layout.addRow(buttons)
        self.recipient.textChanged.connect(self._update)
        self.name.textChanged.connect(self._update)
        self._update()
        self.resize(560, self.sizeHint().height())

    def _update(self) -> None:
        self.ok_button.setEnabled(self.recipient.text().strip().startswith("age1") and bool(self.name.text().strip()))

    def _on_accepted(self) -> None:
        self.accepted_recipient.emit(self.recipient.text().strip(), self.name.text().strip(), self.organisation.text())
        self.accept()
