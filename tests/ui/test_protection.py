"""Protection while in use: idle lock, clipboard clearing, screen-lock listeners and hiding windows."""

from __future__ import annotations

import ctypes
import sys
import uuid
from collections.abc import Callable, Iterator
from ctypes import wintypes

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtDBus import QDBusConnection
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QWidget
from pytestqt.qtbot import QtBot

from safecase.domain.clock import FakeClock, SystemClock
from safecase.ui.protection import window_privacy
from safecase.ui.protection.clipboard_guard import KDE_HINT_FORMAT, ClipboardGuard, concealment_hints
from safecase.ui.protection.idle_lock import IdleMonitor
from safecase.ui.protection.screen_lock import (
    LOGIN1_MANAGER,
    LOGIN1_PATH,
    LOGIN1_SESSION,
    DBusScreenLockListener,
    FakeScreenLockListener,
    NullScreenLockListener,
    ScreenLockListener,
    screen_lock_listener_for_platform,
)
from safecase.ui.protection.window_privacy import exclude_from_capture, hide_all_windows
from safecase.ui.protection.windows_session import (
    PBT_APMSUSPEND,
    WM_POWERBROADCAST,
    WM_WTSSESSION_CHANGE,
    WTS_CONSOLE_DISCONNECT,
    WTS_REMOTE_DISCONNECT,
    WTS_SESSION_LOCK,
    SessionMessageFilter,
    WindowsSessionListener,
)
from tests.private_bus import emit_session_properties, round_trip, send_signal

TIMEOUT_MS = 60_000

DBUS_WAIT_MS = 5_000


