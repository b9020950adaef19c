"""Guards against a Qt binding that corrupts Python's reference counts (PySide6 6.12.0 did: a slot's return
value and signal results were released once too often, until the interpreter aborted on freeing None or True)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot


class _Emitter(QObject):
    ping = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.received = 0
        self.ping.connect(self._on_ping)

    def _on_ping(self) -> None:
        self.received += 1


def test_signal_delivery_keeps_reference_counts_of_shared_objects(qtbot: QtBot) -> None:
    emitter = _Emitter()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(500):
        emitter.ping.emit()
    assert emitter.received == 500
    assert sys.getrefcount(None) >= none_before - 50
    assert sys.getrefcount(True) >= true_before - 50
