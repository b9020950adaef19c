"""Bar charts for reports and the Statistics view, drawn with QtGui into an image (no widgets, any thread)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter

BAR = QColor(31, 90, 150)
TEXT = QColor(30, 30, 30)
GRID = QColor(220, 220, 220)
MAX_BARS = 24  # more categories are summed into "other"; a longer series of months is shown by year instead


def months_or_years(counts: dict[str, int]) -> dict[str, int]:
    """Months ("2019-03") in order; by year ("2019") when there are more than fit, so no period is lumped away."""
    ordered = dict(sorted(counts.items()))
    if len(ordered) <= MAX_BARS:
        return ordered
    years: dict[str, int] = {}
    for period, count in ordered.items():
        years[period[:4]] = years.get(period[:4], 0) + count
    return years


def bar_chart(
    title: str,
    counts: dict[str, int],
    families: list[str],
    *,
    width: int = 1400,
    other: str = "…",
    in_order: bool = False,
) -> QImage:
    """A horizontal bar chart of ``counts`` (largest first, or as given with ``in_order``: months), at print
    resolution (about 4 px per point)."""
    items = list(counts.items()) if in_order else sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if len(items) > MAX_BARS:
        rest = sum(count for _, count in items[MAX_BARS - 1 :])
        items = [*items[: MAX_BARS - 1], (other, rest)]
    font = QFont()
    font.setFamilies(families)
    font.setPixelSize(30)
    title_font = QFont(font)
    title_font.setPixelSize(36)
    title_font.setBold(True)
    metrics = QFontMetricsF(font)
    row = 46
    top = 70
    height = top + row * max(1, len(items)) + 20
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(Qt.GlobalColor.white))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setPen(TEXT)
        painter.setFont(title_font)
        painter.drawText(QRectF(10, 0, width - 20, top - 10), Qt.AlignmentFlag.AlignVCenter, title)
        painter.setFont(font)
        label_width = min(width * 0.45, max((metrics.horizontalAdvance(label) for label, _ in items), default=0) + 20)
        biggest = max((count for _, count in items), default=0) or 1
        bar_room = width - label_width - 190  # room for the count after the longest bar
        for index, (label, count) in enumerate(items):
            y = top + index * row
            label_rect = QRectF(10, y, label_width - 20, row - 8)
            elided = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_rect.width())
            painter.setPen(TEXT)
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, elided)
            bar = QRectF(label_width, y + 6, max(2.0, bar_room * count / biggest), row - 20)
            painter.fillRect(bar, BAR)
            painter.drawText(QRectF(bar.right() + 10, y, 120, row - 8), Qt.AlignmentFlag.AlignVCenter, str(count))
        painter.setPen(GRID)
        painter.drawLine(int(label_width), top, int(label_width), height - 20)
    finally:
        painter.end()
    return image
