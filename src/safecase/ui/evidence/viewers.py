"""In-memory viewers for the preview dialog: images, PDF documents, text, and a note for what has no viewer.

Each viewer reads the decrypted bytes through ``Plaintext`` and registers what must stop before they are
overwritten. None of them writes anything to disk: images are decoded by ``QImageReader`` from a buffer, PDF
pages by QtPdf from a buffer, text is decoded from the bytes in place.
"""

from __future__ import annotations

import codecs

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QPixmap, QResizeEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QScrollArea, QVBoxLayout, QWidget

from safecase.ui.evidence.plaintext import Plaintext
from safecase.ui.widgets.plain import PlainLabel


def decode_text(data: memoryview) -> str:
    """Text in UTF-16 (with a byte order mark) or UTF-8; bytes that do not decode show as U+FFFD."""
    if bytes(data[:2]) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return str(data, "utf-16", "replace")
    return str(data, "utf-8-sig", "replace")


class ImageViewer(QScrollArea):
    """The picture, turned as its EXIF orientation says, scaled down to fit the window (never up)."""

    def __init__(self, plaintext: Plaintext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        reader = QImageReader(plaintext.open_device())
        reader.setAutoTransform(True)
        self.image: QImage = reader.read()
        self.error = reader.errorString() if self.image.isNull() else ""
        self.label = QLabel(self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setAccessibleName(self.tr("Picture"))
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        plaintext.before_wipe(self._forget)

    def image_size(self) -> QSize:
        return self.image.size()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scale_to_fit()

    def _scale_to_fit(self) -> None:
        if self.image.isNull():
            return
        room = self.viewport().size()
        image = self.image
        if image.width() > room.width() or image.height() > room.height():
            mode = Qt.TransformationMode.SmoothTransformation
            image = image.scaled(room, Qt.AspectRatioMode.KeepAspectRatio, mode)
        self.label.setPixmap(QPixmap.fromImage(image))

    def _forget(self) -> None:
        self.label.clear()
        if not self.image.isNull():
            self.image.fill(0)
        self.image = QImage()


class PdfViewer(QWidget):
    """Every page of a PDF document, one below the other, fitted to the width."""

    def __init__(self, plaintext: Plaintext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self.document.load(plaintext.open_device())
        error = self.document.error()
        self.error = "" if error == QPdfDocument.Error.None_ else self._message(error)
        self.view = QPdfView(self)
        self.view.setAccessibleName(self.tr("PDF pages"))
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        plaintext.before_wipe(self._forget)

    def _message(self, error: QPdfDocument.Error) -> str:
        if error == QPdfDocument.Error.IncorrectPassword:
            return self.tr("This PDF is protected by a password; export it to open it in another program.")
        return self.tr("This PDF could not be read; export it to open it in another program.")

    def _forget(self) -> None:
        self.view.setDocument(None)  # type: ignore[arg-type]  # Qt accepts no document
        self.document.close()


class TextViewer(QPlainTextEdit):
    """The text, read-only, wrapped at the window's edge; never read as rich text."""

    def __init__(self, plaintext: Plaintext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setAccessibleName(self.tr("Text of the file"))
        self.error = ""
        with plaintext.view() as data:
            self.setPlainText(decode_text(data))
        plaintext.before_wipe(self.clear)


class NoPreview(PlainLabel):
    """What a file without an in-app viewer shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setText(self.tr("No preview for this type; export it to open it in another program."))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.error = ""
