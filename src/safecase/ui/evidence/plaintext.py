"""The decrypted bytes of one preview: held in memory only, read in place, and overwritten when the preview ends.

Every viewer reads the one ``QByteArray`` through a ``QBuffer`` that points at it (a QBuffer given an array works
on that array, without a copy), so there is one block to overwrite. This is best effort: the decoders keep their
own copies (pixels, text, PDF objects, audio frames) that Qt and Python free without overwriting. The buffer the
database thread decrypts into (``AttachmentService.read_plaintext``) is overwritten as soon as it is copied here.

``wipe`` runs the viewers' ``before_wipe`` callbacks, then closes the devices, overwrites the bytes and frees them,
all before it returns. So a callback must return only once its reader has let go of the bytes: a media player is
stopped and its engine's threads joined (``media_viewer``, which does so with the GIL released, as the player's
threads need it to finish).
"""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QIODevice

log = logging.getLogger(__name__)


def overwrite(data: bytearray) -> None:
    """Fill ``data`` with zeros in place."""
    if data:
        ctypes.memset((ctypes.c_char * len(data)).from_buffer(data), 0, len(data))


class Plaintext:
    """A preview's bytes, the devices reading them, and what must stop before they are overwritten."""

    def __init__(self) -> None:
        self.data = QByteArray()
        self._devices: list[QBuffer] = []
        self._before_wipe: list[Callable[[], None]] = []
        self.wiped = False

    def take(self, data: bytearray) -> None:
        """Hold a copy of ``data`` and overwrite ``data`` itself at once."""
        self.data = QByteArray(data)
        overwrite(data)

    def __len__(self) -> int:
        return self.data.size()

    def view(self) -> memoryview:
        """The bytes in place (release the view before the preview ends)."""
        return memoryview(self.data)  # type: ignore[arg-type]  # QByteArray has the buffer protocol

    def open_device(self) -> QBuffer:
        """A read-only device over the bytes, without a copy and without read-ahead buffering."""
        device = QBuffer(self.data)
        device.open(QIODevice.OpenModeFlag.ReadOnly | QIODevice.OpenModeFlag.Unbuffered)
        self._devices.append(device)
        return device

    def before_wipe(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` (stop a player, close a document) before the bytes are overwritten."""
        self._before_wipe.append(callback)

    def wipe(self) -> None:
        """Stop every reader, overwrite the bytes with zeros and let them go; safe to call more than once."""
        if self.wiped:
            return
        self.wiped = True
        for callback in reversed(self._before_wipe):
            try:
                callback()
            except RuntimeError:  # the viewer was already deleted with the dialog
                log.debug("a preview viewer was gone before the wipe")
        self._before_wipe.clear()
        for device in self._devices:
            if shiboken6.isValid(device):
                device.close()
                device.setBuffer(None)  # type: ignore[arg-type]  # Qt accepts none; no pointer may outlive the array
        self._devices.clear()
        self.data.fill(0)
        self.data = QByteArray()
