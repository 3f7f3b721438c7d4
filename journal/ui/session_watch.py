"""Lock when the computer goes to sleep or the screen locks, where D-Bus
tells us (systemd-logind's PrepareForSleep; the freedesktop and GNOME
screen savers' ActiveChanged). Without a bus, nothing happens and the idle
timer and Ctrl+L still lock."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import SLOT, QObject, Signal, Slot
from PySide6.QtDBus import QDBusConnection

# (path, interface); any sender, since desktops implement these under
# various service names.
_SCREEN_SAVERS = (
    ("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
    ("/ScreenSaver", "org.freedesktop.ScreenSaver"),
)


def _slot(signature: str) -> Any:
    """A slot for QDBusConnection.connect (a str at run time; the type stubs
    say bytes, which PySide rejects)."""
    return SLOT(signature)


class SessionWatcher(QObject):
    lock_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.listening: list[str] = []
        system = QDBusConnection.systemBus()
        if system.isConnected() and system.connect(
            "org.freedesktop.login1",
            "/org/freedesktop/login1",
            "org.freedesktop.login1.Manager",
            "PrepareForSleep",
            self,
            _slot("on_prepare_for_sleep(bool)"),
        ):
            self.listening.append("sleep")
        session = QDBusConnection.sessionBus()
        if session.isConnected():
            for path, interface in _SCREEN_SAVERS:
                if session.connect(
                    "", path, interface, "ActiveChanged", self, _slot("on_screen_saver(bool)")
                ):
                    self.listening.append(f"{interface} at {path}")

    @Slot(bool)
    def on_prepare_for_sleep(self, going_to_sleep: bool) -> None:
        if going_to_sleep:
            self.lock_requested.emit()

    @Slot(bool)
    def on_screen_saver(self, active: bool) -> None:
        if active:
            self.lock_requested.emit()
