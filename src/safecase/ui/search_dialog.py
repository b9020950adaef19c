"""The "search everywhere" dialog: type a query, see the best hits of every kind, pick one with Enter.

Searching runs on the database executor a moment after the last keystroke. Each search gets a generation number;
a newer query cancels the older task, and whatever a superseded task still delivers is dropped, so only the
latest query's results ever show. When the dialog hides, the query and the results are cleared, so a hidden window
holds no vault content.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QDialog, QLineEdit, QTreeView, QVBoxLayout, QWidget

from safecase.errors import SafeCaseError
from safecase.services.search import SearchResult
from safecase.ui.executor import DatabaseExecutor, OperationCancelled, Task, TaskContext
from safecase.ui.search_delegate import SearchResultDelegate
from safecase.ui.search_model import SearchResultsModel
from safecase.ui.widgets.plain import PlainLabel

DEBOUNCE_MS = 250
MAX_QUERY_CHARS = 500  # a pasted book must not reach the search; queries beyond this are refused
RESULT_LIMIT = 50
_ENTER_KEYS = frozenset({int(Qt.Key.Key_Return), int(Qt.Key.Key_Enter)})
_MOVE_STEPS = {
    int(Qt.Key.Key_Up): -1,
    int(Qt.Key.Key_Down): 1,
    int(Qt.Key.Key_PageUp): -10,
    int(Qt.Key.Key_PageDown): 10,
}


class SearchDialog(QDialog):
    """Searches every kind of record as the user types and reports the record chosen."""

    record_chosen = Signal(str, str)  # kind value, record id

    def __init__(self, executor: DatabaseExecutor, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._generation = 0
        self._task: Task[list[SearchResult]] | None = None
        self.setWindowTitle(self.tr("Search everywhere"))
        self.setAccessibleName(self.tr("Search everywhere"))
        self.resize(640, 480)

        self.query_field = QLineEdit(self)
        self.query_field.setAccessibleName(self.tr("Search query"))
        self.query_field.setPlaceholderText(self.tr("Search people, testimonies, events and more…"))
        self.query_field.setClearButtonEnabled(True)
        # One character more than allowed, so an over-long paste is noticed (and refused) instead of cut silently.
        self.query_field.setMaxLength(MAX_QUERY_CHARS + 1)
        self.query_field.installEventFilter(self)

        self.model = SearchResultsModel(lang, self)
        self.results_view = QTreeView(self)
        self.results_view.setAccessibleName(self.tr("Search results"))
        self.results_view.setModel(self.model)
        self.results_view.setItemDelegate(SearchResultDelegate(self.results_view))
        self.results_view.setHeaderHidden(True)
        self.results_view.setRootIsDecorated(False)
        self.results_view.setItemsExpandable(False)
        self.results_view.setIndentation(12)
        self.results_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results_view.doubleClicked.connect(self._on_results_double_clicked)
        self.results_view.installEventFilter(self)

        self.status_label = PlainLabel("", self)
        self.status_label.setAccessibleName(self.tr("Search status"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.query_field)
        layout.addWidget(self.results_view, 1)
        layout.addWidget(self.status_label)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        self.query_field.textChanged.connect(self._on_query_field_text_changed)

    # -- public -----------------------------------------------------------------------------------------------------

    def set_lang(self, lang: str) -> None:
        """Show kind labels in ``lang`` ("ko" or "en")."""
        self.model.lang = lang

    @property
    def status_text(self) -> str:
        return self.status_label.text()

    def choose_current(self) -> bool:
        """Report the current hit (on a group row, its first hit; with none current, the best hit) and close.

        Returns False, and stays open, when there is no hit to report.
        """
        current = self.results_view.currentIndex()
        result = self.model.result_at(current)
        if result is None and current.isValid():
            result = self.model.result_at(self.model.index(0, 0, current))
        if result is None:
            hits = self.model.result_indexes()
            result = self.model.result_at(hits[0]) if hits else None
        if result is None:
            return False
        self.record_chosen.emit(result.kind.value, result.record.id)
        self.accept()
        return True

    # -- searching --------------------------------------------------------------------------------------------------

    def _on_query_field_text_changed(self, text: str) -> None:
        self._stop_search()
        if len(text) > MAX_QUERY_CHARS:
            self.model.clear()
            self._set_status(
                self.tr("The search text is too long: at most {limit} characters.").format(limit=MAX_QUERY_CHARS)
            )
        elif not text.strip():
            self.model.clear()
            self._set_status("")
        else:
            self._set_status(self.tr("Searching…"))
            self._debounce.start()

    def _on_debounce_timeout(self) -> None:
        query = self.query_field.text()
        if not query.strip() or len(query) > MAX_QUERY_CHARS:
            return
        self._stop_search()
        generation = self._generation

        def search(context: TaskContext) -> list[SearchResult]:
            context.check_cancelled()
            return context.workspace.search.search(query, RESULT_LIMIT)

        self._task = self._executor.submit(
            search,
            on_success=lambda results: self._on_search_succeeded(generation, query, results),
            on_failure=lambda error: self._on_search_failed(generation, error),
            owner=self,
        )

    def _stop_search(self) -> None:
        """Forget any search in flight: stop the timer, cancel the task, and make its results stale."""
        self._debounce.stop()
        self._generation += 1
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def _on_search_succeeded(self, generation: int, query: str, results: list[SearchResult]) -> None:
        if generation != self._generation:
            return
        self._task = None
        self.model.set_results(query, results)
        self.results_view.expandAll()
        hits = self.model.result_indexes()
        if hits:
            self.results_view.setCurrentIndex(hits[0])
            self.results_view.scrollToTop()
        count = len(results)
        if count == 0:
            self._set_status(self.tr("No results"))
        elif count == 1:
            self._set_status(self.tr("1 result"))
        elif count >= RESULT_LIMIT:
            self._set_status(self.tr("The best {count} results; add words to narrow the search.").format(count=count))
        else:
            self._set_status(self.tr("{count} results").format(count=count))

    def _on_search_failed(self, generation: int, error: SafeCaseError) -> None:
        if generation != self._generation or isinstance(error, OperationCancelled):
            return
        self._task = None
        self.model.clear()
        message = error.message
        self._set_status(message[:1].upper() + message[1:])

    def _set_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setAccessibleDescription(text)

    # -- keyboard and mouse -----------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = int(event.key())
            if watched is self.query_field and key in _MOVE_STEPS:
                self._move_current(_MOVE_STEPS[key])
                return True
            if key in _ENTER_KEYS and watched in (self.query_field, self.results_view):
                self.choose_current()
                return True  # consumed either way, so Enter never falls through to a default button
            if watched is self.results_view and _is_typing(event):
                # Typing while the list has the focus goes on with the query, as in a command palette.
                self.query_field.setFocus(Qt.FocusReason.OtherFocusReason)
                self.query_field.event(event)
                return True
        return super().eventFilter(watched, event)

    def _move_current(self, step: int) -> None:
        """Move through the hits (group rows skipped) while the focus stays in the query field."""
        hits = self.model.result_indexes()
        if not hits:
            return
        current = self.results_view.currentIndex()
        position = hits.index(current) if current in hits else -1
        target = hits[max(0, min(len(hits) - 1, position + step))]
        self.results_view.setCurrentIndex(target)
        self.results_view.scrollTo(target)

    def _on_results_double_clicked(self, index: QModelIndex) -> None:
        if self.model.result_at(index) is not None:
            self.results_view.setCurrentIndex(index)
            self.choose_current()

    # -- visibility -------------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.query_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def hideEvent(self, event: QHideEvent) -> None:
        self._stop_search()
        self.query_field.setText("")  # unlike clear(), setText drops the undo history, so Ctrl+Z cannot bring it back
        self.model.clear()
        self._set_status("")
        super().hideEvent(event)


def _is_typing(event: QKeyEvent) -> bool:
    """Whether a key press types text (no Ctrl, Alt or Meta, and a printable character)."""
    shortcut_modifiers = (
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
    )
    return not event.modifiers() & shortcut_modifiers and event.text().isprintable() and bool(event.text().strip())
