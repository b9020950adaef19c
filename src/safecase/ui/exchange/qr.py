"""A QR code drawn with QtGui from segno's module matrix: no image file, nothing written to disk."""

from __future__ import annotations

import segno
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap

QUIET_ZONE = 4  # modules of white border, as the standard asks


def qr_pixmap(text: str, module_pixels: int = 6) -> QPixmap:
    """The QR code of ``text`` (error correction M), ``module_pixels`` per module, black on white."""
    matrix = segno.make(text, error="m").matrix
    size = (len(matrix) + 2 * QUIET_ZONE) * module_pixels
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor(Qt.GlobalColor.white))
    painter = QPainter(image)
    try:
        for row, modules in enumerate(matrix):
            for column, dark in enumerate(modules):
                if dark:
                    x = (column + QUIET_ZONE) * module_pixels
                    y = (row + QUIET_ZONE) * module_pixels
                    painter.fillRect(QRect(x, y, module_pixels, module_pixels), QColor(Qt.GlobalColor.black))
    finally:
        painter.end()
    return QPixmap.fromImage(image)
