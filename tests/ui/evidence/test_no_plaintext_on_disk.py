"""Previewing evidence writes no plaintext anywhere: after previews of a text, an image and a recording that
carry a unique marker, no file in the vault, the test's folder or the temporary folder holds it (in UTF-8 or
UTF-16) except the source files the test wrote itself."""

from __future__ import annotations

import struct
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import shiboken6
from pytestqt.qtbot import QtBot

from safecase.services.vault import CreatedVault
from safecase.ui.evidence.media_viewer import MediaViewer
from safecase.ui.evidence.panel import EvidencePanel
from safecase.ui.evidence.preview import PreviewDialog
from tests.ui.evidence.conftest import Attach
from tests.ui.evidence.samples import png_bytes, reload, select, wav_bytes
from tests.ui.helpers import WAIT_MS

CHUNK = 1 << 20
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


def files_under(folder: Path, since: float | None) -> Iterator[Path]:
    for path in folder.rglob("*"):
        try:
            facts = path.lstat()
            recent = since is None or facts.st_mtime >= since
            if path.is_file() and not path.is_symlink() and recent and facts.st_size <= MAX_SCANNED_BYTES:
                yield path
        except OSError:
            continue  # gone, or not ours to read


def contains_any(path: Path, needles: tuple[bytes, ...]) -> bool:
    overlap = max(len(needle) for needle in needles)
    tail = b""
    try:
        with path.open("rb") as handle:
            while block := handle.read(CHUNK):
                window = tail + block
                if any(needle in window for needle in needles):
                    return True
                tail = window[-overlap:]
    except OSError:
        return False
    return False


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
        viewer.player.play()
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

    needles = (marker.encode("utf-8"), marker.encode("utf-16-le"), marker.encode("utf-16-be"))
    ours = {sources / name for name in ("statement.txt", "photo.png", "interview.wav")}
    scanned = [
        *files_under(created_vault.folder, None),
        *files_under(tmp_path, None),
        *files_under(Path(tempfile.gettempdir()), started),  # shared with other programs: what changed meanwhile
    ]
    assert any(path.parent.name == "blobs" for path in scanned)  # the encrypted files were looked at too
    leaks = {path for path in scanned if path not in ours and contains_any(path, needles)}
    assert leaks == set()
