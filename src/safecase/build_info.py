"""What this copy of SafeCase is: its version, the SQLCipher and Qt it runs on, and whether it is a packaged build.

Imports neither Qt nor SQLCipher until asked, so the command line stays Qt-free; `safecase --version` prints
`version_text()`, whose first line stays ``safecase X.Y.Z`` for scripts that match it.
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass
from pathlib import Path

from safecase import __version__

_MACHINE_ALIASES = {"amd64": "x86_64"}  # Windows says AMD64 for what Linux and macOS call x86_64


@dataclass(frozen=True)
class BuildInfo:
    version: str
    sqlcipher: str | None  # e.g. "4.6.1 community"; None if it cannot be loaded
    qt: str | None  # the Qt library's own version (qVersion)
    pyside: str | None  # the PySide6 binding's version
    python: str
    packaged: bool  # a frozen (PyInstaller) build rather than Python source

    def lines(self) -> list[str]:
        qt = "Qt not available" if self.qt is None else f"Qt {self.qt} (PySide6 {self.pyside or 'unknown'})"
        origin = "packaged build" if self.packaged else "running from source"
        return [
            f"safecase {self.version}",
            f"SQLCipher {self.sqlcipher}" if self.sqlcipher else "SQLCipher not available",
            qt,
            f"Python {self.python} on {platform_tag()}",
            origin,
        ]


def is_packaged() -> bool:
    """True inside a PyInstaller build, whose bootloader sets ``sys.frozen``."""
    return bool(getattr(sys, "frozen", False))


def resources_folder() -> Path:
    """The ``resources/`` folder (icons, translations, desktop files): in the source tree, or unpacked beside a
    packaged build's code (``sys._MEIPASS``)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def platform_tag() -> str:
    """``linux-x86_64``, ``windows-amd64``, ``macos-arm64``: the suffix of release file names."""
    system = {"darwin": "macos", "win32": "windows"}.get(sys.platform, sys.platform.rstrip("0123456789"))
    machine = platform.machine().lower() or "unknown"
    return f"{system}-{_MACHINE_ALIASES.get(machine, machine)}"


def sqlcipher_version() -> str | None:
    """SQLCipher's ``PRAGMA cipher_version`` from an in-memory connection (no file, no key)."""
    try:
        import sqlcipher3
    except ImportError:
        return None
    try:
        connection = sqlcipher3.connect(":memory:")
        try:
            row = connection.execute("PRAGMA cipher_version").fetchone()
        finally:
            connection.close()
    except sqlcipher3.Error:
        return None
    return str(row[0]) if row and row[0] else None


def qt_versions() -> tuple[str | None, str | None]:
    """(Qt, PySide6) versions; QtCore is loaded only here, and only QtCore (no display is needed)."""
    try:
        import PySide6
        from PySide6 import QtCore
    except ImportError:
        return None, None
    return QtCore.qVersion(), PySide6.__version__


def collect() -> BuildInfo:
    qt, pyside = qt_versions()
    return BuildInfo(
        version=__version__,
        sqlcipher=sqlcipher_version(),
        qt=qt,
        pyside=pyside,
        python=platform.python_version(),
        packaged=is_packaged(),
    )


def version_text(info: BuildInfo | None = None) -> str:
    return "\n".join((info or collect()).lines()) + "\n"
