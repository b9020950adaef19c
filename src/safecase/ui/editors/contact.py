"""The contact editor: a contact's value (a phone number, a messenger id, an address) is the most dangerous
thing in the vault, so it stays masked until the user asks to see it, is masked again whenever the editor is
hidden, and is copied only through the clipboard guard (marked secret, cleared after a short time)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QHideEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from safecase.domain.kinds import Kind
from safecase.domain.record_types import RECORD_TYPES
from safecase.ui.editors.base import RecordEditor
from safecase.ui.editors.context import EditorContext
from safecase.ui.editors.fields import FieldWidget
from safecase.ui.editors.form import ObjForm
from safecase.ui.protection.clipboard_guard import ClipboardGuard

MASK = "••••••••"


class SecretTextField(FieldWidget):
    """Multi-line text shown as a mask until revealed; Copy goes through the clipboard guard."""

    def __init__(self, clipboard: ClipboardGuard | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clipboard = clipboard
        self.edit = QPlainTextEdit(self)
        self.edit.setTabChangesFocus(True)
        self.edit.setMaximumHeight(90)
        self.masked_view = QLineEdit(MASK, self)
        self.masked_view.setReadOnly(True)
        self.reveal_button = QPushButton(self.tr("Reveal"), self)
        self.reveal_button.setAccessibleName(self.tr("Reveal or hide the contact details"))
        self.copy_button = QPushButton(self.tr("Copy"), self)
        self.copy_button.setAccessibleName(self.tr("Copy the contact details for a short time"))
        self.copy_button.setEnabled(clipboard is not None)
        # Ctrl+C, Ctrl+X and the context menu would put the value on the clipboard with no timer and no hint for
        # clipboard managers: copying goes through the guard instead, and the menu is off.
        self.edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.edit.installEventFilter(self)
        self.edit.textChanged.connect(self.changed)
        self.reveal_button.clicked.connect(self._on_reveal_clicked)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self._lay_out()
        self.set_masked(False)

    def _lay_out(self) -> None:
        buttons = QVBoxLayout()
        buttons.addWidget(self.reveal_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.masked_view, 1)
        layout.addLayout(buttons)

    @property
    def masked(self) -> bool:
        return self.masked_view.isVisibleTo(self)

    def set_masked(self, masked: bool) -> None:
        self.edit.setVisible(not masked)
        self.masked_view.setVisible(masked)
        self.reveal_button.setText(self.tr("Reveal") if masked else self.tr("Hide"))
        self.setFocusProxy(self.masked_view if masked else self.edit)

    def value(self) -> object:
        text = self.edit.toPlainText()
        return text if text.strip() else None

    def set_value(self, value: object) -> None:
        self.edit.setPlainText("" if value is None else str(value))
        self.set_masked(bool(value))

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def set_accessible_name(self, name: str) -> None:
        super().set_accessible_name(name)
        self.edit.setAccessibleName(name)
        self.masked_view.setAccessibleName(name)

    def hideEvent(self, event: QHideEvent) -> None:
        if self.edit.toPlainText().strip():
            self.set_masked(True)
        super().hideEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.edit or not _is_copy_or_cut(event):
            return super().eventFilter(watched, event)
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # the edit then gets the keys as a key press, which is taken here
        else:
            self._copy_selection()
        return True

    def _copy_selection(self) -> None:
        selected = self.edit.textCursor().selectedText().replace("\u2029", "\n")
        if self._clipboard is not None and selected:
            self._clipboard.copy_sensitive(selected)

    def _on_reveal_clicked(self) -> None:
        self.set_masked(not self.masked)

    def _on_copy_clicked(self) -> None:
        if self._clipboard is not None and self.edit.toPlainText():
            self._clipboard.copy_sensitive(self.edit.toPlainText())


def _is_copy_or_cut(event: QEvent) -> bool:
    return (
        event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
        and isinstance(event, QKeyEvent)
        and (event.matches(QKeySequence.StandardKey.Copy) or event.matches(QKeySequence.StandardKey.Cut))
    )


class ContactEditor(RecordEditor):
    """A contact, with its value masked."""

    def __init__(
        self,
        record_id: str | None,
        context: EditorContext,
        clipboard: ClipboardGuard | None,
        parent: QWidget | None = None,
    ) -> None:
        self._clipboard = clipboard
        super().__init__(Kind.CONTACT, record_id, context, parent=parent)

    def _build_form(self) -> ObjForm:
        body = RECORD_TYPES[Kind.CONTACT].body
        return ObjForm(body, self.context, root=True, overrides={"value": lambda: SecretTextField(self._clipboard)})

    @property
    def value_field(self) -> SecretTextField:
        widget = self.form.rows["value"].widget
        assert isinstance(widget, SecretTextField)
        return widget
