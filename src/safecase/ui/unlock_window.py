"""The unlock screen: a passphrase (or the recovery key) opens the vault on the database thread.

The window shows nothing about the vault: no path, no name, no case data, so a glance over a shoulder or a photo
of the screen gives nothing away. A wrong passphrase gets a shake and two words; any other failure (a vault from
a newer SafeCase, a damaged database, an unreadable folder) shows the service's message, which says what to do.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QAbstractAnimation, Qt, QVariantAnimation, Signal
from PySide6.QtGui import QFont, QFontDatabase, QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from safecase.crypto.recovery_key import parse_recovery_key
from safecase.errors import IntegrityError, SafeCaseError, WrongSecretError
from safecase.services.session import VaultSession
from safecase.services.vault import VaultService
from safecase.services.workspace import Workspace
from safecase.ui.executor import DatabaseExecutor, TaskContext
from safecase.ui.widgets.plain import PlainLabel

SHAKE_MS = 360
SHAKE_PX = 10

_Operation = Callable[[TaskContext], None]
_Unlock = Callable[[], VaultSession]


class UnlockWindow(QWidget):
    """Asks for the passphrase or the recovery key and opens the vault in the executor."""

    unlocked = Signal()  # the executor now holds the open workspace

    def __init__(
        self,
        vault_root: Path,
        vaults: VaultService,
        executor: DatabaseExecutor,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._root = vault_root
        self._vaults = vaults
        self._executor = executor
        self._busy = False
        self._recovery_mode = False
        self.setWindowTitle(self.tr("SafeCase"))
        self._build()
        self.shake_animation = QVariantAnimation(self)
        self.shake_animation.setDuration(SHAKE_MS)
        self.shake_animation.valueChanged.connect(self._on_shake_animation_value_changed)
        self._set_recovery_mode(False)

    # -- layout -------------------------------------------------------------------------------------------------

    def _build(self) -> None:
        title = QLabel(self.tr("SafeCase"))
        title.setTextFormat(Qt.TextFormat.PlainText)
        title_font = QFont(title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.8)
        title_font.setBold(True)
        title.setFont(title_font)
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._prompt = PlainLabel()
        self._prompt.setWordWrap(True)
        self._prompt.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        self.passphrase_field = QLineEdit()
        self.passphrase_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_field.setAccessibleName(self.tr("Passphrase"))
        self.passphrase_field.returnPressed.connect(self._on_unlock_requested)
        self.recovery_field = QLineEdit()
        self.recovery_field.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.recovery_field.setPlaceholderText("XXXX-XXXX-XXXX-…")
        self.recovery_field.setAccessibleName(self.tr("Recovery key"))
        self.recovery_field.returnPressed.connect(self._on_unlock_requested)
        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._form.addRow(self._buddy(self.tr("&Passphrase:"), self.passphrase_field), self.passphrase_field)
        self._form.addRow(self._buddy(self.tr("&Recovery key:"), self.recovery_field), self.recovery_field)

        self.message = PlainLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Message"))
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # indeterminate: Argon2id gives no progress to report
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setAccessibleName(self.tr("Unlocking"))
        self.busy_bar.hide()

        self.unlock_button = QPushButton(self.tr("&Unlock"))
        self.unlock_button.setDefault(True)
        self.unlock_button.setAccessibleName(self.tr("Unlock"))
        self.unlock_button.clicked.connect(self._on_unlock_requested)
        self.mode_toggle = QPushButton()
        self.mode_toggle.setFlat(True)
        self.mode_toggle.clicked.connect(self._on_mode_toggle_clicked)
        self._lay_out(title)

    def _buddy(self, text: str, field: QWidget) -> QLabel:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setBuddy(field)
        return label

    def _lay_out(self, title: QLabel) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.mode_toggle)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        panel = QWidget()
        panel.setMinimumWidth(400)
        panel.setMaximumWidth(480)
        column = QVBoxLayout(panel)
        for item in (title, self._prompt):
            column.addWidget(item)
        column.addSpacing(12)
        column.addLayout(self._form)
        column.addWidget(self.message)
        column.addWidget(self.busy_bar)
        column.addLayout(buttons)
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(panel, 4)
        centred.addStretch(1)
        self._outer = QVBoxLayout(self)
        self._outer.addStretch(1)
        self._outer.addLayout(centred)
        self._outer.addStretch(2)
        self._margins = self._outer.contentsMargins()
        self.setTabOrder(self.passphrase_field, self.recovery_field)
        self.setTabOrder(self.recovery_field, self.unlock_button)
        self.setTabOrder(self.unlock_button, self.mode_toggle)
        self.resize(560, 380)

    # -- modes --------------------------------------------------------------------------------------------------

    @property
    def recovery_mode(self) -> bool:
        return self._recovery_mode

    def _on_mode_toggle_clicked(self) -> None:
        self._set_recovery_mode(not self._recovery_mode)

    def _set_recovery_mode(self, recovery: bool) -> None:
        self._recovery_mode = recovery
        self.passphrase_field.clear()
        self.recovery_field.clear()
        self.message.clear()
        self._form.setRowVisible(self.passphrase_field, not recovery)
        self._form.setRowVisible(self.recovery_field, recovery)
        if recovery:
            self._prompt.setText(self.tr("Type the recovery key you wrote down when the vault was created."))
            self.mode_toggle.setText(self.tr("Use a &passphrase instead"))
            self.mode_toggle.setAccessibleName(self.tr("Use a passphrase instead"))
        else:
            self._prompt.setText(self.tr("Type your passphrase to unlock the vault."))
            self.mode_toggle.setText(self.tr("Use &recovery key…"))
            self.mode_toggle.setAccessibleName(self.tr("Use recovery key"))
        self._current_field().setFocus()

    def _current_field(self) -> QLineEdit:
        return self.recovery_field if self.recovery_mode else self.passphrase_field

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._current_field().setFocus()

    # -- unlocking ----------------------------------------------------------------------------------------------

    def _on_unlock_requested(self) -> None:
        if self._busy:
            return
        if self.recovery_mode:
            self._unlock_with_recovery_key()
        else:
            self._unlock_with_passphrase()

    def _unlock_with_passphrase(self) -> None:
        # Python strings cannot be wiped; the field is cleared at once and the closure dropped when the task ends,
        # so the passphrase lives only as long as the unlock takes.
        passphrase = self.passphrase_field.text()
        self.passphrase_field.clear()
        if not passphrase:
            self._show_message(self.tr("Type your passphrase."))
            return
        root, vaults = self._root, self._vaults
        self._submit(lambda context: _open(context, lambda: vaults.unlock(root, passphrase)))

    def _unlock_with_recovery_key(self) -> None:
        try:
            recovery_key = parse_recovery_key(self.recovery_field.text())
        except SafeCaseError as typo:  # a typo: keep the text so that one group can be corrected
            self._show_message(typo.message)
            return
        self.recovery_field.clear()
        root, vaults = self._root, self._vaults
        self._submit(lambda context: _open(context, lambda: vaults.unlock_with_recovery_key(root, recovery_key)))

    def _submit(self, operation: _Operation) -> None:
        self._set_busy(True)
        self._executor.submit(
            operation,
            on_success=self._on_unlock_succeeded,
            on_failure=self._on_unlock_failed,
            owner=self,
        )

    def _on_unlock_succeeded(self, _result: None) -> None:
        self._set_busy(False)
        self.message.clear()
        self.unlocked.emit()

    def _on_unlock_failed(self, error: SafeCaseError) -> None:
        self._set_busy(False)
        if isinstance(error, WrongSecretError):
            wrong = self.tr("Wrong recovery key.") if self.recovery_mode else self.tr("Wrong passphrase.")
            self._show_message(wrong)
            self.shake()
            return
        text = error.message.replace(str(self._root), self.tr("[vault folder]"))
        if isinstance(error, IntegrityError):
            text += "\n" + self.tr("Before trying anything else, keep a copy of the whole vault folder.")
        self._show_message(text)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.passphrase_field, self.recovery_field, self.unlock_button, self.mode_toggle):
            widget.setEnabled(not busy)
        self.busy_bar.setVisible(busy)
        if busy:
            self.message.clear()
        else:
            self._current_field().setFocus()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)

    # -- the shake ----------------------------------------------------------------------------------------------

    def shake(self) -> None:
        """Shake the panel sideways, as a login screen does for a wrong password.

        The layout's margins move rather than the window: window managers (Wayland) may refuse to move a
        window, and a relayout during the shake cannot leave the panel out of place.
        """
        animation = self.shake_animation
        if animation.state() == QAbstractAnimation.State.Running:
            return
        animation.setStartValue(0)
        for step, offset in enumerate((-1.0, 1.0, -1.0, 1.0, -0.5, 0.5), start=1):
            animation.setKeyValueAt(step / 7, round(offset * SHAKE_PX))
        animation.setEndValue(0)
        animation.start()

    def _on_shake_animation_value_changed(self, offset: object) -> None:
        shift = offset if isinstance(offset, int) else 0
        base = self._margins
        self._outer.setContentsMargins(base.left() + shift, base.top(), base.right() - shift, base.bottom())


def _open(context: TaskContext, unlock: _Unlock) -> None:
    """Runs on the database thread: open the vault and hand the workspace to the executor."""
    session = unlock()
    try:
        workspace = Workspace(session)
    except BaseException:
        session.close()
        raise
    context.set_workspace(workspace)
