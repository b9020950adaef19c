"""Paints a search hit as two lines: its title in bold and, below it, the snippet with the matches marked.

User text is laid out with ``QTextLayout`` and drawn with ``QPainter`` as the characters it is: no HTML is ever
built from it and nothing is handed to a widget that guesses at rich text, so a testimony holding ``<img src=...>``
shows those characters and loads nothing. Matches are bold on an amber background, so they stand out without
relying on colour alone, on light, dark and selected rows alike.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QTextCharFormat,
    QTextLayout,
    QTextLine,
    QTextOption,
)
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from safecase.storage.search_text import ELLIPSIS, Snippet
from safecase.ui.search_model import IsGroupRole, SnippetRole

MATCH_BACKGROUND = QColor(255, 209, 71)
MATCH_FOREGROUND = QColor(0, 0, 0)
_PAD_X, _PAD_Y, _LINE_GAP, _GROUP_PAD_TOP = 8, 4, 2, 6
_NO_WRAP_WIDTH = 1e7  # wide enough that the one line holds the whole snippet


def utf16_offsets(text: str) -> list[int]:
    """For each index 0..len(text) into a Python string, the matching index into Qt's UTF-16 string."""
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + (2 if ord(char) > 0xFFFF else 1))
    return offsets


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (line breaks included) as one space, for a single-line title."""
    return " ".join(text.split())


def snippet_layout(snippet: Snippet, font: QFont) -> QTextLayout:
    """A one-line layout of the snippet's characters, verbatim, with each highlight span bold on amber."""
    layout = QTextLayout(snippet.text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.NoWrap)
    layout.setTextOption(option)
    match_format = QTextCharFormat()
    match_format.setBackground(MATCH_BACKGROUND)
    match_format.setForeground(MATCH_FOREGROUND)
    match_format.setFontWeight(QFont.Weight.Bold)
    offsets = utf16_offsets(snippet.text)
    ranges = []
    for start, end in snippet.highlights:
        start, end = max(0, min(start, len(snippet.text))), max(0, min(end, len(snippet.text)))
        if start < end:
            span = QTextLayout.FormatRange()
            span.start, span.length, span.format = offsets[start], offsets[end] - offsets[start], match_format
            ranges.append(span)
    layout.setFormats(ranges)
    layout.beginLayout()
    layout.createLine().setLineWidth(_NO_WRAP_WIDTH)
    layout.endLayout()
    return layout


def visible_span(layout: QTextLayout, snippet: Snippet, width: float, ellipsis_width: float) -> tuple[float, float]:
    """The x range of the snippet's line to show in ``width``: all of it if it fits, else a window that holds the
    first match (as much of it as fits) and starts and ends on character boundaries, leaving room for ellipses."""
    line = layout.lineAt(0)
    total = line.naturalTextWidth()
    if total <= width:
        return 0.0, total
    room = max(width - 2 * ellipsis_width, 1.0)
    left = 0.0
    if snippet.highlights:
        offsets = utf16_offsets(snippet.text)
        first_start, first_end = (offsets[min(i, len(snippet.text))] for i in snippet.highlights[0])
        match_left, match_right = _x(line, first_start), _x(line, first_end)
        if match_right > width - ellipsis_width:
            # Some context before the match, unless the match itself needs the room.
            wanted = min(match_left, max(match_left - room / 3, match_right - room))
            left = _x(line, line.xToCursor(wanted, QTextLine.CursorPosition.CursorOnCharacter))
    if total - left <= width - (ellipsis_width if left > 0 else 0):
        return left, total
    right_limit = left + (room if left > 0 else width - ellipsis_width)
    right = _x(line, line.xToCursor(right_limit, QTextLine.CursorPosition.CursorOnCharacter))
    return left, max(right, left)


def _x(line: QTextLine, position: int) -> float:
    """The x of a cursor position on ``line`` (PySide returns it with the position, as a pair)."""
    x = line.cursorToX(position)
    return float(x[0] if isinstance(x, tuple) else x)  # type: ignore[arg-type]


class SearchResultDelegate(QStyledItemDelegate):
    """Draws group rows as bold headings and hit rows as a bold title over a snippet with marked matches."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if isinstance(widget, QWidget) else QApplication.style()
        bold = QFont(opt.font)
        bold.setBold(True)
        if index.data(IsGroupRole):
            opt.font = bold
            opt.fontMetrics = QFontMetrics(bold)
            opt.rect = opt.rect.adjusted(0, _GROUP_PAD_TOP, 0, 0)
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
            return
        title = one_line(opt.text)
        opt.text = ""  # the style draws background, selection and focus only
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        # Lines are placed by baseline, from the font's own metrics: a fallback font (Hangul in a Latin UI font) may
        # make a laid-out line taller, and must not push the text down out of the row.
        rect: QRect = opt.rect.adjusted(_PAD_X, _PAD_Y, -_PAD_X, -_PAD_Y)
        bold_metrics, metrics = QFontMetrics(bold), QFontMetrics(opt.font)
        painter.save()
        painter.setClipRect(opt.rect)
        painter.setPen(_text_color(opt))
        painter.setFont(bold)
        elided = bold_metrics.elidedText(title, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(QPointF(rect.left(), rect.top() + bold_metrics.ascent()), elided)
        snippet = index.data(SnippetRole)
        if isinstance(snippet, Snippet) and snippet.text:
            baseline = rect.top() + bold_metrics.height() + _LINE_GAP + metrics.ascent()
            painter.setFont(opt.font)
            self._paint_snippet(painter, snippet, opt.font, QPointF(rect.left(), baseline), rect.width(), opt.rect)
        painter.restore()

    def _paint_snippet(
        self, painter: QPainter, snippet: Snippet, font: QFont, origin: QPointF, width: int, row: QRect
    ) -> None:
        """Draw the snippet's line with its baseline at ``origin``, cut to ``width`` with ellipses where cut."""
        ellipsis_width = QFontMetrics(font).horizontalAdvance(ELLIPSIS)
        layout = snippet_layout(snippet, font)
        line = layout.lineAt(0)
        left, right = visible_span(layout, snippet, width, ellipsis_width)
        start_x = origin.x() + (ellipsis_width if left > 0 else 0.0)
        painter.save()
        painter.setClipRect(QRectF(start_x, row.top(), right - left, row.height()), Qt.ClipOperation.IntersectClip)
        layout.draw(painter, QPointF(start_x - left, origin.y() - line.ascent()))
        painter.restore()
        if left > 0:
            painter.drawText(origin, ELLIPSIS)
        if right < line.naturalTextWidth():
            painter.drawText(QPointF(start_x + right - left, origin.y()), ELLIPSIS)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        bold = QFont(opt.font)
        bold.setBold(True)
        bold_height = QFontMetrics(bold).height()
        width = QFontMetrics(opt.font).averageCharWidth() * 40
        if index.data(IsGroupRole):
            return QSize(width, _GROUP_PAD_TOP + bold_height + 2 * _PAD_Y)
        text_height = QFontMetrics(opt.font).height()
        return QSize(width, 2 * _PAD_Y + bold_height + _LINE_GAP + text_height)


def _text_color(option: QStyleOptionViewItem) -> QColor:
    state = option.state
    if not state & QStyle.StateFlag.State_Enabled:
        group = QPalette.ColorGroup.Disabled
    elif state & QStyle.StateFlag.State_Active:
        group = QPalette.ColorGroup.Active
    else:
        group = QPalette.ColorGroup.Inactive
    selected = bool(state & QStyle.StateFlag.State_Selected)
    role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
    return option.palette.color(group, role)
