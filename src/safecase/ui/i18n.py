"""The app's languages: which one to use, and the Qt translator that shows the interface in it.

English is the source language. The Korean catalogue is ``resources/i18n/safecase_ko.ts`` (edited with Qt
Linguist or by hand), compiled to ``safecase_ko.qm`` beside it by ``python tools/translations.py compile``.
Record labels (kinds, fields, vocabularies) are bilingual in the domain layer and need no catalogue.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

log = logging.getLogger(__name__)


def translations_folder() -> Path:
    """resources/i18n in a source checkout, or inside a packaged (PyInstaller) build."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources" / "i18n"
    return Path(__file__).resolve().parents[3] / "resources" / "i18n"


class LanguageSwitcher:
    """Installs the translator of the chosen language on the application (and removes the previous one)."""

    def __init__(self, app: QCoreApplication, folder: Path | None = None) -> None:
        self._app = app
        self._folder = folder or translations_folder()
        self._translator: QTranslator | None = None
        self.lang = "en"

    def use(self, lang: str) -> bool:
        """Switch to ``lang``. False if its catalogue is missing: the interface's own strings then stay in English,
        while record labels (bilingual in the domain layer) still follow ``lang``."""
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None
        self.lang = lang if lang in ("ko", "en") else "en"
        if self.lang == "en":
            return True
        translator = QTranslator(self._app)
        if not translator.load(str(self._folder / f"safecase_{self.lang}.qm")):
            log.warning("no translation catalogue for %s", self.lang)
            return False
        self._app.installTranslator(translator)
        self._translator = translator
        return True