class Counter:
    """Counts how often a signal fired."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> None:
        self.count += 1


# --- idle monitor -----------------------------------------------------------------------------------------------


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def monitor(qapp: QApplication, clock: FakeClock) -> Iterator[IdleMonitor]:
    monitor = IdleMonitor(clock, TIMEOUT_MS)
    monitor.start()
    yield monitor
    monitor.stop()


@pytest.fixture
def fired(monitor: IdleMonitor) -> Counter:
    counter = Counter()
    monitor.idle_timeout.connect(counter)
    return counter


@pytest.fixture
def widget(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_idle_monitor_fires_when_idle_time_reaches_the_timeout(
    monitor: IdleMonitor, clock: FakeClock, fired: Counter
) -> None:
    clock.advance(TIMEOUT_MS - 1)
    monitor.check_now()
    assert fired.count == 0
    clock.advance(1)
    monitor.check_now()
    assert fired.count == 1


def test_idle_monitor_fires_only_once_until_activity(
    monitor: IdleMonitor, clock: FakeClock, fired: Counter, widget: QWidget
) -> None:
    clock.advance(TIMEOUT_MS)
    monitor.check_now()
    clock.advance(TIMEOUT_MS)
    monitor.check_now()
    assert fired.count == 1

    QTest.keyClick(widget, Qt.Key.Key_A)
    clock.advance(TIMEOUT_MS)
    monitor.check_now()
    assert fired.count == 2


def test_key_press_counts_as_activity(monitor: IdleMonitor, clock: FakeClock, fired: Counter, widget: QWidget) -> None:
    clock.advance(TIMEOUT_MS - 10)
    QTest.keyClick(widget, Qt.Key.Key_A)
    clock.advance(TIMEOUT_MS - 10)
    monitor.check_now()
    assert fired.count == 0
    clock.advance(10)
    monitor.check_now()
    assert fired.count == 1


def test_mouse_press_counts_as_activity(
    qapp: QApplication, monitor: IdleMonitor, clock: FakeClock, fired: Counter, widget: QWidget
) -> None:
    clock.advance(TIMEOUT_MS - 10)
    press = QMouseEvent(
        QEvent.Type.MouseButtonPress,
        QPointF(5, 5),
        QPointF(5, 5),
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    qapp.sendEvent(widget, press)
    clock.advance(TIMEOUT_MS - 10)
    monitor.check_now()
    assert fired.count == 0


def test_other_events_are_not_activity(
    qapp: QApplication, monitor: IdleMonitor, clock: FakeClock, fired: Counter, widget: QWidget
) -> None:
    clock.advance(TIMEOUT_MS - 10)
    qapp.sendEvent(widget, QEvent(QEvent.Type.User))
    clock.advance(10)
    monitor.check_now()
    assert fired.count == 1


def test_reset_restarts_the_idle_time(monitor: IdleMonitor, clock: FakeClock, fired: Counter) -> None:
    clock.advance(TIMEOUT_MS - 10)
    monitor.reset()
    clock.advance(TIMEOUT_MS - 10)
    monitor.check_now()
    assert fired.count == 0


def test_set_timeout_changes_the_limit_live(monitor: IdleMonitor, clock: FakeClock, fired: Counter) -> None:
    monitor.set_timeout_ms(5_000)
    clock.advance(5_000)
    monitor.check_now()
    assert fired.count == 1
    assert monitor.timeout_ms == 5_000

    monitor.reset()
    monitor.set_timeout_ms(2 * TIMEOUT_MS)
    clock.advance(TIMEOUT_MS)
    monitor.check_now()
    assert fired.count == 1


def test_idle_monitor_rejects_non_positive_timeout(clock: FakeClock) -> None:
    with pytest.raises(ValueError):
        IdleMonitor(clock, 0)


def test_stopped_idle_monitor_never_fires(monitor: IdleMonitor, clock: FakeClock, fired: Counter) -> None:
    monitor.stop()
    clock.advance(10 * TIMEOUT_MS)
    monitor.check_now()
    assert fired.count == 0


def test_idle_monitor_timer_checks_on_its_own(qtbot: QtBot) -> None:
    monitor = IdleMonitor(SystemClock(), 1)
    monitor.start()
    try:
        with qtbot.waitSignal(monitor.idle_timeout, timeout=5_000):
            pass
    finally:
        monitor.stop()


# --- clipboard guard --------------------------------------------------------------------------------------------


@pytest.fixture
def guard(qapp: QApplication, clock: FakeClock) -> ClipboardGuard:
    qapp.clipboard().clear()
    return ClipboardGuard(qapp.clipboard(), clock)


@pytest.fixture
def cleared(guard: ClipboardGuard) -> Counter:
    counter = Counter()
    guard.cleared.connect(counter)
    return counter


def test_clipboard_guard_clears_its_text_after_30_seconds(
    qapp: QApplication, guard: ClipboardGuard, clock: FakeClock, cleared: Counter
) -> None:
    guard.copy_sensitive("Witness: Amina, tel. 555-0100")
    assert qapp.clipboard().text() == "Witness: Amina, tel. 555-0100"

    clock.advance(29_999)
    guard.check_now()
    assert qapp.clipboard().text() == "Witness: Amina, tel. 555-0100"
    assert cleared.count == 0

    clock.advance(1)
    guard.check_now()
    assert qapp.clipboard().text() == ""
    assert cleared.count == 1
    assert not guard.holds_copy


def test_clipboard_guard_leaves_what_the_user_copied_since(
    qapp: QApplication, guard: ClipboardGuard, clock: FakeClock, cleared: Counter
) -> None:
    guard.copy_sensitive("secret location")
    qapp.clipboard().setText("the user's own text")
    clock.advance(30_000)
    guard.check_now()
    assert qapp.clipboard().text() == "the user's own text"
    assert cleared.count == 0
    assert not guard.holds_copy


def test_clipboard_guard_clear_now_clears_only_its_own_text(
    qapp: QApplication, guard: ClipboardGuard, cleared: Counter
) -> None:
    guard.copy_sensitive("secret location")
    assert guard.clear_now()
    assert qapp.clipboard().text() == ""
    assert cleared.count == 1

    guard.copy_sensitive("another secret")
    qapp.clipboard().setText("the user's own text")
    assert not guard.clear_now()
    assert qapp.clipboard().text() == "the user's own text"
    assert cleared.count == 1


def test_clipboard_guard_clear_now_without_a_copy_does_nothing(
    qapp: QApplication, guard: ClipboardGuard, cleared: Counter
) -> None:
    qapp.clipboard().setText("the user's own text")
    assert not guard.clear_now()
    assert qapp.clipboard().text() == "the user's own text"
    assert cleared.count == 0


def test_a_new_copy_restarts_the_countdown(
    qapp: QApplication, guard: ClipboardGuard, clock: FakeClock, cleared: Counter
) -> None:
    guard.copy_sensitive("first")
    clock.advance(20_000)
    guard.copy_sensitive("second")
    clock.advance(20_000)
    guard.check_now()
    assert qapp.clipboard().text() == "second"
    clock.advance(10_000)
    guard.check_now()
    assert qapp.clipboard().text() == ""
    assert cleared.count == 1


def test_copied_text_carries_the_concealment_hints(qapp: QApplication, guard: ClipboardGuard) -> None:
    guard.copy_sensitive("secret location")
    mime = qapp.clipboard().mimeData()
    assert mime is not None
    assert mime.text() == "secret location"
    hints = concealment_hints(sys.platform)
    assert hints
    for mime_type, data in hints.items():
        assert mime.hasFormat(mime_type)
        assert mime.data(mime_type).data() == data


def test_concealment_hints_for_each_platform() -> None:
    assert concealment_hints("linux") == {KDE_HINT_FORMAT: b"secret"}
    windows = concealment_hints("win32")
    zero_dword = b"\x00\x00\x00\x00"
    assert windows['application/x-qt-windows-mime;value="CanIncludeInClipboardHistory"'] == zero_dword
    assert windows['application/x-qt-windows-mime;value="CanUploadToCloudClipboard"'] == zero_dword
    assert 'application/x-qt-windows-mime;value="ExcludeClipboardContentFromMonitorProcessing"' in windows
    assert "application/x-nspasteboard-concealed-type" in concealment_hints("darwin")


def test_clipboard_guard_timer_clears_on_its_own(qtbot: QtBot, qapp: QApplication) -> None:
    qapp.clipboard().clear()
    guard = ClipboardGuard(qapp.clipboard(), SystemClock(), clear_after_ms=50)
    with qtbot.waitSignal(guard.cleared, timeout=5_000):
        guard.copy_sensitive("secret location")
    assert qapp.clipboard().text() == ""


# --- screen-lock listeners --------------------------------------------------------------------------------------


def unreachable_bus() -> QDBusConnection:
    return QDBusConnection.connectToBus("unix:path=/nonexistent/safecase-test-bus", f"safecase-{uuid.uuid4()}")


LISTENERS: dict[str, Callable[[], ScreenLockListener]] = {
    "null": NullScreenLockListener,
    "fake": FakeScreenLockListener,
    "dbus-without-bus": lambda: DBusScreenLockListener(unreachable_bus(), unreachable_bus()),
    "dbus-default-buses": DBusScreenLockListener,
    "for-platform": screen_lock_listener_for_platform,
}


@pytest.mark.parametrize("make", LISTENERS.values(), ids=LISTENERS.keys())
def test_every_listener_starts_and_stops_harmlessly(qapp: QApplication, make: Callable[[], ScreenLockListener]) -> None:
    listener = make()
    listener.start()
    listener.start()
    listener.stop()
    listener.stop()


def test_fake_listener_emits_while_started(qtbot: QtBot) -> None:
    listener = FakeScreenLockListener()
    with qtbot.assertNotEmitted(listener.session_locked):
        listener.simulate_lock()
    listener.start()
    with qtbot.waitSignal(listener.session_locked, timeout=1_000):
        listener.simulate_lock()


def test_null_listener_never_emits(qtbot: QtBot) -> None:
    listener = NullScreenLockListener()
    with qtbot.assertNotEmitted(listener.session_locked):
        listener.start()
        listener.stop()


def test_dbus_listener_without_a_bus_subscribes_to_nothing(qapp: QApplication) -> None:
    listener = DBusScreenLockListener(unreachable_bus(), unreachable_bus())
    listener.start()
    assert listener.subscription_count == 0


def test_factory_picks_dbus_only_on_linux_with_a_session_bus(qapp: QApplication) -> None:
    listener = screen_lock_listener_for_platform()
    wants_dbus = sys.platform.startswith("linux") and QDBusConnection.sessionBus().isConnected()
    assert isinstance(listener, DBusScreenLockListener) == wants_dbus
    assert isinstance(listener, NullScreenLockListener) != wants_dbus


@pytest.fixture
def started_dbus_listener(bus_pair: tuple[QDBusConnection, QDBusConnection]) -> Iterator[DBusScreenLockListener]:
    listener_bus, _ = bus_pair
    listener = DBusScreenLockListener(listener_bus, listener_bus)
    listener.start()
    round_trip(listener_bus)
    yield listener
    listener.stop()


@pytest.mark.parametrize(
    ("path", "interface", "name", "arguments"),
    [
        ("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged", (True,)),
        ("/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged", (True,)),
        ("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "ActiveChanged", (True,)),
        (LOGIN1_PATH, LOGIN1_MANAGER, "PrepareForSleep", (True,)),
        ("/org/freedesktop/login1/session/_32", LOGIN1_SESSION, "Lock", ()),
    ],
    ids=["freedesktop-screensaver", "kde-screensaver-path", "gnome-screensaver", "prepare-for-sleep", "session-lock"],
)
def test_dbus_listener_reports_lock_signals(
    qtbot: QtBot,
    bus_pair: tuple[QDBusConnection, QDBusConnection],
    started_dbus_listener: DBusScreenLockListener,
    path: str,
    interface: str,
    name: str,
    arguments: tuple[object, ...],
) -> None:
    _, sender_bus = bus_pair
    with qtbot.waitSignal(started_dbus_listener.session_locked, timeout=DBUS_WAIT_MS):
        send_signal(sender_bus, path, interface, name, *arguments)


def test_dbus_listener_ignores_unlock_and_wake(
    qtbot: QtBot, bus_pair: tuple[QDBusConnection, QDBusConnection], started_dbus_listener: DBusScreenLockListener
) -> None:
    _, sender_bus = bus_pair
    with qtbot.assertNotEmitted(started_dbus_listener.session_locked, wait=300):
        send_signal(sender_bus, "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged", False)
        send_signal(sender_bus, LOGIN1_PATH, LOGIN1_MANAGER, "PrepareForSleep", False)
        # PySide sends [] as "av", not logind's "as": such a message is not delivered (and must not crash us).
        session = "/org/freedesktop/login1/session/_32"
        properties = "org.freedesktop.DBus.Properties"
        send_signal(sender_bus, session, properties, "PropertiesChanged", LOGIN1_SESSION, {"Active": False}, [])


@pytest.mark.parametrize(
    ("changed", "locks"), [({"Active": False}, True), ({"Active": True}, False), ({"IdleHint": True}, False)]
)
def test_dbus_listener_locks_when_the_user_is_switched_away(
    qtbot: QtBot,
    private_bus_address: str,
    bus_pair: tuple[QDBusConnection, QDBusConnection],
    started_dbus_listener: DBusScreenLockListener,
    changed: dict[str, bool],
    locks: bool,
) -> None:
    listener_bus, _ = bus_pair
    # busctl's connection does not own the login1 name, so listen here for that sender's path without one.
    listener = DBusScreenLockListener(listener_bus, listener_bus, login1_service="")
    listener.start()
    round_trip(listener_bus)
    try:
        if locks:
            with qtbot.waitSignal(listener.session_locked, timeout=DBUS_WAIT_MS):
                emit_session_properties(listener_bus, private_bus_address, changed)
        else:
            with qtbot.assertNotEmitted(listener.session_locked, wait=300):
                emit_session_properties(listener_bus, private_bus_address, changed)
    finally:
        listener.stop()


def test_stopped_dbus_listener_hears_nothing(
    qtbot: QtBot, bus_pair: tuple[QDBusConnection, QDBusConnection], started_dbus_listener: DBusScreenLockListener
) -> None:
    _, sender_bus = bus_pair
    assert started_dbus_listener.subscription_count == 5
    started_dbus_listener.stop()
    assert started_dbus_listener.subscription_count == 0
    with qtbot.assertNotEmitted(started_dbus_listener.session_locked, wait=300):
        send_signal(sender_bus, "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "ActiveChanged", True)


# --- window privacy ---------------------------------------------------------------------------------------------


def test_hide_all_windows_hides_windows_dialogs_and_menus(qtbot: QtBot, qapp: QApplication) -> None:
    main = QWidget()
    other = QWidget()
    dialog = QDialog(main)
    menu = QMenu(main)
    menu.addAction("Export")
    for widget in (main, other):
        qtbot.addWidget(widget)
        widget.show()
    dialog.show()
    menu.popup(QPoint(10, 10))
    qtbot.waitUntil(lambda: qapp.activePopupWidget() is menu, timeout=2_000)

    hide_all_windows(qapp)

    assert qapp.activePopupWidget() is None
    for widget in (main, other, dialog, menu):
        assert not widget.isVisible()
    assert not [widget for widget in qapp.topLevelWidgets() if widget.isVisible()]


@pytest.mark.skipif(sys.platform == "win32", reason="Windows can exclude windows from capture")
def test_exclude_from_capture_reports_false_where_unsupported(widget: QWidget) -> None:
    assert exclude_from_capture(widget) is False


def test_capture_exclusion_sees_every_window_shown(
    qtbot: QtBot, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    excluded: list[QWidget] = []

    def record_exclusion(window: QWidget) -> bool:
        excluded.append(window)
        return True

    monkeypatch.setattr(window_privacy, "exclude_from_capture", record_exclusion)
    exclusion = window_privacy.CaptureExclusion()
    qapp.installEventFilter(exclusion)
    try:
        dialog = QDialog()
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog in excluded
    finally:
        qapp.removeEventFilter(exclusion)


# --- Windows session messages (decoded on every platform) -----------------------------------------------------


@pytest.mark.parametrize(
    ("message", "wparam", "locks"),
    [
        (WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK, True),
        (WM_WTSSESSION_CHANGE, WTS_CONSOLE_DISCONNECT, True),
        (WM_WTSSESSION_CHANGE, WTS_REMOTE_DISCONNECT, True),
        (WM_POWERBROADCAST, PBT_APMSUSPEND, True),
        (WM_WTSSESSION_CHANGE, 0x8, False),  # WTS_SESSION_UNLOCK
        (WM_POWERBROADCAST, 0x12, False),  # PBT_APMRESUMEAUTOMATIC
        (0x0010, WTS_SESSION_LOCK, False),  # WM_CLOSE with a look-alike parameter
    ],
)
def test_windows_messages_that_lock(qtbot: QtBot, message: int, wparam: int, locks: bool) -> None:
    fired: list[bool] = []
    message_filter = SessionMessageFilter(lambda: fired.append(True))
    native = wintypes.MSG()
    native.message, native.wParam = message, wparam
    assert message_filter.nativeEventFilter(b"windows_generic_MSG", ctypes.addressof(native)) == (False, 0)
    assert message_filter.nativeEventFilter(b"xcb_generic_event_t", ctypes.addressof(native)) == (False, 0)
    qtbot.wait(50)  # the lock is queued, not run inside the native dispatch
    assert fired == ([True] if locks else [])


def test_the_windows_listener_filters_only_while_started(qtbot: QtBot, qapp: QApplication) -> None:
    listener = WindowsSessionListener()
    listener.start()
    listener.stop()
    listener.stop()  # twice is harmless
