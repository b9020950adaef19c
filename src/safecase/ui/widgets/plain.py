"""Widgets that show user text as plain text, never as rich text or HTML (SecureDrop's ``SecureQLabel``).

A testimony that contains ``<img src=...>`` or ``<a href=...>`` is shown as those characters, so user content
can never load a resource, open a link or change how the window looks.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


class PlainLabel(QLabel):
    """A label whose text format is fixed to plain text, whatever text it is given."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setOpenExternalLinks(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setText(text)

    def setTextFormat(self, format: Qt.TextFormat) -> None:
        super().setTextFormat(Qt.TextFormat.PlainText)
