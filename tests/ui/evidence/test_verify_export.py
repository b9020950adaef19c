"""Verify and Export from the panel: the full SHA-256 when intact, the integrity error naming the file when the
encrypted file was altered, a byte-identical export, an export without the image's metadata, and the dialog's
warning that the copy is not encrypted."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from safecase.ui.evidence.export_dialog import ExportDialog
from safecase.ui.evidence.panel import EvidencePanel
from safecase.ui.executor import DatabaseExecutor
from tests.ui.evidence.conftest import Attach
from tests.ui.evidence.samples import blob_file, flip_byte, png_bytes, reload, select
from tests.ui.helpers import WAIT_MS

COMMENT = "GPS 40.1234 N 124.5678 E, fictional"


def stored(qtbot: QtBot, panel: EvidencePanel, attach: Attach, path: Path, data: bytes) -> str:
    path.write_bytes(data)
    state = attach(path)
    reload(qtbot, panel)
    select(panel, state.id)
    return state.id


def wait_for_message(qtbot: QtBot, panel: EvidencePanel, words: str) -> str:
    qtbot.waitUntil(lambda: words in panel.message_label.text(), timeout=WAIT_MS)
    return panel.message_label.text()


def test_verify_shows_the_full_sha256(qtbot: QtBot, panel: EvidencePanel, attach: Attach, tmp_path: Path) -> None:
    data = b"Fictional field notes, day one.\n"
    stored(qtbot, panel, attach, tmp_path / "notes.txt", data)
    panel.verify_button.click()
    message = wait_for_message(qtbot, panel, "is intact")
    assert "notes.txt" in message and hashlib.sha256(data).hexdigest() in message


def test_an_altered_file_fails_verify_and_preview_naming_the_file(
    qtbot: QtBot, executor: DatabaseExecutor, panel: EvidencePanel, attach: Attach, tmp_path: Path
) -> None:
    attachment_id = stored(qtbot, panel, attach, tmp_path / "<i>notes<img src=x>.txt", b"Fictional notes " * 100)
    flip_byte(blob_file(qtbot, executor, attachment_id), -20)
    panel.verify_button.click()
    message = wait_for_message(qtbot, panel, "does not match its intake SHA-256")
    assert "<i>notes<img src=x>.txt" in message and attachment_id in message
    assert panel.message_label.textFormat() == Qt.TextFormat.PlainText
    dialog = panel.preview_selected()
    assert dialog is not None
    qtbot.waitUntil(lambda: "does not match" in dialog.status_label.text(), timeout=WAIT_MS)
    assert "<i>notes<img src=x>.txt" in dialog.status_label.text() and dialog.viewer is None


def test_export_writes_an_identical_copy(qtbot: QtBot, panel: EvidencePanel, attach: Attach, tmp_path: Path) -> None:
    data = png_bytes(comment=COMMENT)
    stored(qtbot, panel, attach, tmp_path / "photo.png", data)
    state = panel.current_attachment()
    assert state is not None
    destination = tmp_path / "out" / "photo-copy.png"
    destination.parent.mkdir()
    panel.export(state, destination, strip=False)
    message = wait_for_message(qtbot, panel, "Exported an unencrypted copy")
    assert str(destination) in message
    assert destination.read_bytes() == data


def test_export_through_the_dialog_can_remove_metadata(
    qtbot: QtBot, panel: EvidencePanel, attach: Attach, tmp_path: Path
) -> None:
    stored(qtbot, panel, attach, tmp_path / "photo.png", png_bytes(comment=COMMENT))
    dialog = panel.export_selected()
    assert isinstance(dialog, ExportDialog)
    assert "NOT encrypted" in dialog.warning_label.text()
    assert dialog.strip_box.isChecked() and dialog.strip_note.isHidden()  # a PNG is cleaned by default
    assert not dialog.export_button.isEnabled()
    dialog.destination_field.setText(str(tmp_path / "clean.png"))
    assert dialog.export_button.isEnabled()
    dialog.export_button.click()
    message = wait_for_message(qtbot, panel, "Metadata removed")
    exported = (tmp_path / "clean.png").read_bytes()
    assert exported.startswith(b"\x89PNG") and COMMENT.encode() not in exported
    assert "Exported an unencrypted copy" in message


def test_export_refuses_to_overwrite(qtbot: QtBot, panel: EvidencePanel, attach: Attach, tmp_path: Path) -> None:
    stored(qtbot, panel, attach, tmp_path / "notes.txt", b"Fictional notes\n")
    state = panel.current_attachment()
    assert state is not None
    existing = tmp_path / "existing.txt"
    existing.write_text("keep me", encoding="utf-8")
    panel.export(state, existing, strip=True)
    message = wait_for_message(qtbot, panel, "will not overwrite")
    assert str(existing) in message and existing.read_text(encoding="utf-8") == "keep me"


def test_export_of_a_type_that_cannot_be_cleaned_says_so(
    qtbot: QtBot, panel: EvidencePanel, attach: Attach, tmp_path: Path
) -> None:
    stored(qtbot, panel, attach, tmp_path / "notes.txt", b"Fictional notes\n")
    dialog = panel.export_selected()
    assert isinstance(dialog, ExportDialog)
    assert not dialog.strip_box.isChecked() and not dialog.strip_note.isHidden()
    dialog.strip_box.setChecked(True)
    dialog.destination_field.setText(str(tmp_path / "notes-copy.txt"))
    dialog.export_button.click()
    message = wait_for_message(qtbot, panel, "Exported an unencrypted copy")
    assert len(message.splitlines()) == 2  # the service's note on what it did not strip
    assert (tmp_path / "notes-copy.txt").read_bytes() == b"Fictional notes\n"


def test_a_relative_destination_is_not_accepted(
    qtbot: QtBot, panel: EvidencePanel, attach: Attach, tmp_path: Path
) -> None:
    stored(qtbot, panel, attach, tmp_path / "notes.txt", b"Fictional notes\n")
    dialog = panel.export_selected()
    assert isinstance(dialog, ExportDialog)
    dialog.destination_field.setText("notes-copy.txt")
    assert not dialog.export_button.isEnabled()
    dialog.reject()
