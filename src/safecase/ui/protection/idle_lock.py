"""Notices when the user has stopped using the app, so the vault can lock itself.

The monitor watches every event the application delivers and notes only *that* a key was pressed or the pointer
moved, never which key or where: it must not become a keylogger.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

from safecase.domain.clock import Clock

log = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 1_000

_ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
    }
)


class IdleMonitor(QObject):
    """Emits `idle_timeout` once the user has done nothing in the app for `timeout_ms`."""

    idle_timeout = Signal()  # the user has been idle for timeout_ms

    def __init__(self, clock: Clock, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._timeout_ms = _checked_timeout(timeout_ms)
        self._last_activity_ms = clock.monotonic_ms()
        self._fired = False
        self._running = False
        self._watched: QCoreApplication | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def timeout_ms(self) -> int:
        return self._timeout_ms

    def start(self) -> None:
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("IdleMonitor.start() needs a QApplication")
        if self._running:
            return
        self.reset()
        app.installEventFilter(self)
        self._watched = app
        self._timer.start()
        self._running = True

    def stop(self) -> None:
        if self._watched is not None:
            self._watched.removeEventFilter(self)
            self._watched = None
        self._timer.stop()
        self._running = False

    def reset(self) -> None:
        """Counts as activity: the idle time starts again from zero and the signal may fire again."""
        self._last_activity_ms = self._clock.monotonic_ms()
        self._fired = False

    def set_timeout_ms(self, timeout_ms: int) -> None:
        self._timeout_ms = _checked_timeout(timeout_ms)

    def check_now(self) -> None:
        if not self._running or self._fired:
            return
        if self._clock.monotonic_ms() - self._last_activity_ms >= self._timeout_ms:
            self._fired = True
            log.debug("idle timeout reached")
            self.idle_timeout.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY_EVENTS:
            self.reset()
        return False

    def _on_timer_timeout(self) -> None:
        self.check_now()


def _checked_timeout(timeout_ms: int) -> int:
    if timeout_ms <= 0:
        raise ValueError("the idle timeout must be positive")
    return timeout_ms
