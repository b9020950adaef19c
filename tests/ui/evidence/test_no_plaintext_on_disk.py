"""Previewing evidence writes no plaintext anywhere: after previews of a text, an image and a recording that
carry a unique marker, no file in the vault, the test's folder or the temporary folder holds it (in UTF-8 or
UTF-16) except the source files the test wrote itself."""

from __future__ import annotations

import struct
import tempfile
import time
import uuid
from pathlib import Path

import shiboken6
from pytestqt.qtbot import QtBot

from safecase.services.vault import CreatedVault
from safecase.ui.evidence.media_viewer import MediaViewer
from safecase.ui.evidence.panel import EvidencePanel
from safecase.ui.evidence.preview import PreviewDialog
from tests.leak_scan import file_contains, needles_for, scanned_files
from tests.ui.evidence.conftest import Attach
from tests.ui.evidence.samples import png_bytes, reload, select, wav_bytes
from tests.ui.helpers import WAIT_MS

# The previewed files are a few kilobytes: a copy of one is far smaller than this. Bigger files that changed in the
# shared temporary folder meanwhile belong to other programs, and reading them would only make the test slow.
MAX_SCANNED_BYTES = 64 << 20


def wav_with_note(note: bytes) -> bytes:
    """A valid WAV whose extra ``note`` chunk (which players skip) holds ``note``."""
    plain = wav_bytes()
    data_at = plain.index(b"data")
    if len(note) % 2:
        note += b"\x00"
    chunk = b"note" + struct.pack("<I", len(note)) + note
    body = plain[8:data_at] + chunk + plain[data_at:]
    return b"RIFF" + struct.pack("<I", len(body)) + body


def preview(qtbot: QtBot, panel: EvidencePanel, attach: Attach, path: Path) -> PreviewDialog:
    state = attach(path)
    reload(qtbot, panel)
    select(panel, state.id)
    dialog = panel.preview_selected()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.viewer is not None, timeout=WAIT_MS)
    assert not dialog.viewer.error  # type: ignore[union-attr]
    return dialog


def show_and_close(qtbot: QtBot, dialog: PreviewDialog) -> None:
    """Let the viewer work a moment (a recording plays) and close the preview."""
    viewer = dialog.viewer
    if isinstance(viewer, MediaViewer):
        viewer.play_button.click()
        qtbot.waitUntil(lambda: viewer.player.duration() > 0, timeout=WAIT_MS)
    qtbot.wait(200)
    dialog.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=WAIT_MS)


def test_previews_leave_no_plaintext_on_disk(
    qtbot: QtBot, panel: EvidencePanel, attach: Attach, tmp_path: Path, created_vault: CreatedVault
) -> None:
    started = time.time() - 1
    marker = f"FICTIONAL-MARKER-{uuid.uuid4().hex}"
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "statement.txt").write_text(f"A fictional statement. {marker}\n", encoding="utf-8")
    (sources / "photo.png").write_bytes(png_bytes(comment=marker))
    (sources / "interview.wav").write_bytes(wav_with_note(marker.encode()))

    for name in ("statement.txt", "photo.png", "interview.wav"):
        show_and_close(qtbot, preview(qtbot, panel, attach, sources / name))

    needles = needles_for(marker)
    ours = {sources / name for name in ("statement.txt", "photo.png", "interview.wav")}
    scanned = [
        *scanned_files([created_vault.folder, tmp_path], max_bytes=MAX_SCANNED_BYTES),
        # shared with other programs: what changed meanwhile
        *scanned_files([Path(tempfile.gettempdir())], changed_since=started, max_bytes=MAX_SCANNED_BYTES),
    ]
    assert any(path.parent.name == "blobs" for path in scanned)  # the encrypted files were looked at too
    leaks = {path for path in scanned if path not in ours and file_contains(path, needles)}
    assert leaks == set()
