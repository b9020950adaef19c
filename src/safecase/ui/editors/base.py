"""The record editor every kind shares: loads the record (and any draft) through the executor, builds the form,
validates as the user types (debounced), autosaves, shows the save status, and opens the history. Records that
can hold evidence files show the evidence panel below the form.

Subclasses change only how the form is built and laid out (``_build_form``, ``_build_content``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QScrollArea, QSplitter, QVBoxLayout, QWidget

from safecase.domain.fields import ABSENT
from safecase.domain.kinds import ATTACHABLE_KINDS, IMMUTABLE_KINDS, Kind
from safecase.domain.record_types import RECORD_TYPES
from safecase.domain.records import display_title, validate_body
from safecase.errors import ValidationError
from safecase.services.exchange.provenance import RecordNotice, record_notice
from safecase.storage.drafts import Draft
from safecase.storage.records import RecordState
from safecase.ui.editors.autosave import Autosaver
from safecase.ui.editors.context import EditorContext
from safecase.ui.editors.form import ObjForm
from safecase.ui.editors.history_dialog import HistoryDialog
from safecase.ui.editors.report_redaction import ReportRedactionMarker
from safecase.ui.evidence.panel import EvidencePanel
from safecase.ui.executor import TaskContext
from safecase.ui.widgets.plain import PlainLabel

VALIDATE_DELAY_MS = 400
Loaded = tuple[RecordState | None, Draft | None]


def load_record(context: TaskContext, record_id: str | None, draft_key: str) -> Loaded:
    """On the database thread: the record (None for a new one) and its pending draft, if any."""
    workspace = context.workspace
    state = workspace.records.show(record_id) if record_id else None
    return state, workspace.draft(draft_key)


class RecordEditor(QWidget):
    """Edits one record of any kind; the main window embeds it and listens to its signals."""

    saved = Signal(str)  # record id, after every successful save
    open_record = Signal(str, str)  # kind value, record id: the user wants to open a linked record
    keep_awake = Signal(bool)  # True while the editor records audio: the idle lock must wait (a screen lock won't)

    def __init__(
        self,
        kind: Kind,
        record_id: str | None,
        context: EditorContext,
        *,
        initial_body: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.context = context
        context.open_record = self.open_record.emit
        self._initial_body = initial_body or {}
        self._loading = False
        self._awaiting_load = False
        self.state: RecordState | None = None
        self.autosaver = Autosaver(
            kind, record_id, context.executor, self.current_body, auto_commit=kind not in IMMUTABLE_KINDS, parent=self
        )
        self.form = self._build_form()
        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(VALIDATE_DELAY_MS)
        self._build_header()
        self.evidence_panel = EvidencePanel(context.executor, context.lang, self) if kind in ATTACHABLE_KINDS else None
        fields = {name: row.widget for name, row in self.form.rows.items()}
        self.redaction_marker = ReportRedactionMarker(
            fields, context.executor, lambda: self.state, self.has_unsaved_changes, self
        )
        self._lay_out()
        self._connect()
        self.set_read_only(self.read_only)
        self._load(record_id)

    # -- building -----------------------------------------------------------------------------------------------

    def _build_form(self) -> ObjForm:
        return ObjForm(RECORD_TYPES[self.kind].body, self.context, root=True)

    def _build_content(self) -> QWidget:
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        return scroll

    def _build_header(self) -> None:
        self.title_label = PlainLabel("", self)
        self.title_label.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.status_label = PlainLabel("", self)
        self.status_label.setAccessibleName(self.tr("Save status"))
        self.history_button = QPushButton(self.tr("History…"), self)
        self.history_button.setAccessibleName(self.tr("Show earlier versions"))
        self.draft_banner = PlainLabel("", self)
        self.draft_banner.setWordWrap(True)
        self.draft_banner.setStyleSheet("background: #fff4ce; color: #4a3b00; padding: 4px;")
        self.discard_draft_button = QPushButton(self.tr("Discard draft"), self)
        self.discard_draft_button.setAccessibleName(self.tr("Discard the unsaved draft"))
        self.draft_banner.hide()
        self.discard_draft_button.hide()
        self.source_banner = PlainLabel("", self)
        self.source_banner.setWordWrap(True)
        self.source_banner.setStyleSheet("background: #fde7e9; color: #5c0011; padding: 4px;")
        self.source_banner.hide()

    def header_actions(self) -> list[QWidget]:
        """Buttons shown in the header after History; subclasses add their own."""
        return [self.history_button]

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.title_label, 1)
        top.addWidget(self.status_label)
        for action in self.header_actions():
            top.addWidget(action)
        banner = QHBoxLayout()
        banner.addWidget(self.draft_banner, 1)
        banner.addWidget(self.discard_draft_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(banner)
        layout.addWidget(self.source_banner)
        layout.addWidget(self._with_evidence(self._build_content()), 1)

    def _with_evidence(self, content: QWidget) -> QWidget:
        """The form above the evidence panel (for kinds that hold evidence), the user choosing the split."""
        if self.evidence_panel is None:
            return content
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(content)
        splitter.addWidget(self.evidence_panel)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)  # the panel grows with its list, not with the window
        splitter.setChildrenCollapsible(False)
        return splitter

    def _connect(self) -> None:
        self.form.changed.connect(self._on_form_changed)
        self._validate_timer.timeout.connect(self._on_validate_timer_timeout)
        self.autosaver.status_changed.connect(self.status_label.setText)
        self.autosaver.saved.connect(self._on_autosaver_saved)
        self.autosaver.rejected.connect(self._on_autosaver_rejected)
        self.history_button.clicked.connect(self._on_history_clicked)
        self.discard_draft_button.clicked.connect(self._on_discard_draft_clicked)
        self.redaction_marker.status.connect(self.status_label.setText)

    # -- the contract -------------------------------------------------------------------------------------------

    @property
    def record_id(self) -> str | None:
        return self.autosaver.record_id if self.autosaver.exists else None

    @property
    def read_only(self) -> bool:
        return self.kind in IMMUTABLE_KINDS and self.autosaver.exists

    def flush(self) -> None:
        """Queue a save of the current state (a version if valid, else a draft) now; never blocks."""
        if not self._loading and not self._awaiting_load:
            self.autosaver.flush()

    def has_unsaved_changes(self) -> bool:
        """True while the form holds changes not yet written as a version (a draft does not count as saved)."""
        return self.autosaver.dirty

    def set_lang(self, lang: str) -> None:
        self.context.lang = lang
        self.form.set_lang(lang)
        if self.evidence_panel is not None:
            self.evidence_panel.set_lang(lang)
        self._update_title()

    def set_read_only(self, read_only: bool) -> None:
        self.form.set_read_only(read_only)

    def current_body(self) -> dict[str, Any]:
        return self.form.body()

    # -- loading ------------------------------------------------------------------------------------------------

    def _load(self, record_id: str | None) -> None:
        self._show_body(self._defaults())
        # Until a stored record arrives, typing into the defaults shown could only overwrite it when saved.
        self._awaiting_load = record_id is not None
        self.form.set_read_only(self._awaiting_load or self.read_only)
        self.history_button.setEnabled(record_id is not None)
        key = self.autosaver.record_id
        self.context.executor.submit(
            lambda c: load_record(c, record_id, key),
            on_success=self._on_loaded,
            on_failure=lambda error: self.status_label.setText(error.message),
            owner=self,
        )

    def _defaults(self) -> dict[str, Any]:
        props = RECORD_TYPES[self.kind].body.props
        defaults = {prop.name: prop.default for prop in props if prop.default is not ABSENT}
        return {**defaults, **self._initial_body}

    def _on_loaded(self, loaded: Loaded) -> None:
        state, draft = loaded
        self._awaiting_load = False
        self.form.set_read_only(self.read_only)
        if state is not None:
            self._apply_state(state)
        if draft is not None and not self.read_only:
            self._show_body(draft.body)
            self.draft_banner.setText(
                self.tr("Restored changes not saved yet (draft of %1).").replace("%1", draft.saved_at)
            )
            self.draft_banner.show()
            self.discard_draft_button.show()
            self.autosaver.mark_changed()
            self._validate_now()

    def _apply_state(self, state: RecordState) -> None:
        self.state = state
        self.autosaver.exists = True
        self.autosaver.base_revision = state.revision
        self._show_body(state.body)
        self.autosaver.mark_clean()
        self.history_button.setEnabled(True)
        self.set_read_only(self.read_only)
        self._update_title()
        self._show_evidence()
        self._ask_for_notice(state.id)
        self.redaction_marker.refresh()
        self.record_loaded(state)

    def _ask_for_notice(self, record_id: str) -> None:
        self.context.executor.submit(
            lambda c: record_notice(c.workspace.session, record_id), on_success=self._show_notice, owner=self
        )

    def _show_notice(self, notice: RecordNotice) -> None:
        lines = []
        if notice.unverified_versions:
            lines.append(
                self.tr(
                    "Parts of this record came in a bundle from someone whose fingerprint you have not verified "
                    "(%n version(s)): check it before you rely on it.",
                    "",
                    notice.unverified_versions,
                )
            )
        if notice.in_conflict:
            lines.append(
                self.tr(
                    "This record was changed on two laptops at once. Both versions are kept: choose one in "
                    "Team → Conflicts."
                )
            )
        self.source_banner.setText("\n".join(lines))
        self.source_banner.setVisible(bool(lines))

    def record_loaded(self, state: RecordState) -> None:
        """Hook: the stored record was (re)loaded."""

    def _show_evidence(self) -> None:
        """The evidence panel follows the record: nothing to attach to until it is saved and has an id."""
        if self.evidence_panel is not None:
            self.evidence_panel.set_record(self.record_id)

    def _show_body(self, body: dict[str, Any]) -> None:
        self._loading = True
        try:
            self.form.set_value(body)
            self.form.clear_errors()
        finally:
            self._loading = False

    def _update_title(self) -> None:
        label = self.kind.label(self.context.lang)
        if self.state is None:
            self.title_label.setText(self.tr("New %1").replace("%1", label))
            return
        title = display_title(self.kind, self.state.body, lang=self.context.lang)
        self.title_label.setText(title if title.startswith(label) else f"{label} · {title}")

    # -- editing ------------------------------------------------------------------------------------------------

    def _on_form_changed(self) -> None:
        if self._loading or self._awaiting_load or self.read_only:
            return
        self.autosaver.mark_changed()
        self._validate_timer.start()

    def _on_validate_timer_timeout(self) -> None:
        self._validate_now()

    def _validate_now(self) -> None:
        self.form.clear_errors()
        try:
            validate_body(self.kind, self.current_body())
        except ValidationError as error:
            self.form.show_error(error.field, error.reason)

    def _on_autosaver_saved(self, state: RecordState) -> None:
        self.state = state
        self._show_assigned_values(state)
        self.history_button.setEnabled(True)
        self.draft_banner.hide()
        self.discard_draft_button.hide()
        self.form.clear_errors()
        self._update_title()
        self._show_evidence()
        self.redaction_marker.refresh()
        self.saved.emit(state.id)

    def _show_assigned_values(self, state: RecordState) -> None:
        """Show what the service filled in on save (a new person's pseudonym) if the form left it empty."""
        row = self.form.rows.get("pseudonym")
        assigned = state.body.get("pseudonym")
        if row is not None and assigned and not row.widget.value():
            self._loading = True  # not a user edit: no autosave
            try:
                row.widget.set_value(assigned)
            finally:
                self._loading = False

    def _on_autosaver_rejected(self, error: ValidationError) -> None:
        self.form.clear_errors()
        self.form.show_error(error.field, error.reason)

    def _on_discard_draft_clicked(self) -> None:
        key = self.autosaver.record_id
        self.context.executor.submit(lambda c: c.workspace.discard_draft(key), owner=self)
        self.draft_banner.hide()
        self.discard_draft_button.hide()
        self._show_body(self.state.body if self.state is not None else self._defaults())
        self.autosaver.mark_clean()
        self.status_label.setText("")

    def _on_history_clicked(self) -> None:
        record_id = self.record_id
        if record_id is None:
            return
        dialog = HistoryDialog(self.kind, record_id, self.context, can_restore=not self.read_only, parent=self)
        dialog.restored.connect(self._on_history_restored)
        dialog.open()

    def _on_history_restored(self, state: RecordState) -> None:
        self._apply_state(state)
        self.saved.emit(state.id)
