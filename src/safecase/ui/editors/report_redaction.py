"""Marking words of a record as redacted for reports, from its editor.

Right-click selected words in a text field: "Redact for reports…" asks for an optional reason and marks them
(``services.reports.redaction``); the record itself is not changed. Marked words are shown on a dark band in
multi-line fields, and right-clicking inside one offers to stop redacting it. Spans are always marked on the
saved version the user is looking at: while the field on screen differs from the saved text (unsaved typing, a
restored draft) the action is off and no band is drawn, and the service refuses a selection whose words or
version no longer match what is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu, QPlainTextEdit, QTextEdit, QWidget

from safecase.errors import SafeCaseError
from safecase.services.reports.redaction import TEXT_FIELDS, ManualSpan, PlacedSpan, RedactionService
from safecase.storage.records import RecordState
from safecase.ui.editors.fields import LineField, MultilineField
from safecase.ui.executor import DatabaseExecutor, TaskContext

Placed = tuple[list[PlacedSpan], list[ManualSpan]]


@dataclass(frozen=True)
class Selection:
    """Selected words, in the stored text of the version on screen."""

    record_id: str
    revision: str
    field: str
    start: int  # in Python characters (code points) of the field's stored text
    end: int
    words: str


def python_offset(text: str, utf16_position: int) -> int:
    """Qt counts UTF-16 code units; Python strings count code points (they differ after any character outside
    the Basic Multilingual Plane, e.g. rare Hanja)."""
    return len(text.encode("utf-16-le")[: 2 * utf16_position].decode("utf-16-le", errors="ignore"))


def utf16_offset(text: str, python_position: int) -> int:
    return len(text[:python_position].encode("utf-16-le")) // 2


def as_shown(stored: str, edit: QPlainTextEdit | QLineEdit) -> str:
    """Stored text as the widget gives it back: QPlainTextEdit returns a no-break space as a space and line or
    paragraph separators as line breaks (one character for one, so offsets stay the same)."""
    if isinstance(edit, QLineEdit):
        return stored
    return stored.replace("\u00a0", " ").replace("\u2028", "\n").replace("\u2029", "\n")


def _load_spans(context: TaskContext, record_id: str) -> Placed:
    session = context.workspace.session
    state = session.records.get(record_id)
    if state is None or state.deleted:
        return [], []
    return RedactionService(session).placed(state)


class ReportRedactionMarker(QObject):
    """Adds "Redact for reports" to the text fields of one editor and shows what is marked."""

    status = Signal(str)  # a one-line result for the editor's status label

    def __init__(
        self,
        fields: Mapping[str, QWidget],
        executor: DatabaseExecutor,
        saved_state: Callable[[], RecordState | None],
        has_unsaved_changes: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._executor = executor
        self._saved_state = saved_state
        self._has_unsaved_changes = has_unsaved_changes
        self._edits: dict[str, QPlainTextEdit | QLineEdit] = {}
        self.placed: list[PlacedSpan] = []
        self.stale: list[ManualSpan] = []
        for name, widget in fields.items():
            edit = _text_edit_of(widget)
            if name in TEXT_FIELDS and edit is not None:
                self._edits[name] = edit
                edit.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
                edit.customContextMenuRequested.connect(lambda point, n=name: self._on_menu_requested(n, point))

    def refresh(self) -> None:
        """Load the record's spans again (after a load, a save or a change of the marks)."""
        state = self._saved_state()
        if state is None or not self._edits:
            return
        record_id = state.id
        self._executor.submit(lambda c: _load_spans(c, record_id), on_success=self._show, owner=self)

    # -- showing ------------------------------------------------------------------------------------------------

    def _show(self, placed: Placed) -> None:
        self.placed, self.stale = placed
        for name, edit in self._edits.items():
            if isinstance(edit, QPlainTextEdit):
                shown = self.in_step(name)  # offsets in the stored text only fit the widget's text if they agree
                edit.setExtraSelections([self._band(edit, s) for s in self.placed if s.span.field == name and shown])
        if self.stale:
            stale = len(self.stale)
            self.status.emit(
                self.tr("%n marked passage(s) no longer fit the edited text: right-click to remove.", "", stale)
            )

    def _band(self, edit: QPlainTextEdit, placed: PlacedSpan) -> QTextEdit.ExtraSelection:
        text = edit.toPlainText()
        cursor = QTextCursor(edit.document())
        cursor.setPosition(utf16_offset(text, placed.start))
        cursor.setPosition(utf16_offset(text, placed.end), QTextCursor.MoveMode.KeepAnchor)
        band = QTextCharFormat()
        band.setBackground(QColor("#2b2b2b"))
        band.setForeground(QColor("#ffffff"))
        band.setToolTip(self.tr("Left out of every report"))
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format = band
        return selection

    # -- the menu -----------------------------------------------------------------------------------------------

    def _on_menu_requested(self, name: str, point: QPoint) -> None:
        edit = self._edits[name]
        menu = edit.createStandardContextMenu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addSeparator()
        at = edit.cursorForPosition(point).position() if isinstance(edit, QPlainTextEdit) else None
        self.add_actions(menu, name, at)
        menu.popup(edit.mapToGlobal(point))

    def add_actions(self, menu: QMenu, name: str, clicked_at: int | None = None) -> None:
        """The redaction entries for a right-click in field ``name`` at Qt position ``clicked_at`` (public for
        tests): mark the selected words, stop redacting a span under the click, remove a stale span."""
        if self.in_step(name):
            redact = menu.addAction(self.tr("Redact for reports…"))
            redact.setEnabled(self.selection(name) is not None)
        else:
            redact = menu.addAction(self.tr("Redact for reports… (once the text on screen is saved)"))
            redact.setEnabled(False)
        redact.triggered.connect(lambda: self._ask_reason(name))
        text = self._text(name)
        for placed in self._spans_at(name, clicked_at):
            words = _short(text[placed.start : placed.end])
            remove = menu.addAction(self.tr("Stop redacting “%1”").replace("%1", words))
            remove.triggered.connect(lambda _checked=False, span_id=placed.span.id: self.remove(span_id))
        for span in self.stale:
            if span.field == name:
                label = self.tr("Remove a redaction that no longer fits (no. %1)").replace("%1", str(span.id))
                stale = menu.addAction(label)
                stale.triggered.connect(lambda _checked=False, span_id=span.id: self.remove(span_id))

    def in_step(self, name: str) -> bool:
        """True when the field on screen holds exactly the saved text (no unsaved typing, no restored draft, nothing
        the save cleaned up differently): only then do offsets on screen and in the vault agree."""
        state = self._saved_state()
        if state is None or self._has_unsaved_changes():
            return False
        stored = state.body.get(name)
        return as_shown(stored if isinstance(stored, str) else "", self._edits[name]) == self._text(name)

    def _text(self, name: str) -> str:
        edit = self._edits[name]
        return edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()

    def selection(self, name: str) -> Selection | None:
        """The words selected in field ``name``, taken from the saved text (None if nothing is selected or the
        screen and the saved text differ)."""
        state = self._saved_state()
        if state is None or not self.in_step(name):
            return None
        edit = self._edits[name]
        if isinstance(edit, QPlainTextEdit):
            cursor = edit.textCursor()
            first, last = cursor.selectionStart(), cursor.selectionEnd()
        else:
            first = edit.selectionStart()
            last = first + len(edit.selectedText().encode("utf-16-le")) // 2 if first >= 0 else -1
        if first < 0 or last <= first:
            return None
        text = self._text(name)
        start, end = python_offset(text, first), python_offset(text, last)
        words = str(state.body[name])[start:end]
        return Selection(state.id, state.revision, name, start, end, words) if words.strip() else None

    def _spans_at(self, name: str, clicked_at: int | None) -> list[PlacedSpan]:
        """The spans under a click (a one-line field: all of its spans, having no band to point at)."""
        edit = self._edits[name]
        in_field = [placed for placed in self.placed if placed.span.field == name]
        if not isinstance(edit, QPlainTextEdit):
            return in_field
        if clicked_at is None or not self.in_step(name):
            return []
        at = python_offset(edit.toPlainText(), clicked_at)
        return [placed for placed in in_field if placed.start <= at <= placed.end]

    # -- marking and removing -----------------------------------------------------------------------------------

    def _ask_reason(self, name: str) -> None:
        selection = self.selection(name)
        if selection is None:
            return
        dialog = QInputDialog(self._edits[name])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowTitle(self.tr("Redact for reports"))
        dialog.setLabelText(
            self.tr("The selected words will be left out of every report. The record itself is not changed.")
            + "\n"
            + self.tr("Why (optional, shown to whoever makes a report):")
        )
        dialog.textValueSelected.connect(lambda reason: self.mark(selection, reason))
        dialog.open()

    def mark(self, selection: Selection, reason: str = "") -> None:
        seen = (selection.revision, selection.words)

        def mark_span(context: TaskContext) -> ManualSpan:
            service = RedactionService(context.workspace.session)
            return service.mark(selection.record_id, selection.field, selection.start, selection.end, reason, seen=seen)

        self._executor.submit(
            mark_span, on_success=lambda _span: self._on_marked(selection.field), on_failure=self._on_failed, owner=self
        )

    def remove(self, span_id: int) -> None:
        self._executor.submit(
            lambda c: RedactionService(c.workspace.session).remove(span_id),
            on_success=lambda _none: self._on_removed(),
            on_failure=self._on_failed,
            owner=self,
        )

    def _on_marked(self, name: str) -> None:
        edit = self._edits[name]
        if isinstance(edit, QPlainTextEdit):  # else the live selection would hide the band just added
            cursor = edit.textCursor()
            cursor.clearSelection()
            edit.setTextCursor(cursor)
        else:
            edit.deselect()
        self.status.emit(self.tr("Marked: left out of every report."))
        self.refresh()

    def _on_removed(self) -> None:
        self.status.emit(self.tr("No longer redacted for reports."))
        self.refresh()

    def _on_failed(self, error: SafeCaseError) -> None:
        self.status.emit(self.tr("Not marked: %1").replace("%1", error.message))


def _text_edit_of(widget: QWidget) -> QPlainTextEdit | QLineEdit | None:
    return widget.edit if isinstance(widget, MultilineField | LineField) else None


def _short(words: str, limit: int = 30) -> str:
    words = " ".join(words.split())
    return words if len(words) <= limit else words[: limit - 1] + "…"
