"""Keeps windows out of screenshots and screen sharing, and hides them all at once for the panic button.

`exclude_from_capture` asks the window system to leave a window out of screenshots and screen sharing:
- Windows: SetWindowDisplayAffinity (WDA_EXCLUDEFROMCAPTURE from Windows 10 2004; older versions get WDA_MONITOR,
  which captures the window as black);
- macOS: `[NSWindow setSharingType:NSWindowSharingNone]` through the Objective-C runtime (ctypes, no pyobjc).
  Honoured by the older capture APIs; macOS 15's ScreenCaptureKit may ignore it, so treat it as a best effort.
  Not exercised by our CI, which runs on Linux only;
- X11 and Wayland offer no such control (on Wayland the compositor and the portal decide what is shared): False.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)

WDA_MONITOR = 0x01
WDA_EXCLUDEFROMCAPTURE = 0x11
NS_WINDOW_SHARING_NONE = 0
_MAX_POPUPS_TO_CLOSE = 32


def exclude_from_capture(window: QWidget) -> bool:
    """Asks the OS to leave `window` out of screen capture. Returns whether it agreed; call it for every window."""
    if sys.platform == "darwin":
        return _exclude_on_macos(int(window.window().winId()))
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


def _exclude_on_macos(view_address: int) -> bool:
    """``winId()`` of a Qt window on macOS is its NSView; its NSWindow gets sharingType NSWindowSharingNone (0)."""
    import ctypes.util

    library = ctypes.util.find_library("objc")
    if not library or not view_address:
        return False
    try:
        objc = ctypes.cdll.LoadLibrary(library)
        objc.sel_registerName.restype = ctypes.c_void_p
        objc.sel_registerName.argtypes = [ctypes.c_char_p]
        send_address = ctypes.cast(objc.objc_msgSend, ctypes.c_void_p).value
        if send_address is None:
            return False
        # objc_msgSend must be called through a prototype matching each message's arguments.
        get_window = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)(send_address)
        set_sharing = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_ulong)(send_address)
        ns_window = get_window(view_address, objc.sel_registerName(b"window"))
        if not ns_window:
            return False
        set_sharing(ns_window, objc.sel_registerName(b"setSharingType:"), NS_WINDOW_SHARING_NONE)
    except (AttributeError, OSError, ValueError) as error:
        log.debug("setSharingType: unavailable (%s)", type(error).__name__)
        return False
    return True


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
