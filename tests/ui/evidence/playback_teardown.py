"""A stress loop, run in its own process: open the preview of a recording, play it, and a moment later close the
preview or "lock" (destroy the window that owns it), again and again for a number of seconds.

Each iteration prints a line; if one takes longer than ``STALL_SECONDS`` (the freeze this guards against: the GUI
thread and FFmpeg's audio thread each waiting for what the other holds), ``faulthandler`` prints every thread's
Python stack to stderr and ends the process with a non-zero status. Run it by hand for more iterations:

    QT_QPA_PLATFORM=offscreen python -m tests.ui.evidence.playback_teardown 120
"""

from __future__ import annotations

import faulthandler
import random
import sys
import time
from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from safecase.storage.records import RecordState
from safecase.ui.evidence.media_viewer import MediaViewer
from safecase.ui.evidence.preview import PreviewDialog
from safecase.ui.executor import DatabaseExecutor
from tests.ui.evidence.samples import wav_bytes

STALL_SECONDS = 10
PLAY_MS = (20, 80)  # long enough for playback to have begun, short enough for many iterations a second


class DecryptedAtOnce:
    """Stands in for the database executor: every read "decrypts" to the same recording, at once."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def submit(self, _operation: object, *, on_success: Callable[[bytearray], None], **_ignored: Any) -> None:
        on_success(bytearray(self.data))


def recording(size: int) -> RecordState:
    body = {"media_type": "audio/wav", "file_name": "interview.wav", "size": size, "sha256": "0" * 64}
    return RecordState("a1", "attachment", "r1", "", "", "", False, body)


def spin(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def play_then_end(executor: DatabaseExecutor, size: int, *, lock: bool) -> None:
    """One preview: play, wait a moment, then close it, or destroy its owner as a lock does."""
    window = QWidget()
    dialog = PreviewDialog(executor, recording(size), "en", window)
    dialog.show()
    viewer = dialog.viewer
    assert isinstance(viewer, MediaViewer), dialog.status_label.text()
    viewer.play_button.click()
    spin(random.randint(*PLAY_MS))
    plaintext = dialog.plaintext
    if lock:
        window.deleteLater()
    else:
        dialog.close()
        window.deleteLater()
    spin(1)
    assert plaintext.wiped and len(plaintext) == 0


def main(seconds: float) -> int:
    _app = QApplication.instance() or QApplication(sys.argv[:1])
    data = wav_bytes(seconds=2.0, rate=44100)
    executor = cast(DatabaseExecutor, DecryptedAtOnce(data))
    deadline = time.monotonic() + seconds
    iterations = 0
    while time.monotonic() < deadline:
        faulthandler.dump_traceback_later(STALL_SECONDS, exit=True)
        lock = iterations % 2 == 1
        play_then_end(executor, len(data), lock=lock)
        iterations += 1
        print(f"iteration {iterations} {'lock' if lock else 'close'}", flush=True)
    faulthandler.cancel_dump_traceback_later()
    print(f"completed {iterations}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(float(sys.argv[1]) if len(sys.argv) > 1 else 8.0))
