"""A throwaway D-Bus daemon and the signals a desktop sends when the screen locks, the machine sleeps or the user
is switched away, for testing the screen-lock listener against real D-Bus traffic without the user's buses."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from PySide6.QtDBus import QDBusConnection, QDBusMessage

from safecase.ui.protection.screen_lock import LOGIN1_SERVICE, LOGIN1_SESSION

SESSION_PATH = "/org/freedesktop/login1/session/_32"


@contextmanager
def private_bus() -> Iterator[str]:
    """A throwaway D-Bus daemon's address (the test is skipped when dbus-daemon is missing)."""
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.skip("dbus-daemon is not installed")
    process = subprocess.Popen(
        [daemon, "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    address = process.stdout.readline().strip()
    try:
        if not address:
            pytest.skip("dbus-daemon did not start")
        yield address
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


@contextmanager
def connection_pair(private_bus_address: str) -> Iterator[tuple[QDBusConnection, QDBusConnection]]:
    """(listener's connection, a sender's connection that owns the login1 name) on the private bus."""
    names = [f"safecase-listener-{uuid.uuid4()}", f"safecase-sender-{uuid.uuid4()}"]
    listener_bus, sender_bus = (QDBusConnection.connectToBus(private_bus_address, name) for name in names)
    assert listener_bus.isConnected()
    assert sender_bus.isConnected()
    assert sender_bus.registerService(LOGIN1_SERVICE)
    yield listener_bus, sender_bus
    for name in names:
        QDBusConnection.disconnectFromBus(name)


def round_trip(bus: QDBusConnection) -> None:
    """The daemon handles a connection's messages in order: once this answers, earlier match rules are in place."""
    ping = QDBusMessage.createMethodCall(
        "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetId"
    )
    assert bus.call(ping).type() == QDBusMessage.MessageType.ReplyMessage


def send_signal(bus: QDBusConnection, path: str, interface: str, name: str, *arguments: object) -> None:
    message = QDBusMessage.createSignal(path, interface, name)
    message.setArguments(list(arguments))
    assert bus.send(message)
    round_trip(bus)


def emit_session_properties(bus: QDBusConnection, address: str, changed: dict[str, bool]) -> None:
    """PropertiesChanged of a login1 session with logind's exact signature (sa{sv}as), as busctl sends it (PySide
    cannot write an empty string array); from a connection that owns the login1 name, as logind's would."""
    busctl = shutil.which("busctl")
    if busctl is None:
        pytest.skip("busctl (systemd) is not installed")
    pairs = [part for key, value in changed.items() for part in (key, "b", "true" if value else "false")]
    command = [busctl, f"--address={address}", "emit", "/org/freedesktop/login1/session/_32"]
    command += ["org.freedesktop.DBus.Properties", "PropertiesChanged", "sa{sv}as", LOGIN1_SESSION]
    subprocess.run([*command, str(len(changed)), *pairs, "0"], check=True, capture_output=True)
    round_trip(bus)
