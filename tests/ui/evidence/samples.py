"""Small evidence files of each kind a preview handles, made in memory (all content fictional), and helpers to
find and damage an attachment's encrypted file."""

from __future__ import annotations

import io
import math
import struct
import wave
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QSize
from PySide6.QtGui import QColor, QFont, QImage, QPageSize, QPainter, QPdfWriter
from pytestqt.qtbot import QtBot

from safecase.ui.evidence.panel import EvidencePanel
from safecase.ui.executor import DatabaseExecutor, TaskContext
from tests.ui.helpers import WAIT_MS, run_on

PNG_SIZE = QSize(64, 40)


def png_bytes(size: QSize = PNG_SIZE, *, comment: str = "") -> bytes:
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(QColor("#2a6f97"))
    if comment:
        image.setText("Comment", comment)  # written as a PNG tEXt chunk: metadata an export may strip
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs want bytes, the binding a str
    return bytes(buffer.data().data())


def pdf_bytes(pages: int) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A6))
    painter = QPainter(writer)
    painter.setFont(QFont("Sans", 14))
    for page in range(pages):
        if page:
            writer.newPage()
        painter.drawText(200, 400, f"Fictional statement, page {page + 1}")
    painter.end()
    return bytes(buffer.data().data())


def wav_bytes(seconds: float = 0.5, rate: int = 8000) -> bytes:
    frames = b"".join(struct.pack("<h", int(6000 * math.sin(n / 8))) for n in range(int(seconds * rate)))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(frames)
    return out.getvalue()


def reload(qtbot: QtBot, panel: EvidencePanel) -> None:
    with qtbot.waitSignal(panel.model.loaded, timeout=WAIT_MS):
        panel.refresh()


def blob_file(qtbot: QtBot, executor: DatabaseExecutor, attachment_id: str) -> Path:
    def locate(context: TaskContext) -> Path:
        session = context.workspace.session
        stored = session.attachment_blobs.get(attachment_id)
        assert stored is not None
        return session.blobs.path(stored.blob_name)

    path: Path = run_on(qtbot, executor, locate)
    return path


def flip_byte(path: Path, offset: int) -> None:
    """Flip one bit of the byte at ``offset`` (from the end if negative)."""
    if offset < 0:
        offset += path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(offset)
        byte = handle.read(1)
        handle.seek(offset)
        handle.write(bytes([byte[0] ^ 0x01]))


def select(panel: EvidencePanel, attachment_id: str) -> None:
    panel.select_attachment(attachment_id)
    assert panel.current_attachment() is not None
