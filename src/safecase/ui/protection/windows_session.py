"""Windows: lock the vault when the session is locked, disconnected (a user switch, a remote session closing) or
the machine is about to sleep.

Windows tells a window about these through messages: ``WM_WTSSESSION_CHANGE`` (after
``WTSRegisterSessionNotification``) with ``WTS_SESSION_LOCK``, ``WTS_CONSOLE_DISCONNECT`` or
``WTS_REMOTE_DISCONNECT``, and ``WM_POWERBROADCAST`` with ``PBT_APMSUSPEND`` (sent to every top-level window).
A native event filter on the application reads them; a hidden native window is registered for the session
messages. Which messages lock is the pure function ``locks_session``, tested on every platform; the registration
itself can only run on Windows.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable
from ctypes import wintypes

from PySide6.QtCore import QAbstractNativeEventFilter, QByteArray, QCoreApplication, QObject, QTimer
from PySide6.QtGui import QWindow

from safecase.ui.protection.screen_lock import ScreenLockListener

log = logging.getLogger(__name__)

WM_WTSSESSION_CHANGE = 0x02B1
WM_POWERBROADCAST = 0x0218
WTS_CONSOLE_DISCONNECT = 0x2
WTS_REMOTE_DISCONNECT = 0x4
WTS_SESSION_LOCK = 0x7
PBT_APMSUSPEND = 0x4
NOTIFY_FOR_THIS_SESSION = 0
NATIVE_MESSAGE_TYPES = (b"windows_generic_MSG", b"windows_dispatcher_MSG")
NativeEventType = QByteArray | bytes | bytearray | memoryview

_LOCKING_SESSION_CHANGES = frozenset({WTS_SESSION_LOCK, WTS_CONSOLE_DISCONNECT, WTS_REMOTE_DISCONNECT})


def locks_session(message: int, wparam: int) -> bool:
    """Whether a window message means the vault must lock."""
    if message == WM_WTSSESSION_CHANGE:
        return wparam in _LOCKING_SESSION_CHANGES
    return message == WM_POWERBROADCAST and wparam == PBT_APMSUSPEND


class SessionMessageFilter(QAbstractNativeEventFilter):
    """Calls ``on_lock`` (later, from the event loop) for every message ``locks_session`` accepts."""

    def __init__(self, on_lock: Callable[[], None]) -> None:
        super().__init__()
        self._on_lock = on_lock

    def nativeEventFilter(
        self, eventType: QByteArray | bytes | bytearray | memoryview, message: int
    ) -> tuple[bool, int]:
        kind = bytes(eventType.data()) if isinstance(eventType, QByteArray) else bytes(eventType)
        if kind in NATIVE_MESSAGE_TYPES and message:
            msg = wintypes.MSG.from_address(int(message))
            if locks_session(int(msg.message), int(msg.wParam or 0)):
                # Not from inside the native dispatch: locking closes windows.
                QTimer.singleShot(0, self._on_lock)
        return False, 0  # never swallow the message: Windows and Qt still need it


class WindowsSessionListener(ScreenLockListener):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filter: SessionMessageFilter | None = None
        self._window: QWindow | None = None

    def start(self) -> None:
        app = QCoreApplication.instance()
        if self._filter is not None or app is None:
            return
        self._filter = SessionMessageFilter(self.session_locked.emit)
        app.installNativeEventFilter(self._filter)
        self._register_for_session_messages()

    def stop(self) -> None:
        app = QCoreApplication.instance()
        if self._filter is not None and app is not None:
            app.removeNativeEventFilter(self._filter)
        self._filter = None
        if self._window is not None:
            _unregister(int(self._window.winId()))
        self._window = None

    def _register_for_session_messages(self) -> None:
        self._window = QWindow()  # never shown; its native handle receives the session messages
        if not _register(int(self._window.winId())):
            log.debug("no session notifications; sleep still locks, session changes will not")


def _register(hwnd: int) -> bool:
    if sys.platform != "win32":
        return False
    try:
        registered = ctypes.windll.wtsapi32.WTSRegisterSessionNotification(wintypes.HWND(hwnd), NOTIFY_FOR_THIS_SESSION)
    except (AttributeError, OSError) as error:
        log.debug("WTSRegisterSessionNotification unavailable (%s)", type(error).__name__)
        return False
    return bool(registered)


def _unregister(hwnd: int) -> None:
    if sys.platform == "win32":
        ctypes.windll.wtsapi32.WTSUnRegisterSessionNotification(wintypes.HWND(hwnd))
