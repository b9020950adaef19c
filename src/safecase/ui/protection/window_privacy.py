"""Keeps windows out of screenshots and screen sharing, and hides them all at once for the panic button.

`exclude_from_capture` works on Windows only (SetWindowDisplayAffinity, Windows 10 2004 or later for
WDA_EXCLUDEFROMCAPTURE; older versions get WDA_MONITOR, which captures the window as black). macOS would need
`NSWindow.sharingType = NSWindowSharingNone`, which we cannot reach without pyobjc; X11 and Wayland offer no such
control (on Wayland the compositor and the portal decide what is shared). Elsewhere it returns False.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)

WDA_MONITOR = 0x01
WDA_EXCLUDEFROMCAPTURE = 0x11
_MAX_POPUPS_TO_CLOSE = 32


def exclude_from_capture(window: QWidget) -> bool:
    """Asks the OS to leave `window` out of screen capture. Returns whether it agreed; call it for every window."""
    if sys.platform != "win32":
        return False
    import ctypes  # here, not at the top: windll exists only on Windows
    from ctypes import wintypes

    try:
        set_affinity = ctypes.windll.user32.SetWindowDisplayAffinity
        set_affinity.argtypes = [wintypes.HWND, wintypes.DWORD]
        set_affinity.restype = wintypes.BOOL
        hwnd = wintypes.HWND(int(window.window().winId()))
        for affinity in (WDA_EXCLUDEFROMCAPTURE, WDA_MONITOR):
            if set_affinity(hwnd, affinity):
                return True
    except (AttributeError, OSError, ValueError) as error:
        log.debug("SetWindowDisplayAffinity unavailable (%s)", type(error).__name__)
        return False
    log.debug("SetWindowDisplayAffinity refused")
    return False


def hide_all_windows(app: QApplication) -> None:
    """Hides every window of the app at once: popups and menus first, then dialogs and main windows."""
    # Bounded: a popup that refuses to close must not hang the panic button.
    for _ in range(_MAX_POPUPS_TO_CLOSE):
        popup = app.activePopupWidget()
        if popup is None:
            break
        popup.close()
    for widget in app.topLevelWidgets():
        if widget.isVisible():
            widget.hide()


class CaptureExclusion(QObject):
    """Installed on the application: every window (dialogs included) is excluded from capture when first shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            exclude_from_capture(watched)
        return False
