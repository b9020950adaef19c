"""The consent panel beside a testimony: what the interviewee agreed to, scope by scope (agreed, not agreed,
withdrawn), a warning line for every use without consent, and "Record consent…"."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QPushButton, QVBoxLayout, QWidget

from safecase.domain import vocabulary as v
from safecase.domain.kinds import Kind
from safecase.storage.records import RecordState
from safecase.ui.executor import TaskContext
from safecase.ui.widgets.plain import PlainLabel


class ScopeStatus(StrEnum):
    AGREED = "agreed"
    NOT_AGREED = "not_agreed"
    WITHDRAWN = "withdrawn"


def find_consents(context: TaskContext, testimony_id: str | None, person_id: str | None) -> list[RecordState]:
    """On the database thread: the consents given for this testimony, and the person's consents that are not tied
    to one testimony (a consent recorded for another of their interviews does not cover this one)."""
    records = context.workspace.records
    found: dict[str, RecordState] = {}
    if testimony_id:
        found.update((c.id, c) for c in records.referring(testimony_id, Kind.CONSENT))
    if person_id:
        persons = records.referring(person_id, Kind.CONSENT)
        found.update((c.id, c) for c in persons if c.body.get("testimony_id") in (None, testimony_id))
        # a withdrawal of a consent in the list counts wherever it was recorded
        found.update((c.id, c) for c in persons if c.body.get("withdraws_consent_id") in found)
    return [found[key] for key in sorted(found)]


def scope_statuses(consents: Sequence[RecordState]) -> dict[str, ScopeStatus]:
    """Each scope's status: agreed in a consent still in force, withdrawn if only withdrawn consents agreed."""
    withdrawn = {c.body["withdraws_consent_id"] for c in consents if "withdraws_consent_id" in c.body}
    statuses: dict[str, ScopeStatus] = {}
    for code in v.CONSENT_SCOPES.codes:
        agreed = [c for c in consents if c.body.get("scopes", {}).get(code) is True]
        if any(c.id not in withdrawn for c in agreed):
            statuses[code] = ScopeStatus.AGREED
        elif agreed:
            statuses[code] = ScopeStatus.WITHDRAWN
        else:
            statuses[code] = ScopeStatus.NOT_AGREED
    return statuses


class ConsentPanel(QFrame):
    """Shows the consent status for one testimony and its interviewee."""

    record_consent_requested = Signal()  # the user pressed "Record consent…"

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._lang = lang
        self.statuses: dict[str, ScopeStatus] = {}
        self._consents: list[RecordState] = []
        self.title = PlainLabel(self.tr("Consent"), self)
        self.title.setStyleSheet("font-weight: 600;")
        self.count_label = PlainLabel("", self)
        self.scope_labels = {code: PlainLabel("", self) for code in v.CONSENT_SCOPES.codes}
        self.warning_labels = {code: PlainLabel("", self) for code in v.CONSENT_SCOPES.codes}
        self.record_button = QPushButton(self.tr("Record consent…"), self)
        self.record_button.setAccessibleName(self.tr("Record consent for this testimony"))
        self.record_button.clicked.connect(self.record_consent_requested)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.count_label)
        for label in self.scope_labels.values():
            label.setWordWrap(True)
            layout.addWidget(label)
        for label in self.warning_labels.values():
            label.setWordWrap(True)
            label.setStyleSheet("color: #b00020; font-weight: 600;")
            label.setAccessibleName(self.tr("Consent warning"))
            layout.addWidget(label)
        layout.addWidget(self.record_button)
        layout.addStretch(1)
        self.show_consents([])

    def warnings(self) -> list[str]:
        return [label.text() for label in self.warning_labels.values() if label.text()]

    def show_consents(self, consents: Sequence[RecordState]) -> None:
        self._consents = list(consents)
        self.statuses = scope_statuses(consents)
        self.count_label.setText(self.tr("Consent records: %1").replace("%1", str(len(consents))))
        shown = {
            ScopeStatus.AGREED: self.tr("agreed"),
            ScopeStatus.NOT_AGREED: self.tr("not agreed"),
            ScopeStatus.WITHDRAWN: self.tr("withdrawn"),
        }
        for code, status in self.statuses.items():
            label = v.CONSENT_SCOPES.label(code, self._lang)
            self.scope_labels[code].setText(f"{label}: {shown[status]}")
            warning = "" if status is ScopeStatus.AGREED else self.tr("No consent: %1").replace("%1", label)
            self.warning_labels[code].setText(warning)
            self.warning_labels[code].setVisible(bool(warning))

    def set_lang(self, lang: str) -> None:
        self._lang = lang
        self.show_consents(self._consents)

    def set_can_record(self, can_record: bool) -> None:
        self.record_button.setEnabled(can_record)
