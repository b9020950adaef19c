"""Lock hardening, end to end: every way the vault is told to lock (the desktop's screen locker, logind's lock,
sleep, a user switch, idle time, Hide & lock) really locks the running app, and after the lock the database
connection is closed, the master key buffer is zeroed and the identity's private keys are dropped.

The desktop signals travel over a private D-Bus daemon to the real ``DBusScreenLockListener`` (not a fake), so
what is tested is what a GNOME, KDE or logind session sends. What Python cannot promise is said in
docs/SECURITY.md: copies of keys made by libraries or the interpreter are freed, not overwritten, by us.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtDBus import QDBusConnection
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from safecase.domain.clock import FakeClock
from safecase.errors import VaultStateError
from safecase.services.session import VaultSession
from safecase.services.vault import CreatedVault, VaultService
from safecase.ui.app import SafeCaseApp
from safecase.ui.i18n import LanguageSwitcher
from safecase.ui.protection.screen_lock import LOGIN1_MANAGER, LOGIN1_PATH, LOGIN1_SESSION, DBusScreenLockListener
from safecase.ui.settings import AppSettings
from safecase.ui.unlock_window import UnlockWindow
from tests.adversarial.figures import SecurityFigure, assert_clean
from tests.conftest import PASSPHRASE
from tests.private_bus import SESSION_PATH, emit_session_properties, round_trip, send_signal
from tests.ui.helpers import WAIT_MS, run_on

MINUTE_MS = 60_000
Trigger = Callable[["Harness"], None]


class Harness:
    """The app running against a vault, its screen-lock listener on a private bus."""

    def __init__(self, app: SafeCaseApp, bus_address: str, sender: QDBusConnection, clock: FakeClock) -> None:
        self.app = app
        self.bus_address = bus_address
        self.sender = sender
        self.clock = clock


def _screensaver(interface: str, path: str) -> Trigger:
    return lambda h: send_signal(h.sender, path, interface, "ActiveChanged", True)


def _sleep(h: Harness) -> None:
    send_signal(h.sender, LOGIN1_PATH, LOGIN1_MANAGER, "PrepareForSleep", True)


def _logind_lock(h: Harness) -> None:
    send_signal(h.sender, SESSION_PATH, LOGIN1_SESSION, "Lock")


def _user_switch(h: Harness) -> None:
    emit_session_properties(h.sender, h.bus_address, {"Active": False})


def _idle(h: Harness) -> None:
    h.clock.advance(5 * MINUTE_MS + 1)  # the default idle lock is 5 minutes
    h.app.idle.check_now()


def _hide_and_lock(h: Harness) -> None:
    h.app.panic()


TRIGGERS: dict[str, Trigger] = {
    "Screen locker (org.freedesktop.ScreenSaver)": _screensaver("org.freedesktop.ScreenSaver", "/ScreenSaver"),
    "Screen locker (GNOME Shell)": _screensaver("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
    "Sleep (logind PrepareForSleep)": _sleep,
    "Session lock (loginctl lock-session)": _logind_lock,
    "User switch (logind session no longer active)": _user_switch,
    "Idle for 5 minutes": _idle,
    "Hide & lock (Ctrl+Shift+H)": _hide_and_lock,
}


@pytest.fixture
def harness(
    qtbot: QtBot,
    qapp: QApplication,
    tmp_path: Path,
    vaults: VaultService,
    created_vault: CreatedVault,
    clock: FakeClock,
    private_bus_address: str,
    bus_pair: tuple[QDBusConnection, QDBusConnection],
) -> Iterator[Harness]:
    listener_bus, sender_bus = bus_pair
    # Any sender counts for login1 here: busctl (the user-switch signal) cannot own logind's name.
    listener = DBusScreenLockListener(listener_bus, listener_bus, login1_service="")
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    settings.language = "en"
    app = SafeCaseApp(qapp, created_vault.folder, vaults, clock, settings, listener, LanguageSwitcher(qapp))
    app.start()
    round_trip(listener_bus)
    yield Harness(app, private_bus_address, sender_bus, clock)
    for window in (app.main_window, app.gate):
        if window is not None:
            window.hide()
    app.shut_down()


def _unlock(qtbot: QtBot, app: SafeCaseApp) -> VaultSession:
    gate = app.gate
    assert isinstance(gate, UnlockWindow)
    gate.passphrase_field.setText(PASSPHRASE)
    gate.unlock_button.click()
    qtbot.waitUntil(lambda: app.main_window is not None, timeout=15_000)
    session: VaultSession = run_on(qtbot, app.executor, lambda context: context.workspace.session)
    return session


def _keys_dropped(session: VaultSession) -> list[str]:
    """What is still open or held after the lock (empty: nothing)."""
    held = []
    if session.db.is_open:
        held.append("database connection open")
    if not session.master_key.wiped or any(session.master_key._buffer):
        held.append("master key not zeroed")
    for name, use in (("identity signs", lambda: session.identity.sign(b"x")), ("blobs decrypt", _blob_use(session))):
        try:
            use()
            held.append(f"{name} after lock")
        except VaultStateError:
            pass
    return held


def _blob_use(session: VaultSession) -> Callable[[], object]:
    return lambda: session.blobs.identity


@pytest.mark.parametrize("trigger", list(TRIGGERS))
def test_each_lock_trigger_closes_the_vault_and_drops_its_keys(qtbot: QtBot, harness: Harness, trigger: str) -> None:
    app = harness.app
    session = _unlock(qtbot, app)
    assert _keys_dropped(session) == ["database connection open", "master key not zeroed", *_held_uses()]
    TRIGGERS[trigger](harness)
    qtbot.waitUntil(lambda: app.main_window is None and isinstance(app.gate, UnlockWindow), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not session.db.is_open, timeout=WAIT_MS)  # closed on the database thread
    held = _keys_dropped(session)
    assert run_on(qtbot, app.executor, lambda context: context.has_workspace) is False
    assert_clean(
        SecurityFigure(
            "lock",
            trigger,
            tried=1,
            unit="trigger",
            held=0 if held else 1,
            leaks=len(held),
            note="locked; connection closed, master key zeroed, identity keys dropped" if not held else "; ".join(held),
        )
    )


def _held_uses() -> list[str]:
    return ["identity signs after lock", "blobs decrypt after lock"]
