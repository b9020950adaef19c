"""Closing a recording's preview, or locking, while it plays never freezes the app: the player is stopped with
Python's GIL released, so FFmpeg's threads can finish tearing playback down (see ``media_viewer``); and when the
wipe returns, those threads are joined, so none is left to read the bytes."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMetaObject, Qt, QTimer
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from safecase.ui.evidence.media_viewer import MediaViewer, call_without_gil
from safecase.ui.evidence.plaintext import Plaintext
from tests.ui.evidence.samples import wav_bytes

REPO = Path(__file__).resolve().parents[3]
LOOP_SECONDS = 6
# A probabilistic guard, not a proof: the loop runs some 15 previews a second, and with ``player.stop()`` called
# while holding the GIL (before the fix) it froze in 6 of 8 such runs, after 8 to 46 previews.


def test_a_slot_called_without_the_gil_lets_other_python_threads_run(qtbot: QtBot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    QTimer.singleShot(5_000, dialog, dialog.reject)  # if the GIL were held, only this would end the dialog

    def accept_from_another_thread() -> None:
        time.sleep(0.05)
        QMetaObject.invokeMethod(dialog, "accept", Qt.ConnectionType.QueuedConnection)

    threading.Thread(target=accept_from_another_thread, daemon=True).start()
    call_without_gil(dialog, "exec")  # a slot that blocks, as QMediaPlayer.stop() may, until the thread has run
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_a_missing_slot_is_an_error(qtbot: QtBot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    with pytest.raises(AttributeError, match="no slot"):
        call_without_gil(dialog, "no_such_slot")


def ffmpeg_threads() -> list[str]:
    """The names of this process's threads that FFmpeg's playback engine runs (Linux names them in /proc)."""
    names = []
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):  # a thread that ended meanwhile
            names.append((task / "comm").read_text().strip())
    return sorted(name for name in names if name.startswith("QFFmpeg::"))


def ended_without_the_event_loop(seconds: float) -> bool:
    """Whether every playback thread is gone within ``seconds``, with no event processed meanwhile. A thread the
    engine joined is gone a moment later (its exit, after ``QThread::wait`` returned); one it only asked to quit
    from the event loop (as ``stop()`` alone does) stays, still able to read."""
    deadline = time.monotonic() + seconds
    while ffmpeg_threads():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.001)
    return True


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="thread names are read from /proc")
def test_when_the_wipe_returns_the_playback_threads_are_joined(qtbot: QtBot) -> None:
    plaintext = Plaintext()
    plaintext.take(bytearray(wav_bytes(seconds=2.0, rate=44100)))
    viewer = MediaViewer(plaintext, video=False)
    qtbot.addWidget(viewer)
    viewer.play_button.click()
    qtbot.waitUntil(lambda: viewer.player.position() > 0)
    assert ffmpeg_threads()  # the demuxer, decoder and audio renderer threads, reading the buffer
    plaintext.wipe()
    assert ended_without_the_event_loop(1.0), ffmpeg_threads()
    assert viewer.player.sourceDevice() is None


@pytest.mark.slow
def test_closing_or_locking_during_playback_never_freezes() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=os.pathsep.join([str(REPO / "src"), str(REPO)]))
    command = [sys.executable, "-m", "tests.ui.evidence.playback_teardown", str(LOOP_SECONDS)]
    try:
        run = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=LOOP_SECONDS + 60)
    except subprocess.TimeoutExpired as stuck:
        pytest.fail(f"the playback loop froze: {stuck.stdout!r:.2000}")
    iterations = [line for line in run.stdout.splitlines() if line.startswith("iteration ")]
    assert run.returncode == 0, f"froze or failed after {len(iterations)} previews:\n{run.stderr[-6000:]}"
    assert len(iterations) >= 20, run.stdout  # enough closes and locks to mean something
    assert {line.split()[-1] for line in iterations} == {"close", "lock"}
