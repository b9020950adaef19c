"""GUI tests run offscreen: no display is needed, and nothing is shown on one if there is."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
