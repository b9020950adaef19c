"""Laying a QTextDocument out on A4 pages and painting it onto a QPdfWriter, with a footer on every page and the
page of every heading (for the PDF's bookmarks).

``QTextDocument.print_`` would do the painting, but it lays the document out against the screen (so a report
would break pages differently on a laptop with another display scale than on the command line), keeps no record
of where headings fell, and numbers pages as bare digits. Here the layout is made against a fixed 96-dpi device
and drawn scaled to the writer's resolution, which is what ``print_`` does inside.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

LAYOUT_DPI = 96
POINTS_PER_INCH = 72
FOOTER_HEIGHT = 28  # layout pixels kept free at the bottom of each page for the footer
PAGE_LAYOUT = QPageLayout(
    QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(18, 18, 18, 18),
    QPageLayout.Unit.Millimeter,
)  # fmt: skip


@dataclass(frozen=True)
class Heading:
    """A heading and where it was printed: the page (0-based) and its top, in points from the top of the page."""

    title: str
    level: int
    page: int
    top: float


def layout_device() -> QImage:
    """A paint device of fixed resolution to lay documents out against (keep a reference while it is used)."""
    device = QImage(1, 1, QImage.Format.Format_ARGB32)
    dots_per_metre = round(LAYOUT_DPI / 0.0254)
    device.setDotsPerMeterX(dots_per_metre)
    device.setDotsPerMeterY(dots_per_metre)
    return device


def page_body_size() -> QSizeF:
    """The area a page's text takes, in layout pixels (the footer's band excluded)."""
    rect = PAGE_LAYOUT.paintRect(QPageLayout.Unit.Point)
    to_pixels = LAYOUT_DPI / POINTS_PER_INCH
    return QSizeF(rect.width() * to_pixels, rect.height() * to_pixels - FOOTER_HEIGHT)


def paginate(document: QTextDocument, device: QImage) -> None:
    document.documentLayout().setPaintDevice(device)
    document.setPageSize(page_body_size())


def headings(document: QTextDocument, max_level: int = 2) -> list[Heading]:
    """Every heading of level 1 to ``max_level`` in a paginated document, with its page."""
    page_height = document.pageSize().height()
    top_margin = PAGE_LAYOUT.paintRect(QPageLayout.Unit.Point).top()
    to_points = POINTS_PER_INCH / LAYOUT_DPI
    found = []
    block = document.begin()
    while block.isValid():
        level = block.blockFormat().headingLevel()
        if 1 <= level <= max_level and block.text().strip():
            top = document.documentLayout().blockBoundingRect(block).top()
            page = int(top // page_height)
            found.append(
                Heading(block.text().strip(), level, page, top_margin + (top - page * page_height) * to_points)
            )
        block = block.next()
    return found


def paint(document: QTextDocument, writer: QPdfWriter, footers: list[QTextDocument]) -> None:
    """Paint a paginated ``document`` onto ``writer`` (whose page layout is PAGE_LAYOUT), page by page, each with
    its footer (``footers[i]`` for page ``i``, laid out against the same device)."""
    page = document.pageSize()
    scale = writer.resolution() / LAYOUT_DPI
    painter = QPainter(writer)
    try:
        for index in range(document.pageCount()):
            if index:
                writer.newPage()
            painter.save()
            painter.scale(scale, scale)
            painter.save()
            painter.translate(0, -index * page.height())
            document.drawContents(painter, QRectF(0, index * page.height(), page.width(), page.height()))
            painter.restore()
            painter.translate(0, page.height() + FOOTER_HEIGHT - footers[index].size().height())
            footers[index].drawContents(painter)
            painter.restore()
    finally:
        painter.end()
