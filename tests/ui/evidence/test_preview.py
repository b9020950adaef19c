"""Previews decrypt into memory and show each kind of file; closing the dialog, or destroying its parent (what a
lock does to the open editor), stops the viewer and overwrites the bytes."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QByteArray, QSize
from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot

from safecase.ui.evidence.media_viewer import MediaViewer
from safecase.ui.evidence.panel import EvidencePanel
from safecase.ui.evidence.plaintext import Plaintext
from safecase.ui.evidence.preview import PreviewDialog
from safecase.ui.evidence.viewers import ImageViewer, NoPreview, PdfViewer, TextViewer
from tests.ui.evidence.conftest import Attach
from tests.ui.evidence.samples import PNG_SIZE, pdf_bytes, png_bytes, reload, select, wav_bytes
from tests.ui.helpers import WAIT_MS

STATEMENT = "Fictional statement: we crossed the river at night. <b>not bold</b> 강을 건넜습니다."


def open_preview(qtbot: QtBot, panel: EvidencePanel, attach: Attach, path: Path) -> PreviewDialog:
    state = attach(path)
    reload(qtbot, panel)
    select(panel, state.id)
    dialog = panel.preview_selected()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.viewer is not None or dialog.status_label.text() != "Decrypting…", timeout=WAIT_MS)
    return dialog


def is_zeroed(data: QByteArray) -> bool:
    return data.size() > 0 and bytes(data.data()) == bytes(data.size())


def test_an_image_preview_shows_the_picture_at_its_size(
    qtbot: QtBot, panel: EvidencePanel, attach: Attach, tmp_path: Path
) -> None:
    (tmp_path / "photo.png").write_bytes(png_bytes(PNG_SIZE))
    dialog = open_preview(qtbot, panel, attach, tmp_path / "photo.png")
    assert isinstance(dialog.viewer, ImageViewer)
    assert dialog.viewer.image_size() == PNG_SIZE
    qtbot.waitUntil(lambda: not dialog.viewer.label.pixmap().isNull(), timeout=WAIT_MS)  # type: ignore[union-attr]
    assert dialog.windowTitle() == "Evidence preview"  # never the file name
    assert dialog.name_label.text() == "photo.png"


def test_a_text_preview_shows_the_text_as_plain_text(
    qtbot: QtBot, panel: EvidencePanel, attach: Attach, tmp_path: Path
) -> None:
    (tmp_path / "statement.txt").write_text(STATEMENT, encoding="utf-8")
    dialog = open_preview(qtbot, panel, attach, tmp_path / "statement.txt")
    assert isinstance(dialog.viewer, TextViewer)
    assert dialog.viewer.toPlainText() == STATEMENT
    assert dialog.viewer.isReadOnly()


def test_a_utf16_text_is_decoded(qtbot: QtBot, panel: EvidencePanel, attach: Attach, tmp_path: Path) -> None:
    (tmp_path / "utf16.txt").write_bytes(STATEMENT.encode("utf-16"))
    dialog = open_preview(qtbot, panel, attach, tmp_path / "utf16.txt")
    assert isinstance(dialog.viewer, TextViewer)
    assert dialog.viewer.toPlainText() == STATEMENT


def test_a_pdf_preview_renders_its_pages(qtbot: QtBot, panel: EvidencePanel, attach: Attach, tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(pdf_bytes(pages=3))
    dialog = open_preview(qtbot, panel, attach, tmp_path / "report.pdf")
    viewer = dialog.viewer
    assert isinstance(viewer, PdfViewer)
    assert viewer.document.status() == QPdfDocument.Status.Ready
    assert viewer.document.pageCount() == 3
    page = viewer.document.render(1, QSize(200, 280))
    assert not page.isNull() and page.size() == QSize(200, 280)


def test_an_audio_preview_plays_from_a_device_in_memory(
    qtbot: QtBot, panel: EvidencePanel, attach: Attach, tmp_path: Path
) -> None:
    (tmp_path / "interview.wav").write_bytes(wav_bytes(seconds=0.5))
    dialog = open_preview(qtbot, panel, attach, tmp_path / "interview.wav")
    viewer = dialog.viewer
    assert isinstance(viewer, MediaViewer)
    assert viewer.player.sourceDevice() is viewer.device
    assert viewer.player.source().isEmpty()  # no file behind it
    assert viewer.video_widget is None
    qtbot.waitUntil(lambda: viewer.player.duration() > 0, timeout=WAIT_MS)
    assert viewer.position_slider.maximum() == viewer.player.duration()
    dialog.close()
    assert viewer.player.sourceDevice() is None


def test_a_file_without_a_viewer_says_to_export_it(
    qtbot: QtBot, panel: EvidencePanel, attach: Attach, tmp_path: Path
) -> None:
    (tmp_path / "archive.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    dialog = open_preview(qtbot, panel, attach, tmp_path / "archive.zip")
    assert isinstance(dialog.viewer, NoPreview)
    assert "export it to open it in another program" in dialog.viewer.text()
    assert len(dialog.plaintext) == 0  # nothing was decrypted


def test_closing_the_preview_overwrites_the_bytes(
    qtbot: QtBot, panel: EvidencePanel, attach: Attach, tmp_path: Path
) -> None:
    (tmp_path / "statement.txt").write_text(STATEMENT, encoding="utf-8")
    dialog = open_preview(qtbot, panel, attach, tmp_path / "statement.txt")
    held = dialog.plaintext.data
    assert bytes(held.data()) == STATEMENT.encode()
    viewer = dialog.viewer
    assert isinstance(viewer, TextViewer)
    dialog.close()
    assert is_zeroed(held)
    assert viewer.toPlainText() == ""
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=WAIT_MS)  # deleted on close


def test_destroying_the_parent_closes_the_preview_and_overwrites_the_bytes(
    qtbot: QtBot, panel: EvidencePanel, attach: Attach, tmp_path: Path
) -> None:
    (tmp_path / "interview.wav").write_bytes(wav_bytes())
    dialog = open_preview(qtbot, panel, attach, tmp_path / "interview.wav")
    held = dialog.plaintext.data
    plaintext = dialog.plaintext
    viewer = dialog.viewer
    assert isinstance(viewer, MediaViewer)
    viewer.play_button.click()
    shiboken6.delete(panel)  # what closing the editor on a lock does to everything it owns
    assert not shiboken6.isValid(dialog)
    assert plaintext.wiped and is_zeroed(held)


def test_a_damaged_image_says_it_cannot_be_read(
    qtbot: QtBot, panel: EvidencePanel, attach: Attach, tmp_path: Path
) -> None:
    (tmp_path / "broken.png").write_bytes(png_bytes()[:40] + bytes(200))
    dialog = open_preview(qtbot, panel, attach, tmp_path / "broken.png")
    assert isinstance(dialog.viewer, ImageViewer)
    assert dialog.viewer.image.isNull()
    assert dialog.status_label.text() == dialog.viewer.error != ""


def test_a_video_viewer_shows_the_picture_above_the_controls(qtbot: QtBot) -> None:
    plaintext, received = Plaintext(), bytearray(wav_bytes())
    plaintext.take(received)
    assert received == bytearray(len(received))  # what came from the database thread is overwritten at once
    viewer = MediaViewer(plaintext, video=True)
    qtbot.addWidget(viewer)
    assert viewer.video_widget is not None and viewer.player.videoOutput() is viewer.video_widget
    plaintext.wipe()
    assert viewer.player.sourceDevice() is None
