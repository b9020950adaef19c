"""Tab order that follows the screen: editors lay fields out in grids and side by side, so the order in which the
fields were created (their declaration order) is not the order a keyboard user reads them in."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def chain_tab_order(rows: Sequence[QWidget]) -> None:
    """Make Tab visit the focusable controls of ``rows`` in the given order (each row's own controls in order)."""
    controls = [control for row in rows for control in focusable_controls(row)]
    for first, second in pairwise(controls):
        QWidget.setTabOrder(first, second)


def focusable_controls(widget: QWidget) -> list[QWidget]:
    found = [widget] if _takes_tab_focus(widget) else []
    found += [child for child in widget.findChildren(QWidget) if _takes_tab_focus(child)]
    return found


def _takes_tab_focus(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.focusProxy() is None
