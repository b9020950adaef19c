"""The app's settings: only preferences, never content, never a path to a vault or an exported file.

Everything the app remembers between runs outside the vault goes through here, and only the keys listed in
``ALLOWED_KEYS`` are ever written, so a seized laptop's settings store names no case, person or file.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QSettings

LANGUAGE: Final = "ui/language"  # "ko", "en" or "" for the system's language
IDLE_LOCK_MINUTES: Final = "protection/idle_lock_minutes"
ALLOWED_KEYS: Final = frozenset({LANGUAGE, IDLE_LOCK_MINUTES})

DEFAULT_IDLE_LOCK_MINUTES: Final = 5
MIN_IDLE_LOCK_MINUTES: Final = 1
MAX_IDLE_LOCK_MINUTES: Final = 240
LANGUAGES: Final = ("ko", "en")


class AppSettings:
    def __init__(self, store: QSettings) -> None:
        self._store = store

    @property
    def language(self) -> str:
        value = self._store.value(LANGUAGE, "")
        return value if isinstance(value, str) and value in LANGUAGES else ""

    @language.setter
    def language(self, lang: str) -> None:
        self._write(LANGUAGE, lang if lang in LANGUAGES else "")

    @property
    def idle_lock_minutes(self) -> int:
        try:
            minutes = int(str(self._store.value(IDLE_LOCK_MINUTES, DEFAULT_IDLE_LOCK_MINUTES)))
        except ValueError:
            return DEFAULT_IDLE_LOCK_MINUTES
        return min(max(minutes, MIN_IDLE_LOCK_MINUTES), MAX_IDLE_LOCK_MINUTES)

    @idle_lock_minutes.setter
    def idle_lock_minutes(self, minutes: int) -> None:
        self._write(IDLE_LOCK_MINUTES, min(max(int(minutes), MIN_IDLE_LOCK_MINUTES), MAX_IDLE_LOCK_MINUTES))

    def _write(self, key: str, value: object) -> None:
        if key not in ALLOWED_KEYS:
            raise KeyError(key)
        self._store.setValue(key, value)
        self._store.sync()


def system_language(locale_name: str) -> str:
    """The app language for a locale name such as ``ko_KR``: Korean for Korean locales, else English."""
    return "ko" if locale_name.lower().startswith("ko") else "en"
