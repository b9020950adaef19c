"""How fingerprints are shown: large monospaced digits in two lines of four groups, easy to read aloud."""

from __future__ import annotations

from PySide6.QtGui import QFont


def fingerprint_font(point_size: int = 15) -> QFont:
    font = QFont("monospace", point_size)
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


def fingerprint_lines(text: str) -> str:
    """A fingerprint as two lines of four groups; any other key (an age recipient) in lines of 22 characters."""
    if " " in text:
        groups = text.split()
        return " ".join(groups[:4]) + "\n" + " ".join(groups[4:])
    return "\n".join(text[i : i + 22] for i in range(0, len(text), 22))
