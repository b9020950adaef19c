"""Start the desktop app: the Qt application object and the app's composition root."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from safecase import __version__
from safecase.build_info import resources_folder
from safecase.domain.clock import SystemClock
from safecase.services.vault import VaultService
from safecase.ui.app import SafeCaseApp, default_settings_store
from safecase.ui.i18n import LanguageSwitcher
from safecase.ui.main_thread_gc import MainThreadGarbageCollector
from safecase.ui.protection.screen_lock import screen_lock_listener_for_platform
from safecase.ui.settings import AppSettings


def run_app(vault_root: Path, vaults: VaultService, *, lang: str | None = None) -> int:
    qt_app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "safecase"])
    assert isinstance(qt_app, QApplication)
    _app, collector = start_app(qt_app, vault_root, vaults, lang=lang)
    try:
        return int(qt_app.exec())
    finally:
        collector.stop()


def start_app(
    qt_app: QApplication, vault_root: Path, vaults: VaultService, *, lang: str | None = None
) -> tuple[SafeCaseApp, MainThreadGarbageCollector]:
    """Everything ``run_app`` builds, started, short of running the event loop (the caller stops the collector)."""
    qt_app.setApplicationName("SafeCase")
    qt_app.setApplicationVersion(__version__)
    qt_app.setDesktopFileName("org.safecase.SafeCase")
    qt_app.setWindowIcon(QIcon(str(resources_folder() / "icons" / "safecase.svg")))
    settings = AppSettings(default_settings_store())
    if lang:
        settings.language = lang
    app = SafeCaseApp(
        qt_app,
        vault_root,
        vaults,
        SystemClock(),
        settings,
        screen_lock_listener_for_platform(),
        LanguageSwitcher(qt_app),
    )
    collector = MainThreadGarbageCollector(qt_app)
    collector.start()
    app.start()
    return app, collector
