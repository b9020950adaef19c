"""A picker for a reference to another record: type to search records of the allowed kinds, pick one by its
display title, and the field stores the record's id.

Searching runs on the database executor a moment after the last keystroke; only the newest search's results are
used. An empty query lists recent records of the allowed kinds. Text typed but not picked is kept as typed so
that validation reports the field instead of silently dropping the reference.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QStringListModel, Qt, QTimer
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLineEdit, QToolButton, QWidget

from safecase.domain.kinds import Kind
from safecase.domain.records import display_title
from safecase.ui.editors.context import EditorContext
from safecase.ui.editors.fields import FieldWidget
from safecase.ui.executor import TaskContext

SEARCH_DEBOUNCE_MS = 300
MAX_QUERY_CHARS = 200
RESULT_LIMIT = 30

Choice = tuple[str, str, str]  # record id, kind value, display title


def _find_records(context: TaskContext, kinds: frozenset[Kind], query: str, lang: str) -> list[Choice]:
    """On the database thread: records of `kinds` matching `query` (or the first ones when it is empty)."""
    workspace = context.workspace
    if query:
        states = [hit.record for hit in workspace.search.search(query, limit=RESULT_LIMIT * 2) if hit.kind in kinds]
    else:
        states = [state for kind in sorted(kinds) for state in workspace.records.list_kind(kind, limit=RESULT_LIMIT)]
    return [(s.id, s.kind, display_title(Kind(s.kind), s.body, lang=lang)) for s in states[:RESULT_LIMIT]]


def _title_of(context: TaskContext, record_id: str, lang: str) -> Choice:
    state = context.workspace.records.show(record_id, include_deleted=True)
    return state.id, state.kind, display_title(Kind(state.kind), state.body, lang=lang)


class RefPicker(FieldWidget):
    """One reference: a line edit with a completer of display titles, and a button to open the chosen record."""

    def __init__(self, kinds: frozenset[Kind], context: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kinds = kinds
        self._context = context
        self._id: str | None = None
        self._kind: str = ""
        self._shown_title = ""
        self._generation = 0
        self._choices: list[Choice] = []
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(self.tr("Type to search…"))
        self.edit.setClearButtonEnabled(True)
        self._model = QStringListModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.edit.setCompleter(self._completer)
        self.open_button = QToolButton(self)
        self.open_button.setText(self.tr("Open"))
        self.open_button.setAccessibleName(self.tr("Open the linked record"))
        self.open_button.setEnabled(False)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._lay_out()
        self._connect()

    def _lay_out(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.open_button)
        self.setFocusProxy(self.edit)

    def _connect(self) -> None:
        self.edit.textEdited.connect(self._on_edit_text_edited)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._completer.activated[QModelIndex].connect(self._on_completer_activated)  # type: ignore[index]
        self.open_button.clicked.connect(self._on_open_clicked)

    # -- value --------------------------------------------------------------------------------------------------

    def value(self) -> object:
        text = self.edit.text().strip()
        if self._id is not None and self.edit.text() == self._shown_title:
            return self._id
        return text or None

    def set_value(self, value: object) -> None:
        self._id = value if isinstance(value, str) and value else None
        self._shown_title = ""
        self.edit.setText("")
        self.open_button.setEnabled(False)
        if self._id is not None:
            self._shown_title = self._id
            self.edit.setText(self._id)
            self._resolve_title(self._id)
        self.changed.emit()

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def set_accessible_name(self, name: str) -> None:
        super().set_accessible_name(name)
        self.edit.setAccessibleName(name)

    def _resolve_title(self, record_id: str) -> None:
        lang = self._context.lang
        self._context.executor.submit(
            lambda c: _title_of(c, record_id, lang),
            on_success=self._on_title_resolved,
            on_failure=lambda _error: None,
            owner=self,
        )

    def _on_title_resolved(self, choice: Choice) -> None:
        record_id, kind, title = choice
        if record_id != self._id or self.edit.text() != self._shown_title:
            return  # the user has moved on
        self._kind = kind
        self._shown_title = title
        self.edit.setText(title)
        self.edit.setCursorPosition(0)
        self.open_button.setEnabled(True)

    # -- searching ----------------------------------------------------------------------------------------------

    def _on_edit_text_edited(self, _text: str) -> None:
        self.open_button.setEnabled(False)
        self._timer.start()
        self.changed.emit()

    def _on_timer_timeout(self) -> None:
        query = self.edit.text().strip()[:MAX_QUERY_CHARS]
        self._generation += 1
        generation, kinds, lang = self._generation, self._kinds, self._context.lang
        self._context.executor.submit(
            lambda c: _find_records(c, kinds, query, lang),
            on_success=lambda found: self._on_search_done(generation, found),
            on_failure=lambda _error: None,
            owner=self,
        )

    def search_now(self) -> None:
        """Run the search for the current text at once (tests and the Down key use this)."""
        self._timer.stop()
        self._on_timer_timeout()

    def _on_search_done(self, generation: int, found: list[Choice]) -> None:
        if generation != self._generation:
            return
        self._choices = found
        self._model.setStringList([title for _, _, title in found])
        if found and self.edit.hasFocus():
            self._completer.complete()

    def _on_completer_activated(self, index: QModelIndex) -> None:
        row = index.row()  # unfiltered completion: rows of the popup are rows of the model
        if 0 <= row < len(self._choices):
            self.choose(self._choices[row])

    def choose(self, choice: Choice) -> None:
        """Make `choice` the referenced record."""
        self._id, self._kind, self._shown_title = choice
        self.edit.setText(self._shown_title)
        self.edit.setCursorPosition(0)
        self.open_button.setEnabled(True)
        self.changed.emit()

    @property
    def choices(self) -> list[Choice]:
        return list(self._choices)

    def _on_open_clicked(self) -> None:
        if self._id is not None and self._kind:
            self._context.open_record(self._kind, self._id)
