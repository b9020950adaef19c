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
MARGIN_MM = 18
FOOTER_GAP = 10  # layout pixels between the text area and the footer, in the bottom margin
PAGE_LAYOUT = QPageLayout(
    QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
    QPageLayout.Unit.Millimeter,
)  # fmt: skip  # the margins are the document's own (see paginate), so the painter covers the whole page


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


def margin() -> float:
    """The page margin in layout pixels."""
    return MARGIN_MM / 25.4 * LAYOUT_DPI


def page_size() -> QSizeF:
    """A whole page in layout pixels."""
    rect = PAGE_LAYOUT.fullRect(QPageLayout.Unit.Point)
    to_pixels = LAYOUT_DPI / POINTS_PER_INCH
    return QSizeF(rect.width() * to_pixels, rect.height() * to_pixels)


def text_width() -> float:
    return page_size().width() - 2 * margin()


def paginate(document: QTextDocument, device: QImage) -> None:
    """Lay ``document`` out on whole pages with the margins as its root frame's: Qt then keeps every page's top and
    bottom margin free, so no line straddles two pages (and none is painted, clipped, on both)."""
    document.documentLayout().setPaintDevice(device)
    frame = document.rootFrame().frameFormat()
    for set_margin in (frame.setLeftMargin, frame.setRightMargin, frame.setTopMargin, frame.setBottomMargin):
        set_margin(margin())
    document.rootFrame().setFrameFormat(frame)
    document.setPageSize(page_size())


def headings(document: QTextDocument, max_level: int = 2) -> list[Heading]:
    """Every heading of level 1 to ``max_level`` in a paginated document, with its page."""
    page_height = document.pageSize().height()
    to_points = POINTS_PER_INCH / LAYOUT_DPI
    found = []
    block = document.begin()
    while block.isValid():
        level = block.blockFormat().headingLevel()
        title = " ".join(block.text().split())  # a line break (U+2028) in a title would break a bookmark's line
        if 1 <= level <= max_level and title and block.layout().lineCount():
            # Where the first line is, not the block: the block's top margin stays behind when Qt moves the line
            # to the next page; the pixel allows for a page height that is not a whole number.
            top = document.documentLayout().blockBoundingRect(block).top() + block.layout().lineAt(0).y()
            page = int((top + 1) // page_height)
            found.append(Heading(title, level, page, (top - page * page_height) * to_points))
        block = block.next()
    return found


def paint(document: QTextDocument, writer: QPdfWriter, footers: list[QTextDocument]) -> None:
    """Paint a paginated ``document`` onto ``writer`` (whose page layout is PAGE_LAYOUT), page by page, each with
    its footer (``footers[i]`` for page ``i``, laid out against the same device) in the bottom margin."""
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
            painter.translate(margin(), page.height() - margin() + FOOTER_GAP)
            footers[index].drawContents(painter)
            painter.restore()
    finally:
        painter.end()
