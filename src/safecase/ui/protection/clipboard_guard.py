"""Copies sensitive text to the clipboard for a short time, marked so clipboard managers do not keep it.

Hints set with the text, by platform:
- Linux and other X11/Wayland desktops: `x-kde-passwordManagerHint` = "secret". KDE Klipper skips such entries, and
  so do CopyQ, GPaste and wl-clip-persist filters that follow KeePassXC.
- Windows: the registered formats `ExcludeClipboardContentFromMonitorProcessing` (any data),
  `CanIncludeInClipboardHistory` = 0 and `CanUploadToCloudClipboard` = 0 (DWORDs), which keep the text out of
  Win+V history, cloud clipboard and monitoring apps. Qt registers a Windows format of exactly that name for a MIME
  type of the form `application/x-qt-windows-mime;value="<name>"`.
- macOS: `application/x-nspasteboard-concealed-type` is set, but Qt's default macOS converter maps an unknown MIME
  type to a `com.trolltech.anymime.*` type, not to `org.nspasteboard.ConcealedType`. It only takes effect once a
  QUtiMimeConverter for it is registered (KeePassXC does so in C++; PySide6 does not bind that class on Linux, and
  it is not yet checked on macOS). Until then macOS clipboard managers may record the text.

Only our text is ever cleared: if the user has copied something else since, the clipboard is left alone.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import sys

from PySide6.QtCore import QByteArray, QMimeData, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QClipboard

from safecase.domain.clock import Clock

log = logging.getLogger(__name__)

DEFAULT_CLEAR_AFTER_MS = 30_000
KDE_HINT_FORMAT = "x-kde-passwordManagerHint"
MACOS_CONCEALED_TYPE = "application/x-nspasteboard-concealed-type"
_ZERO_DWORD = b"\x00\x00\x00\x00"


def _windows_format(name: str) -> str:
    return f'application/x-qt-windows-mime;value="{name}"'


def concealment_hints(platform: str) -> dict[str, bytes]:
    """The MIME formats (and their data) that ask clipboard managers on `platform` (a `sys.platform`) to skip us."""
    if platform == "win32":
        return {
            _windows_format("ExcludeClipboardContentFromMonitorProcessing"): _ZERO_DWORD,
            _windows_format("CanIncludeInClipboardHistory"): _ZERO_DWORD,
            _windows_format("CanUploadToCloudClipboard"): _ZERO_DWORD,
        }
    if platform == "darwin":
        return {MACOS_CONCEALED_TYPE: b""}
    return {KDE_HINT_FORMAT: b"secret"}


class ClipboardGuard(QObject):
    """Puts sensitive text on the clipboard and removes it again after `clear_after_ms`, if it is still there."""

    cleared = Signal()  # our text was removed from the clipboard

    def __init__(
        self,
        clipboard: QClipboard,
        clock: Clock,
        clear_after_ms: int = DEFAULT_CLEAR_AFTER_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if clear_after_ms <= 0:
            raise ValueError("clear_after_ms must be positive")
        self._clipboard = clipboard
        self._clock = clock
        self._clear_after_ms = clear_after_ms
        # A salted digest, not the text: enough to recognise our copy, useless for recovering a short secret.
        self._salt = b""
        self._digest: bytes | None = None
        self._copied_at_ms = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def holds_copy(self) -> bool:
        """True while a copy of ours is waiting to be cleared."""
        return self._digest is not None

    def copy_sensitive(self, text: str) -> None:
        mime = QMimeData()
        mime.setText(text)
        for mime_type, data in concealment_hints(sys.platform).items():
            mime.setData(mime_type, QByteArray(data))
        # Only the clipboard, never the X11 primary selection: that would be a second copy to clear.
        self._clipboard.setMimeData(mime, QClipboard.Mode.Clipboard)
        self._salt = secrets.token_bytes(16)
        self._digest = self._digest_of(text)
        self._copied_at_ms = self._clock.monotonic_ms()
        self._timer.start(self._clear_after_ms)

    def check_now(self) -> None:
        """Clears our text if its time is up; the timer calls this, and tests with a fake clock may too."""
        if self._digest is None:
            return
        remaining_ms = self._clear_after_ms - (self._clock.monotonic_ms() - self._copied_at_ms)
        if remaining_ms > 0:
            # A timer may fire a little before the clock agrees; wait for the rest instead of never clearing.
            if not self._timer.isActive():
                self._timer.start(remaining_ms)
            return
        self.clear_now()

    def clear_now(self) -> bool:
        """Clears the clipboard if it still holds our text (for lock and panic). Returns whether it did."""
        if self._digest is None:
            return False
        ours = self._still_ours()
        self._forget()
        if not ours:
            log.debug("clipboard changed since our copy; left alone")
            return False
        self._clipboard.clear(QClipboard.Mode.Clipboard)
        log.debug("clipboard cleared")
        self.cleared.emit()
        return True

    def _still_ours(self) -> bool:
        mime = self._clipboard.mimeData(QClipboard.Mode.Clipboard)
        if mime is None or not mime.hasText() or self._digest is None:
            return False
        return hmac.compare_digest(self._digest_of(mime.text()), self._digest)

    def _digest_of(self, text: str) -> bytes:
        return hashlib.sha256(self._salt + text.encode("utf-8", "surrogatepass")).digest()

    def _forget(self) -> None:
        self._timer.stop()
        self._digest = None
        self._salt = b""

    def _on_timer_timeout(self) -> None:
        self.check_now()
