"""Tells the app when the session is locked or the machine is about to sleep, so the vault can lock too.

Strategies: `DBusScreenLockListener` on Linux, `NullScreenLockListener` where nothing reports (and in tests that do
not care), `FakeScreenLockListener` for tests. The Linux listener subscribes to:
- session bus: `org.freedesktop.ScreenSaver.ActiveChanged(b)` (KDE, Xfce, Cinnamon, MATE via their screensavers)
  and `org.gnome.ScreenSaver.ActiveChanged(b)` (GNOME Shell), from any sender and path;
- system bus: `org.freedesktop.login1.Manager.PrepareForSleep(b)`, `org.freedesktop.login1.Session.Lock` on our
  own session (`loginctl lock-session(s)`, desktops that lock through logind), and that session's
  `PropertiesChanged` with `Active` false (another user's session was switched to on our seat). If our session
  cannot be found, these count for any session: locking when another session locks is harmless, missing a lock
  is not.
Any process on the session bus can send such a signal; the worst it can do is lock the vault early.
Each subscription that fails (no bus, as in CI) is logged at debug level and then never fires.

Windows has its own listener (`windows_session.py`: session lock, disconnect and suspend messages). macOS would
need NSWorkspace notifications (`NSWorkspaceWillSleepNotification`, `NSWorkspaceScreensDidSleepNotification`,
`NSWorkspaceSessionDidResignActiveNotification`) and the distributed `com.apple.screenIsLocked`, which need an
Objective-C observer object (pyobjc, not a dependency): macOS gets the Null listener, and the idle lock and the
Hide & lock shortcut still apply there.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import SLOT, QObject, Signal, Slot

if TYPE_CHECKING:
    from PySide6.QtDBus import QDBusConnection

log = logging.getLogger(__name__)

LOGIN1_SERVICE = "org.freedesktop.login1"
LOGIN1_PATH = "/org/freedesktop/login1"
LOGIN1_MANAGER = "org.freedesktop.login1.Manager"
LOGIN1_SESSION = "org.freedesktop.login1.Session"
PROPERTIES_INTERFACE = "org.freedesktop.DBus.Properties"
SCREENSAVER_INTERFACES = ("org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver")
SESSION_LOOKUP_TIMEOUT_MS = 500


class ScreenLockListener(QObject):
    """Base of the strategies: `start()` begins listening, `stop()` ends it; both may be called more than once."""

    session_locked = Signal()  # screen locked, user switched or system about to sleep

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


class NullScreenLockListener(ScreenLockListener):
    """For platforms that report nothing: never fires."""

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass


class FakeScreenLockListener(ScreenLockListener):
    """For tests: `simulate_lock()` fires, but only while started, as a real listener would."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.started = False

    def start(self) -> None:
        self.started = True

    def stop(self) -> None:
        self.started = False

    def simulate_lock(self) -> None:
        if self.started:
            self.session_locked.emit()


