"""The testimony editor: who, when and where at the top, the original text and its translation side by side
(each with its language), summary and notes below, and the consent panel beside it all."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from safecase.domain import vocabulary as v
from safecase.domain.kinds import Kind
from safecase.domain.record_types import RECORD_TYPES
from safecase.storage.records import RecordState
from safecase.ui.editors.base import RecordEditor
from safecase.ui.editors.consent import ConsentEditor, today_text
from safecase.ui.editors.consent_panel import ConsentPanel, find_consents
from safecase.ui.editors.context import EditorContext
from safecase.ui.editors.form import ObjForm
from safecase.ui.editors.tab_order import chain_tab_order
from safecase.ui.evidence.recorder_widget import RecorderWidget

_META = (
    ("interviewee_id", 0, 0),
    ("interviewer", 0, 1),
    ("interpreter", 0, 2),
    ("date", 1, 0),
    ("place", 1, 1),
    ("place_location_id", 1, 2),
    ("case_ids", 2, 0),
    ("tag_ids", 2, 1),
)


class TestimonyEditor(RecordEditor):
    """A testimony with its texts side by side and its consent status."""

    __test__ = False  # not a pytest test class, whatever its name says

    def __init__(self, record_id: str | None, context: EditorContext, parent: QWidget | None = None) -> None:
        self.consent_panel = ConsentPanel(context.lang)
        self.recorder: RecorderWidget | None = None
        super().__init__(Kind.TESTIMONY, record_id, context, parent=parent)
        self.consent_panel.record_consent_requested.connect(self._on_consent_panel_record_consent_requested)
        self.saved.connect(lambda _id: self.refresh_consents())
        self.form.rows["interviewee_id"].widget.changed.connect(self._update_can_record)
        self._update_can_record()

    def _build_form(self) -> ObjForm:
        return ObjForm(RECORD_TYPES[Kind.TESTIMONY].body, self.context, root=True, auto_layout=False)

    def _build_content(self) -> QWidget:
        rows = self.form.rows
        meta = QGridLayout()
        for name, row, column in _META:
            meta.addWidget(rows[name], row, column)
        for column in range(3):
            meta.setColumnStretch(column, 1)
        texts = QSplitter(Qt.Orientation.Horizontal, self.form)
        texts.addWidget(_column(rows["language"], rows["original_text"]))
        texts.addWidget(_column(rows["translation_language"], rows["translation"]))
        texts.setChildrenCollapsible(False)
        bottom = QHBoxLayout()
        bottom.addWidget(rows["summary"], 1)
        bottom.addWidget(rows["notes"], 1)
        layout = QVBoxLayout(self.form)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form.form_error)
        layout.addLayout(meta)
        layout.addWidget(texts, 3)
        layout.addLayout(bottom, 1)
        for name in ("language", "translation_language"):
            rows[name].help_enabled = False  # keeps the two texts level with each other
            rows[name].help.hide()
        self.consent_panel.setMinimumWidth(260)
        for name in ("original_text", "translation"):
            rows[name].widget.setMinimumHeight(220)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        outer = QSplitter(Qt.Orientation.Horizontal, self)
        outer.addWidget(scroll)
        outer.addWidget(self.consent_panel)
        outer.setStretchFactor(0, 4)
        outer.setStretchFactor(1, 1)
        on_screen = [name for name, _row, _column in sorted(_META, key=lambda item: (item[1], item[2]))]
        on_screen += ["language", "original_text", "translation_language", "translation", "summary", "notes"]
        chain_tab_order([rows[name] for name in on_screen])
        return outer

    def flush(self) -> None:
        """Also stop and save a recording in progress (a lock, a language switch or another record)."""
        if self.recorder is not None:
            self.recorder.flush()
        super().flush()

    def _show_evidence(self) -> None:
        super()._show_evidence()
        if self.recorder is None and self.record_id is not None and self.evidence_panel is not None:
            self.recorder = RecorderWidget(self.record_id, self.context.executor, parent=self.evidence_panel)
            self.recorder.saved.connect(self._on_recorder_saved)
            self.recorder.recording_changed.connect(self.keep_awake)
            self.evidence_panel.set_recorder_widget(self.recorder)

    def _on_recorder_saved(self, _attachment_id: str) -> None:
        if self.evidence_panel is not None:
            self.evidence_panel.refresh()

    def record_loaded(self, state: RecordState) -> None:
        self.refresh_consents()

    def set_lang(self, lang: str) -> None:
        super().set_lang(lang)
        self.consent_panel.set_lang(lang)

    def _interviewee_id(self) -> str | None:
        value = self.current_body().get("interviewee_id")
        return value if isinstance(value, str) else None

    def _update_can_record(self) -> None:
        self.consent_panel.set_can_record(self.record_id is not None and self._interviewee_id() is not None)

    def refresh_consents(self) -> None:
        """Read the consents for this testimony and its interviewee again."""
        testimony_id, person_id = self.record_id, self._interviewee_id()
        self._update_can_record()
        self.context.executor.submit(
            lambda c: find_consents(c, testimony_id, person_id),
            on_success=self.consent_panel.show_consents,
            on_failure=lambda error: self.status_label.setText(error.message),
            owner=self,
        )

    def consent_body(self) -> dict[str, Any]:
        """The new consent's prefilled fields: subject, testimony, today, nothing agreed yet."""
        return {
            "subject_person_id": self._interviewee_id() or "",
            "testimony_id": self.record_id or "",
            "scopes": {code: False for code in v.CONSENT_SCOPES.codes},
            "given_on": today_text(),
            "recorded_by": self.current_body().get("interviewer", ""),
        }

    def _on_consent_panel_record_consent_requested(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Record consent"))
        dialog.resize(640, 720)
        context = EditorContext(Kind.CONSENT, self.context.executor, self.context.lang, self.open_record.emit)
        editor = ConsentEditor(None, context, initial_body=self.consent_body(), parent=dialog)
        editor.saved.connect(lambda _id: self.refresh_consents())
        editor.saved.connect(lambda _id: dialog.accept())
        QVBoxLayout(dialog).addWidget(editor)
        dialog.open()


def _column(*widgets: QWidget) -> QWidget:
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    layout.setStretch(len(widgets) - 1, 1)
    return column
