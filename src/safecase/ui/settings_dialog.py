"""Settings: the auto-lock time, and the vault's key operations (new passphrase, new master key).

Both key operations run on the database thread with a busy indicator. Neither offers Cancel: a passphrase change
rewrites one small file, and a key rotation re-encrypts the whole database in one crash-safe step that is safer to
finish than to interrupt (an interrupted one is completed or undone at the next unlock).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from safecase.errors import SafeCaseError
from safecase.services.vault import VaultService
from safecase.ui.executor import DatabaseExecutor, TaskContext
from safecase.ui.settings import MAX_IDLE_LOCK_MINUTES, MIN_IDLE_LOCK_MINUTES
from safecase.ui.widgets.plain import PlainLabel


class SettingsDialog(QDialog):
    def __init__(
        self, executor: DatabaseExecutor, vaults: VaultService, idle_minutes: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._executor = executor
        self._vaults = vaults
        self.setWindowTitle(self.tr("Settings"))
        self.idle_minutes = QSpinBox(self)
        self.idle_minutes.setRange(MIN_IDLE_LOCK_MINUTES, MAX_IDLE_LOCK_MINUTES)
        self.idle_minutes.setValue(idle_minutes)
        self.idle_minutes.setSuffix(self.tr(" min"))
        self.idle_minutes.setAccessibleName(self.tr("Lock after idle minutes"))
        self.new_passphrase = self._secret_field(self.tr("New passphrase"))
        self.repeat_passphrase = self._secret_field(self.tr("Repeat the new passphrase"))
        self.change_button = QPushButton(self.tr("Change passphrase"), self)
        self.current_passphrase = self._secret_field(self.tr("Current passphrase"))
        self.rotate_button = QPushButton(self.tr("Replace the master key"), self)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.hide()
        self.message = PlainLabel("", self)
        self.message.setWordWrap(True)
        self.change_button.clicked.connect(self._on_change_clicked)
        self.rotate_button.clicked.connect(self._on_rotate_clicked)
        self._lay_out()

    def _secret_field(self, name: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setAccessibleName(name)
        return field

    def _lay_out(self) -> None:
        lock_box = QGroupBox(self.tr("Auto-lock"), self)
        QFormLayout(lock_box).addRow(self.tr("Lock after being idle for"), self.idle_minutes)
        passphrase_box = QGroupBox(self.tr("Passphrase"), self)
        passphrase_form = QFormLayout(passphrase_box)
        passphrase_form.addRow(self.tr("New passphrase"), self.new_passphrase)
        passphrase_form.addRow(self.tr("Repeat it"), self.repeat_passphrase)
        passphrase_form.addRow("", self.change_button)
        key_box = QGroupBox(self.tr("Master key"), self)
        key_form = QFormLayout(key_box)
        key_form.addRow(
            PlainLabel(
                self.tr("Re-encrypts the whole vault with a new key. Takes a while; keep the laptop on power."), self
            )
        )
        key_form.addRow(self.tr("Current passphrase"), self.current_passphrase)
        key_form.addRow("", self.rotate_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (lock_box, passphrase_box, key_box, self.busy, self.message):
            layout.addWidget(widget)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(buttons)
        layout.addLayout(row)

    def _on_change_clicked(self) -> None:
        new, repeat = self.new_passphrase.text(), self.repeat_passphrase.text()
        self.new_passphrase.clear()
        self.repeat_passphrase.clear()
        if new != repeat:
            self.message.setText(self.tr("The two new passphrases differ; nothing was changed."))
            return
        vaults = self._vaults
        self._run(
            lambda context: vaults.change_passphrase(context.workspace.session, new),
            self.tr("The passphrase was changed. Use the new one from now on."),
        )

    def _on_rotate_clicked(self) -> None:
        passphrase = self.current_passphrase.text()
        self.current_passphrase.clear()
        vaults = self._vaults
        self._run(
            lambda context: vaults.rotate_master_key(context.workspace.session, passphrase),
            self.tr("The vault is re-encrypted with a new master key."),
        )

    def _run(self, operation: Callable[[TaskContext], None], done_message: str) -> None:
        self._set_busy(True)
        self.message.setText(self.tr("Working… please wait."))
        self._executor.submit(
            operation,
            on_success=lambda _: self._finish(done_message),
            on_failure=lambda error: self._finish(_message(error)),
            owner=self,
        )

    def _finish(self, message: str) -> None:
        self._set_busy(False)
        self.message.setText(message)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for widget in (self.change_button, self.rotate_button, self.new_passphrase, self.repeat_passphrase):
            widget.setEnabled(not busy)
        self.current_passphrase.setEnabled(not busy)


def _message(error: SafeCaseError) -> str:
    return error.message
