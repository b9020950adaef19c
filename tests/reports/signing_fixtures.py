"""Small PDFs for the signature tests (drawn with Qt, as reports are) and the ways a signed one gets tampered with."""

from __future__ import annotations

import io
import os
import re

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader


def make_pdf(text: str = "Report to the Special Rapporteur: test page") -> bytes:
    """A one-page A4 PDF with a line of text, made by QPdfWriter (offscreen, no display needed)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice
    from PySide6.QtGui import QPageSize, QPainter, QPdfWriter
    from PySide6.QtWidgets import QApplication

    if QCoreApplication.instance() is None:
        # A QApplication, not a QGuiApplication: it outlives this test, and the GUI tests need widgets from it.
        make_pdf.app = QApplication([])  # type: ignore[attr-defined]  # kept alive for later calls
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setTitle("SafeCase test report")
    painter = QPainter(writer)
    painter.drawText(300, 300, text)
    painter.end()
    buffer.close()
    return bytes(data.data())


def incremental_update(pdf: bytes) -> bytes:
    """The PDF with an incremental update appended (a document language set), as an editor would save it."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    writer.root["/Lang"] = generic.TextStringObject("ko")
    writer.update_root()
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def flip_byte(data: bytes, offset: int) -> bytes:
    return data[:offset] + bytes([data[offset] ^ 0x01]) + data[offset + 1 :]


def content_stream_offset(pdf: bytes) -> int:
    """An offset inside the first stream's data (page content, compressed): signed bytes no parser looks at."""
    match = re.search(rb"stream\r?\n", pdf)
    assert match is not None
    return match.end() + 8


def signature_value_offset(pdf: bytes) -> int:
    """The offset, in the PDF's /Contents hex, of a digit of the ECDSA signature value inside the CMS."""
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    value: bytes = signature.signer_info["signature"].native
    hex_value = value.hex().encode("ascii")
    found = pdf.lower().find(hex_value)
    assert found > 0
    return found + len(hex_value) // 2


def flip_hex_digit(pdf: bytes, offset: int) -> bytes:
    """Change one hex digit to another, so the /Contents string stays well-formed."""
    digit = pdf[offset : offset + 1]
    replacement = b"1" if digit != b"1" else b"2"
    return pdf[:offset] + replacement + pdf[offset + 1 :]
