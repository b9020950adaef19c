"""The consent editor. Consent is never edited: a new consent is filled in and recorded once (drafts keep the
typing until then); a recorded one is read-only, with "Withdraw…", which records a new consent with every scope
not agreed that names the one it withdraws."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QPushButton, QWidget

from safecase.domain import vocabulary as v
from safecase.domain.ids import RecordId
from safecase.domain.kinds import Kind
from safecase.domain.records import withdrawal_of
from safecase.storage.records import RecordState
from safecase.ui.editors.base import RecordEditor
from safecase.ui.editors.context import EditorContext
from safecase.ui.editors.fields import ChoiceField, DateField, LineField
from safecase.ui.executor import TaskContext


def today_text() -> str:
    return QDate.currentDate().toString("yyyy-MM-dd")


class WithdrawDialog(QDialog):
    """Asks how and when the withdrawal was given, and by whom it is recorded."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Withdraw consent"))
        self.method = ChoiceField(v.CONSENT_METHODS, lang, self)
        self.method.set_accessible_name(self.tr("How the withdrawal was given"))
        self.given_on = DateField(self)
        self.given_on.set_value(today_text())
        self.given_on.set_accessible_name(self.tr("Withdrawn on"))
        self.recorded_by = LineField(self)
        self.recorded_by.set_accessible_name(self.tr("Recorded by"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow(self.tr("Method"), self.method)
        layout.addRow(self.tr("Withdrawn on"), self.given_on)
        layout.addRow(self.tr("Recorded by"), self.recorded_by)
        layout.addRow(buttons)

    def fields(self) -> dict[str, Any]:
        extra = {"recorded_by": self.recorded_by.value()} if self.recorded_by.value() else {}
        return {"method": self.method.value() or "", "given_on": self.given_on.value() or "", **extra}


def record_withdrawal(context: TaskContext, consent_id: str, fields: dict[str, Any]) -> RecordState:
    """On the database thread: add the consent withdrawing `consent_id`."""
    records = context.workspace.records
    consent = records.show(consent_id)
    method, given_on = fields.pop("method"), fields.pop("given_on")
    body = withdrawal_of(RecordId(consent_id), consent.body, method=method, given_on=given_on, **fields)
    return records.add(Kind.CONSENT, body)


class ConsentEditor(RecordEditor):
    """Records a new consent once; shows a recorded one read-only with a way to withdraw it."""

    def __init__(
        self,
        record_id: str | None,
        context: EditorContext,
        *,
        initial_body: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self.record_button = QPushButton()
        self.withdraw_button = QPushButton()
        super().__init__(Kind.CONSENT, record_id, context, initial_body=initial_body, parent=parent)
        self.record_button.setText(self.tr("Record consent"))
        self.record_button.setAccessibleName(self.tr("Record this consent; it cannot be edited afterwards"))
        self.withdraw_button.setText(self.tr("Withdraw…"))
        self.withdraw_button.setAccessibleName(self.tr("Record a withdrawal of this consent"))
        self.record_button.clicked.connect(self._on_record_clicked)
        self.withdraw_button.clicked.connect(self._on_withdraw_clicked)
        self._update_actions()

    def header_actions(self) -> list[QWidget]:
        return [self.record_button, self.withdraw_button, self.history_button]

    def _update_actions(self) -> None:
        self.record_button.setVisible(not self.read_only)
        is_withdrawal = self.state is not None and "withdraws_consent_id" in self.state.body
        self.withdraw_button.setVisible(self.read_only and not is_withdrawal)

    def record_loaded(self, state: RecordState) -> None:
        self._update_actions()

    def _on_record_clicked(self) -> None:
        self.autosaver.save_now(commit=True)

    def _on_autosaver_saved(self, state: RecordState) -> None:
        super()._on_autosaver_saved(state)
        self.set_read_only(True)
        self._update_actions()

    def _on_withdraw_clicked(self) -> None:
        dialog = WithdrawDialog(self.context.lang, self)
        dialog.accepted.connect(lambda: self.withdraw(dialog.fields()))
        dialog.open()

    def withdraw(self, fields: dict[str, Any]) -> None:
        """Record a withdrawal of this consent with `fields` (method, given_on, optional recorded_by)."""
        consent_id = self.record_id
        if consent_id is None:
            return
        self.status_label.setText(self.tr("Saving…"))
        self.context.executor.submit(
            lambda c: record_withdrawal(c, consent_id, dict(fields)),
            on_success=self._on_withdrawn,
            on_failure=lambda error: self.status_label.setText(error.message),
            owner=self,
        )

    def _on_withdrawn(self, state: RecordState) -> None:
        self.status_label.setText(self.tr("Withdrawn"))
        self.withdraw_button.setEnabled(False)
        self.open_record.emit(Kind.CONSENT.value, state.id)
