"""The garbage collector runs on the GUI thread only, while the app runs."""

from __future__ import annotations

import gc

from pytestqt.qtbot import QtBot

from safecase.ui.main_thread_gc import MainThreadGarbageCollector


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_automatic_collection_is_off_while_running_and_the_timer_collects(qtbot: QtBot) -> None:
    gc.enable()
    collector = MainThreadGarbageCollector(interval_ms=10)
    collector.start()
    try:
        assert not gc.isenabled()
        _Cycle()
        qtbot.waitUntil(lambda: not any(isinstance(o, _Cycle) for o in gc.get_objects()), timeout=5_000)
    finally:
        collector.stop()
    assert gc.isenabled()
    gc.disable()  # the GUI tests' fixture expects it off
