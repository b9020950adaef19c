"""Adversarial tests render reports and drive the desktop app: the application object must be pytest-qt's
QApplication (a widget-capable one), created before anything here would make a bare QGuiApplication that the GUI
tests run later could not use."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _widget_capable_qt_application(qapp: object) -> Iterator[None]:
    yield