class DBusScreenLockListener(ScreenLockListener):
    """Listens on D-Bus (Linux). The buses default to the user's session and system buses, resolved at start()."""

    def __init__(
        self,
        session_bus: QDBusConnection | None = None,
        system_bus: QDBusConnection | None = None,
        parent: QObject | None = None,
        *,
        login1_service: str = LOGIN1_SERVICE,
    ) -> None:
        """``login1_service``: the bus name whose login1 signals count ("" for any sender, as tests need)."""
        super().__init__(parent)
        self._session_bus = session_bus
        self._system_bus = system_bus
        self._login1 = login1_service
        # (bus, service, path, interface, signal name, signature, slot) of each live subscription, for stop().
        self._subscriptions: list[tuple[QDBusConnection, str, str, str, str, str, bytes]] = []

    @property
    def subscription_count(self) -> int:
        return len(self._subscriptions)

    def start(self) -> None:
        if self._subscriptions:
            return
        try:
            from PySide6.QtDBus import QDBusConnection  # QtDBus may be absent from non-Linux builds
        except ImportError:
            log.debug("QtDBus unavailable; screen-lock events off")
            return
        session_bus = self._session_bus if self._session_bus is not None else QDBusConnection.sessionBus()
        system_bus = self._system_bus if self._system_bus is not None else QDBusConnection.systemBus()
        for interface in SCREENSAVER_INTERFACES:
            self._subscribe(session_bus, "", "", interface, "ActiveChanged", "_on_screensaver_active_changed(bool)")
        self._subscribe(
            system_bus,
            self._login1,
            LOGIN1_PATH,
            LOGIN1_MANAGER,
            "PrepareForSleep",
            "_on_login1_prepare_for_sleep(bool)",
        )
        if system_bus.isConnected():
            session_path = _own_login1_session_path(system_bus)
            self._subscribe(system_bus, self._login1, session_path, LOGIN1_SESSION, "Lock", "_on_login1_session_lock()")
            self._subscribe(
                system_bus,
                self._login1,
                session_path,
                PROPERTIES_INTERFACE,
                "PropertiesChanged",
                "_on_login1_session_properties_changed(QString,QVariantMap,QStringList)",
                signature="sa{sv}as",  # anything else is not delivered (Qt would abort demarshalling it)
            )

    def stop(self) -> None:
        for bus, service, path, interface, name, signature, slot in self._subscriptions:
            if signature:
                bus.disconnect(service, path, interface, name, signature, self, slot)
            else:
                bus.disconnect(service, path, interface, name, self, slot)
        self._subscriptions.clear()

    def _subscribe(
        self,
        bus: QDBusConnection,
        service: str,
        path: str,
        interface: str,
        name: str,
        slot: str,
        *,
        signature: str = "",
    ) -> None:
        """Deliver signal ``name`` to ``slot``; with ``signature``, only messages of exactly those argument types."""
        if not bus.isConnected():
            log.debug("no D-Bus connection for %s.%s", interface, name)
            return
        # PySide6's stub types `slot` as bytes, but at run time it accepts only the str that SLOT() returns.
        slot_signature = cast(bytes, SLOT(slot))
        # An empty signature is not "any" to QtDBus: leave it out then.
        connected = (
            bus.connect(service, path, interface, name, signature, self, slot_signature)
            if signature
            else bus.connect(service, path, interface, name, self, slot_signature)
        )
        if connected:
            self._subscriptions.append((bus, service, path, interface, name, signature, slot_signature))
        else:
            log.debug("could not subscribe to %s.%s", interface, name)

    @Slot(bool)
    def _on_screensaver_active_changed(self, active: bool) -> None:
        if active:
            self.session_locked.emit()

    @Slot(bool)
    def _on_login1_prepare_for_sleep(self, going_to_sleep: bool) -> None:
        if going_to_sleep:
            self.session_locked.emit()

    @Slot()
    def _on_login1_session_lock(self) -> None:
        self.session_locked.emit()

    @Slot(str, "QVariantMap", "QStringList")
    def _on_login1_session_properties_changed(
        self, interface: str, changed: dict[str, object], _invalidated: list[str]
    ) -> None:
        """Our session stopped being the active one on its seat: another user was switched to."""
        if interface == LOGIN1_SESSION and changed.get("Active") is False:
            self.session_locked.emit()


def _own_login1_session_path(system_bus: QDBusConnection) -> str:
    """The object path of the login1 session this process belongs to, or "" (any session) if it cannot be found."""
    from PySide6.QtDBus import QDBus, QDBusMessage

    call = QDBusMessage.createMethodCall(LOGIN1_SERVICE, LOGIN1_PATH, LOGIN1_MANAGER, "GetSessionByPID")
    call.setArguments([os.getpid()])
    # Blocking, but once at start and bounded: logind answers in milliseconds when it runs at all.
    reply = system_bus.call(call, QDBus.CallMode.Block, SESSION_LOOKUP_TIMEOUT_MS)
    arguments = reply.arguments() if reply.type() == QDBusMessage.MessageType.ReplyMessage else []
    if not arguments:
        log.debug("own login1 session not found; listening for Lock on any session")
        return ""
    path = arguments[0]
    return str(path.path() if hasattr(path, "path") else path)


def screen_lock_listener_for_platform(parent: QObject | None = None) -> ScreenLockListener:
    """The Windows listener on Windows, the D-Bus one on Linux when a session bus is reachable, otherwise (macOS)
    the Null one."""
    if sys.platform == "win32":
        from safecase.ui.protection.windows_session import WindowsSessionListener

        return WindowsSessionListener(parent)
    if not sys.platform.startswith("linux"):
        return NullScreenLockListener(parent)
    try:
        from PySide6.QtDBus import QDBusConnection
    except ImportError:
        log.debug("QtDBus unavailable; screen-lock events off")
        return NullScreenLockListener(parent)
    if not QDBusConnection.sessionBus().isConnected():
        log.debug("no D-Bus session bus; screen-lock events off")
        return NullScreenLockListener(parent)
    return DBusScreenLockListener(parent=parent)
